"""Broken-lines repair: paragraphs cut by layout are joined, real breaks and headers stay."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from crawler.repair.lines import paragraphs, rejoin_broken_lines
from tests.structure_strategies import clean_articles, han_count, mixed_documents


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("本报讯 会议召开。\n各地积极主动推动各项工作落地实施,努力实现\n\n合作共赢、一举多赢。",
         "本报讯 会议召开。\n各地积极主动推动各项工作落地实施,努力实现合作共赢、一举多赢。"),
        ("会议召开。\n安伟要求,要加强组织\n\n领导,抓好推进落实。",
         "会议召开。\n安伟要求,要加强组织领导,抓好推进落实。"),
        ("会议召开。\n继续坚持“回头看”、奖惩评比等成熟有效的推进方\n\n\n\n式,以项目建设实效检验发展成效。",
         "会议召开。\n继续坚持“回头看”、奖惩评比等成熟有效的推进方式,以项目建设实效检验发展成效。"),
        ("会议召开。\n金泰制罐、黄河机械厂等企业分享了\n\n“三化改造”方面的探索与体会。",
         "会议召开。\n金泰制罐、黄河机械厂等企业分享了“三化改造”方面的探索与体会。"),
        ("会议召开。\n全市各级各类学校要做好疫情防控工\n\n作。为把好校园“入门关”,要提前摸排。",
         "会议召开。\n全市各级各类学校要做好疫情防控工作。为把好校园“入门关”,要提前摸排。"),
        ("会议召开。\n\u3000\u3000要抓好落实\n\u3000\u3000,确保完成任务。",
         "会议召开。\n\u3000\u3000要抓好落实,确保完成任务。"),
        ("会议召开。\nThe plan, in short, covers\nthe whole city, 全市推进。",
         "会议召开。\nThe plan, in short, covers the whole city, 全市推进。"),
    ],
)
def test_cut_paragraphs_are_joined(text: str, expected: str) -> None:
    assert rejoin_broken_lines(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # a kicker above a title, and a title above the lead
        "会议要求,抓好落实。\n\n何雄在全市重点项目建设推进会上强调\n\n全力抓项目 促投资稳增长\n\n"
        "本报讯(正观新闻·郑州晚报记者 王际宾) 8月22日,推进会召开。",
        # a closing byline block
        "会议要求,交上一份满意的答卷。\n\n记者 唐善普\n通讯员 白博文/图\n\n"
        "中原区领导调研安全生产工作",
        # a headline with a comma, as the first line
        "守正创新,奋力谱写新篇章\n11月6日下午,孟津区召开会议。",
        # a title and its dateline
        "孟津区召开重点工作推进会议\n\n2023-01-01 18:30:45\n\n  11月6日下午,孟津区召开会议。",
        # a numbered section heading
        "会议召开。\n一、坚持党的领导,加强组织建设\n要把党的领导贯穿始终。",
        # a paragraph ending in a colon introduces what follows
        "会议召开。\n会议要求:\n抓好落实。",
        # a comma-less line above a headline-like line
        "会议召开。\n会议还研究了\n其他事项",
    ],
)
def test_real_breaks_and_headers_stay(text: str) -> None:
    assert rejoin_broken_lines(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("会议强调,要坚持外防输入、\n\n内防反弹。", "会议强调,要坚持外防输入、内防反弹。"),
        ("会议强调,要坚持外防\n\n输入、内防反弹。", "会议强调,要坚持外防输入、内防反弹。"),
        ("11月6日下午,孟津区召开重点\n工作推进会议。", "11月6日下午,孟津区召开重点工作推进会议。"),
    ],
)
def test_a_cut_first_line_that_reads_as_prose_is_joined(text: str, expected: str) -> None:
    assert rejoin_broken_lines(text) == expected


def test_line_starting_with_a_comma_continues_even_without_prose_marks() -> None:
    text = "会议召开。\n合作共赢\n，一举多赢。"
    assert rejoin_broken_lines(text) == "会议召开。\n合作共赢，一举多赢。"


def test_paragraphs_trim_layout_whitespace_only() -> None:
    text = "\n\n标题 一 二\n\n\u3000\u3000第一段,有逗号。  \n \n\t第二段。\n"
    assert paragraphs(text) == ["标题 一 二", "第一段,有逗号。", "第二段。"]


@given(clean_articles())
@settings(max_examples=150, deadline=None)
def test_clean_text_passes_byte_identical(text: str) -> None:
    assert rejoin_broken_lines(text) == text


@given(mixed_documents())
@settings(max_examples=200, deadline=None)
def test_idempotent_and_keeps_every_han_character(text: str) -> None:
    once = rejoin_broken_lines(text)
    assert rejoin_broken_lines(once) == once
    assert han_count(once) == han_count(text)
