"""A real HTTP server on 127.0.0.1 for the feed tests and bench/feeds_poll.py (http.server in a thread).

Each path serves a `Route`: a body with its type, answered with an ETag and a Last-Modified and with
304 Not Modified to a matching conditional request (unless `conditional` is off); or a redirect, a status,
a delay before the answer, a body trickled one byte at a time, or an endless body. `requests` records
what was asked (path and conditional headers), so tests can check that a poll was conditional.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).parent / "feeds"
LAST_MODIFIED = "Mon, 02 Nov 2026 08:00:00 GMT"


@dataclass
class Route:
    body: bytes = b""
    content_type: str = "application/rss+xml; charset=utf-8"
    status: int = 200
    conditional: bool = True  # send validators, and answer If-None-Match / If-Modified-Since with 304
    send_etag: bool = True  # False: a server that only gives Last-Modified
    last_modified: str = LAST_MODIFIED
    redirect: str | None = None
    delay: float = 0.0  # seconds before the status line
    trickle: float = 0.0  # seconds between bytes of the body
    endless: bool = False  # a body with no end and no Content-Length

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha1(self.body).hexdigest()[:16] + '"'


class FeedServer:
    def __init__(self):
        self.routes: dict[str, Route] = {}
        self.requests: list[dict] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                route = server.routes.get(self.path)
                with server._lock:
                    server.requests.append({"path": self.path, "if_none_match": self.headers.get("If-None-Match"),
                                            "if_modified_since": self.headers.get("If-Modified-Since")})
                try:
                    self._answer(route)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def _answer(self, route):
                if route is None:
                    return self._plain(404, b"not here")
                if route.delay:
                    time.sleep(route.delay)
                if route.redirect:
                    self.send_response(302)
                    self.send_header("Location", route.redirect)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if route.status != 200:
                    return self._plain(route.status, b"error")
                tag, since = self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")
                # RFC 9110: when If-None-Match is sent, If-Modified-Since is ignored
                fresh = (tag == route.etag and route.send_etag) if tag else since == route.last_modified
                if route.conditional and fresh:
                    self.send_response(304)
                    if route.send_etag:
                        self.send_header("ETag", route.etag)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", route.content_type)
                if route.conditional:
                    if route.send_etag:
                        self.send_header("ETag", route.etag)
                    self.send_header("Last-Modified", route.last_modified)
                if route.endless:
                    self.send_header("Connection", "close")
                    self.end_headers()
                    chunk = b"<!-- " + b"x" * 65000 + b" -->\n"
                    for _ in range(10_000):  # about 650 MB at most: the client hangs up long before
                        self.wfile.write(chunk)
                    return
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                if route.trickle:
                    for i in range(len(route.body)):
                        self.wfile.write(route.body[i:i + 1])
                        self.wfile.flush()
                        time.sleep(route.trickle)
                    return
                self.wfile.write(route.body)

            def _plain(self, status, body):
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def serve(self, path: str, body: bytes | str | None = None, *, fixture: str | None = None, **options) -> str:
        if fixture:
            body = (FIXTURES / fixture).read_bytes()
        if isinstance(body, str):
            body = body.encode()
        self.routes[path] = Route(body=body or b"", **options)
        return self.url(path)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
