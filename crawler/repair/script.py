"""Script repair: convert traditional-script text to simplified with OpenCC t2s.

Conversion runs only when the text is detected as traditional, so simplified text (which may
legitimately hold a few traditional forms in names or quotations) passes through byte-identical.

Detection counts the characters that t2s would change, taken once from OpenCC's own
`TSCharacters` table. Characters that t2s may also leave as they are (乾, 於, 徵, 麽 …: they
have themselves among their simplified forms) are not evidence and are left out. The text is
traditional when such characters make up at least `TRADITIONAL_SHARE` of its Han characters;
real traditional prose scores around 0.2-0.4, simplified news about 0.

OpenCC splits its input at punctuation and whitespace and copies those through unchanged, and its
tables map Han characters only, so widths and punctuation (「」，（）) keep their source form.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import opencc

TRADITIONAL_SHARE = 0.08
"""Share of t2s-changed characters among Han characters above which a text is traditional."""

MIN_TRADITIONAL_CHARS = 2
"""Fewer changed characters than this is never evidence, whatever the share."""

HAN_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN = re.compile(f"[{HAN_CLASS}]")

_DICTIONARY_DIR = Path(opencc.__file__).parent / "dictionary"


def _read_char_table(name: str) -> dict[str, list[str]]:
    """Read an OpenCC character table: `source<TAB>target target…` per line."""
    table: dict[str, list[str]] = {}
    with (_DICTIONARY_DIR / name).open(encoding="utf-8") as handle:
        for line in handle:
            source, _, targets = line.rstrip("\n").partition("\t")
            if len(source) == 1 and targets:
                table[source] = targets.split(" ")
    return table


@cache
def simplified_char_map() -> dict[str, str]:
    """Traditional character -> its preferred simplified form, for characters t2s changes."""
    return {
        source: targets[0]
        for source, targets in _read_char_table("TSCharacters.txt").items()
        if targets[0] != source
    }


@cache
def traditional_char_map() -> dict[str, str]:
    """Simplified character -> its preferred traditional form, for characters s2t changes."""
    return {
        source: targets[0]
        for source, targets in _read_char_table("STCharacters.txt").items()
        if targets[0] != source
    }


@cache
def traditional_evidence() -> frozenset[str]:
    """Characters whose presence is evidence of traditional script: t2s always changes them."""
    return frozenset(
        source
        for source, targets in _read_char_table("TSCharacters.txt").items()
        if targets[0] != source and source not in targets
    )


@cache
def _t2s() -> opencc.OpenCC:
    """The t2s converter, built once (loading its tables is the slow part)."""
    return opencc.OpenCC("t2s")


def is_traditional(text: str) -> bool:
    """True when `text` is written in traditional script."""
    evidence = traditional_evidence()
    if evidence.isdisjoint(text):
        return False
    count = sum(1 for char in text if char in evidence)
    if count < MIN_TRADITIONAL_CHARS:
        return False
    return count >= TRADITIONAL_SHARE * len(_HAN.findall(text))


def to_simplified(text: str) -> str:
    """Convert `text` to simplified script when it is traditional; otherwise return it unchanged."""
    if not is_traditional(text):
        return text
    return _t2s().convert(text)
