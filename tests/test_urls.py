"""URL canonicalisation: w3lib's `canonicalize_url` in front of the tracking-parameter table."""

from __future__ import annotations

import pytest

from crawler.urls import canonical_url

SAME_PAGE = [
    ("http://www.zzzy.gov.cn/a/./b/../c.html", "http://www.zzzy.gov.cn/a/c.html"),
    ("http://www.zzzy.gov.cn/zyxw/%e6%96%b0%e9%97%bb.html",
     "http://www.zzzy.gov.cn/zyxw/%E6%96%B0%E9%97%BB.html"),
    ("http://www.zzzy.gov.cn/zyxw/新闻.html", "http://www.zzzy.gov.cn/zyxw/%E6%96%B0%E9%97%BB.html"),
    ("http://www.zzzy.gov.cn/search?q=新闻&utm_source=wx",
     "http://www.zzzy.gov.cn/search?q=%E6%96%B0%E9%97%BB"),
]


@pytest.mark.parametrize(("first", "second"), SAME_PAGE)
def test_spellings_of_one_page_are_one_url(first: str, second: str) -> None:
    assert canonical_url(first) == canonical_url(second)
    assert canonical_url(canonical_url(first)) == canonical_url(first)


def test_dot_segments_and_escapes_are_normalised() -> None:
    assert canonical_url("HTTP://Example.CN:80/a/./b/../c.html#x") == "http://example.cn/a/c.html"
    assert canonical_url("http://example.cn/%e6") == "http://example.cn/%E6"


def test_path_case_and_meaningful_query_are_kept() -> None:
    assert canonical_url("http://example.cn/Html/t1.html?id=7&page=2&spm=a") == (
        "http://example.cn/Html/t1.html?id=7&page=2")
    assert canonical_url("http://example.cn/a?b=&a=1") == "http://example.cn/a?a=1&b="
