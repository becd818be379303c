#!/usr/bin/env python3
"""A hostile relay on 127.0.0.1 for scripts/bench-hostile.sh: answers every POST with an event
stream of COUNT "completed" events of MB megabytes each (valid JSON, each a
b64_json whose base64 decodes to 3/4 as many bytes, kept until every picture has come), as
a relay that floods its client would. Usage: hostile_relay.py PORT COUNT MB"""
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT, COUNT, MB = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
PIECE = b"A" * (1 << 20)


class Flood(BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("content-length", 0)))
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("connection", "close")
        self.end_headers()
        try:
            for i in range(COUNT):
                self.wfile.write(b'event: image_generation.completed\ndata: {"type": "image_generation.completed", '
                                 b'"image_index": %d, "b64_json": "' % i)
                for _ in range(MB):
                    self.wfile.write(PIECE)
                self.wfile.write(b'"}\n\n')
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", PORT), Flood).serve_forever()
