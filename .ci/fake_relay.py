#!/usr/bin/env python3
"""A fake image service on 127.0.0.1 for the window smoke test and, behind LiteLLM, for
.ci/litellm-relay.sh: answers POST /v1/images/generations (JSON) and /v1/images/edits (multipart,
a whole new picture, as a relay that ignores the mask would) with n real PNGs (drawn here, no
libraries) after a short delay, streamed as server-sent events with previews when the request
asks for a stream. A prompt with FAIL401, FAIL429 or FAIL500 in it is answered with that error,
as OpenAI words it. Usage: fake_relay.py PORT [DELAY] [LOG]: with LOG, a line of JSON per
request received (path, model, stream) is appended to that file, to count what was made."""
import base64, json, re, struct, sys, threading, time, zlib
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


LOG_LOCK = threading.Lock()
# What the service answers a prompt containing FAIL<status>, as OpenAI words it.
FAILURES = [
    (401, "Incorrect API key provided: sk-ab***. You can find your API key at https://platform.openai.com/account/api-keys.", "invalid_api_key"),
    (429, "Rate limit reached for images per minute. Please try again in 1s.", "rate_limit_exceeded"),
    (500, "The server had an error while processing your request. Sorry about that!", None),
]


class Relay(BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("content-length", 0))
        raw = self.rfile.read(length)
        delay = float(sys.argv[2]) if len(sys.argv) > 2 else 1.0
        edit = self.path.endswith("/images/edits")
        if edit:
            field = lambda name: re.search(rb'name="' + name + rb'"\r\n\r\n([^\r]+)', raw)
            found, stream, partials = field(b"n"), field(b"stream"), field(b"partial_images")
            n, seed = (int(found.group(1)) if found else 1), 3
            previews = int(partials.group(1)) if stream and stream.group(1) == b"true" and partials else 0
            model, prompt = field(b"model"), field(b"prompt")
            model = model.group(1).decode() if model else None
            prompt = prompt.group(1).decode(errors="replace") if prompt else ""
        else:
            body = json.loads(raw or b"{}")
            n, seed = int(body.get("n", 1)), 0
            previews = int(body.get("partial_images", 0)) if body.get("stream") else 0
            model, prompt = body.get("model"), str(body.get("prompt", ""))
        # What reached the service of the newer settings, to check that a relay passes them on.
        passed = {} if edit else {k: body[k] for k in ("quality", "complexity") if k in body}
        if len(sys.argv) > 3:
            with LOG_LOCK, open(sys.argv[3], "a") as log:
                log.write(json.dumps({"path": self.path, "model": model, "stream": previews > 0, **passed}) + "\n")
        for status, message, code in FAILURES:
            if f"FAIL{status}" in prompt:
                out = json.dumps({"error": {"message": message, "type": "invalid_request_error", "code": code}}).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)
                return
        usage = {"input_tokens": 20, "output_tokens": 272, "total_tokens": 292,
                 "input_tokens_details": {"text_tokens": 20, "image_tokens": 0}}
        pictures = [base64.b64encode(png(384, 256, seed + i)).decode() for i in range(n)]
        if previews == 0:
            time.sleep(delay)
            out = json.dumps({"created": int(time.time()), "data": [{"b64_json": p} for p in pictures],
                              "usage": usage}).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)
            return
        # Streamed: the previews (darker versions, as a model's early ones are blurrier), then
        # each picture, an event at a time with pauses, as the Images API streams.
        kind = "image_edit" if edit else "image_generation"
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("connection", "close")
        self.end_headers()
        for i, picture in enumerate(pictures):
            for step in range(previews):
                time.sleep(delay / (previews + 1))
                dim = base64.b64encode(png(384, 256, seed + i + 7 + step)).decode()
                self.event(f"{kind}.partial_image", {"type": f"{kind}.partial_image", "b64_json": dim,
                                                     "partial_image_index": step, "output_format": "png"})
            time.sleep(delay / (previews + 1))
            self.event(f"{kind}.completed", {"type": f"{kind}.completed", "b64_json": picture,
                                             "output_format": "png", "usage": usage})
        self.wfile.write(b"data: [DONE]\n\n")

    def event(self, kind, data):
        self.wfile.write(f"event: {kind}\ndata: {json.dumps(data)}\n\n".encode())
        self.wfile.flush()

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Relay).serve_forever()
