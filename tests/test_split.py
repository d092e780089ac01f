"""Article splitting: one segment per article; headlines go with the lead below them, closing
bylines with the article above."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings

from crawler.repair import repair_text
from crawler.repair.split import split_articles
from tests.structure_strategies import han_count, mixed_documents

SEEDS = Path(__file__).resolve().parent / "golden" / "seeds"


@pytest.mark.parametrize(("seed", "count"), [("000", 1), ("001", 1), ("002", 1), ("003", 4),
                                              ("004", 3)])
def test_seed_pages_split_into_their_articles(seed: str, count: int) -> None:
    (path,) = SEEDS.glob(f"{seed}_*.txt")
    text, _ = repair_text(path.read_text(encoding="utf-8"))
    assert len(split_articles(text)) == count


def test_kicker_and_title_open_the_next_article_and_byline_closes_the_previous() -> None:
    text = (
        "本报讯 5月6日,中原区召开会议。\n\n会议要求,交上一份满意的答卷。\n\n"
        "记者 唐善普\n通讯员 白博文/图\n\n"
        "何雄在全市重点项目建设推进会上强调\n\n全力抓项目 促投资稳增长\n\n"
        "本报讯(正观新闻·郑州晚报记者 王际宾) 8月22日,推进会召开。"
    )
    first, second = split_articles(text)
    assert first.endswith("记者 唐善普\n通讯员 白博文/图")
    assert second.startswith("何雄在全市重点项目建设推进会上强调\n\n全力抓项目")


@pytest.mark.parametrize(
    "lead",
    ["本报讯 昨日,会议召开。", "本报5月6日讯 会议召开。", "济源网讯(记者 郑海波)5月7日,会议召开。",
     "新华社郑州5月7日电 会议召开。", "正观新闻讯 昨日,会议召开。"],
)
def test_every_lead_after_the_first_starts_an_article(lead: str) -> None:
    text = (f"第一篇标题\n本报讯 会议召开。\n会议要求,抓好落实。\n"
            f"第二篇标题\n{lead}\n会议强调,要加强管理。")
    first, second = split_articles(text)
    assert first == "第一篇标题\n本报讯 会议召开。\n会议要求,抓好落实。"
    assert second == f"第二篇标题\n{lead}\n会议强调,要加强管理。"


def test_text_without_a_second_lead_is_one_segment() -> None:
    article = "孟津区召开重点工作推进会议\n\n2023-01-01 18:30:45\n\n  11月6日下午,会议召开。"
    assert split_articles(f"\n\n{article}\n\n") == [article]
    assert split_articles("会议提到“本报讯”三个字。\n本报讯 这是第一条。") == [
        "会议提到“本报讯”三个字。\n本报讯 这是第一条。"
    ]


def test_words_that_contain_xun_are_no_lead() -> None:
    text = "本报讯 会议召开。\n移动网络通讯基站建设加快推进。\n国家电网公司供电服务持续优化。"
    assert split_articles(text) == [text]


def test_blank_text_has_no_segment() -> None:
    assert split_articles("") == []
    assert split_articles(" \n\u3000\n") == []


@given(mixed_documents())
@settings(max_examples=150, deadline=None)
def test_segments_keep_every_character(text: str) -> None:
    segments = split_articles(text)
    assert han_count("".join(segments)) == han_count(text)
    assert all(segment.strip() for segment in segments)
