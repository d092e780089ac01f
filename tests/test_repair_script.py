"""Tests for the script repair: traditional text becomes simplified, simplified text stays as is."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.repair.script import (
    is_traditional,
    simplified_char_map,
    to_simplified,
    traditional_evidence,
)

SEEDS = Path(__file__).parent / "golden" / "seeds"
CLEAN_SEEDS = ["000_d5325104b4f28303.txt", "001_59cca4a90145cfa7.txt",
               "003_29bcaeff18446a5c.txt", "004_5e8e4182a3e47a0e.txt"]


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [
        ("藍圖鼓舞人心 目標催人奮進", "蓝图鼓舞人心 目标催人奋进"),
        ("廣大幹部群眾熱議示範區黨工委會議精神", "广大干部群众热议示范区党工委会议精神"),
        (
            "「會議指出」，要在建設宜居韌性城市上示範先行。",
            "「会议指出」，要在建设宜居韧性城市上示范先行。",
        ),
        ("濟源網（記者 張恒）:", "济源网（记者 张恒）:"),
        ("經濟社會高質量發展,,提供堅實有力的保障", "经济社会高质量发展,,提供坚实有力的保障"),
    ],
)
def test_traditional_text_is_converted(traditional: str, simplified: str) -> None:
    assert to_simplified(traditional) == simplified


@pytest.mark.parametrize("name", CLEAN_SEEDS)
def test_clean_seeds_pass_byte_identical(name: str) -> None:
    text = (SEEDS / name).read_text(encoding="utf-8")
    assert not is_traditional(text)
    assert to_simplified(text) is text


@pytest.mark.parametrize(
    "text",
    [
        # Traditional forms that simplified text legitimately carries: names, quotations.
        "故宫乾清宫开放，於姓居民和乾隆年间的史料一并展出。",
        "台湾作家龍應台的新书在郑州首发，读者反响热烈，活动持续到晚上。",
        "会议强调，要坚持以人民为中心的发展思想，推动高质量发展。",
        "Python 3.12 (2023) released; see https://example.org/a?b=1,2",
        "",
    ],
)
def test_simplified_text_is_untouched(text: str) -> None:
    assert to_simplified(text) == text


def test_seed_002_is_traditional_and_converted() -> None:
    text = (SEEDS / "002_924ec85aeffc136c.txt").read_text(encoding="utf-8")
    assert is_traditional(text)
    converted = to_simplified(text)
    assert "蓝" in converted and "藍" not in converted
    assert converted.count(",") == text.count(",")
    assert converted.count("“") == text.count("“")


def test_punctuation_and_widths_are_kept() -> None:
    text = "「這是」『測試』，（說明）：‘單’“雙”；！？…—　ａｂｃ１２３,(x):"
    converted = to_simplified(text)
    assert converted == "「这是」『测试』，（说明）：‘单’“双”；！？…—　ａｂｃ１２３,(x):"


def test_evidence_excludes_characters_simplified_text_keeps() -> None:
    evidence = traditional_evidence()
    assert {"乾", "於", "徵", "麽"}.isdisjoint(evidence)
    assert {"藍", "國", "會", "爭"} <= evidence
    assert simplified_char_map()["爭"] == "争"


SIMPLIFIED_HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5).filter(
    lambda char: char not in traditional_evidence()
)
SIMPLIFIED_TEXT = st.lists(
    st.one_of(SIMPLIFIED_HAN, st.sampled_from(["，", "。", "「", "」", " ", "A", "1", "乾", "於"])),
    max_size=80,
).map("".join)


@settings(max_examples=200, deadline=None)
@given(SIMPLIFIED_TEXT)
def test_text_without_traditional_evidence_is_untouched(text: str) -> None:
    assert to_simplified(text) == text


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(sorted(simplified_char_map())), min_size=2, max_size=30))
def test_conversion_is_idempotent_and_keeps_length(chars: list[str]) -> None:
    text = "".join(chars)
    once = to_simplified(text)
    assert to_simplified(once) == once
    assert len(once) == len(text)
