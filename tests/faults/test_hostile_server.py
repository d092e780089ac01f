"""What a crawl survives from a hostile server on 127.0.0.1 (one fetch process, three sites).

Each misbehaving page ends as a reject with a fixed reason (so counts group), never as an
article, a traceback or a silent skip; no request leaves the ports the site config names.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest

from crawler.fetch import FetchOptions, fetch_events, run_fetch_subprocess
from crawler.sites import load_sites
from crawler.spiders.middlewares import (
    RETRY_AFTER_MAX,
    BackoffRetryMiddleware,
    retry_after_seconds,
)
from flows.crawl import Harvest, extract_site
from tests.faults.hostile import RETRY_AFTER, HostileServer, free_port, write_site


@dataclass
class Crawl:
    server: HostileServer
    harvests: dict[str, Harvest]
    events: dict[str, list[dict[str, Any]]]

    def rejects(self, site: str, path: str) -> list[dict[str, Any]]:
        return [r for r in self.harvests[site].rejects if r["url"].endswith(path)]


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawl]:
    root = tmp_path_factory.mktemp("hostile")
    seeds = root / "seeds"
    with HostileServer() as server:
        write_site(seeds, "hostile", f"{server.base}/list.html", content_xpath="//div[@id='zoom']")
        write_site(seeds, "hostile_xpath", f"{server.base}/list.html", article_xpath="count(//ul)")
        write_site(seeds, "unreachable", f"http://127.0.0.1:{free_port()}/list.html")
        sites = load_sites(seeds)
        summaries = run_fetch_subprocess(
            list(sites), FetchOptions(out=str(root / "out"), run_id="run-1", loopback=True),
            seeds=seeds)
        harvests = {name: extract_site.fn(site, summaries[name]) for name, site in sites.items()}
        events = {name: fetch_events(summaries[name]) for name in sites}
        yield Crawl(server, harvests, events)


def test_the_good_article_is_stored(crawl: Crawl) -> None:
    urls = [record["url"] for record in crawl.harvests["hostile"].records]
    assert any(url.endswith("/a/good.html") for url in urls)


def test_pdf_served_as_html_is_an_extract_reject_not_an_article(crawl: Crawl) -> None:
    assert not [r for r in crawl.harvests["hostile"].records if r["url"].endswith("/pdf.html")]
    (reject,) = crawl.rejects("hostile", "/a/pdf.html")
    assert (reject["stage"], reject["reason"]) == ("extract", "not an HTML page (binary data)")


def test_gzip_bomb_is_a_reject_with_a_fixed_reason(crawl: Crawl) -> None:
    (reject,) = crawl.rejects("hostile", "/a/bomb.html")
    assert reject["stage"] == "fetch"
    assert reject["reason"] == "DecompressedTooLarge: body over DOWNLOAD_MAXSIZE when decompressed"


def test_redirect_loop_is_a_reject_with_a_fixed_reason(crawl: Crawl) -> None:
    (reject,) = crawl.rejects("hostile", "/a/loop1.html")
    assert (reject["stage"], reject["reason"]) == ("fetch", "redirect loop")
    assert len(crawl.server.hits("/a/loop1.html")) == 1


def test_retry_after_is_honoured(crawl: Crawl) -> None:
    first, second = crawl.server.hits("/a/retry.html")
    assert second - first >= RETRY_AFTER - 0.05
    assert any(r["url"].endswith("/a/retry.html") for r in crawl.harvests["hostile"].records)


def test_no_request_goes_to_a_port_the_config_does_not_name(crawl: Crawl) -> None:
    assert crawl.server.other_hits == []
    for path in ("/a/port.html", "/a/direct.html"):
        (reject,) = crawl.rejects("hostile", path)
        assert reject["reason"] == "DisallowedPort: port not named by the site config"


def test_an_exception_in_a_spider_callback_is_a_reject(crawl: Crawl) -> None:
    (reject,) = crawl.harvests["hostile_xpath"].rejects
    assert reject["url"].endswith("/list.html") and reject["stage"] == "fetch"
    assert reject["reason"].startswith("spider error: TypeError:")
    assert "\n" not in reject["reason"]


def test_a_site_that_cannot_be_reached_failed_as_a_whole(crawl: Crawl) -> None:
    harvest = crawl.harvests["unreachable"]
    assert harvest.failure is not None and harvest.failure.startswith("no page could be fetched")
    assert crawl.harvests["hostile"].failure is None


def test_every_reject_reason_is_one_line_without_the_url(crawl: Crawl) -> None:
    for harvest in crawl.harvests.values():
        for reject in harvest.rejects:
            assert "\n" not in reject["reason"] and "127.0.0.1" not in reject["reason"]


@pytest.mark.parametrize(("header", "wait"), [("120", 120.0), ("3600", RETRY_AFTER_MAX),
                                              (None, 2.0), ("soon", 2.0)])
def test_retry_after_is_honoured_up_to_the_cap(header: str | None, wait: float) -> None:
    from scrapy import Spider
    from scrapy.http import Request, Response
    from scrapy.utils.test import get_crawler

    crawler = get_crawler(settings_dict={"GOVNEWS_RETRY_BACKOFF": 2.0})
    crawler.spider = Spider.from_crawler(crawler, name="jynews")
    middleware = BackoffRetryMiddleware.from_crawler(crawler)
    request = Request("http://www.jynews.cn/a.html")
    headers = {"Retry-After": header} if header else {}
    retry = middleware.process_response(request, Response(request.url, status=503,
                                                          headers=headers))
    assert isinstance(retry, Request) and retry.meta["retry_wait"] == wait
    assert "retry_after" not in retry.meta and "retry_after" not in request.meta


def test_retry_after_as_an_http_date() -> None:
    now = datetime(2024, 5, 1, 8, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("Wed, 01 May 2024 08:01:30 GMT", now) == 90.0
    assert retry_after_seconds("Wed, 01 May 2024 07:00:00 GMT", now) == 0.0
