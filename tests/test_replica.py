"""The replica sites: corpus, templates and encodings, and the server with its faults.

Every site folder with a `replica/` is covered; the replica engine holds no site of its own."""

from __future__ import annotations

import http.client
import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lxml import html as lxml_html

from crawler.replica.content import build_corpus
from crawler.replica.server import FOREIGN_HOST, TRACKING_QUERY, Replica, ReplicaServer
from crawler.replica.site import ReplicaError, ReplicaSite, load_replicas
from crawler.replica.templates import (
    Link,
    article_link,
    article_path,
    content_type,
    render_article,
    render_list,
)
from crawler.sites import SEEDS_DIR

REPLICAS = load_replicas(SEEDS_DIR)
SITES = sorted(REPLICAS)
NEWS = [name for name in SITES if REPLICAS[name].layout == "news"]
SEED_TEXTS = Path(__file__).parent / "golden" / "seeds"


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


def page_text(site: ReplicaSite, body: bytes) -> str:
    return lxml_html.document_fromstring(body.decode(site.encoding)).text_content()


@pytest.mark.parametrize("name", SITES)
def test_every_site_has_twenty_articles_and_a_listed_one(name: str) -> None:
    articles = build_corpus(REPLICAS[name])
    assert len(articles) >= 20
    assert sum(1 for article in articles if article.seed) <= 1
    assert any(article.listed for article in articles)
    dates = [article.published_at for article in articles]
    assert dates == sorted(dates, reverse=True)
    assert len({article.title for article in articles}) >= 12


def test_corpus_size_is_a_parameter() -> None:
    site = REPLICAS["zzzy"]
    corpus = build_corpus(site, 60)
    assert len(corpus) == 60
    assert build_corpus(site, 60) is corpus
    with pytest.raises(ValueError):
        Replica(per_site=2)


def test_e_paper_seed_pages_hold_several_stories() -> None:
    zzwb = next(article for article in build_corpus(REPLICAS["zzwb"]) if article.seed)
    zzzy = next(article for article in build_corpus(REPLICAS["zzzy"]) if article.seed)
    assert len(zzwb.stories) == 4
    assert zzwb.stories[1].kicker == "何雄在全市重点项目建设推进会上强调"
    assert len(zzzy.stories) == 3
    assert zzzy.stories[0].lines[-1] == "通讯员 白博文/图"


@pytest.mark.parametrize("name", [name for name in SITES if any(
    article.seed for article in build_corpus(REPLICAS[name]))])
def test_seed_text_appears_as_is_on_its_page(name: str) -> None:
    site = REPLICAS[name]
    seed = next(article for article in build_corpus(site) if article.seed)
    assert seed.seed is not None
    text = page_text(site, render_article(site, seed))
    body_lines = [line for story in seed.stories for line in story.lines]
    for line in body_lines:
        assert line in text
    raw = (SEED_TEXTS / seed.seed).read_text(encoding="utf-8")
    kept = [line for line in raw.split("\n") if line.strip() and line in text]
    assert len(kept) >= len(body_lines)


@pytest.mark.parametrize("name", SITES)
def test_pages_carry_the_surroundings(name: str) -> None:
    site = REPLICAS[name]
    articles = build_corpus(site)
    links = [article_link(site, article) for article in articles[:5]]
    body = render_article(site, articles[1], related=links, previous=links[0],
                          following=links[2], attachments=[Link("/a.pdf", "附件一", None)])
    text = page_text(site, body)
    assert "当前位置" in text or "當前位置" in text
    assert "ICP" in text
    assert "分享到" in text
    assert links[0].text in text
    if name in NEWS:
        listing = page_text(site, render_list(site, links, page=2, pages=3))
        assert "下一页" in listing and "上一页" in listing
        assert all(link.text in listing for link in links)


@pytest.mark.parametrize("name", SITES)
def test_each_site_uses_its_own_encoding(name: str) -> None:
    site = REPLICAS[name]
    article = build_corpus(site)[0]
    body = render_article(site, article)
    assert body.decode(site.encoding)
    if site.encoding == "gbk":
        with pytest.raises(UnicodeDecodeError):
            body.decode("utf-8")
    label = content_type(site).partition("charset=")[2]
    assert label == (site.serving.header_charset or "")
    assert content_type(site, lie=True).partition("charset=")[2] != site.encoding


def test_a_bad_replica_file_names_its_file_and_field(tmp_path: Path) -> None:
    folder = tmp_path / "seeds" / "demo" / "replica"
    folder.mkdir(parents=True)
    (folder / "replica.toml").write_text('host = "www.example.cn"\n', encoding="utf-8")
    (folder / "content.toml").write_text("", encoding="utf-8")
    with pytest.raises(ReplicaError, match=r"demo/replica/replica.toml: field 'name'"):
        load_replicas(tmp_path / "seeds")


def test_the_engine_names_no_site() -> None:
    engine = Path(__file__).resolve().parent.parent / "crawler" / "replica"
    code = "\n".join(path.read_text(encoding="utf-8") for path in engine.glob("*.py"))
    for name in load_replicas(SEEDS_DIR):
        assert f'"{name}"' not in code, name


def test_robots_and_list_pages(server: ReplicaServer) -> None:
    site_map = server.sites["jynews"]
    robots = fetch(server, site_map.url("/robots.txt"))
    assert robots.status == 200
    disallowed = urlsplit(site_map.disallowed).path
    assert f"Disallow: {disallowed.rsplit('/', 1)[0]}/" in robots.read().decode()
    listing = fetch(server, site_map.list_urls[0])
    body = listing.read()
    assert listing.status == 200 and listing.getheader("Content-Type") == "text/html"
    text = body.decode(site_map.replica.encoding)
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
    connection.request("GET", article_path(site_map.replica, article),
                       headers={"Host": site_map.host})
    response = connection.getresponse()
    assert response.status == 200
    assert article.title in response.read().decode("utf-8")
    assert fetch(server, f"http://{FOREIGN_HOST}/").status == 502
    recorded = {(request.host, request.path) for request in server.requests}
    assert (FOREIGN_HOST, "/") in recorded
    assert (site_map.host, article_path(site_map.replica, article)) in recorded
