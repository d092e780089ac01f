"""Extraction downstream of the fetch: every response gives Articles or a Reject, not a crash."""

from __future__ import annotations

from pathlib import Path

import pytest

import crawler.process
from crawler.article import Article, Reject
from crawler.process import IN_PROCESS_FIRST, ExtractionPool, extract_warc
from crawler.sites import SEEDS_DIR, load_sites
from storage.warc import WarcWriter, warc_path

SITE = load_sites(SEEDS_DIR)["mengjin"]
PAGE = ("<html><head><meta charset='utf-8'><title>孟津区召开会议</title></head><body>"
        "<h1>孟津区召开会议</h1><div id='zoom'><p>11月6日下午，孟津区召开重点工作推进会议，"
        "安排部署年底前重点工作任务，确保圆满完成全年各项目标任务。</p>"
        "<p>会议要求，要狠抓落实，确保各项工作取得实效。</p></div></body></html>").encode()


def capture(tmp_path: Path, pages: int) -> str:
    path = warc_path(str(tmp_path), SITE.name, "run-1")
    with WarcWriter(path) as writer:
        for number in range(pages):
            writer.write(f"http://www.mengjin.gov.cn/news/{number}.html", 200,
                         {"Content-Type": "text/html; charset=utf-8"}, PAGE,
                         "2024-01-02T03:04:05+00:00")
        writer.write("http://www.mengjin.gov.cn/gone.html", 404, {}, b"",
                     "2024-01-02T03:04:06+00:00")
    return path


def test_every_response_gives_articles_or_a_reject(tmp_path: Path) -> None:
    outcomes = list(extract_warc(capture(tmp_path, 2), SITE))
    assert [type(o) for o in outcomes] == [Article, Article, Reject]
    assert outcomes[2].reason == "http 404" and outcomes[2].stage == "extract"


def test_a_page_the_extractor_fails_on_is_a_reject(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(body: bytes, **_: object) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(crawler.process, "extract_page", broken)
    outcomes = list(extract_warc(capture(tmp_path, 1), SITE))
    assert isinstance(outcomes[0], Reject)
    assert outcomes[0].reason.startswith("extraction failed: RecursionError")


def test_a_corrupt_capture_keeps_what_was_read_before_the_damage(tmp_path: Path) -> None:
    path = Path(capture(tmp_path, 40))
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 200] = bytes(200)
    path.write_bytes(bytes(data))
    outcomes = list(extract_warc(str(path), SITE))
    assert 5 < sum(isinstance(o, Article) for o in outcomes) < 40
    last = outcomes[-1]
    assert isinstance(last, Reject) and last.stage == "read"
    assert last.reason.startswith("unreadable raw capture after ")


def test_a_small_capture_never_starts_the_pool(tmp_path: Path) -> None:
    with ExtractionPool(2) as pool:
        outcomes = list(extract_warc(capture(tmp_path, 40), SITE, pool=pool))
        assert not pool.started
    assert sum(isinstance(o, Article) for o in outcomes) == 40


def test_the_pool_keeps_response_order_and_serves_every_later_capture(tmp_path: Path) -> None:
    pages = IN_PROCESS_FIRST + 60
    expected = [f"http://www.mengjin.gov.cn/news/{n}.html" for n in range(pages)]
    with ExtractionPool(2) as pool:
        large = list(extract_warc(capture(tmp_path / "large", pages), SITE, pool=pool))
        assert pool.started
        small = list(extract_warc(capture(tmp_path / "small", 3), SITE, pool=pool))
    assert [o.url for o in large if isinstance(o, Article)] == expected
    assert [o.url for o in small if isinstance(o, Article)] == expected[:3]
    assert isinstance(large[-1], Reject) and isinstance(small[-1], Reject)
