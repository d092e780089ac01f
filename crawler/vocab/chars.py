"""Characters: the one definition of a Han character used across the project."""

from __future__ import annotations

import re

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
"""Regex character-class body for Han characters: the unified ideographs, extension A, the
compatibility ideographs and the supplementary-plane extensions B to H."""

HAN_RE = re.compile(f"[{HAN}]")
"""One Han character."""

_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134F))


def is_han(char: str) -> bool:
    """Whether `char` (one character) is a Han character."""
    point = ord(char)
    return any(low <= point <= high for low, high in _RANGES)


def han_count(text: str) -> int:
    """Number of Han characters in `text`."""
    return len(HAN_RE.findall(text))
