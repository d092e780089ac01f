"""A hostile HTTP server on 127.0.0.1 for the fault tests, and a site file pointing at it.

`HostileServer` serves one list page linking to pages that misbehave: a PDF sent as text/html,
a gzip bomb, a redirect loop, a 503 with `Retry-After`, a redirect to another port and a link
to another port. It records every request (path and time) so that the tests can assert what
the crawler did and did not ask for. A second socket (`other_port`) only counts its hits.
"""

from __future__ import annotations

import gzip
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ARTICLE = ("<html><head><meta charset='utf-8'><title>济源市召开重点项目推进会</title></head><body>"
           "<h1>济源市召开重点项目推进会</h1><div id='zoom'>"
           + "<p>会议强调，要坚持项目为王，抓好重点项目建设，确保全年目标任务顺利完成。</p>" * 6
           + "</div></body></html>").encode("utf-8")
PDF = (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
       + b"2 0 obj\n<< /Length 3000 >>\nstream\n" + bytes(range(32, 256)) * 30
       + b"\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")
BOMB = gzip.compress(b"\0" * (12 * 1024 * 1024), compresslevel=9)
RETRY_AFTER = 2


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class HostileServer:
    """The hostile site on 127.0.0.1 (use as a context manager)."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, float]] = []
        self.other_hits: list[str] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._other = ThreadingHTTPServer(("127.0.0.1", 0), self._counter())
        self.port = int(self._server.server_address[1])
        self.other_port = int(self._other.server_address[1])
        self._threads = [threading.Thread(target=s.serve_forever, daemon=True)
                         for s in (self._server, self._other)]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def hits(self, path: str) -> list[float]:
        with self._lock:
            return [at for seen, at in self.requests if seen == path]

    def __enter__(self) -> HostileServer:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        for server in (self._server, self._other):
            server.shutdown()
            server.server_close()

    def _list_page(self) -> bytes:
        links = ["/a/pdf.html", "/a/bomb.html", "/a/loop1.html", "/a/retry.html",
                 "/a/port.html", f"http://127.0.0.1:{self.other_port}/a/direct.html",
                 "/a/good.html"]
        items = "".join(f"<li><a href='{link}'>文章{n}</a> 2024-05-0{n + 1}</li>"
                        for n, link in enumerate(links))
        return f"<html><body><ul class='list'>{items}</ul></body></html>".encode()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def send(self, status: int, body: bytes, **headers: str) -> None:
                self.send_response(status)
                headers.setdefault("Content-Type", "text/html; charset=utf-8")
                for name, value in headers.items():
                    self.send_header(name.replace("_", "-"), value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                with server._lock:
                    server.requests.append((self.path, time.monotonic()))
                    retries = sum(1 for seen, _ in server.requests if seen == "/a/retry.html")
                path = self.path
                if path == "/list.html":
                    self.send(200, server._list_page())
                elif path in ("/a/good.html", "/a/retry.html") and (
                        path == "/a/good.html" or retries > 1):
                    self.send(200, ARTICLE)
                elif path == "/a/retry.html":
                    self.send(503, b"busy", Retry_After=str(RETRY_AFTER))
                elif path == "/a/pdf.html":
                    self.send(200, PDF)
                elif path == "/a/bomb.html":
                    self.send(200, BOMB, Content_Encoding="gzip")
                elif path == "/a/loop1.html":
                    self.send(302, b"", Location="/a/loop2.html")
                elif path == "/a/loop2.html":
                    self.send(302, b"", Location="/a/loop1.html")
                elif path == "/a/port.html":
                    self.send(302, b"",
                              Location=f"http://127.0.0.1:{server.other_port}/a/redirected.html")
                else:
                    self.send(404, b"not found")

        return Handler

    def _counter(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Counter(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                with server._lock:
                    server.other_hits.append(self.path)
                self.send_response(200)
                self.send_header("Content-Length", str(len(ARTICLE)))
                self.end_headers()
                self.wfile.write(ARTICLE)

        return Counter


def write_site(seeds: Path, name: str, start_url: str, *, article_xpath: str | None = None,
               content_xpath: str | None = None) -> Path:
    """A site file for a site on 127.0.0.1 (politeness off, one list page)."""
    lines = [f'title = "{name}"', 'allowed_domains = ["127.0.0.1"]',
             f'start_urls = ["{start_url}"]', "", "[links]", "list_url = ['/list\\.html$']",
             "article_url = ['/a/']"]
    if article_xpath:
        lines.append(f'article_xpath = "{article_xpath}"')
    lines += ["", "[extract]"]
    if content_xpath:
        lines.append(f'content_xpath = "{content_xpath}"')
    lines += ["", "[politeness]", "delay = 0.0", "", "[limits]", "max_pages = 1"]
    seeds.mkdir(parents=True, exist_ok=True)
    path = seeds / f"{name}.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
