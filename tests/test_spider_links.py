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


def test_page_image_hot_spots_are_links() -> None:
    from crawler.sites import load_sites
    from crawler.spiders.base import SiteSpider

    spider = SiteSpider(load_sites()["hnrb"])
    tree = html.fromstring(
        "<div class='pic-box fl'><map><area href='content_7.htm' title='全省秋粮生产形势总体向好'>"
        "<area href='javascript:void(0)'></map></div>")
    (link,) = spider.page_links(tree, "https://newpaper.dahe.cn/hnrb/html/2024-09/10/node_1.htm",
                                "//div[@class='pic-box fl']")
    assert link.canonical == "https://newpaper.dahe.cn/hnrb/html/2024-09/10/content_7.htm"
    assert spider.is_article(link.canonical)
