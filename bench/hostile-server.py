#!/usr/bin/env python3
"""Hostile HTTP server for bench/peak-memory.sh, on 127.0.0.1 only.

GET  /endless      200, no length, body bytes until the client goes away
GET  /gzip-bomb    200, Content-Encoding: gzip, 1 GiB of zeros in about 1 MB
GET  /zstd-bomb    200, Content-Encoding: zstd, 1 GiB of zeros in 32 KB (tests/support/fixtures)
POST /oauth/token          200 application/json that never ends, no length (closed to end it)
POST /oauth/token-chunked  the same in chunks (Transfer-Encoding: chunked), as fast as it goes
POST /oauth/token-length   the same announcing a Content-Length of 8 GiB
POST /oauth/token-gzip-bomb, /oauth/token-deflate-bomb   1 GiB of zeros, gzip- or deflate-encoded

Prints {"url": "http://127.0.0.1:PORT"} on its first line. Every answer stops by itself after
8 GiB or 60 s, and the server after --lifetime seconds, so nothing here runs on unattended.
"""
import argparse
import json
import sys
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAX_BYTES = 8 << 30
MAX_SECONDS = 60
CHUNK = b"x" * 65536


def compressed_zeros(size, wbits=31):
    """size bytes of zeros, gzip-encoded (wbits 31) or deflate, i.e. zlib-wrapped (wbits 15)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, wbits)
    zeros = bytes(1 << 20)
    parts = [compressor.compress(zeros) for _ in range(size >> 20)]
    parts.append(compressor.flush())
    return b"".join(parts)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def endless(self, content_type, first=b"", framing=None):
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        if framing == "chunked":
            self.send_header("Transfer-Encoding", "chunked")
        elif framing == "length":
            self.send_header("Content-Length", str(MAX_BYTES))
        self.send_header("Connection", "close")
        self.end_headers()
        sent, start = 0, time.monotonic()
        block = CHUNK
        if framing == "chunked":
            first = b"%x\r\n%s\r\n" % (len(first), first) if first else b""
            block = b"%x\r\n%s\r\n" % (len(CHUNK), CHUNK)
        try:
            self.wfile.write(first)
            while sent < MAX_BYTES and time.monotonic() - start < MAX_SECONDS:
                self.wfile.write(block)
                sent += len(CHUNK)
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True

    def fixed(self, encoding, body):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Encoding", encoding)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True

    def do_GET(self):
        if self.path.startswith("/api/endless"):
            self.endless("application/json")
        elif self.path.startswith("/api/gzip-bomb"):
            self.fixed("gzip", self.server.gzip_bomb)
        elif self.path.startswith("/api/zstd-bomb"):
            self.fixed("zstd", self.server.zstd_bomb)
        else:
            self.send_error(404)

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        start = b'{"token_type":"Bearer","access_token":"'
        if self.path.startswith("/oauth/token-chunked"):
            self.endless("application/json", start, "chunked")
        elif self.path.startswith("/oauth/token-length"):
            self.endless("application/json", start, "length")
        elif self.path.startswith("/oauth/token-gzip-bomb"):
            self.fixed("gzip", self.server.gzip_bomb)
        elif self.path.startswith("/oauth/token-deflate-bomb"):
            self.fixed("deflate", self.server.deflate_bomb)
        elif self.path.startswith("/oauth/token"):
            self.endless("application/json", start)
        else:
            self.send_error(404)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--zstd-fixture", required=True)
    parser.add_argument("--lifetime", type=int, default=900)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.gzip_bomb = compressed_zeros(1 << 30)
    server.deflate_bomb = compressed_zeros(1 << 30, 15)
    with open(args.zstd_fixture, "rb") as fixture:
        server.zstd_bomb = fixture.read()
    threading.Timer(args.lifetime, server.shutdown).start()
    print(json.dumps({"url": "http://127.0.0.1:%d" % server.server_address[1],
                      "gzip_bomb_bytes": len(server.gzip_bomb), "zstd_bomb_bytes": len(server.zstd_bomb)}), flush=True)
    server.serve_forever()
    sys.exit(0)


if __name__ == "__main__":
    main()
