"""Build `phrases.tsv.gz`, the words of two to four characters that jieba's dictionary lacks.

Run once, by hand, on a Debian machine (the runtime needs none of this):

    apt-get download pinyin-database
    dpkg -x pinyin-database_*.deb /tmp/pinyin-database
    python crawler/repair/data/make_phrases.py /tmp/pinyin-database

Source: the phrase table of the ibus-pinyin input method (Debian `pinyin-database`, GPL-2.0 or
later): an SQLite file, `usr/share/pinyin-database/main.db`, with a table `py_phrase_<n>` of
the phrases of n + 1 characters, each row a phrase, its `freq` and the syllables of one of its
readings. It holds the set phrases of news prose that jieba's dictionary has no entry for
(本报讯, 攻坚克难, 城乡一体, 合作共赢), and a lost byte among them is guessed wrong without them.

`freq` is an input method's rank, not a count. It is mapped to a count on the scale of
`words.tsv` by the least-squares line through the words both tables hold (log10 count against
`freq`), and a phrase is kept when it is made of Han characters only, `freq` is at least
MIN_FREQ (its highest over its readings), jieba has no such word and its mapped count reaches
the floor of `words.tsv` (its smallest count).

Output (gzip): a comment line, then rows `phrase<TAB>count`, sorted.
"""

from __future__ import annotations

import gzip
import math
import sqlite3
import sys
from pathlib import Path

HERE = Path(__file__).parent
OUTPUT = HERE / "phrases.tsv.gz"
DATABASE = Path("usr/share/pinyin-database/main.db")
MAX_WORD = 4
"""Longest phrase kept, as in `words.tsv` (`lexicon.MAX_WORD`)."""
MIN_FREQ = 3000
"""Phrases ranked lower are left out (a quarter of the table's phrases of two to four
characters rank lower; keeping them gained nothing on the tuning paragraphs)."""


def read_phrases(database: Path) -> dict[str, int]:
    """Phrase -> its highest `freq` over its readings, for phrases of two to MAX_WORD characters."""
    phrases: dict[str, int] = {}
    with sqlite3.connect(database) as connection:
        for length in range(2, MAX_WORD + 1):
            for phrase, freq in connection.execute(
                f"SELECT phrase, freq FROM py_phrase_{length - 1}"
            ):
                if freq > phrases.get(phrase, -1):
                    phrases[phrase] = freq
    return phrases


def read_words() -> dict[str, int]:
    """The counts of `words.tsv` (its header line left out)."""
    with (HERE / "words.tsv").open(encoding="utf-8") as rows:
        rows.readline()
        return {word: int(count) for word, count in (row.rstrip("\n").split("\t") for row in rows)}


def fit(phrases: dict[str, int], words: dict[str, int]) -> tuple[float, float]:
    """Intercept and slope of log10 count against `freq`, over the words both tables hold."""
    points = [
        (phrases[word], math.log10(count)) for word, count in words.items() if word in phrases
    ]
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / sum(
        (x - mean_x) ** 2 for x, _ in points
    )
    return mean_y - slope * mean_x, slope


def is_han(phrase: str) -> bool:
    """Whether every character of `phrase` is a CJK unified ideograph of the basic block."""
    return all("\u4e00" <= char <= "\u9fff" for char in phrase)


def main(root: Path) -> None:
    phrases = read_phrases(root / DATABASE)
    words = read_words()
    floor = min(words.values())
    intercept, slope = fit(phrases, words)
    rows = ["# phrases of ibus-pinyin's pinyin-database (GPL-2.0-or-later) that words.tsv lacks\n"]
    for phrase, freq in sorted(phrases.items()):
        if freq < MIN_FREQ or phrase in words or not is_han(phrase):
            continue
        count = round(10 ** (intercept + slope * freq))
        if count >= floor:
            rows.append(f"{phrase}\t{count}\n")
    OUTPUT.write_bytes(gzip.compress("".join(rows).encode("utf-8"), mtime=0))
    print(
        f"{OUTPUT.name}: {len(rows) - 1} phrases, log10 count = {intercept:.3f} + "
        f"{slope:.6f} freq, {OUTPUT.stat().st_size / 1e6:.1f} MB"
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
