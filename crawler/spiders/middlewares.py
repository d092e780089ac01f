"""Middlewares of a fetch run: the replica proxy, retries, and the limits a hostile server tests.

Downloader middlewares:
- `ReplicaProxyMiddleware` sends every request (robots.txt included) through `GOVNEWS_PROXY`
  when that setting is given: the demo and the tests point it at the replica server, so the site
  configs run unchanged and nothing leaves the machine.
- `PortMiddleware` refuses a request to a port the site does not name: only the scheme's
  default port, or a port written in the site's `start_urls` or edition URL
  (`www.host.gov.cn:6379` is never requested).
- `BackoffRetryMiddleware` is Scrapy's retry (5xx, timeouts, broken transfers) with a pause
  that doubles on each retry, or the server's `Retry-After` when longer, up to
  `GOVNEWS_RETRY_AFTER_MAX` seconds; `RetryWaitMiddleware` holds the retried request that long.
- `SizeCapCompressionMiddleware` is Scrapy's decompression, with a body that outgrows
  `DOWNLOAD_MAXSIZE` while decompressing (a gzip bomb) failing with one fixed reason.

The spider middleware `CallbackErrorMiddleware` turns an exception in a spider callback into a
failed fetch event (url, reason), so that it becomes a reject instead of vanishing into a log.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Request, Response
from scrapy.settings import BaseSettings

from crawler.spiders.items import FetchEvent

DEFAULT_PORTS = {"http": 80, "https": 443}
RETRY_AFTER_MAX = 300.0
"""Seconds a `Retry-After` is honoured up to (setting `GOVNEWS_RETRY_AFTER_MAX`)."""


class DisallowedPort(Exception):
    """A request to a port the site config does not name."""


class DecompressedTooLarge(Exception):
    """A compressed body that outgrew `DOWNLOAD_MAXSIZE` while being decompressed."""


class ReplicaProxyMiddleware:
    """Route every request through the proxy named by the `GOVNEWS_PROXY` setting."""

    def __init__(self, proxy: str) -> None:
        self.proxy = proxy

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ReplicaProxyMiddleware:
        proxy = crawler.settings.get("GOVNEWS_PROXY")
        if not proxy:
            raise NotConfigured
        return cls(proxy)

    def process_request(self, request: Request, spider: Any = None) -> None:
        request.meta.setdefault("proxy", self.proxy)


def allowed_ports(urls: Iterable[str]) -> set[tuple[str, int]]:
    """(scheme, port) pairs a site may be fetched on: the defaults, and every port its
    configured URLs name explicitly."""
    ports = set(DEFAULT_PORTS.items())
    for url in urls:
        parts = urlsplit(url)
        if parts.port is not None:
            ports.add((parts.scheme, parts.port))
    return ports


class PortMiddleware:
    """Refuse requests to ports the site config does not name (see `allowed_ports`)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self._ports: set[tuple[str, int]] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PortMiddleware:
        return cls(crawler)

    def _allowed(self) -> set[tuple[str, int]]:
        if self._ports is None:
            site = getattr(self.crawler.spider, "site", None)
            urls = list(getattr(site, "start_urls", []))
            epaper = getattr(site, "epaper", None)
            if epaper is not None:
                urls.append(epaper.edition_url)
            self._ports = allowed_ports(urls)
        return self._ports

    def process_request(self, request: Request, spider: Any = None) -> None:
        parts = urlsplit(request.url)
        try:
            port = parts.port or DEFAULT_PORTS.get(parts.scheme)
        except ValueError:
            raise DisallowedPort("bad port in URL") from None
        if port is not None and (parts.scheme, port) not in self._allowed():
            raise DisallowedPort("port not named by the site config")


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """A `Retry-After` header (seconds or an HTTP date) as seconds from now, or None."""
    if value is None:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class BackoffRetryMiddleware(RetryMiddleware):
    """Retry like Scrapy, waiting `GOVNEWS_RETRY_BACKOFF * 2**(n-1)` seconds before retry n,
    or the response's `Retry-After` when that is longer (at most `GOVNEWS_RETRY_AFTER_MAX`)."""

    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.backoff = settings.getfloat("GOVNEWS_RETRY_BACKOFF", 1.0)
        self.retry_after_max = settings.getfloat("GOVNEWS_RETRY_AFTER_MAX", RETRY_AFTER_MAX)

    def process_response(self, request: Request, response: Response,
                         spider: Any = None) -> Request | Response:
        asked = retry_after_seconds(response.headers.get("Retry-After"))
        if asked is not None:
            request.meta["retry_after"] = asked
        try:
            return super().process_response(request, response)
        finally:
            request.meta.pop("retry_after", None)

    def _retry(self, request: Request, reason: Any) -> Request | None:
        retry = super()._retry(request, reason)
        if retry is None:
            return None
        attempt = int(retry.meta.get("retry_times", 1))
        wait = self.backoff * 2 ** (attempt - 1) if self.backoff > 0 else 0.0
        asked = retry.meta.pop("retry_after", None)
        if asked is not None:
            wait = max(wait, min(float(asked), self.retry_after_max))
        if wait > 0:
            retry.meta["retry_wait"] = wait
        return retry


class RetryWaitMiddleware:
    """Hold a retried request for its `retry_wait` before it is downloaded again."""

    async def process_request(self, request: Request, spider: Any = None) -> None:
        wait = request.meta.pop("retry_wait", 0.0)
        if wait:
            await asyncio.sleep(wait)


class SizeCapCompressionMiddleware(HttpCompressionMiddleware):
    """Scrapy's decompression; a body outgrowing `DOWNLOAD_MAXSIZE` while it is decompressed
    fails the request with one fixed reason (Scrapy's own message names the URL and sizes)."""

    def process_response(self, request: Request, response: Response,
                         spider: Any = None) -> Request | Response:
        try:
            return super().process_response(request, response)
        except IgnoreRequest as error:
            if "DOWNLOAD_MAXSIZE" not in str(error):
                raise
            raise DecompressedTooLarge("body over DOWNLOAD_MAXSIZE when decompressed") from None


class CallbackErrorMiddleware:
    """An exception in a spider callback becomes a failed fetch event for the page."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CallbackErrorMiddleware:
        return cls(crawler)

    def process_spider_exception(self, response: Response, exception: Exception,
                                 spider: Any = None) -> list[FetchEvent]:
        spider = spider or self.crawler.spider
        first_line = (str(exception).strip().splitlines() or [""])[0]
        reason = f"spider error: {type(exception).__name__}: {first_line}".rstrip(": ")
        url = response.meta.get("redirected_from") or response.url
        kind = str(response.meta.get("kind", "page"))
        return [FetchEvent(str(spider.name), url, kind, "failed", reason, response.status)]
