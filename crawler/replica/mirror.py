"""How the traditional-script gateway of 济源网 renders text (the source of seed 002).

The gateway converts simplified to traditional script, writes the pinyin after some converted
characters (`藍(lán)圖`) and leaves stray commas before punctuation (`,、` `,。`). The replica
reproduces those habits on its generated articles so that the mirror's pages carry the same
damage as the seed page.
"""

from __future__ import annotations

import random
from functools import cache

from opencc import OpenCC
from pypinyin import Style, pinyin

PINYIN_RATE = 0.45
STRAY_COMMA_RATE = 0.2


@cache
def _converter() -> OpenCC:
    return OpenCC("s2t")


def to_traditional(text: str) -> str:
    """Simplified → traditional script, character by character as the gateway does."""
    return str(_converter().convert(text))


def to_mirror_text(text: str, rng: random.Random) -> str:
    """Traditional script with pinyin notes after some converted characters and stray commas."""
    converted = to_traditional(text)
    out: list[str] = []
    for original, char in zip(text, converted, strict=False):
        if char in "、。" and rng.random() < STRAY_COMMA_RATE:
            out.append(",")
        out.append(char)
        if char != original and rng.random() < PINYIN_RATE:
            out.append(f"({pinyin(char, style=Style.TONE)[0][0]})")
        if char == "，" and rng.random() < STRAY_COMMA_RATE:
            out.append(",")
    if len(converted) != len(text):
        return converted
    return "".join(out)
