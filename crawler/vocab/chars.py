"""Characters: the one definition of a Han character used across the project (`HAN`, a regex
class body; `HAN_RE` for one character; `han_count`)."""

from __future__ import annotations

import re

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
"""Regex character-class body for Han characters: the unified ideographs, extension A, the
compatibility ideographs and the supplementary-plane extensions B to H."""

HAN_RE = re.compile(f"[{HAN}]")
"""One Han character."""


def han_count(text: str) -> int:
    """Number of Han characters in `text`."""
    return len(HAN_RE.findall(text))
