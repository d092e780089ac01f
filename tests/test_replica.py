"""The replica sites: corpus, templates and encodings, and the server with its faults."""

from __future__ import annotations

import http.client
import socket
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from lxml import html as lxml_html

from crawler.replica.content import SITES, build_corpus, seed_text
from crawler.replica.server import FOREIGN_HOST, TRACKING_QUERY, Replica, ReplicaServer
from crawler.replica.templates import (
    STYLES,
    Link,
    article_link,
    article_path,
    content_type,
    render_article,
    render_list,
)


@pytest.fixture(scope="module")
def server() -> Iterator[ReplicaServer]:
    with ReplicaServer(slow_seconds=0.5) as running:
        yield running


def fetch(server: ReplicaServer, url: str) -> http.client.HTTPResponse:
    """GET a URL through the replica used as a proxy."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    connection.request("GET", url)
    response = connection.getresponse()
    return response


def page_text(site: str, body: bytes) -> str:
    return lxml_html.document_fromstring(body.decode(STYLES[site].encoding)).text_content()


def test_every_site_has_twenty_articles_and_its_seed() -> None:
    corpus = build_corpus()
    assert set(corpus) == set(SITES)
    for articles in corpus.values():
        assert len(articles) >= 20
        assert sum(1 for article in articles if article.seed) == 1
        dates = [article.published_at for article in articles]
        assert dates == sorted(dates, reverse=True)
        assert len({article.title for article in articles}) >= 12


def test_corpus_size_is_a_parameter() -> None:
    corpus = build_corpus(60)
    assert all(len(articles) == 60 for articles in corpus.values())
    assert build_corpus(60) is corpus
    with pytest.raises(ValueError):
        Replica(per_site=2)


def test_e_paper_seed_pages_hold_several_stories() -> None:
    corpus = build_corpus()
    zzwb = next(article for article in corpus["zzwb"] if article.seed)
    zzzy = next(article for article in corpus["zzzy"] if article.seed)
    assert len(zzwb.stories) == 4
    assert zzwb.stories[1].kicker == "何雄在全市重点项目建设推进会上强调"
    assert len(zzzy.stories) == 3
    assert zzzy.stories[0].lines[-1] == "通讯员 白博文/图"


@pytest.mark.parametrize("site", SITES)
def test_seed_text_appears_as_is_on_its_page(site: str) -> None:
    articles = build_corpus()[site]
    seed = next(article for article in articles if article.seed)
    text = page_text(site, render_article(site, seed))
    body_lines = [line for story in seed.stories for line in story.lines]
    for line in body_lines:
        assert line in text
    raw = seed_text(site)
    kept = [line for line in raw.split("\n") if line.strip() and line in text]
    assert len(kept) >= len(body_lines)


@pytest.mark.parametrize("site", SITES)
def test_pages_carry_the_surroundings(site: str) -> None:
    articles = build_corpus()[site]
    links = [article_link(site, article) for article in articles[:5]]
    body = render_article(site, articles[1], related=links, previous=links[0],
                          following=links[2], attachments=[Link("/a.pdf", "附件一", None)])
    text = page_text(site, body)
    assert "当前位置" in text or "當前位置" in text
    assert "ICP" in text
    assert "分享到" in text
    assert links[0].text in text
    if site == "mengjin":
        assert "返回顶部小火箭" in text and "上一篇" in text and "下一篇" in text
    if site != "zzwb":
        listing = page_text(site, render_list(site, links, page=2, pages=3))
        assert "下一页" in listing and "上一页" in listing
        assert all(link.text in listing for link in links)


@pytest.mark.parametrize("site", SITES)
def test_each_site_uses_its_own_encoding(site: str) -> None:
    article = build_corpus()[site][0]
    body = render_article(site, article)
    style = STYLES[site]
    assert body.decode(style.encoding)
    if style.encoding == "gbk":
        with pytest.raises(UnicodeDecodeError):
            body.decode("utf-8")
    label = content_type(site).partition("charset=")[2]
    assert label == (style.header_charset or "")
    assert content_type(site, lie=True).partition("charset=")[2] != style.encoding


def test_robots_and_list_pages(server: ReplicaServer) -> None:
    site_map = server.sites["jynews"]
    robots = fetch(server, site_map.url("/robots.txt"))
    assert robots.status == 200
    disallowed = urlsplit(site_map.disallowed).path
    assert f"Disallow: {disallowed.rsplit('/', 1)[0]}/" in robots.read().decode()
    listing = fetch(server, site_map.list_urls[0])
    body = listing.read()
    assert listing.status == 200 and listing.getheader("Content-Type") == "text/html"
    text = body.decode("gbk")
    assert disallowed in text
    assert TRACKING_QUERY.replace("&", "&amp;") in text


def test_faults(server: ReplicaServer) -> None:
    site_map = server.sites["zzzy"]
    faults = site_map.faults
    assert fetch(server, faults["missing"]).status == 404
    first, second = fetch(server, faults["flaky"]), fetch(server, faults["flaky"])
    assert (first.status, second.status) == (500, 200)
    hop = fetch(server, faults["chain"])
    assert hop.status == 301
    middle = fetch(server, site_map.url(hop.getheader("Location")))
    assert middle.status == 302
    assert site_map.url(middle.getheader("Location")) == faults["chain_target"]
    foreign = fetch(server, faults["foreign"])
    assert urlsplit(foreign.getheader("Location")).hostname == FOREIGN_HOST
    wrong = fetch(server, faults["wrong_charset"])
    assert "utf-8" in wrong.getheader("Content-Type")
    with pytest.raises(UnicodeDecodeError):
        wrong.read().decode("utf-8")
    assert fetch(server, faults["pdf"]).read().startswith(b"%PDF")
    assert fetch(server, faults["tracking"]).status == 200


def test_truncated_and_slow(server: ReplicaServer) -> None:
    faults = server.sites["mengjin"].faults
    truncated = fetch(server, faults["truncated"])
    promised = int(truncated.getheader("Content-Length"))
    with pytest.raises(http.client.IncompleteRead) as error:
        truncated.read()
    assert len(error.value.partial) < promised
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=0.2)
    connection.request("GET", faults["slow"])
    with pytest.raises((TimeoutError, socket.timeout)):
        connection.getresponse()


def test_host_header_mode_and_unknown_hosts(server: ReplicaServer) -> None:
    site_map = server.sites["mengjin"]
    article = next(iter(site_map.articles.values()))
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    connection.request("GET", article_path("mengjin", article),
                       headers={"Host": "www.mengjin.gov.cn"})
    response = connection.getresponse()
    assert response.status == 200
    assert article.title in response.read().decode("utf-8")
    assert fetch(server, f"http://{FOREIGN_HOST}/").status == 502
    recorded = {(request.host, request.path) for request in server.requests}
    assert (FOREIGN_HOST, "/") in recorded
    assert ("www.mengjin.gov.cn", article_path("mengjin", article)) in recorded
