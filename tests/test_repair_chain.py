"""The repair chain as a whole: fixed order, fired names, and how name lists merge."""

from __future__ import annotations

from crawler.repair import (
    REPAIRS,
    UNREPAIRED_DAMAGE,
    Repair,
    ordered_repairs,
    repair_text,
    run_repairs,
)


def test_chain_order_is_fixed_and_names_unique() -> None:
    names = [repair.name for repair in REPAIRS]
    assert len(names) == len(set(names))
    assert names.index("shifted_gbk") < names.index("broken_pinyin") < names.index("pinyin_notes")
    assert names.index("pinyin_notes") < names.index("traditional_to_simplified")
    assert names[-2:] == ["boilerplate", "broken_lines"]


def test_only_repairs_that_change_the_text_are_named() -> None:
    chain = (Repair("upper", str.upper), Repair("noop", lambda text: text))
    assert run_repairs("abc", chain) == ("ABC", ["upper"])
    assert run_repairs("ABC", chain) == ("ABC", [])


def test_clean_text_fires_nothing() -> None:
    text = "11月6日下午，孟津区召开重点工作推进会议。\n会议指出，今年以来经济运行保持平稳。"
    assert repair_text(text) == (text, [])


def test_ordered_repairs_puts_chain_names_in_chain_order() -> None:
    merged = ordered_repairs(["decode_charset_corrected", "traditional_to_simplified"],
                             ["pinyin_notes", "traditional_to_simplified", "split_articles"])
    assert merged == ["decode_charset_corrected", "pinyin_notes", "traditional_to_simplified",
                      "split_articles"]


def test_unrepairable_damage_is_reported() -> None:
    # Two lost bytes in a row inside plain ASCII leave nothing a repair can rebuild.
    text, fired = repair_text("Report \ufffd\ufffd 2024")
    assert "\ufffd" in text
    assert fired[-1] == UNREPAIRED_DAMAGE


def test_repaired_damage_is_not_reported() -> None:
    damaged = "全市小麦机收进度已过半。".encode().decode("gbk", errors="replace")
    assert "\ufffd" in damaged
    text, fired = repair_text(damaged)
    assert "\ufffd" not in text
    assert UNREPAIRED_DAMAGE not in fired
