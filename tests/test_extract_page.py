"""Main-text selection on page shapes seen on real Chinese sites: teaser cards after a short
article, an editor credit followed by a recommendation, title echoes at the top of the body,
disclaimers and credit lines, and the VisualSiteBuilder body container."""

from __future__ import annotations

import pytest
from lxml import html

from crawler.clean import clean_document
from crawler.extract import ExtractRules, extract_page
from crawler.extract.body import clean_lines, cut_at_editor, prune_teasers
from crawler.extract.page import is_title_echo

PARAGRAPH = ("区农业农村局近日组织技术人员深入各乡镇开展秋粮生产指导，帮助种植户解决病虫害防治"
             "和田间管理中遇到的实际问题，确保秋粮颗粒归仓。")
SECOND = ("据介绍，今年全区秋粮种植面积稳中有增，技术人员将持续跟踪苗情长势，及时发布预警信息，"
          "并组织农机手做好机收准备。")


def page(body: str, title: str = "区农业农村局开展秋粮生产指导") -> bytes:
    return (f"<html><head><meta charset='utf-8'><title>{title}_示例网</title></head>"
            f"<body>{body}</body></html>").encode()


def text_of(body: str) -> str:
    extraction = extract_page(page(body), url="http://www.example.gov.cn/a/1.html")
    return "\n".join(article.text for article in extraction.articles)


def test_teaser_cards_led_by_an_image_link_are_pruned() -> None:
    cards = "".join(
        f"<dl><dt><a href='/r{i}.html'><img src='r{i}.jpg'></a></dt>"
        f"<dd class='tit'><a href='/r{i}.html'>推荐文章标题第{i}篇内容提要</a></dd>"
        f"<dd class='exp'>这是一段推荐文章的摘要，用来吸引读者点击阅读全文。</dd>"
        f"<dd class='sj'>2019-09-30</dd></dl>" for i in range(4))
    tree = html.fromstring(f"<div><div class='body'><p>{PARAGRAPH}</p></div>"
                           f"<div class='cards'>{cards}</div></div>")
    prune_teasers(tree)
    assert "推荐文章" not in tree.text_content()
    assert PARAGRAPH in tree.text_content()


def test_body_paragraphs_opening_with_a_link_are_not_teasers_when_long() -> None:
    long_paragraphs = "".join(f"<p><a href='/o{i}'>区农业农村局</a>{PARAGRAPH}{SECOND}</p>"
                              for i in range(3))
    tree = html.fromstring(f"<div>{long_paragraphs}</div>")
    prune_teasers(tree)
    assert tree.text_content().count("确保秋粮颗粒归仓") == 3


def test_editor_credit_after_a_paragraph_ends_the_article() -> None:
    lines = [PARAGRAPH, SECOND, "责任编辑：张三", "另一篇文章的标题", "另一篇文章的摘要内容很长。"]
    assert cut_at_editor(lines) == [PARAGRAPH, SECOND]


def test_editor_credit_before_any_paragraph_does_not_end_the_article() -> None:
    lines = ["发布时间：2023-01-01", "编辑：张三", PARAGRAPH, SECOND]
    assert cut_at_editor(lines) == lines


@pytest.mark.parametrize("line", [
    "区农业农村局开展秋粮生产指导",
    "区农业农村局开展秋粮生产技术指导",
])
def test_title_echoes(line: str) -> None:
    assert is_title_echo(line, "区农业农村局开展秋粮生产指导")


def test_an_original_title_note_is_article_text() -> None:
    assert not is_title_echo("（原标题：区农业农村局开展秋粮生产指导工作）",
                             "区农业农村局开展秋粮生产指导")


def test_a_sentence_is_no_title_echo() -> None:
    assert not is_title_echo("区农业农村局开展秋粮生产指导。", "区农业农村局开展秋粮生产指导")
    assert not is_title_echo(PARAGRAPH, "区农业农村局开展秋粮生产指导")


@pytest.mark.parametrize("line", [
    "声明：本网力求信息真实、准确，文章内容仅供参考，不构成投资建议，据此操作风险自担。",
    "本文为本站原创文章，未经允许不得转载，如需转载请联系本站",
    "农业农村局供稿 摄影/李四 编辑/王五",
    "本文来源：示例日报",
    "【免责声明】本文仅代表作者本人观点，与本网无关，请读者仅作参考。",
    "特别声明：以上内容为自媒体平台用户上传并发布，本平台仅提供信息存储服务。",
    "图片来自网络，如有侵权，请联系删除。",
    "责编|王五",
    "标签： 秋粮 农业",
    "积分 131",
    "注册时间 2019-3-2",
    "查看: 3582 | 回复: 5 秋粮生产经验交流帖",
])
def test_disclaimers_and_credits_are_chrome(line: str) -> None:
    assert clean_lines([PARAGRAPH, line, SECOND]) == [PARAGRAPH, SECOND]


def test_short_article_beats_a_recommendation_list() -> None:
    cards = "".join(
        f"<dl><dt><a href='/r{i}.html'><img src='r{i}.jpg'></a></dt>"
        f"<dd><a href='/r{i}.html'>另一条新闻标题第{i}条</a></dd>"
        f"<dd>这是另一条新闻的摘要文字，内容与本文无关，但句子完整，字数不少。</dd></dl>"
        for i in range(5))
    body = (f"<h2>区农业农村局开展秋粮生产指导</h2><div class='txt'>{PARAGRAPH}<p></p></div>"
            f"<div class='rec'><h2>为你推荐</h2>{cards}</div>")
    text = text_of(body)
    assert "确保秋粮颗粒归仓" in text
    assert "另一条新闻" not in text


def test_vsb_content_is_a_body_container() -> None:
    side = "".join(f"<li><a href='/n{i}'>栏目导航链接第{i}项</a></li>" for i in range(30))
    body = (f"<table><tr><td><ul>{side}</ul></td><td><div id='vsb_content'>"
            f"<p>{PARAGRAPH}</p><p>{SECOND}</p></div></td></tr></table>")
    extraction = extract_page(page(body), url="http://www.example.edu.cn/info/1/2.htm")
    assert extraction.method == "container"
    assert "栏目导航" not in extraction.articles[0].text


def test_a_lone_surviving_part_is_numbered_as_a_single_article() -> None:
    lines = ("市领导调研督导工作",
             "本报讯 昨日，市领导带队调研督导安全生产工作，要求各级各部门压实责任，"
             "确保安全生产形势持续稳定向好，切实保障人民群众生命财产安全。",
             "简讯", "本报讯 短。")
    body = "".join(f"<p>{line}</p>" for line in lines)
    page = (f"<html><head><meta charset='utf-8'><title>第一版</title></head><body>"
            f"<div id='zoom'>{body}</div></body></html>").encode()
    (article,) = extract_page(page, url="http://zzwb.example.cn/content_1.htm").articles
    assert (article.part, article.parts) == (1, 1)
    assert "split_articles" not in article.repairs


def test_a_page_keeps_its_paragraph_breaks() -> None:
    # The page ends a paragraph with a comma; a text dump would have that line rejoined as a
    # layout cut (`clean_document`'s whole chain), but a page's paragraphs are its own.
    cut = "区农业农村局介绍，秋粮机收工作将进入第二阶段，"
    body = f"<p>{PARAGRAPH}</p><p>{cut}</p><p>{SECOND}</p>"
    assert text_of(body).split("\n") == [PARAGRAPH, cut, SECOND]
    # A site whose pages do cut paragraphs says so (`rejoin_lines`).
    rejoined = extract_page(page(body), url="http://www.example.gov.cn/a/1.html",
                            rules=ExtractRules(rejoin_lines=True))
    assert rejoined.articles[0].text.split("\n") == [PARAGRAPH, cut + SECOND]
    dumped = clean_document(f"{PARAGRAPH}\n{cut}\n{SECOND}", url="http://www.example.gov.cn/a/1")
    assert dumped[0].text == f"{PARAGRAPH}\n{cut}{SECOND}"
    assert "broken_lines" in dumped[0].repairs

