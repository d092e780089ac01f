"""The body route and its `Decision`: site selector, known container, trafilatura on the pruned
page, a fallback only when trafilatura's text is weak; comment nodes among the headline's
siblings; content after a stray `</html>`; layout tables; forum threads; list and archive pages
that give no record; the one-pass selectors against the XPath tables they stand for."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.extract import ExtractRules, extract_page, tables
from crawler.extract.body import Selector, list_items, list_reason, unlayout_tables
from crawler.extract.decode import decode_html
from crawler.extract.page import parse_html

P1 = ("区农业农村局近日组织技术人员深入各乡镇开展秋粮生产指导，帮助种植户解决病虫害防治"
      "和田间管理中遇到的实际问题，确保秋粮颗粒归仓。")
P2 = ("据介绍，今年全区秋粮种植面积稳中有增，技术人员将持续跟踪苗情长势，及时发布预警信息，"
      "并组织农机手做好机收准备。")
P3 = ("下一步，区农业农村局将继续组织专家团队分片包干，逐村逐户开展技术服务，推动秋粮生产"
      "各项措施落到实处。")
TITLE = "区农业农村局开展秋粮生产指导"
URL = "http://www.example.gov.cn/a/1.html"
GOLD = Path(__file__).parent / "gold"


def page(body: str, title: str = TITLE) -> bytes:
    return (f"<html><head><meta charset='utf-8'><title>{title}_示例网</title></head>"
            f"<body>{body}</body></html>").encode()


def test_trafilatura_is_the_route_when_its_text_is_not_weak() -> None:
    paragraphs = "".join(f"<p>{p}</p>" for p in (P1, P2, P3))
    extraction = extract_page(page(f"<h1>{TITLE}</h1><div class='main'>{paragraphs}</div>"),
                              url=URL)
    assert extraction.method == "trafilatura"
    decision = extraction.body
    assert decision is not None and decision.name == "body" and decision.value == "trafilatura"
    assert "not weak" in decision.rule
    skipped = {c.rule: c.value for c in decision.beaten}
    assert "not run" in str(skipped["readability"])
    assert "颗粒归仓" in extraction.articles[0].text


def test_a_known_container_wins_and_says_so() -> None:
    body = f"<h1>{TITLE}</h1><div id='zoom'><p>{P1}</p><p>{P2}</p></div>"
    extraction = extract_page(page(body), url=URL)
    assert extraction.method == "container"
    assert extraction.body is not None and "#zoom" not in extraction.body.rule
    assert "zoom" in extraction.body.rule


def test_the_site_selector_wins_when_it_matches() -> None:
    body = (f"<h1>{TITLE}</h1><div id='zoom'><p>{P1}</p></div>"
            f"<div class='story'><p>{P2}</p><p>{P3}</p></div>")
    rules = ExtractRules(content_xpath="//div[@class='story']")
    extraction = extract_page(page(body), url=URL, rules=rules)
    assert extraction.method == "site-selector"
    assert extraction.body is not None and extraction.body.value == "site-selector"
    assert "颗粒归仓" not in extraction.articles[0].text


def test_comment_nodes_beside_the_headline_cost_nothing() -> None:
    body = (f"<div class='art'><!-- headline --><h1>{TITLE}</h1><!-- date -->"
            f"<?php echo 1 ?><div class='info'>发布时间：2023-06-15 10:40</div><!-- body -->"
            f"<p>{P1}</p><!-- x --><p>{P2}</p></div>")
    extraction = extract_page(page(body), url=URL)
    assert extraction.failures == []
    assert extraction.note is None
    assert extraction.articles[0].published_at == "2023-06-15T10:40:00+08:00"


def test_a_layout_table_is_read_as_blocks() -> None:
    tree = parse_html(f"<html><body><table><tr><td>导航</td><td><p>{P1}</p><p>{P2}</p></td></tr>"
                      "</table><table><tr><td>项目</td><td>金额</td></tr></table></body></html>")
    assert tree is not None
    unlayout_tables(tree)
    assert len(tree.findall(".//table")) == 1  # the data table stays a table
    assert not tree.findall(".//td[p]")


def test_layout_table_pages_find_their_article() -> None:
    cells = (f"<table width='760'><tr><td width='160'><a href='/'>首页</a><br><a href='/x'>"
             f"新闻中心</a></td><td><table><tr><td class='title'>{TITLE}</td></tr><tr><td>"
             f"{P1}<br>{P2}<br>{P3}</td></tr></table></td></tr></table>")
    extraction = extract_page(page(cells), url=URL)
    assert extraction.note is None
    text = extraction.articles[0].text
    assert "颗粒归仓" in text and "落到实处" in text and "新闻中心" not in text


def test_a_forum_thread_gives_its_first_post() -> None:
    floors = (f"<div id='post_1'><div id='postmessage_1'>{P1}{P2}</div></div>"
              "<div id='post_2'><div id='postmessage_2'>楼主说得很好，支持一下，希望以后多发这样的"
              "好帖子，大家一起学习交流种植经验。</div></div>"
              "<div id='post_3'><div id='postmessage_3'>我们村今年也开展了这样的指导活动，效果非常"
              "明显，产量比去年提高了不少。</div></div>")
    extraction = extract_page(page(f"<h1>{TITLE}</h1>{floors}"), url=URL)
    text = extraction.articles[0].text
    assert "颗粒归仓" in text and "楼主" not in text and "我们村" not in text


def _archive(count: int, title_names: int | None) -> bytes:
    posts = []
    for i in range(count):
        headline = f"第{i + 1}篇博文：秋粮生产技术指导笔记"
        posts.append(f"<div class='post'><h3><a href='/post/{i}.html'>{headline}</a></h3>"
                     f"<p>{P1[:60 + i]}</p><a href='/post/{i}.html'>阅读全文</a></div>")
    title = f"第{title_names + 1}篇博文：秋粮生产技术指导笔记" if title_names is not None \
        else "某某的博客"
    return page(f"<div class='posts'>{''.join(posts)}</div>", title=title)


def test_an_archive_page_of_posts_gives_no_record() -> None:
    extraction = extract_page(_archive(6, None), url=URL)
    assert extraction.articles == []
    assert extraction.note is not None and "list" in extraction.note
    assert extraction.body is not None and extraction.body.value == "none"


def test_text_spread_over_linked_list_items_is_a_list() -> None:
    tree = parse_html(_archive(6, None).decode())
    assert tree is not None
    items = list_items(tree)
    assert len(items) == 6
    lines = [P1[:60 + i] for i in range(6)]
    assert list_reason(lines, items) is not None
    assert list_reason([P1, P2, P3], items) is None


def test_a_page_of_headline_links_without_sentences_gives_no_record() -> None:
    links = "".join(f"<li><a href='/n/{i}.html'>第{i}条新闻标题秋粮生产</a> 2023-06-{i + 10}</li>"
                    for i in range(12))
    extraction = extract_page(page(f"<ul class='list'>{links}</ul>", title="新闻列表"), url=URL)
    assert extraction.articles == []
    assert extraction.note is not None


def test_text_after_a_stray_closing_html_tag_is_part_of_the_page() -> None:
    body = (f"<html><head><meta charset='utf-8'><title>{TITLE}_示例网</title></head><body>"
            f"<div class='nav'><a href='/'>首页</a></div></body></html>"
            f"<div class='main'><h1>{TITLE}</h1><p>{P1}</p><p>{P2}</p><p>{P3}</p></div>").encode()
    tree = parse_html(body.decode())
    assert tree is not None and "落到实处" in tree.text_content()
    extraction = extract_page(body, url=URL)
    assert extraction.note is None and "落到实处" in extraction.articles[0].text


@pytest.mark.parametrize("name", ["CONTENT_XPATHS", "GENERIC_CONTENT_XPATHS", "PRUNE_XPATHS",
                                  "DISCUSSION_XPATHS"])
def test_selectors_pick_what_their_xpaths_pick(name: str) -> None:
    xpaths = getattr(tables, name)
    selector = Selector(xpaths)
    for path in sorted(GOLD.glob("*/page.html")):
        tree = parse_html(decode_html(path.read_bytes())[0])
        assert tree is not None
        expected = {node for xpath in xpaths for node in tree.xpath(xpath)}
        assert set(selector(tree)) == expected, path.parent.name


def test_a_page_without_sentences_says_none_with_the_route_it_tried() -> None:
    extraction = extract_page(page("<div><a href='/a'>首页</a> <a href='/b'>新闻中心</a> "
                                   "<a href='/c'>政务公开</a></div>"), url=URL)
    assert extraction.articles == [] and extraction.note
    decision = extraction.body
    assert decision is not None and decision.value == "none" and decision.rule == extraction.note
    assert decision.beaten and decision.beaten[0].rule == "trafilatura"
    assert "weak" in str(decision.beaten[0].value)


def test_a_selector_on_other_attributes_tests_every_element() -> None:
    tree = parse_html("<html><body><div role='navigation'>导航</div><div>正文</div></body></html>")
    assert tree is not None
    found = Selector(("//*[@role='navigation']", "//nav"))(tree)
    assert [node.get("role") for node in found] == ["navigation"]
