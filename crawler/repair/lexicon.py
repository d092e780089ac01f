"""Word evidence from the character tables in `crawler/repair/data`: how often two characters
stand next to each other inside a word.

`char_pairs.tsv` counts adjacent Han characters inside dictionary words (see
`data/README.md`). The broken-lines repair asks it whether a line break falls inside a word
(`市领` / `导一行…`: 领导 is a word, 导一 none), which a layout cut does and a real paragraph
break almost never does. The table is read once, on first use.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).with_name("data")


@lru_cache(maxsize=1)
def _pairs() -> dict[str, int]:
    """Counts of adjacent character pairs inside words, from `char_pairs.tsv`."""
    pairs: dict[str, int] = {}
    with (DATA_DIR / "char_pairs.tsv").open(encoding="utf-8") as rows:
        for row in rows:
            if not row.startswith("#"):
                pair, count = row.rstrip("\n").split("\t")
                pairs[pair] = int(count)
    return pairs


def pair_count(left: str, right: str) -> int:
    """How often character `left` is followed by character `right` inside a word (0 when the
    pair is no part of any dictionary word)."""
    return _pairs().get(left + right, 0)
