"""Scrapy settings of a fetch run: polite defaults, plus each site's politeness and limits.

`crawl_settings(site, …)` gives the settings of one site's crawler: robots.txt obeyed,
AutoThrottle on, the site's delay and per-domain concurrency, retries with backoff on 5xx and
timeouts (honouring `Retry-After` up to a cap), a download size cap (decompressed bodies
included) and timeout, no port the site does not name, redirects handled by the spiders (so none
leaves `allowed_domains`), callback errors recorded as failures, and the raw-capture pipeline.
Tests and the benchmark pass `overrides` (for example no delay and a short timeout).
"""

from __future__ import annotations

from typing import Any

from crawler.sites import Site
from crawler.spiders.base import MAX_REDIRECTS

USER_AGENT = "govnews/0.1 (regional government news archive; polite crawler; obeys robots.txt)"

BASE_SETTINGS: dict[str, Any] = {
    "BOT_NAME": "govnews",
    "USER_AGENT": USER_AGENT,
    "ROBOTSTXT_OBEY": True,
    "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
    "AUTOTHROTTLE_ENABLED": True,
    "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
    "AUTOTHROTTLE_MAX_DELAY": 30.0,
    "CONCURRENT_REQUESTS": 16,
    # Outputs of one response handled at once. Scrapy starts this many tasks per response; our
    # callbacks yield a list page's links or one item, and the pipeline is synchronous, so the
    # default of 100 was pure overhead (about 15% of a loopback fetch's CPU).
    "CONCURRENT_ITEMS": 16,
    "RETRY_ENABLED": True,
    "RETRY_TIMES": 2,
    "RETRY_HTTP_CODES": [500, 502, 503, 504, 522, 524, 408, 429],
    "GOVNEWS_RETRY_BACKOFF": 2.0,
    "DOWNLOAD_TIMEOUT": 30,
    "DOWNLOAD_MAXSIZE": 8 * 1024 * 1024,
    "DOWNLOAD_WARNSIZE": 2 * 1024 * 1024,
    "DOWNLOAD_FAIL_ON_DATALOSS": True,
    "REDIRECT_ENABLED": True,
    "METAREFRESH_ENABLED": False,
    "COOKIES_ENABLED": False,
    "TELNETCONSOLE_ENABLED": False,
    "HTTPCACHE_ENABLED": False,
    "LOG_LEVEL": "WARNING",
    "GOVNEWS_RETRY_AFTER_MAX": 300.0,
    "DOWNLOADER_MIDDLEWARES": {
        "crawler.spiders.middlewares.PortMiddleware": 60,
        "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
        "crawler.spiders.middlewares.BackoffRetryMiddleware": 550,
        "crawler.spiders.middlewares.RetryWaitMiddleware": 560,
        "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
        "crawler.spiders.middlewares.SizeCapCompressionMiddleware": 590,
        "crawler.spiders.middlewares.ReplicaProxyMiddleware": 740,
    },
    "SPIDER_MIDDLEWARES": {"crawler.spiders.middlewares.CallbackErrorMiddleware": 1000},
    "ITEM_PIPELINES": {"crawler.spiders.pipelines.RawCapturePipeline": 300},
}

# Politeness off, short timeout, fast retries: for the replica on loopback (tests, benchmark).
LOOPBACK_OVERRIDES: dict[str, Any] = {
    "DOWNLOAD_DELAY": 0.0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    "GOVNEWS_RETRY_BACKOFF": 0.1,
    "GOVNEWS_RETRY_AFTER_MAX": 5.0,
    "DOWNLOAD_TIMEOUT": 2.0,
}


def crawl_settings(site: Site, *, out: str, run_id: str, proxy: str | None = None,
                   overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """The Scrapy settings of one site's crawler in a fetch run."""
    settings = dict(BASE_SETTINGS)
    settings.update({
        "DOWNLOAD_DELAY": site.politeness.delay,
        "RANDOMIZE_DOWNLOAD_DELAY": True,
        "AUTOTHROTTLE_START_DELAY": max(site.politeness.delay, 0.5),
        "CONCURRENT_REQUESTS_PER_DOMAIN": site.politeness.concurrency,
        # Redirects are followed by the spiders as new requests: their hops must not use up
        # the link depth a site allows.
        "DEPTH_LIMIT": site.limits.max_depth + MAX_REDIRECTS,
        "GOVNEWS_OUT": out,
        "GOVNEWS_RUN_ID": run_id,
        "GOVNEWS_PROXY": proxy,
    })
    settings.update(overrides or {})
    return settings
