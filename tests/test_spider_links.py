"""Links on list pages carry the date printed beside them, item by item."""

from __future__ import annotations

from lxml import html

from crawler.spiders.base import link_text


def anchors(markup: str) -> list[html.HtmlElement]:
    return list(html.fromstring(markup).iter("a"))


def test_flat_list_gives_each_link_its_own_date() -> None:
    links = anchors("<div><a href='1'>示范区召开会议</a><span>2024-01-02</span>"
                    "<a href='2'>春季植树活动启动</a><span>2024-01-05</span></div>")
    assert ["2024-01-02" in link_text(a) for a in links] == [True, False]
    assert "2024-01-05" in link_text(links[1])


def test_list_item_holding_one_link_gives_its_whole_text() -> None:
    (link,) = anchors("<ul><li><span>[2024-03-01]</span><a href='1'>示范区召开会议</a></li></ul>")
    assert "2024-03-01" in link_text(link)
