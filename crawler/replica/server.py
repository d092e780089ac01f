"""The replica server: one threaded HTTP server on 127.0.0.1 serving every replica site.

The sites are the folders of a seeds directory that hold a `replica/` (see `site.py`).

It answers by host name, either as an HTTP forward proxy (`GET http://www.jynews.cn/… HTTP/1.1`,
which is how the crawler reaches it: the site configs run unchanged and records keep the real
URLs; an `https://` site is reached through `CONNECT` and a TLS tunnel with a self-signed
certificate made at start-up) or as a plain server with a `Host` header. Every request it
receives is recorded, so tests can assert what a crawl asked for and what it never asked for.

Each site serves list pages with pagination (the e-paper: dated editions of layout pages), its
articles in its own template and encoding, a `robots.txt` disallowing a preview folder that a
list page links to, and these faults, all linked from the first list page:

- `missing`: an article link that answers 404;
- `flaky`: a real article that answers 500 once, then the page;
- `slow`: an article that answers only after `slow_seconds` (longer than the crawl timeout);
- `chain`: a legacy article URL that redirects twice (301, 302) to a real article;
- `foreign`: an article URL that redirects to a host outside the site;
- `wrong_charset`: a real article whose Content-Type header names the wrong charset;
- `pdf`, `doc`: attachment links;
- `tracking`: a second link to an article carrying utm_* tracking parameters;
- `truncated`: an article whose Content-Length promises more bytes than are sent;
- `challenge`: an article link answered by an anti-bot challenge page (200, a script that sets
  a cookie and reloads, nothing else).

Plain article pages carry an `ETag` (of their bytes) and a `Last-Modified` (their publication
time) and answer a conditional request (`If-None-Match`, else `If-Modified-Since`) with 304
when they are unchanged; the fault pages give no validators. The replica serves edition 1 of
its content; `edition = 2` switches to the second edition of each site's `content.toml`
(`[second_edition]`): corrected articles end with a correction paragraph and are modified a
day after publication, withdrawn ones answer 404 or 410.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import socket
import ssl
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import format_datetime, parsedate_to_datetime
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from crawler.replica.content import ReplicaArticle, Story, build_corpus
from crawler.replica.site import ReplicaSite, load_replicas
from crawler.replica.templates import (
    Link,
    article_link,
    article_path,
    article_path_for,
    content_type,
    list_path,
    render_article,
    render_edition,
    render_list,
)
from crawler.replica.tls import server_context
from crawler.sites import SEEDS_DIR

PER_PAGE = 10
MIN_PER_SITE = 5
MAX_PER_SITE = 9000
FOREIGN_HOST = "www.example.com"
TRACKING_QUERY = "utm_source=wechat&utm_medium=social&utm_campaign=share"
PDF_BODY = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
DOC_BODY = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 56
NOT_FOUND = (
    "<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1>"
    "<p>您访问的页面不存在或已被删除。</p></body></html>"
).encode()
SERVER_ERROR = b"<html><body><h1>500 Internal Server Error</h1></body></html>"
GONE = (
    "<html><head><title>410 Gone</title></head><body><h1>410 Gone</h1>"
    "<p>该信息已撤回。</p></body></html>"
).encode()
CHINA_TIME = timezone(timedelta(hours=8))
CONDITIONAL_HEADERS = ("If-None-Match", "If-Modified-Since")
CHALLENGE_BODY = (
    b'<html><head><meta charset="utf-8"></head><body><script>'
    b'document.cookie="replica_check=5f1d2c; path=/";'
    b"setTimeout(function(){location.reload();},300);</script></body></html>"
)


@dataclass(frozen=True)
class RecordedRequest:
    """One request the replica received."""

    method: str
    host: str
    path: str
    at: float
    scheme: str = "http"
    conditions: tuple[tuple[str, str], ...] = ()
    """The conditional headers the request sent (`If-None-Match`, `If-Modified-Since`)."""

    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.host}{self.path}"


@dataclass(frozen=True)
class Route:
    """What a path serves: `kind` says how, `article` the page for article kinds."""

    kind: str
    article: ReplicaArticle | None = None
    target: str | None = None
    page: int = 0
    edition: date | None = None


@dataclass
class SiteMap:
    """One replica site: its routes, its articles by URL and the URLs of its faults."""

    replica: ReplicaSite
    routes: dict[str, Route] = field(default_factory=dict)
    articles: dict[str, ReplicaArticle] = field(default_factory=dict)
    faults: dict[str, str] = field(default_factory=dict)
    list_urls: list[str] = field(default_factory=list)
    links: dict[str, list[Link]] = field(default_factory=dict)
    ordered: list[ReplicaArticle] = field(default_factory=list)
    position: dict[int, int] = field(default_factory=dict)

    @property
    def site(self) -> str:
        return self.replica.name

    @property
    def host(self) -> str:
        return self.replica.host

    @property
    def scheme(self) -> str:
        return self.replica.serving.scheme

    def url(self, path: str) -> str:
        return f"{self.scheme}://{self.host}{path}"

    @property
    def disallowed(self) -> str:
        """The robots.txt-disallowed URL a list page links to."""
        return self.url(self.replica.serving.preview_path)


def _fault_links(site_map: SiteMap, day: date) -> list[Link]:
    """The fault entries of the first list page, and their routes."""
    site = site_map.replica
    base = site.serving.article_dir
    missing = article_path_for(site, 9404, day)
    slow = article_path_for(site, 9408, day)
    truncated = article_path_for(site, 9409, day)
    foreign = article_path_for(site, 9302, day)
    challenge = article_path_for(site, 9412, day)
    legacy = article_path_for(site, 9301, day)
    pdf = f"{base}attach/{day:%Y%m%d}_notice.pdf"
    doc = f"{base}attach/{day:%Y%m%d}_form.doc"
    preview = site.serving.preview_path
    routes = {
        missing: Route("missing"), slow: Route("slow"), truncated: Route("truncated"),
        challenge: Route("challenge"),
        foreign: Route("redirect", target=f"http://{FOREIGN_HOST}/news/9302.html"),
        pdf: Route("pdf"), doc: Route("doc"),
    }
    site_map.routes.update(routes)
    for kind, path in (("missing", missing), ("slow", slow), ("truncated", truncated),
                       ("foreign", foreign), ("pdf", pdf), ("doc", doc), ("chain", legacy),
                       ("disallowed", preview), ("challenge", challenge)):
        site_map.faults[kind] = site_map.url(path)
    label = f"{day:%Y-%m-%d}"
    return [
        Link(missing, "关于开展政务公开日活动的通知", label),
        Link(slow, "一季度重点工作进展情况通报", label),
        Link(truncated, "关于进一步做好就业服务工作的通知", label),
        Link(foreign, "省政府新闻发布会实录", label),
        Link(challenge, "关于做好安全生产检查工作的通知", label),
        Link(pdf, "关于公布第一批重点项目名单的通知（PDF）", label),
        Link(doc, "项目申报表（DOC）", label),
        Link(preview, "【预览】待发布稿件", label),
    ]


def _special_articles(site_map: SiteMap, articles: tuple[ReplicaArticle, ...]) -> list[Link]:
    """Give the first four non-seed articles their faults; return extra list links."""
    plain = [article for article in articles if article.seed is None][:4]
    tracked, flaky, chained, mislabelled = plain
    site = site_map.replica
    host_path = article_path(site, tracked)
    site_map.faults["tracking"] = site_map.url(f"{host_path}?{TRACKING_QUERY}")
    site_map.faults["tracking_canonical"] = site_map.url(host_path)
    flaky_path = article_path(site, flaky)
    site_map.routes[flaky_path] = Route("flaky", flaky)
    site_map.faults["flaky"] = site_map.url(flaky_path)
    wrong_path = article_path(site, mislabelled)
    site_map.routes[wrong_path] = Route("wrong_charset", mislabelled)
    site_map.faults["wrong_charset"] = site_map.url(wrong_path)
    final = article_path(site, chained)
    legacy = urlsplit(site_map.faults["chain"]).path
    middle = f"{site.serving.article_dir}redirect/{chained.number}"
    site_map.routes[legacy] = Route("moved", target=middle)
    site_map.routes[middle] = Route("redirect", target=final)
    site_map.faults["chain_target"] = site_map.url(final)
    return [Link(f"{host_path}?{TRACKING_QUERY}", tracked.title,
                 f"{tracked.published_at:%Y-%m-%d}")]


def build_site_map(site: ReplicaSite, articles: tuple[ReplicaArticle, ...]) -> SiteMap:
    """Routes, expected articles and fault URLs of one replica site."""
    site_map = SiteMap(site)
    for article in articles:
        path = article_path(site, article)
        site_map.routes[path] = Route("article", article)
        site_map.articles[site_map.url(path)] = article
        site_map.position[id(article)] = len(site_map.ordered)
        site_map.ordered.append(article)
    newest = articles[0].published_at.date()
    faults = _fault_links(site_map, newest)
    extra = _special_articles(site_map, articles)
    chained_url = site_map.faults["chain_target"]
    chain_link = Link(urlsplit(site_map.faults["chain"]).path,
                      site_map.articles[chained_url].title,
                      f"{site_map.articles[chained_url].published_at:%Y-%m-%d}")
    site_map.routes["/robots.txt"] = Route("robots")
    if site.layout == "epaper":
        _edition_routes(site_map, articles, chained_url, chain_link, [*faults, *extra])
    else:
        _list_routes(site_map, articles, chained_url, chain_link, [*faults, *extra])
    return site_map


def _entry(site_map: SiteMap, article: ReplicaArticle, chained_url: str,
           chain_link: Link) -> Link:
    link = article_link(site_map.replica, article)
    return chain_link if site_map.url(link.href) == chained_url else link


def _list_routes(site_map: SiteMap, articles: tuple[ReplicaArticle, ...], chained_url: str,
                 chain_link: Link, extra: list[Link]) -> None:
    site = site_map.replica
    entries = [_entry(site_map, article, chained_url, chain_link) for article in articles]
    per_page = site.serving.lists.per_page if site.serving.lists else PER_PAGE
    pages = max(1, -(-len(entries) // per_page))
    for page in range(1, pages + 1):
        links = entries[(page - 1) * per_page: page * per_page]
        if page == 1:
            links = [*links, *extra]
        path = list_path(site, page)
        site_map.routes[path] = Route("list", page=page)
        site_map.links[path] = links
        site_map.list_urls.append(site_map.url(path))
    home = site.serving.home or list_path(site, 1).rsplit("/", 1)[0] + "/"
    site_map.routes.setdefault(home, Route("moved", target=list_path(site, 1)))


def _edition_routes(site_map: SiteMap, articles: tuple[ReplicaArticle, ...], chained_url: str,
                    chain_link: Link, extra: list[Link]) -> None:
    site = site_map.replica
    nodes = len(site.nodes)
    by_day: dict[date, list[ReplicaArticle]] = {}
    for article in articles:
        by_day.setdefault(article.published_at.date(), []).append(article)
    days = sorted(by_day, reverse=True)
    for position, day in enumerate(days):
        day_articles = by_day[day]
        share = -(-len(day_articles) // nodes)
        for index in range(1, nodes + 1):
            chunk = day_articles[(index - 1) * share: index * share]
            links = [_entry(site_map, article, chained_url, chain_link) for article in chunk]
            if position == 0 and index == 1:
                links = [*links, *extra]
            path = list_path(site, index, day)
            older = list_path(site, 1, days[position + 1]) if position + 1 < len(days) else None
            newer = list_path(site, 1, days[position - 1]) if position else None
            site_map.routes[path] = Route("edition", page=index, edition=day,
                                          target="|".join([older or "", newer or ""]))
            site_map.links[path] = links
            site_map.list_urls.append(site_map.url(path))
    site_map.routes[site.serving.home or "/"] = Route("moved", target=list_path(site, 1, days[0]))


@dataclass
class Reply:
    """A response to send."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes
    delay: float = 0.0
    truncate: bool = False


class Replica:
    """All replica sites: routing by host and path, fault state, and the request record."""

    def __init__(self, *, per_site: int = 24, slow_seconds: float = 5.0,
                 seeds: Path | str = SEEDS_DIR) -> None:
        if not MIN_PER_SITE <= per_site <= MAX_PER_SITE:
            raise ValueError(f"per_site must be {MIN_PER_SITE}-{MAX_PER_SITE}, got {per_site}")
        self.slow_seconds = slow_seconds
        self.sites: dict[str, SiteMap] = {
            name: build_site_map(site, build_corpus(site, per_site))
            for name, site in load_replicas(seeds).items()
        }
        self.by_host = {site_map.host: site_map for site_map in self.sites.values()}
        self.requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._failed_once: set[str] = set()
        self._render = lru_cache(maxsize=256)(self._render_page)
        self.edition = 1
        """Which edition of the content is served (2: the `[second_edition]` changes)."""

    @property
    def hosts(self) -> set[str]:
        return set(self.by_host)

    def record(self, method: str, host: str, path: str, scheme: str = "http",
               conditions: tuple[tuple[str, str], ...] = ()) -> None:
        with self._lock:
            self.requests.append(RecordedRequest(method, host, path, time.time(), scheme,
                                                 conditions))

    def reply(self, host: str, target: str,
              conditions: Mapping[str, str] | None = None) -> Reply:
        """The response for a host and a path (with query); `conditions` are the request's
        conditional headers."""
        site_map = self.by_host.get(host)
        if site_map is None:
            body = f"replica: unknown host {host}".encode()
            return Reply(502, [("Content-Type", "text/plain; charset=utf-8")], body)
        path = urlsplit(target).path or "/"
        route = site_map.routes.get(path)
        site = site_map.replica
        if route is None:
            return Reply(404, [("Content-Type", content_type(site))], NOT_FOUND)
        html = [("Content-Type", content_type(site))]
        if route.kind == "robots":
            preview = site.serving.preview_path
            robots = (f"User-agent: *\nDisallow: {preview.rsplit('/', 1)[0]}/\n"
                      "Disallow: /admin/\n")
            return Reply(200, [("Content-Type", "text/plain")], robots.encode())
        if route.kind in ("moved", "redirect"):
            status = 301 if route.kind == "moved" else 302
            return Reply(status, [("Location", route.target or "/"), *html], b"")
        if route.kind == "missing":
            return Reply(404, html, NOT_FOUND)
        if route.kind == "challenge":
            return Reply(200, html, CHALLENGE_BODY)
        if route.kind == "pdf":
            return Reply(200, [("Content-Type", "application/pdf")], PDF_BODY)
        if route.kind == "doc":
            return Reply(200, [("Content-Type", "application/msword")], DOC_BODY)
        if route.kind in ("slow", "truncated"):
            stand_in = next(iter(site_map.articles.values()))
            body = self._render(site_map.site, article_path(site, stand_in))
            if route.kind == "slow":
                return Reply(200, html, body, delay=self.slow_seconds)
            return Reply(200, html, body[: len(body) // 2], truncate=True)
        if route.kind == "flaky":
            with self._lock:
                first = path not in self._failed_once
                self._failed_once.add(path)
            if first:
                return Reply(500, html, SERVER_ERROR)
        if route.kind == "wrong_charset":
            html = [("Content-Type", content_type(site, lie=True))]
        if route.kind != "article" or route.article is None:
            return Reply(200, html, self._render(site_map.site, path, self.edition))
        return self._article_reply(site_map, path, route.article, html, conditions or {})

    def _article_reply(self, site_map: SiteMap, path: str, article: ReplicaArticle,
                       html: list[tuple[str, str]], conditions: Mapping[str, str]) -> Reply:
        """A plain article page with its validators, 304 when the request's are current, and
        what the second edition changes."""
        changes = site_map.replica.content.second_edition
        second = self.edition >= 2
        if second and article.number in changes.withdrawn:
            return Reply(changes.withdrawn_status, html,
                         GONE if changes.withdrawn_status == 410 else NOT_FOUND)
        body = self._render(site_map.site, path, self.edition)
        modified = article.published_at.replace(tzinfo=CHINA_TIME)
        if second and article.number in changes.corrected:
            modified += timedelta(days=1)
        etag = f'"{hashlib.sha256(body).hexdigest()[:20]}"'
        validators = [("ETag", etag), ("Last-Modified", format_datetime(
            modified.astimezone(UTC), usegmt=True))]
        if _not_modified(conditions, etag, modified):
            return Reply(304, validators, b"")
        return Reply(200, [*html, *validators], body)

    def _render_page(self, name: str, path: str, edition: int = 1) -> bytes:
        site_map = self.sites[name]
        site = site_map.replica
        route = site_map.routes[path]
        if route.kind == "list":
            pages = sum(1 for item in site_map.routes.values() if item.kind == "list")
            return render_list(site, site_map.links[path], page=route.page, pages=pages)
        if route.kind == "edition" and route.edition is not None:
            older, _, newer = (route.target or "|").partition("|")
            return render_edition(site, route.edition, route.page, site_map.links[path],
                                  older or None, newer or None)
        article = route.article
        if article is None:
            raise KeyError(path)
        related, previous, following = self._neighbours(site_map, article)
        changes = site.content.second_edition
        if edition >= 2 and article.number in changes.corrected:
            first = article.stories[0]
            corrected = Story(first.title, (*first.lines, changes.correction), first.kicker)
            article = dataclasses.replace(article, stories=(corrected, *article.stories[1:]))
        return render_article(site, article, related=related, previous=previous,
                              following=following)

    def _neighbours(self, site_map: SiteMap, article: ReplicaArticle
                    ) -> tuple[list[Link], Link | None, Link | None]:
        """Related links and the previous/next articles of a page, by publication order."""
        ordered = site_map.ordered
        index = site_map.position[id(article)]
        site = site_map.replica
        previous = article_link(site, ordered[index + 1]) if index + 1 < len(ordered) else None
        following = article_link(site, ordered[index - 1]) if index else None
        related = [article_link(site, item) for item in ordered[max(0, index - 3): index + 4]
                   if item is not article][:5]
        if article.related:
            related = []
        return related, previous, following


def _not_modified(conditions: Mapping[str, str], etag: str, modified: datetime) -> bool:
    """Whether a conditional request's validators are current (RFC 9110: `If-None-Match`
    decides when present, weak comparison; else `If-Modified-Since`, to the second)."""
    wanted = {name.lower(): value for name, value in conditions.items()}
    if "if-none-match" in wanted:
        tags = [tag.strip().removeprefix("W/") for tag in wanted["if-none-match"].split(",")]
        return "*" in tags or etag in tags
    if "if-modified-since" in wanted:
        try:
            since = parsedate_to_datetime(wanted["if-modified-since"])
        except (TypeError, ValueError):
            return False
        return since.tzinfo is not None and modified.replace(microsecond=0) <= since
    return False


class _Handler(BaseHTTPRequestHandler):
    """Serves one request from the replica, as proxy (absolute URL) or by Host header."""

    protocol_version = "HTTP/1.1"
    server: _ReplicaHTTPServer
    scheme = "http"

    def log_message(self, format: str, *args: object) -> None:
        if self.server.verbose:
            super().log_message(format, *args)

    def _target(self) -> tuple[str, str]:
        if self.path.startswith(("http://", "https://")):
            parts = urlsplit(self.path)
            target = parts.path or "/"
            if parts.query:
                target += "?" + parts.query
            return (parts.hostname or "").lower(), target
        host = (self.headers.get("Host") or "").split(":")[0].lower()
        return host, self.path

    def handle(self) -> None:
        """Serve the connection; a client hanging up (timeouts, cancelled downloads) is normal."""
        with contextlib.suppress(ConnectionError, TimeoutError):
            super().handle()

    def do_GET(self) -> None:
        self._serve(head=False)

    def do_CONNECT(self) -> None:
        """Open a TLS tunnel (`CONNECT host:443`) and serve the requests sent inside it."""
        self.send_response(200, "Connection established")
        self.end_headers()
        self.wfile.flush()
        self.close_connection = True
        try:
            tunnel = server_context().wrap_socket(self.connection, server_side=True)
        except (OSError, ssl.SSLError):
            return
        with contextlib.suppress(OSError, ssl.SSLError):
            _TunnelHandler(tunnel, self.client_address, self.server)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def _serve(self, *, head: bool) -> None:
        host, target = self._target()
        replica = self.server.replica
        conditions = tuple((name, self.headers[name]) for name in CONDITIONAL_HEADERS
                           if self.headers.get(name))
        replica.record(self.command, host, target, self.scheme, conditions)
        reply = replica.reply(host, target, dict(conditions))
        if reply.delay:
            time.sleep(reply.delay)
        try:
            self.send_response(reply.status)
            for name, value in reply.headers:
                self.send_header(name, value)
            length = len(reply.body) * 2 if reply.truncate else len(reply.body)
            self.send_header("Content-Length", str(length))
            self.send_header("Server", "replica")
            if reply.truncate:
                self.send_header("Connection", "close")
            self.end_headers()
            if not head:
                self.wfile.write(reply.body)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
            return
        if reply.truncate:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)


class _TunnelHandler(_Handler):
    """The requests inside a `CONNECT` tunnel: plain requests with a `Host` header, over TLS."""

    scheme = "https"


class _ReplicaHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(self, address: tuple[str, int], replica: Replica, verbose: bool) -> None:
        super().__init__(address, _Handler)
        self.replica = replica
        self.verbose = verbose


class ReplicaServer:
    """The replica on 127.0.0.1 in a background thread (port 0 picks a free port).

    Use as a context manager; `proxy` is the URL to give the crawler."""

    def __init__(self, port: int = 0, *, per_site: int = 24, slow_seconds: float = 5.0,
                 verbose: bool = False, seeds: Path | str = SEEDS_DIR) -> None:
        self.replica = Replica(per_site=per_site, slow_seconds=slow_seconds, seeds=seeds)
        self._server = _ReplicaHTTPServer(("127.0.0.1", port), self.replica, verbose)
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def proxy(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def sites(self) -> dict[str, SiteMap]:
        return self.replica.sites

    @property
    def requests(self) -> list[RecordedRequest]:
        return list(self.replica.requests)

    def start(self) -> ReplicaServer:
        self._thread = threading.Thread(target=self._server.serve_forever, name="replica",
                                        daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._server.serve_forever()

    def stop(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> ReplicaServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
