"""Pages at the edges of what the parser takes: NUL bytes in the text, nesting deeper than
libxml2's default limit, text nodes over 10 MB, and pages over the size cap (in `extract_page`
and in `govnews extract`)."""

from __future__ import annotations

import argparse
import codecs
import io
from pathlib import Path

import pytest

from crawler.extract import extract_page
from crawler.extract.cli import add_extract_arguments, run_extract
from crawler.extract.decode import without_nul
from crawler.extract.page import MAX_PAGE_BYTES, parse_html
from crawler.settings import BASE_SETTINGS

GOLD = Path(__file__).parent / "gold"
ZZWB_GOLDEN = Path(__file__).parent.parent / "seeds" / "zzwb" / "golden"
PARAGRAPH = ("区农业农村局近日组织技术人员深入各乡镇开展秋粮生产指导，帮助种植户解决病虫害防治"
             "和田间管理中遇到的实际问题，确保秋粮颗粒归仓。")


def _texts(body: bytes, url: str) -> list[str]:
    return [article.text for article in extract_page(body, url=url).articles]


@pytest.mark.parametrize("case", [GOLD / "hard_blog_utf8", ZZWB_GOLDEN / "seed_zzwb_003",
                                  GOLD / "hard_portal_gbk"], ids=lambda case: case.name)
def test_nul_bytes_after_the_head_change_nothing(case: Path) -> None:
    """NULs after the first 4 KB, some inside multi-byte characters, give the same records."""
    body = (case / "page.html").read_bytes()
    url = "http://www.example.gov.cn/a.html"
    damaged = bytearray(body)
    for position in reversed(range(4096, len(body), 97)):
        damaged[position:position] = b"\x00"
    clean = _texts(body, url)
    assert clean and _texts(bytes(damaged), url) == clean


def test_utf16_pages_keep_their_nul_bytes() -> None:
    text = "<html><body><p>" + PARAGRAPH * 3 + "</p></body></html>"
    body = codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    assert without_nul(body) == body
    assert _texts(body, "http://www.example.gov.cn/a.html")[0].count("颗粒归仓") == 3


def test_nul_characters_are_dropped_before_parsing() -> None:
    tree = parse_html(f"<html><body><p>{PARAGRAPH}\x00{PARAGRAPH}</p></body></html>")
    assert tree is not None
    assert "\x00" not in tree.text_content()
    assert tree.text_content().count("颗粒归仓") == 2


def test_nesting_deeper_than_256_levels_is_read() -> None:
    nested = "<div>" * 300 + f"<p>{PARAGRAPH}</p>" * 3 + "</div>" * 300
    body = (f"<html><head><meta charset='utf-8'><title>秋粮生产指导</title></head>"
            f"<body>{nested}</body></html>").encode()
    extraction = extract_page(body, url="http://www.example.gov.cn/a/1.html")
    assert extraction.note is None
    assert extraction.articles[0].text.count("颗粒归仓") == 3


def test_a_text_node_over_ten_megabytes_is_parsed_whole() -> None:
    text = PARAGRAPH * (10_500_000 // len(PARAGRAPH.encode()) + 1)
    assert len(text.encode()) > 10_000_000
    tree = parse_html(f"<html><body><p>{text}</p></body></html>")
    assert tree is not None
    assert tree.text_content().count("颗粒归仓") == text.count("颗粒归仓")


def test_the_page_cap_is_the_crawlers_download_cap() -> None:
    assert BASE_SETTINGS["DOWNLOAD_MAXSIZE"] == MAX_PAGE_BYTES


def test_a_page_over_the_cap_is_a_note_saying_why() -> None:
    body = b"<html><body><p>" + b"x" * MAX_PAGE_BYTES + b"</p></body></html>"
    extraction = extract_page(body, url="http://www.example.gov.cn/big.html")
    assert extraction.articles == []
    assert extraction.note is not None and "too large" in extraction.note
    assert str(MAX_PAGE_BYTES) in extraction.note


def test_govnews_extract_refuses_a_file_over_the_cap(tmp_path: Path) -> None:
    big = tmp_path / "big.html"
    big.write_bytes(b"<html><body><p>" + b"x" * MAX_PAGE_BYTES + b"</p></body></html>")
    good = GOLD / "trs_xinan_utf8" / "page.html"
    parser = argparse.ArgumentParser()
    add_extract_arguments(parser)
    out, err = io.BytesIO(), io.StringIO()
    code = run_extract(parser.parse_args([str(big), str(good)]), stdout=out, stderr=err)
    assert code == 1
    assert len(out.getvalue().splitlines()) >= 1
    assert "big.html: not extracted: larger than the 8 MB page cap" in err.getvalue()
    assert "Traceback" not in err.getvalue()
