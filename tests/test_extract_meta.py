"""Page metadata readers: titles with site suffixes, dates in every shape, URL dates, byline
values, canonical URLs. How they are weighed against each other is in test_resolve.py."""

from __future__ import annotations

import pytest
from lxml import html

from crawler.extract.meta import (
    find_canonical,
    meta_values,
    parse_date,
    split_names,
    strip_title_suffix,
    url_date,
)
from crawler.urls import canonical_url


def tree(markup: str) -> html.HtmlElement:
    return html.document_fromstring(markup)


@pytest.mark.parametrize(("title", "clean"), [
    ("示范区召开党工委委员会议_济源网", "示范区召开党工委委员会议"),
    ("孟津区召开重点工作推进会议-大河网", "孟津区召开重点工作推进会议"),
    ("安伟在区域合作共建工作推进会上强调--郑州晚报", "安伟在区域合作共建工作推进会上强调"),
    ("关于做好春节期间工作的通知_通知公告_中原区人民政府", "关于做好春节期间工作的通知"),
    ("奋进新征程——记基层干部群众", "奋进新征程——记基层干部群众"),
    ("郑州—开封一体化加快推进", "郑州—开封一体化加快推进"),
])
def test_title_suffixes(title: str, clean: str) -> None:
    assert strip_title_suffix(title) == clean


@pytest.mark.parametrize(("text", "iso"), [
    ("2023-01-01 18:30:45", "2023-01-01T18:30:45+08:00"),
    ("发布时间：2023年1月1日 09:05", "2023-01-01T09:05:00+08:00"),
    ("2023/1/1", "2023-01-01T00:00:00+08:00"),
    ("2023.03.15", "2023-03-15T00:00:00+08:00"),
    ("2023-01-01T10:00:00Z", "2023-01-01T18:00:00+08:00"),
    ("2023-08-24T08:00:00+08:00", "2023-08-24T08:00:00+08:00"),
    ("2023-02-30", None),
    ("第1234期", None),
])
def test_parse_date(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso


@pytest.mark.parametrize(("url", "iso"), [
    ("http://a.gov.cn/art/t20230315_1.html", "2023-03-15T00:00:00+08:00"),
    ("http://zzwb.zynews.cn/html/2022-08/24/content_1.htm", "2022-08-24T00:00:00+08:00"),
    ("http://a.cn/news/2021/07/09/123.shtml", "2021-07-09T00:00:00+08:00"),
    ("http://a.cn/news/20211309/1.html", None),
    ("http://a.cn/x.html", None),
])
def test_url_date(url: str, iso: str | None) -> None:
    assert url_date(url) == iso


def test_meta_values_are_lower_cased_first_non_empty() -> None:
    page = tree("<html><head><meta name='PubDate' content=' '><meta name='pubdate' content='x'>"
                "<meta property='og:title' content='甲'></head><body></body></html>")
    assert meta_values(page) == {"pubdate": "x", "og:title": "甲"}


def test_split_names() -> None:
    assert split_names("记者 唐善普 通讯员 白博文/图") == ["唐善普", "白博文"]
    assert split_names("見習記者 崔青、张恒") == ["崔青", "张恒"]
    assert split_names("济源网") == []  # a site name is no author
    assert split_names("未知") == []


def test_canonical_link_and_fallback() -> None:
    page = tree("<html><head><link rel='canonical' href='/news/1.html?utm_source=x'></head>"
                "<body></body></html>")
    assert find_canonical(page, "HTTP://Example.CN/a?b=1") == "http://example.cn/news/1.html"
    assert find_canonical(tree("<html><body></body></html>"),
                          "HTTP://Example.CN/a?spm=1&b=2#top") == "http://example.cn/a?b=2"


@pytest.mark.parametrize("href", ["/", "http://example.cn", "http://other.cn/news/7.html"])
def test_canonical_naming_the_home_page_or_another_host_is_not_trusted(href: str) -> None:
    page = tree(f"<html><head><link rel='canonical' href='{href}'></head><body></body></html>")
    assert find_canonical(page, "http://example.cn/news/7.html") == "http://example.cn/news/7.html"


@pytest.mark.parametrize(("url", "canonical"), [
    ("HTTP://WWW.Jyrb.net:80/Html/t1.html?utm_source=x&b=2&a=1&spm=3#top",
     "http://www.jyrb.net/Html/t1.html?a=1&b=2"),
    ("https://zzwb.zynews.cn/html/2023-08/24/content_1.htm?from=timeline&isappinstalled=0",
     "https://zzwb.zynews.cn/html/2023-08/24/content_1.htm"),
    ("https://example.cn:8443/a?share_token=z&id=7", "https://example.cn:8443/a?id=7"),
    ("http://example.com", "http://example.com/"),
    ("file:///tmp/a%20b.html", "file:///tmp/a%20b.html"),
])
def test_canonical_url(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical
    assert canonical_url(canonical) == canonical
