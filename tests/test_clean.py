"""The text -> records chain: repairs, split, metadata, and the record fields it fills."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings

from crawler.clean import clean_document
from tests.structure_strategies import clean_articles

E_PAPER = (
    "\n\n中原区举行重大项目建设观摩会议 力拼二季度\n\n"
    "本报讯 5月6日,中原区举行重大项目建设观摩会议,总结全区一季度经济工作。\n\n"
    "李晓雷强调,继续坚持项目季度观摩、闭环管理等成熟有效的推进方\n\n\n\n式,以项目建设实效检验发展成效。\n\n"
    "记者 唐善普\n通讯员 白博文/图\n\n"
    "中原区领导调研安全生产工作 增强责任意识\n\n"
    "本报讯 5月5日上午,中原区委书记李晓雷召开专题会议,研究落实安全生产工作。\n\n"
    "会议强调,要严格落实安全生产责任制。"
)


def test_e_paper_page_gives_one_record_per_article() -> None:
    first, second = clean_document(E_PAPER, url="http://example.gov.cn/epaper/1.html",
                                   site="zhongyuan", fetched_at="2024-05-07T00:00:00+00:00")
    assert (first.part, first.parts, second.part, second.parts) == (1, 2, 2, 2)
    assert first.title == "中原区举行重大项目建设观摩会议 力拼二季度"
    assert first.authors == ["唐善普", "白博文"]
    assert first.text.endswith("推进方式,以项目建设实效检验发展成效。")
    assert "记者" not in first.text
    assert first.repairs == ["broken_lines", "split_articles", "byline_moved"]
    assert second.title == "中原区领导调研安全生产工作 增强责任意识"
    assert second.authors == []
    assert second.repairs == ["broken_lines", "split_articles"]
    assert first.site == "zhongyuan"
    assert first.fetched_at == "2024-05-07T00:00:00+00:00"
    first.to_record()


def test_portal_page_title_dateline_and_navigation() -> None:
    text = (
        "孟津区召开重点工作推进会议\n\n2023-01-01 18:30:45\n\n"
        "\u3000\u300011月6日下午,孟津区召开重点工作推进会议。\n\n"
        "\u3000\u3000会议由区委副书记主持。\n\n"
        "下一篇:林州市委书记约谈部分单位“一把手”\n上一篇:市商务局局长带队调研\n返回顶部小火箭"
    )
    (article,) = clean_document(text, url="u")
    assert article.title == "孟津区召开重点工作推进会议"
    assert article.published_at == "2023-01-01T18:30:45+08:00"
    assert article.text == "11月6日下午,孟津区召开重点工作推进会议。\n会议由区委副书记主持。"
    assert article.repairs == ["boilerplate"]
    assert (article.part, article.parts) == (1, 1)


def test_inline_byline_stays_in_text_and_names_go_to_authors() -> None:
    text = "济源网讯(记者 郑海波)5月7日,示范区召开会议。\n会议还研究了其他事项。"
    (article,) = clean_document(text, url="u")
    assert article.text == text
    assert article.authors == ["郑海波"]
    assert article.title is None
    assert article.repairs == []


def test_closing_parenthesised_byline_moves_out() -> None:
    text = "标题在这里\n会议召开。\n为济源发展提供坚实有力的运输保障。(记者 张恒)"
    (article,) = clean_document(text, url="u")
    assert article.text == "会议召开。\n为济源发展提供坚实有力的运输保障。"
    assert article.authors == ["张恒"]
    assert article.repairs == ["byline_moved"]


def test_input_fields_are_carried() -> None:
    (article,) = clean_document("会议召开。", url="u", fields={"id": "doc-7", "batch": 3})
    record = article.to_record()
    assert record["id"] == "doc-7"
    assert record["batch"] == 3


@pytest.mark.parametrize("text", ["", "  \n\u3000\n", "返回顶部\n【打印】【关闭】\n责任编辑：王五"])
def test_nothing_left_gives_no_record(text: str) -> None:
    assert clean_document(text, url="u") == []


_HAN = re.compile(r"[\u4e00-\u9fff]")


@given(clean_articles())
@settings(max_examples=100, deadline=None)
def test_clean_text_keeps_every_han_character(text: str) -> None:
    articles = clean_document(text, url="u", fetched_at="2024-01-01T00:00:00+00:00")
    assert len(articles) == 1
    assert articles[0].title is None
    assert sorted(_HAN.findall(articles[0].text)) == sorted(_HAN.findall(text))
    assert articles[0].text == "\n".join(line.strip() for line in text.split("\n") if line.strip())
