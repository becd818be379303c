#!/usr/bin/env python3
"""A fake image relay on 127.0.0.1 for the window smoke test: answers
POST /v1/images/generations (JSON) and /v1/images/edits (multipart, a whole new picture, as a
relay that ignores the mask would) with n real PNGs (drawn here, no libraries) after a short delay."""
import base64, json, re, struct, sys, time, zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def png(width, height, seed):
    rows = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            row += bytes(((x * 255 // width + seed * 60) % 256, (y * 255 // height) % 256, (seed * 90 + 80) % 256))
        rows.append(bytes(row))

    def chunk(kind, data):
        c = kind + data
        return struct.pack(">I", len(data)) + c + struct.pack(">I", zlib.crc32(c) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"".join(rows))) + chunk(b"IEND", b"")


class Relay(BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("content-length", 0))
        raw = self.rfile.read(length)
        time.sleep(float(sys.argv[2]) if len(sys.argv) > 2 else 1.0)
        if self.path.endswith("/images/edits"):
            found = re.search(rb'name="n"\r\n\r\n(\d+)', raw)
            n, seed = (int(found.group(1)) if found else 1), 3
        else:
            n, seed = int(json.loads(raw or b"{}").get("n", 1)), 0
        data = [{"b64_json": base64.b64encode(png(384, 256, seed + i)).decode()} for i in range(n)]
        out = json.dumps({"created": int(time.time()), "data": data,
                          "usage": {"input_tokens": 20, "output_tokens": 272, "total_tokens": 292}}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Relay).serve_forever()
