"""End to end over HTTP: every replica site crawled by the real spiders in a subprocess.

One module fixture runs two fetches of every site folder with a replica against one replica
server (the https sites through CONNECT tunnels): the first
from scratch, the second with a storage index holding what the first extracted. The tests
read the server's request record, the fetch logs, the WARC raw capture and the records.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import orjson
import pytest

from crawler.article import Article, Reject
from crawler.fetch import FetchOptions, run_fetch_subprocess
from crawler.process import ExtractionPool, extract_warc
from crawler.replica.server import FOREIGN_HOST, RecordedRequest, ReplicaServer
from crawler.replica.site import load_replicas
from crawler.sites import SEEDS_DIR, load_sites
from storage.index import Index
from storage.warc import iter_warc

pytestmark = pytest.mark.slow

REPLICAS = load_replicas(SEEDS_DIR)
SITES = sorted(REPLICAS)
NEWS = [name for name in SITES if REPLICAS[name].layout == "news"]

BOILERPLATE = ("返回顶部", "上一篇", "下一篇", "当前位置", "分享到", "ICP备", "版权所有",
               "打印本页", "关闭窗口", "相关新闻", "2025-06-26")


@dataclass
class Crawl:
    """One fetch run: its summaries, the requests the replica saw, and what it stored."""

    summaries: dict[str, Any]
    requests: list[RecordedRequest]
    out: Path

    def events(self, site: str) -> list[dict[str, Any]]:
        log = Path(self.summaries[site]["log"])
        return [orjson.loads(line) for line in log.read_bytes().splitlines()]

    def requested(self, site_host: str) -> Counter[str]:
        return Counter(request.url for request in self.requests if request.host == site_host)

    def warc_urls(self, site: str) -> list[str]:
        warc = self.summaries[site]["warc"]
        return [response.url for response in iter_warc(warc)] if warc else []


@dataclass
class Runs:
    server: ReplicaServer
    first: Crawl
    second: Crawl
    records: dict[str, list[Article]]
    rejects: dict[str, list[Reject]]
    stored: set[str]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runs]:
    root = tmp_path_factory.mktemp("crawl")
    sites = load_sites()
    index_path = str(root / "index.sqlite")
    # The timeout leaves room for the CONNECT and TLS handshake of the https sites on a busy
    # machine; the slow fault answers well after it.
    with ReplicaServer(slow_seconds=6.0) as server:
        options = FetchOptions(out=str(root / "first"), run_id="run1", proxy=server.proxy,
                               loopback=True, timeout=3.0)
        summaries = run_fetch_subprocess(SITES, options, wall_timeout=120)
        first = Crawl(summaries, server.requests, root / "first")
        records: dict[str, list[Article]] = {}
        rejects: dict[str, list[Reject]] = {}
        with Index(index_path) as index, ExtractionPool(2) as pool:
            for name in SITES:
                outcomes = list(extract_warc(summaries[name]["warc"], sites[name], pool=pool))
                records[name] = [item for item in outcomes if isinstance(item, Article)]
                rejects[name] = [item for item in outcomes if isinstance(item, Reject)]
                for article in records[name]:
                    index.admit(article.url, name, article.to_record()["content_sha256"],
                                part=article.part, run_id="run1")
            stored = {url for name in SITES for url in index.stored_urls(name)}
        seen = len(server.requests)
        options = FetchOptions(out=str(root / "second"), run_id="run2", proxy=server.proxy,
                               loopback=True, timeout=3.0, index=index_path)
        summaries = run_fetch_subprocess(SITES, options, wall_timeout=120)
        second = Crawl(summaries, server.requests[seen:], root / "second")
        yield Runs(server, first, second, records, rejects, stored)


@pytest.mark.parametrize("site", SITES)
def test_every_listed_article_is_fetched_once(runs: Runs, site: str) -> None:
    site_map = runs.server.sites[site]
    fetched = runs.first.warc_urls(site)
    assert sorted(fetched) == sorted(site_map.articles)
    requested = runs.first.requested(site_map.host)
    for url in site_map.articles:
        expected = 2 if url == site_map.faults["flaky"] else 1
        assert requested[url] == expected, url


@pytest.mark.parametrize("site", SITES)
def test_articles_arrive_clean(runs: Runs, site: str) -> None:
    records = runs.records[site]
    site_map = runs.server.sites[site]
    assert not runs.rejects[site]
    assert {article.url for article in records} == set(site_map.articles)
    for article in records:
        assert article.text.strip()
        assert "\ufffd" not in article.text
        for phrase in BOILERPLATE:
            assert phrase not in article.text, (article.url, phrase)
        assert article.site == site
        assert article.published_at and article.published_at.endswith("+08:00")


@pytest.mark.parametrize("site", SITES)
def test_listed_articles_arrive(runs: Runs, site: str) -> None:
    site_map = runs.server.sites[site]
    url, seed = next((url, item) for url, item in site_map.articles.items() if item.listed)
    parts = [article for article in runs.records[site] if article.url == url]
    assert len(parts) == len(seed.stories)
    if site != "jynews_big5":
        for story, article in zip(seed.stories, sorted(parts, key=lambda a: a.part), strict=True):
            probe = story.lines[1][5:25] if len(story.lines) > 1 else story.lines[0][5:25]
            assert probe in article.text


@pytest.mark.parametrize("site", SITES)
def test_wrong_charset_header_still_decodes(runs: Runs, site: str) -> None:
    site_map = runs.server.sites[site]
    url = site_map.faults["wrong_charset"]
    expected = site_map.articles[url]
    [article, *_] = [item for item in runs.records[site] if item.url == url]
    if site != "jynews_big5":
        assert article.title == expected.title
        assert expected.lines[-1][:15] in article.text


def test_no_request_leaves_the_replica(runs: Runs) -> None:
    hosts = {request.host for request in runs.first.requests + runs.second.requests}
    assert hosts <= runs.server.replica.hosts
    assert FOREIGN_HOST not in hosts


@pytest.mark.parametrize("site", SITES)
def test_robots_disallowed_path_is_never_requested(runs: Runs, site: str) -> None:
    site_map = runs.server.sites[site]
    preview = urlsplit(site_map.disallowed).path
    for request in runs.first.requests + runs.second.requests:
        assert not request.path.startswith(preview.rsplit("/", 1)[0] + "/")
    skipped = [event for event in runs.first.events(site) if event.get("reason") == "robots.txt"]
    assert [event["url"] for event in skipped] == [site_map.disallowed]


@pytest.mark.parametrize("site", SITES)
def test_faults_are_handled(runs: Runs, site: str) -> None:
    site_map = runs.server.sites[site]
    faults = site_map.faults
    events = {event["url"]: event for event in runs.first.events(site)
              if event["event"] != "fetched"}
    assert events[faults["missing"]]["reason"] == "http 404"
    assert events[faults["slow"]]["reason"] == "timeout"
    assert events[faults["truncated"]]["reason"] == "truncated body"
    assert events[faults["foreign"]]["reason"] == f"offsite redirect to {FOREIGN_HOST}"
    for kind in ("missing", "slow", "truncated", "foreign"):
        assert events[faults[kind]]["event"] == "failed"
    requested = runs.first.requested(site_map.host)
    assert requested[faults["slow"]] == 3 and requested[faults["truncated"]] == 3
    assert requested[faults["missing"]] == 1
    assert requested[faults["pdf"]] == requested[faults["doc"]] == 0
    assert events[faults["pdf"]]["reason"] == "attachment (.pdf)"
    assert requested[faults["tracking"]] == 0
    assert requested[faults["tracking_canonical"]] == 1
    assert events[faults["tracking"]]["reason"] == "duplicate URL (tracking parameters)"
    assert requested[faults["chain"]] == 1 and requested[faults["chain_target"]] == 1
    assert faults["flaky"] in runs.first.warc_urls(site)


@pytest.mark.parametrize("site", SITES)
def test_second_crawl_fetches_no_article_twice(runs: Runs, site: str) -> None:
    site_map = runs.server.sites[site]
    assert runs.second.warc_urls(site) == []
    requested = runs.second.requested(site_map.host)
    assert not set(requested) & runs.stored
    assert runs.second.summaries[site]["articles_fetched"] == 0
    assert requested[site_map.list_urls[0]] == 1
    reasons = Counter(event.get("reason") for event in runs.second.events(site))
    assert reasons["already stored"] >= len(site_map.articles) // 2


@pytest.mark.parametrize("site", NEWS)
def test_second_crawl_stops_paginating_at_stored_articles(runs: Runs, site: str) -> None:
    site_map = runs.server.sites[site]
    requested = runs.second.requested(site_map.host)
    assert requested[site_map.list_urls[1]] == 1
    assert requested[site_map.list_urls[-1]] == 0
    reasons = {event.get("reason") for event in runs.second.events(site)}
    assert "pagination stopped: no new articles on page" in reasons


def test_since_and_max_pages_bound_the_crawl(tmp_path: Path) -> None:
    since = date(2021, 2, 10)
    with ReplicaServer(slow_seconds=1.0) as server:
        options = FetchOptions(out=str(tmp_path), run_id="bounded", proxy=server.proxy,
                               loopback=True, timeout=0.5, since=since, max_pages=2)
        summaries = run_fetch_subprocess(["jynews", "mengjin"], options, wall_timeout=120)
        crawl = Crawl(summaries, server.requests, tmp_path)
        jynews, mengjin = server.sites["jynews"], server.sites["mengjin"]
    fetched = crawl.warc_urls("jynews")
    assert fetched
    assert all(jynews.articles[url].published_at.date() >= since for url in fetched)
    assert crawl.requested(jynews.host)[jynews.list_urls[1]] == 0
    reasons = Counter(event.get("reason") for event in crawl.events("jynews"))
    assert reasons[f"before {since}"] >= 1
    assert reasons["pagination stopped: since date reached"] == 1
    assert crawl.requested(mengjin.host)[mengjin.list_urls[1]] == 1
    assert crawl.requested(mengjin.host)[mengjin.list_urls[2]] == 0
    assert reasons_of(crawl, "mengjin")["max_pages (2) reached"] == 1
    assert len(crawl.warc_urls("mengjin")) == 20


def reasons_of(crawl: Crawl, site: str) -> Counter[str | None]:
    return Counter(event.get("reason") for event in crawl.events(site))
