#!/usr/bin/env python3
"""A small OAuth 2 protected API on 127.0.0.1 for bench/matrix.sh: a token endpoint and an API
that checks the scopes of the token it is sent, answering each request after --delay-ms.

POST /oauth/token   client_credentials, client bench-client / bench-secret by HTTP Basic; the
                    token is opaque (base64url of the granted scopes and a serial number) and the
                    answer says which scopes it grants, as RFC 6749 allows
GET  /api/items/N   200 {"item": N} for a token with every scope in --scopes; 403
                    insufficient_scope when one is missing; 401 with no token or an unknown one

HTTP/1.1 with keep-alive, one thread per connection, so N clients in parallel each keep theirs.
Prints {"url": "http://127.0.0.1:PORT"} on its first line, and stops after --lifetime seconds.
"""
import argparse
import base64
import json
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CLIENT = ("bench-client", "bench-secret")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go in two writes: no 40 ms delayed-ACK stall
    scopes = frozenset()
    delay = 0.0
    serial = 0
    lock = threading.Lock()

    def log_message(self, *args):
        pass

    def answer(self, status, body, headers=()):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        form = urllib.parse.parse_qs(self.rfile.read(length).decode())
        if self.path != "/oauth/token":
            return self.answer(404, {"error": "not_found"})
        expected = "Basic " + base64.b64encode(":".join(CLIENT).encode()).decode()
        if self.headers.get("Authorization") != expected or form.get("grant_type") != ["client_credentials"]:
            return self.answer(401, {"error": "invalid_client"})
        granted = sorted(set(" ".join(form.get("scope", [""])).split()))
        with Handler.lock:
            Handler.serial += 1
            serial = Handler.serial
        token = base64.urlsafe_b64encode(json.dumps({"scope": granted, "n": serial}).encode()).decode().rstrip("=")
        self.answer(200, {"access_token": token, "token_type": "Bearer", "expires_in": 3600, "scope": " ".join(granted)})

    def do_GET(self):
        if not self.path.startswith("/api/items/"):
            return self.answer(404, {"error": "not_found"})
        if self.delay:
            time.sleep(self.delay)
        auth = self.headers.get("Authorization", "")
        granted = None
        if auth.startswith("Bearer "):
            try:
                raw = auth[7:]
                granted = set(json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))["scope"])
            except (ValueError, KeyError):
                granted = None
        if granted is None:
            return self.answer(401, {"error": "invalid_token"}, [("WWW-Authenticate", 'Bearer realm="bench"')])
        missing = sorted(self.scopes - granted)
        if missing:
            challenge = 'Bearer error="insufficient_scope", scope="%s"' % " ".join(sorted(self.scopes))
            return self.answer(403, {"error": "insufficient_scope", "missing": missing}, [("WWW-Authenticate", challenge)])
        self.answer(200, {"item": self.path.rsplit("/", 1)[1]})


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scopes", required=True, help="the scopes every /api/items/N needs, space-separated")
    parser.add_argument("--delay-ms", type=float, default=0)
    parser.add_argument("--lifetime", type=float, default=900)
    args = parser.parse_args()
    Handler.scopes = frozenset(args.scopes.split())
    Handler.delay = args.delay_ms / 1000
    ThreadingHTTPServer.request_queue_size = 128  # 8 clients connecting at once are not turned away
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(json.dumps({"url": "http://127.0.0.1:%d" % server.server_address[1]}), flush=True)
    threading.Timer(args.lifetime, server.shutdown).start()
    server.serve_forever()
    sys.exit(0)


if __name__ == "__main__":
    main()
