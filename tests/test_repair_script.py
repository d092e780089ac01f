"""Tests for the script repair: traditional text becomes simplified, simplified text stays as is.

The fast converter is checked for exact equality with OpenCC's own t2s converter.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from opencc import OpenCC

from crawler.repair import REPAIRS, repair_text, script
from crawler.repair.script import (
    T2S_CHAIN,
    T2SConverter,
    conversion_chain,
    is_traditional,
    opencc_separators,
    read_conversion_table,
    simplified_char_map,
    t2s_converter,
    to_simplified,
    traditional_evidence,
)
from tests.gold.hard_stories import HARD_STORIES
from tests.gold.stories import STORIES

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


# Exact equivalence of the fast converter with OpenCC's own t2s converter.

REFERENCE = OpenCC("t2s")
TO_TRADITIONAL = OpenCC("s2t")
PHRASES = read_conversion_table("TSPhrases.txt")
CHARACTERS = read_conversion_table("TSCharacters.txt")
PUNCTUATION = ["，", "。", "、", "「", "」", "（", "）", " ", "\n", "\u3000", ",", "-", "·", "(",
               "a", "1"]


def seed_002_before_script() -> str:
    """Seed 002 as the script repair receives it: byte damage mended, pinyin notes gone."""
    text = (SEEDS / "002_924ec85aeffc136c.txt").read_text(encoding="utf-8")
    for repair in REPAIRS:
        if repair.apply is to_simplified:
            return text
        text = repair.apply(text)
    raise AssertionError("traditional_to_simplified is not in REPAIRS")


def traditional_corpus() -> list[str]:
    """Every traditional text at hand: seed 002, and the seeds and gold stories rendered by s2t."""
    seeds = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    stories = [
        "\n".join((story.title, *story.paragraphs))
        for story in (*STORIES.values(), *HARD_STORIES.values())
    ]
    return [seed_002_before_script()] + [TO_TRADITIONAL.convert(text) for text in seeds + stories]


def test_fast_converter_is_in_use_for_the_installed_chain() -> None:
    assert conversion_chain("t2s") == T2S_CHAIN
    assert isinstance(t2s_converter(), T2SConverter)


def test_an_unknown_chain_falls_back_to_opencc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(script, "conversion_chain", lambda config: [["Other.txt"]])
    assert isinstance(script.t2s_converter.__wrapped__(), OpenCC)


def test_multi_character_keys_in_the_character_table_are_refused() -> None:
    with pytest.raises(ValueError, match="multi-character"):
        T2SConverter({"乾坤": "乾坤"}, {"乾隆": "乾隆"})


def test_separators_are_opencc_separators_exactly() -> None:
    every_char = "".join(map(chr, range(0x110000)))
    ours = re.compile(f"[{opencc_separators()}]")
    assert ours.sub("", every_char) == REFERENCE.split_chars_re.sub("", every_char)


@pytest.mark.parametrize("text", traditional_corpus())
def test_traditional_texts_convert_exactly_as_opencc(text: str) -> None:
    expected = REFERENCE.convert(text)
    assert t2s_converter().convert(text) == expected
    assert is_traditional(text)
    assert to_simplified(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # OpenCC takes the longest phrase anywhere first, not the longest at the left:
        # 覆盆子 (3) beats 函覆 (2), 麼些族 beats 么麼, 藉寇兵齎盜糧 beats 狼藉.
        ("函覆盆子", "函覆盆子"),
        ("么麼些族", "么麽些族"),
        ("出醜狼藉寇兵齎盜糧", "出丑狼借寇兵赍盗粮"),
        ("凌藉藉无名", "凌藉藉无名"),
        ("乾坤，乾燥。於是「覆蓋」", "乾坤，干燥。于是「覆盖」"),
    ],
)
def test_overlapping_phrases_resolve_as_opencc(text: str, expected: str) -> None:
    assert REFERENCE.convert(text) == expected
    assert t2s_converter().convert(text) == expected


def test_every_phrase_with_neighbours_converts_exactly_as_opencc() -> None:
    keys = sorted(PHRASES)
    converter = t2s_converter()
    for index, key in enumerate(keys):
        before, after = keys[index - 1], keys[(index + 1) % len(keys)]
        for text in (key, before[-2:] + key + after[:2], key[1:] + key, key + key[:-1],
                     f"「{key}」，{before}{key}{after}。"):
            assert converter.convert(text) == REFERENCE.convert(text), text


def test_every_overlapping_pair_of_phrases_converts_exactly_as_opencc() -> None:
    converter = t2s_converter()
    checked = 0
    for first in PHRASES:
        for second in PHRASES:
            for overlap in range(1, min(len(first), len(second))):
                if first[-overlap:] == second[:overlap]:
                    text = first + second[overlap:]
                    for padded in (text, "於" + text + "乾", text + text):
                        assert converter.convert(padded) == REFERENCE.convert(padded), padded
                    checked += 1
    assert checked > 50


FRAGMENTS = sorted(
    {key[start:end] for key in PHRASES for start in range(len(key))
     for end in range(start + 1, len(key) + 1)}
)
T2S_TEXT = st.lists(
    st.one_of(
        st.sampled_from(sorted(PHRASES)),
        st.sampled_from(FRAGMENTS),
        st.sampled_from(sorted(CHARACTERS)),
        st.sampled_from(PUNCTUATION),
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5),
    ),
    max_size=25,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(T2S_TEXT)
def test_random_dictionary_text_converts_exactly_as_opencc(text: str) -> None:
    assert t2s_converter().convert(text) == REFERENCE.convert(text)


# Mojibake is no traditional script ------------------------------------------------------------


@pytest.mark.parametrize("mojibake", ["涓婁簡", "鍒癝", "鍒癝鍒癝"])
def test_t2s_leaves_mojibake_alone(mojibake: str) -> None:
    # 涓婁簡 is UTF-8 上了 read as GBK, 鍒癝 UTF-8 到S: t2s would make them 涓娄简 and 𫔄癝.
    assert to_simplified(mojibake) == mojibake


def test_t2s_converts_the_clean_lines_around_unrepaired_mojibake() -> None:
    text = "會議進區黨經濟開發\n涓婁簡\ufffd鍒癝\n藍圖鼓舞人心"
    assert to_simplified(text) == "会议进区党经济开发\n涓婁簡\ufffd鍒癝\n蓝图鼓舞人心"


def test_chain_never_names_t2s_for_mojibake_it_leaves() -> None:
    text, fired = repair_text("鍒癝")
    assert text == "鍒癝"
    assert "traditional_to_simplified" not in fired
