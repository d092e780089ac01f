"""Tests for the stray-punctuation repair: the inserted comma goes, the real mark stays."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.repair.punct import fix_stray_punctuation

SEEDS = Path(__file__).parent / "golden" / "seeds"
CLEAN_SEEDS = ["000_d5325104b4f28303.txt", "001_59cca4a90145cfa7.txt",
               "003_29bcaeff18446a5c.txt", "004_5e8e4182a3e47a0e.txt"]
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize(
    ("damaged", "clean"),
    [
        ("会议召开,。蓝图鼓舞人心", "会议召开。蓝图鼓舞人心"),
        ("新信息,、谋划的新思路,、催生", "新信息、谋划的新思路、催生"),
        ("蓝图鼓舞人心,,目标催人奋进", "蓝图鼓舞人心,目标催人奋进"),
        ("会议召开，。蓝图", "会议召开。蓝图"),
        ("新信息，、谋划", "新信息、谋划"),
        ("人心，，目标", "人心，目标"),
        ("人心,，目标", "人心，目标"),
        ("人心，,目标", "人心,目标"),
        ("你好,,、再见", "你好、再见"),
        ("人心,,,目标", "人心,目标"),
        ("(记者 张恒),,苦干", "(记者 张恒),苦干"),
        ("重要意义,。\n“目前,,示范区", "重要意义。\n“目前,示范区"),
    ],
)
def test_stray_commas_are_dropped(damaged: str, clean: str) -> None:
    assert fix_stray_punctuation(damaged) == clean


@pytest.mark.parametrize(
    "text",
    [
        "1,,000",
        "a,,b,,c",
        "x,,,y",
        "http://example.cn/?q=1,,2",
        "“会议很成功，”他说。",
        "首先，其次,再次。",
        "、,好",
        "完成。,下一步",
        "数组 [1,,2] 中",
        "",
    ],
)
def test_other_commas_are_untouched(text: str) -> None:
    assert fix_stray_punctuation(text) == text


@pytest.mark.parametrize("name", CLEAN_SEEDS)
def test_clean_seeds_pass_byte_identical(name: str) -> None:
    text = (SEEDS / name).read_text(encoding="utf-8")
    assert fix_stray_punctuation(text) == text


def test_seed_002_has_no_stray_commas_left() -> None:
    text = (SEEDS / "002_924ec85aeffc136c.txt").read_text(encoding="utf-8")
    fixed = fix_stray_punctuation(text)
    assert re.search("[,，][,，、。]", fixed) is None
    assert "，" not in fixed
    assert len(HAN.findall(fixed)) == len(HAN.findall(text))


PUNCTUATED = st.lists(
    st.one_of(
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5),
        st.sampled_from([",", "，", "、", "。", "a", "1", " ", "“", "”", "\n"]),
    ),
    max_size=60,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(PUNCTUATED)
def test_idempotent_and_only_commas_removed(text: str) -> None:
    fixed = fix_stray_punctuation(text)
    assert fix_stray_punctuation(fixed) == fixed
    assert re.sub("[,，]", "", fixed) == re.sub("[,，]", "", text)
