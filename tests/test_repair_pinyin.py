"""Tests for the pinyin repairs: reading notes stripped, broken notes mended, the rest untouched."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.repair.pinyin import (
    fix_broken_pinyin,
    recover_lost_char,
    strip_pinyin_notes,
    syllable_key,
)
from crawler.repair.script import to_simplified

SEEDS = Path(__file__).parent / "golden" / "seeds"
CLEAN_SEEDS = [
    "000_d5325104b4f28303.txt",
    "001_59cca4a90145cfa7.txt",
    "003_29bcaeff18446a5c.txt",
    "004_5e8e4182a3e47a0e.txt",
]
PINYIN_NOTE = re.compile(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+[)）]")
HAN = re.compile(r"[\u4e00-\u9fff]")


def seed(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("damaged", "clean"),
    [
        ("藍(lán)圖鼓舞人心", "藍圖鼓舞人心"),
        ("藍（lán）圖", "藍圖"),
        ("目標(biāo)催人奮進(jìn)。", "目標催人奮進。"),
        ("實(shí),,苦干", "實,,苦干"),
        ("蓝图(lán tú)很好", "蓝图很好"),
        ("蓝图(lántú)很好", "蓝图很好"),
        ("蓝(lan2)图", "蓝图"),
        ("他(tā)的(de)书(shū)", "他的书"),
        ("是(shi)一(yī)个(gè)人", "是一个人"),
        ("區(qū)(qū)黨", "區黨"),
    ],
)
def test_strip_pinyin_notes_restores_exactly(damaged: str, clean: str) -> None:
    assert strip_pinyin_notes(damaged) == clean


@pytest.mark.parametrize(
    "text",
    [
        "本报讯(记者 郑海波)今天",
        "(记者 张恒)",
        "截至(2023)年底",
        "世界卫生组织(WHO)表示",
        "中国(China)代表团",
        "详见下文(see below)",
        "选项(a)正确",
        "这是(an)例子",
        "附件(a1)所列",
        "是(shi)吗",
        "的(de)",
        "见第(3)条(二)款",
        "公司(Ltd.)成立",
        "Python (version 3) 中",
    ],
)
def test_strip_pinyin_notes_leaves_legitimate_parentheses(text: str) -> None:
    assert strip_pinyin_notes(text) == text


@pytest.mark.parametrize("name", CLEAN_SEEDS)
def test_clean_seeds_pass_byte_identical(name: str) -> None:
    text = seed(name)
    assert fix_broken_pinyin(text) == text
    assert strip_pinyin_notes(text) == text


@pytest.mark.parametrize(
    ("damaged", "clean"),
    [
        ("奋勇?zhēng)先", "奋勇争先"),
        ("苦干实干,奋勇?tīng)?zhēng)先,全面", "苦干实干,奋勇争先,全面"),
        ("奮勇?zhēng)先", "奮勇爭先"),
        ("苦干實干,、奮勇?tīng)?zhēng)先,全面", "苦干實干,、奮勇爭先,全面"),
        ("他在?zhōng)国工作", "他在中国工作"),
        ("奋勇\ufffdzhēng)先", "奋勇争先"),
        ("爭?zhēng)先", "爭先"),
        ("藍lán)圖", "藍圖"),
        ("藍(lán圖", "藍圖"),
    ],
)
def test_fix_broken_pinyin_restores_exactly(damaged: str, clean: str) -> None:
    assert fix_broken_pinyin(damaged) == clean


@pytest.mark.parametrize(
    ("damaged", "clean"),
    [
        ("秋收?shí)節,田間地頭", "秋收時節,田間地頭"),
        ("總投資三十?gè),", "總投資三十個,"),
        ("近日,省?lǐ)召開會議", "近日,省裏召開會議"),
        ("部署汛期各?xiàng)工作。", "部署汛期各项工作。"),
    ],
)
def test_word_model_recovers_what_phrase_tables_miss(damaged: str, clean: str) -> None:
    # 省里, 各项 and 三十个 are jieba words but no CC-CEDICT phrase; for 时节 the word model
    # breaks the tie that counting covering words leaves (时节 and 十节 alike).
    assert fix_broken_pinyin(damaged) == clean


def test_recovery_without_a_clear_winner_drops_the_fragment() -> None:
    assert recover_lost_char("的", "的", [syllable_key("shì")]) is None
    assert fix_broken_pinyin("的?shì)的") == "的的"


def test_unrecoverable_fragment_is_dropped() -> None:
    assert fix_broken_pinyin("张?ā)李") == "张李"


def test_recovery_needs_a_clear_winner() -> None:
    assert recover_lost_char("奋勇", "先", [syllable_key("zhēng")]) == "争"
    assert recover_lost_char("", "", [syllable_key("zhēng")]) is None


@pytest.mark.parametrize(
    "text",
    [
        "你确定吗?是的)",
        "网址 http://example.cn/a.php?id=3)",
        "what?(yes)",
        "藍tú)圖",
        "藍(tú圖",
        "附件a1)",
    ],
)
def test_fix_broken_pinyin_leaves_other_text(text: str) -> None:
    assert fix_broken_pinyin(text) == text


def test_seed_002_after_pinyin_and_script() -> None:
    text = seed("002_924ec85aeffc136c.txt")
    repaired = to_simplified(strip_pinyin_notes(fix_broken_pinyin(text)))
    assert "奋勇争先" in repaired
    assert "?zhēng)" not in repaired
    leftovers = PINYIN_NOTE.findall(repaired)
    # Notes after mojibake the shifted-GBK repair has not yet cured (`秴^(qū)`) are not ours.
    assert all(re.search(r"\^" + re.escape(note), repaired) for note in leftovers)
    assert "(记者 张恒)" in repaired


def test_seed_002_notes_go_after_mojibake_cured() -> None:
    text = seed("002_924ec85aeffc136c.txt").replace("笔痉秴^", "”示範區")
    repaired = to_simplified(strip_pinyin_notes(fix_broken_pinyin(text)))
    assert PINYIN_NOTE.search(repaired) is None
    assert repaired.startswith("蓝图鼓舞人心 目标催人奋进")


HAN_CHARS = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
NOISE = st.sampled_from(
    [
        "(",
        ")",
        "（",
        "）",
        "?",
        "\ufffd",
        " ",
        ",",
        "。",
        "lán",
        "zhēng",
        "de",
        "a",
        "2023",
        "WHO",
        "tīng",
        "(记者 张三)",
        "qū",
        "an",
    ]
)
MIXED_TEXT = st.lists(st.one_of(HAN_CHARS, NOISE), max_size=40).map("".join)
CLEAN_TEXT = st.lists(
    st.one_of(HAN_CHARS, st.sampled_from(["，", "。", "(记者 张三)", "(2023)", "WHO", " ", "\n"])),
    max_size=60,
).map("".join)


@settings(max_examples=200, deadline=None)
@given(MIXED_TEXT)
def test_repairs_are_idempotent(text: str) -> None:
    once = fix_broken_pinyin(text)
    assert fix_broken_pinyin(once) == once
    stripped = strip_pinyin_notes(text)
    assert strip_pinyin_notes(stripped) == stripped


@settings(max_examples=200, deadline=None)
@given(MIXED_TEXT)
def test_repairs_never_remove_han(text: str) -> None:
    han = len(HAN.findall(text))
    assert len(HAN.findall(strip_pinyin_notes(text))) == han
    assert len(HAN.findall(fix_broken_pinyin(text))) >= han


@settings(max_examples=200, deadline=None)
@given(CLEAN_TEXT)
def test_clean_text_passes_unchanged(text: str) -> None:
    assert fix_broken_pinyin(text) == text
    assert strip_pinyin_notes(text) == text
