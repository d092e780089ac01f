"""Downloader middlewares: the replica proxy for demo runs, and retries with backoff.

`ReplicaProxyMiddleware` sends every request (robots.txt included) through `GOVNEWS_PROXY`
when that setting is given: the demo and the tests point it at the replica server, so the site
configs run unchanged and nothing leaves the machine. `BackoffRetryMiddleware` is Scrapy's
retry (5xx, timeouts, broken transfers) with a pause that doubles on each retry.
"""

from __future__ import annotations

import asyncio
from typing import Any

from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import NotConfigured
from scrapy.http import Request
from scrapy.settings import BaseSettings


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


class BackoffRetryMiddleware(RetryMiddleware):
    """Retry like Scrapy, and wait `GOVNEWS_RETRY_BACKOFF * 2**(n-1)` seconds before retry n."""

    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.backoff = settings.getfloat("GOVNEWS_RETRY_BACKOFF", 1.0)

    def _retry(self, request: Request, reason: Any) -> Request | None:
        retry = super()._retry(request, reason)
        if retry is not None and self.backoff > 0:
            attempt = int(retry.meta.get("retry_times", 1))
            retry.meta["retry_wait"] = self.backoff * 2 ** (attempt - 1)
        return retry


class RetryWaitMiddleware:
    """Hold a retried request for its `retry_wait` before it is downloaded again."""

    async def process_request(self, request: Request, spider: Any = None) -> None:
        wait = request.meta.pop("retry_wait", 0.0)
        if wait:
            await asyncio.sleep(wait)
