"""The metadata resolver: each field decided once, by the most trusted rule with a value, with
the candidates it beat. Pages here are small made-up templates in the shapes real pages print."""

from __future__ import annotations

import pytest
from lxml import html

from crawler.extract import extract_page
from crawler.extract.evidence import Decision
from crawler.extract.resolve import TextEvidence, page_title, read_byline, read_page, resolve
from crawler.extract.rules import ExtractRules

BODY = ("示范区召开会议，研究部署下一阶段重点工作，要求各部门压实责任、细化措施、抓好落实。"
        "会议强调，要坚持问题导向，聚焦群众关切，推动各项任务落地见效。")


def page(head: str = "", body: str = "", title: str = "示范区召开重点工作推进会议_某某网") -> str:
    return (f"<html><head><meta charset='utf-8'><title>{title}</title>{head}</head>"
            f"<body><div class='nav'><a href='/'>首页</a></div>{body}</body></html>")


def decide(markup: str, url: str = "http://www.example.cn/a/1.html",
           text: TextEvidence | None = None, rules: ExtractRules | None = None
           ) -> dict[str, Decision]:
    evidence = read_page(html.document_fromstring(markup), url, rules or ExtractRules())
    return {d.name: d for d in resolve(evidence, text)}


def article(headline: str, info: str, tail: str = "") -> str:
    return (f"<div class='main'><h1>{headline}</h1><div class='info'>{info}</div>"
            f"<div class='text'><p>{BODY}</p><p>{BODY}{tail}</p></div></div>")


HEADLINE = "示范区召开重点工作推进会议"


# --- title -----------------------------------------------------------------------------------

def test_government_article_title_meta_wins_over_the_heading() -> None:
    found = decide(page("<meta name='ArticleTitle' content='政务标题甲乙丙'>",
                        article(HEADLINE, "")))
    assert found["title"].value == "政务标题甲乙丙"
    assert found["title"].rule == "meta ArticleTitle"
    assert any(c.value == HEADLINE for c in found["title"].beaten)


def test_heading_beats_a_truncated_og_title() -> None:
    truncated = "<meta property='og:title' content='示范区召开重点'>"
    found = decide(page(truncated, article(HEADLINE, "")))
    assert found["title"].value == HEADLINE
    assert found["title"].rule == "heading matching <title>"


@pytest.mark.parametrize("tag", ["h3", "h4", "h5"])
def test_headline_in_a_low_heading_above_its_dateline(tag: str) -> None:
    body = (f"<h3>首页 - 新闻动态</h3><div>友情链接</div><{tag}>{HEADLINE}</{tag}>"
            f"<p>发布时间：2019-05-18 来源：某某学会</p><p>{BODY}</p>")
    found = decide(page(body=body, title="新闻动态--某某学会官网"))
    assert found["title"].value == HEADLINE
    assert found["title"].rule == "heading above a dateline"


def test_headline_printed_as_a_plain_line_inside_the_title() -> None:
    body = f"<div>{HEADLINE}</div><div>发布日期：2019-03-06</div><p>{BODY}</p>"
    found = decide(page(body=body, title=f"{HEADLINE} 东区办事处_某某网"))
    assert found["title"].value == HEADLINE


def test_label_before_the_headline_is_not_part_of_the_title() -> None:
    body = f"<h2><span>原创</span>{HEADLINE}</h2><p>2019-09-08 11:42:03</p><p>{BODY}</p>"
    assert decide(page(body=body, title=HEADLINE))["title"].value == HEADLINE


def test_site_xpath_wins() -> None:
    markup = page(body=f"<h1>{HEADLINE}</h1><div id='t'>站点标题</div>")
    found = decide(markup, rules=ExtractRules(title_xpath="//div[@id='t']"))
    assert found["title"].value == "站点标题" and found["title"].rule == "site title_xpath"


def test_page_title_needs_no_text_evidence() -> None:
    evidence = read_page(html.document_fromstring(page(body=article(HEADLINE, ""))),
                         "http://a.cn/1.html", ExtractRules())
    assert page_title(evidence).value == HEADLINE


# --- published_at ----------------------------------------------------------------------------

@pytest.mark.parametrize(("info", "iso"), [
    ("2020年1月2日 10:20", "2020-01-02T10:20:00+08:00"),
    ("2020-01-02", "2020-01-02T00:00:00+08:00"),
    ("2020/1/2", "2020-01-02T00:00:00+08:00"),
    ("发布时间：2020-01-02 08:05:09 来源：某县", "2020-01-02T08:05:09+08:00"),
    ("时间：2020.01.02", "2020-01-02T00:00:00+08:00"),
    ("发表于2020-01-02 21:30| 1164次阅读", "2020-01-02T21:30:00+08:00"),
    ("发布时间：20-01-0210:20", "2020-01-02T10:20:00+08:00"),
    ("来源：某县融媒体中心 2020年01月02日 10:20 浏览次数：12", "2020-01-02T10:20:00+08:00"),
    ("2020-01-02 09:25:09 来源：某某网 作者：某某 分享到：微信 微博 QQ空间 人人网 豆瓣 "
     "打印本页 关闭", "2020-01-02T09:25:09+08:00"),
])
def test_date_shapes_under_the_headline(info: str, iso: str) -> None:
    found = decide(page(body=article(HEADLINE, info)))
    assert found["published_at"].value == iso


def test_year_less_date_takes_the_year_from_the_url() -> None:
    found = decide(page(body=article(HEADLINE, "01-02 10:20")),
                   url="http://a.cn/news/2020/0102/123.html")
    assert found["published_at"].value == "2020-01-02T10:20:00+08:00"


def test_printed_date_beats_the_meta_tag_and_takes_its_seconds() -> None:
    meta = "<meta name='PubDate' content='2020-01-02 10:20:33'>"
    found = decide(page(meta, article(HEADLINE, "2020-01-02 10:20")))
    decision = found["published_at"]
    assert decision.value == "2020-01-02T10:20:33+08:00"
    assert decision.rule == "date under the headline, time from meta pubdate"
    meta = "<meta name='PubDate' content='2019-12-30 09:00'>"
    decision = decide(page(meta, article(HEADLINE, "2020-01-02 10:20")))["published_at"]
    assert decision.value == "2020-01-02T10:20:00+08:00"
    assert [c.rule for c in decision.beaten][:1] == ["meta pubdate"]


def test_dates_elsewhere_on_the_page_do_not_beat_the_dateline() -> None:
    sidebar = "<ul><li><a href='/2'>另一条新闻标题在这里</a> 2018-05-06</li></ul>"
    found = decide(page(body=sidebar + article(HEADLINE, "2020-01-02")))
    assert found["published_at"].value == "2020-01-02T00:00:00+08:00"


def test_url_date_and_no_date() -> None:
    markup = page(body=f"<h1>{HEADLINE}</h1><p>{BODY}</p>")
    assert decide(markup, url="http://a.gov.cn/art/t20230315_1.html")[
        "published_at"].rule == "date in the URL"
    assert decide(markup, url="http://a.gov.cn/art/1.html")["published_at"].value is None


def test_text_dateline_fills_when_the_page_has_none() -> None:
    markup = page(body=f"<h1>{HEADLINE}</h1><p>{BODY}</p>")
    text = TextEvidence(published_at="2021-03-04T00:00:00+08:00")
    decision = decide(markup, url="http://a.cn/1.html", text=text)["published_at"]
    assert decision.value == "2021-03-04T00:00:00+08:00"
    assert decision.rule == "dateline in the text"


# --- authors ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("line", "names"), [
    ("澎湃新闻记者 段彦超 廖艳", ["段彦超", "廖艳"]),
    ("记者 张三 通讯员 李四", ["张三", "李四"]),
    ("发表于2014-08-24 21:30| 1164次阅读| 来源某网| 0 条评论| 作者魏星", ["魏星"]),
    ("2019-09-26 12:11来源：某某时报网作者：李在山", ["李在山"]),
    ("【文/某某网专栏作者 王文】", ["王文"]),
    ("执笔/叨叨姐、胡一刀&李小飞刀", ["叨叨姐", "胡一刀", "李小飞刀"]),
    ("采写：南都见习记者 林子沛", ["林子沛"]),
    ("《棱镜》作者 周纯", ["周纯"]),
    ("石佳/中国青年报", ["石佳"]),
    ("记者陈智 整合", ["陈智"]),
    ("文｜张小明", ["张小明"]),
    ("文丨张小明", ["张小明"]),
    ("作者：张三 / 李四", ["张三", "李四"]),
    ("作者 | 李雷 韩梅梅", ["李雷", "韩梅梅"]),
    ("（作者系某大学教授）", []),
    ("作者：本网记者 张三", ["张三"]),
    ("作者：张三（某大学教授）", ["张三"]),
    ("来源：人民网 作者：王五 编辑：赵六", ["王五"]),
    ("责任编辑：王五", []),
    ("编辑 王五", []),
    ("摄影：王五", []),
    ("记者：张三 摄影：李四", ["张三"]),
    ("文/图 张三", ["张三"]),
    ("作者最新文章", []),
    ("记者注意到，今年3月27日，某协会发布报告", []),
    ("作者：未知", []),
    ("来源：某某网", []),
])
def test_read_byline(line: str, names: list[str]) -> None:
    assert read_byline(line) == names


def test_byline_under_the_headline_and_editor_line_ignored() -> None:
    info = "2020-01-02 来源：某报 记者 张三 李四"
    found = decide(page(body=article(HEADLINE, info, "<p>责任编辑：王五</p>")))
    assert found["authors"].value == ["张三", "李四"]
    assert found["authors"].rule == "byline under the headline"


def test_navigation_above_the_headline_is_no_byline() -> None:
    nav = "<div>某某网 新闻 河南 文化 旅游 视频 图片</div>"
    found = decide(page(body=nav + article(HEADLINE, "2023-06-10 08:30 来源：某某网")))
    assert found["authors"].value is None


def test_lead_byline_and_closing_name() -> None:
    lead = f"<h1>{HEADLINE}</h1><p>2020-01-02</p><p>某报讯（记者 裴剑飞）{BODY}</p>"
    assert decide(page(body=lead))["authors"].value == ["裴剑飞"]
    text = TextEvidence(text=f"{BODY}\n{BODY}(李楠)")
    found = decide(page(body=article(HEADLINE, "2020-01-02")), text=text)
    assert found["authors"].value == ["李楠"]
    assert found["authors"].rule == "name closing the text"


def test_an_agency_credit_after_a_caption_is_no_signature() -> None:
    text = TextEvidence(text=f"{BODY}\n{BODY}（视觉中国）")
    assert decide(page(body=article(HEADLINE, "2020-01-02")), text=text)["authors"].value is None


def test_a_portal_named_as_meta_author_is_no_author() -> None:
    head = "<meta name='author' content='网易'><meta name='copyright' content='网易版权所有'>"
    found = decide(page(head, article(HEADLINE, "2020-01-02 来源：网易"),
                        title=f"{HEADLINE}_网易新闻"))
    assert found["authors"].value is None


def test_text_byline_when_the_page_prints_none_by_the_headline() -> None:
    text = TextEvidence(authors=("赵六",))
    found = decide(page(body=article(HEADLINE, "2020-01-02")), text=text)
    assert found["authors"].value == ["赵六"]


# --- source ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("info", "source"), [
    ("来源：某县水利局", "某县水利局"),
    ("发表于2014-08-24 21:30| 来源CSDN| 作者魏星", "CSDN"),
    ("来源于：东区办事处", "东区办事处"),
    ("2020-01-02 10:20 来源: 长江网 作者：张三", "长江网"),
])
def test_labelled_source(info: str, source: str) -> None:
    assert decide(page(body=article(HEADLINE, info)))["source"].value == source


def test_content_source_meta_wins() -> None:
    head = "<meta name='ContentSource' content='新安县人民政府办公室'>"
    found = decide(page(head, article(HEADLINE, "来源：新安县水利局")))
    assert found["source"].value == "新安县人民政府办公室"
    assert found["source"].beaten[0].value == "新安县水利局"


# --- through extract_page --------------------------------------------------------------------

def test_extraction_carries_one_decision_per_field() -> None:
    markup = page(body=article(HEADLINE, "发布时间：2020-01-02 来源：某县 作者：张三"))
    extraction = extract_page(markup.encode("utf-8"), url="http://a.cn/1.html")
    assert [d.name for d in extraction.decisions] == ["title", "published_at", "authors",
                                                      "source"]
    record = extraction.articles[0]
    assert (record.title, record.published_at, record.authors, record.source) == (
        HEADLINE, "2020-01-02T00:00:00+08:00", ["张三"], "某县")


def test_comment_nodes_beside_the_headline_cost_nothing() -> None:
    body = (f"<div><h1>{HEADLINE}</h1><!-- info --><div>2020-01-02 记者 张三</div><!-- x -->"
            f"<p>{BODY}</p><p>{BODY}</p></div>")
    extraction = extract_page(page(body=body).encode("utf-8"), url="http://a.cn/1.html")
    assert extraction.articles[0].published_at == "2020-01-02T00:00:00+08:00"
    assert extraction.articles[0].authors == ["张三"]


def test_a_page_without_an_article_still_has_decisions() -> None:
    body = "".join(f"<li><a href='/{i}'>列表标题第{i}条新闻</a> 2020-01-0{i}</li>"
                   for i in range(1, 8))
    extraction = extract_page(page(body=f"<ul>{body}</ul>", title="新闻列表_某某网").encode(),
                              url="http://a.cn/list.html")
    assert extraction.articles == []
    assert [d.name for d in extraction.decisions] == ["title", "published_at", "authors",
                                                      "source"]


def test_headline_worded_otherwise_in_the_meta_title_still_anchors_the_dateline() -> None:
    head = "<meta name='ArticleTitle' content='政务标题甲乙丙'>"
    found = decide(page(head, article(HEADLINE, "发布时间：2020-01-02 作者：张三")))
    assert found["published_at"].value == "2020-01-02T00:00:00+08:00"
    assert found["published_at"].rule == "labelled dateline under the headline"
    assert found["authors"].value == ["张三"]


def test_year_less_labelled_date_glued_to_its_time() -> None:
    found = decide(page(body=article(HEADLINE, "发布时间：10-0812:00优质作者")),
                   url="http://a.cn/2019/1008/1.html")
    assert found["published_at"].value == "2019-10-08T12:00:00+08:00"


def test_dateline_set_over_several_lines() -> None:
    info = "<div>2019</div><div>09/07</div><div>19:02</div><div>某报</div>"
    found = decide(page(body=article(HEADLINE, info)), url="http://a.cn/1.html")
    assert found["published_at"].value == "2019-09-07T19:02:00+08:00"
    assert found["published_at"].rule == "month and day under the headline, year beside it"
