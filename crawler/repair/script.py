"""Script repair: convert traditional-script text to simplified with OpenCC t2s.

Conversion runs only when the text is detected as traditional, so simplified text (which may
legitimately hold a few traditional forms in names or quotations) passes through byte-identical.

Detection counts the characters that t2s would change, taken once from OpenCC's own
`TSCharacters` table. Characters that t2s may also leave as they are (乾, 於, 徵, 麽 …: they
have themselves among their simplified forms) are not evidence and are left out. The text is
traditional when such characters make up at least `TRADITIONAL_SHARE` of its Han characters;
real traditional prose scores around 0.2-0.4, simplified news about 0.

Conversion gives exactly what `opencc.OpenCC("t2s").convert` gives, from the same dictionary
files, but fast (`T2SConverter`). The reference converter:

- splits the text at punctuation and whitespace and copies those separators through;
- in each segment, takes the longest `TSPhrases` key found anywhere (the leftmost of equal
  length), writes its first target, and repeats on the pieces left and right of it;
- maps every character no phrase covered by its first `TSCharacters` target.

Most phrases convert to what their characters convert to one by one, so they change nothing.
Only segments holding an *anchor* (a character some phrase converts otherwise than the character
table does: 乾, 於, 覆, 藉 …) can differ from a plain character mapping; those segments replay the
phrase matching above, everything else goes through one `str.translate`. Neither the tables nor
the separators touch punctuation or widths, so 「」，（） keep their source form.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import opencc

from crawler.repair.mojibake import holds_utf8_as_gbk, is_rare, strict_utf8_runs
from crawler.vocab.chars import HAN as HAN_CLASS

TRADITIONAL_SHARE = 0.08
"""Share of t2s-changed characters among Han characters above which a text is traditional."""

MIN_TRADITIONAL_CHARS = 2
"""Fewer changed characters than this is never evidence, whatever the share."""

_HAN = re.compile(f"[{HAN_CLASS}]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")

_OPENCC_DIR = Path(opencc.__file__).parent
_DICTIONARY_DIR = _OPENCC_DIR / "dictionary"
T2S_CHAIN = [["TSPhrases.txt", "TSCharacters.txt"]]
"""The t2s conversion chain `T2SConverter` reproduces: one group, phrases before characters."""


def _read_char_table(name: str) -> dict[str, list[str]]:
    """Read an OpenCC character table: `source<TAB>target target…` per line."""
    table: dict[str, list[str]] = {}
    with (_DICTIONARY_DIR / name).open(encoding="utf-8") as handle:
        for line in handle:
            source, _, targets = line.rstrip("\n").partition("\t")
            if len(source) == 1 and targets:
                table[source] = targets.split(" ")
    return table


def read_conversion_table(name: str) -> dict[str, str]:
    """Read an OpenCC table as its converter does: key -> first target, a later line winning."""
    table: dict[str, str] = {}
    with (_DICTIONARY_DIR / name).open(encoding="utf-8") as handle:
        for line in handle:
            key, _, targets = line.strip().partition("\t")
            if key:
                table[key] = targets.split(" ")[0]
    return table


def conversion_chain(config: str) -> list[list[str]]:
    """The dictionary files of an OpenCC config, one list per chain step."""
    with (_OPENCC_DIR / "config" / f"{config}.json").open(encoding="utf-8") as handle:
        setting = json.load(handle)
    chain: list[list[str]] = []
    for step in setting.get("conversion_chain", []):
        entry = step.get("dict", {})
        entries = entry.get("dicts", []) if entry.get("type") == "group" else [entry]
        chain.append([item.get("file", "") for item in entries])
    return chain


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
def _bmp_evidence() -> re.Pattern[str]:
    """One character class of the evidence characters below U+10000, for counting them in C.

    (Characters above it would turn the class into a slow linear list; they are counted apart.)
    """
    chars = sorted(char for char in traditional_evidence() if ord(char) <= 0xFFFF)
    return re.compile("[" + "".join(re.escape(char) for char in chars) + "]")


def _evidence_count(text: str) -> int:
    """How many characters of `text` are evidence of traditional script."""
    evidence = traditional_evidence()
    astral = sum(1 for char in _ASTRAL.findall(text) if char in evidence)
    return len(_bmp_evidence().findall(text)) + astral


@cache
def opencc_separators() -> str:
    """A regex character class body matching exactly the characters OpenCC splits text at."""
    split = opencc.OpenCC().split_chars_re
    literal = sorted(
        {char for char in split.pattern if not char.isspace() and split.fullmatch(char)}
    )
    return r"\s" + "".join(re.escape(char) for char in literal)


class T2SConverter:
    """OpenCC t2s built from OpenCC's own tables: same output, translate-table speed."""

    def __init__(self, phrases: dict[str, str], characters: dict[str, str]) -> None:
        if any(len(key) != 1 for key in characters):
            raise ValueError("character table holds multi-character keys")
        self.separator = re.compile(f"[{opencc_separators()}]")
        self.phrases = phrases
        self.table = str.maketrans({key: value for key, value in characters.items()
                                    if key != value and not self.separator.match(key)})
        self.prefixes = frozenset(key[:end] for key in phrases for end in range(1, len(key)))
        self.shortest = min(map(len, phrases), default=1)
        self.longest = max(map(len, phrases), default=0)
        anchors: set[str] = set()
        for key, value in phrases.items():
            plain = key.translate(self.table)
            if len(plain) != len(value):
                anchors.update(key)
            else:
                anchors.update(char for char, a, b in zip(key, plain, value, strict=True) if a != b)
        self.anchor = re.compile(
            "[" + "".join(re.escape(char) for char in sorted(anchors)) + "]" if anchors else "(?!)"
        )

    def convert(self, text: str) -> str:
        """`text` converted exactly as `opencc.OpenCC("t2s").convert` converts it."""
        hit = self.anchor.search(text)
        if hit is None:
            return text.translate(self.table)
        size = len(text)
        backwards = text[::-1]
        pieces: list[str] = []
        done = 0
        while hit is not None:
            before = self.separator.search(backwards, size - 1 - hit.start())
            after = self.separator.search(text, hit.start())
            start = size - before.start() if before else 0
            end = after.start() if after else size
            pieces.append(text[done:start].translate(self.table))
            pieces.append(self.convert_segment(text[start:end]))
            done = end
            hit = self.anchor.search(text, done)
        pieces.append(text[done:].translate(self.table))
        return "".join(pieces)

    def convert_segment(self, segment: str) -> str:
        """Convert a separator-free segment: longest phrases first, then single characters.

        OpenCC takes the longest (then leftmost) phrase and recurses into the pieces beside it;
        taking all phrase matches in that order and skipping those that overlap one already
        taken picks the same phrases, since each piece's best match is the first one left in it.
        """
        found: list[tuple[int, int]] = []
        size = len(segment)
        for start in range(size - self.shortest + 1):
            for end in range(start + self.shortest, min(size, start + self.longest) + 1):
                piece = segment[start:end]
                if piece in self.phrases:
                    found.append((start - end, start))
                if piece not in self.prefixes:
                    break
        if not found:
            return segment.translate(self.table)
        found.sort()
        taken = bytearray(size)
        chosen: list[tuple[int, int]] = []
        for negative_length, start in found:
            end = start - negative_length
            if not any(taken[start:end]):
                taken[start:end] = b"\x01" * (end - start)
                chosen.append((start, end))
        chosen.sort()
        pieces: list[str] = []
        done = 0
        for start, end in chosen:
            pieces.append(segment[done:start].translate(self.table))
            pieces.append(self.phrases[segment[start:end]])
            done = end
        pieces.append(segment[done:].translate(self.table))
        return "".join(pieces)


@cache
def t2s_converter() -> T2SConverter | opencc.OpenCC:
    """The t2s converter, built once: the fast one when the installed chain is the known one."""
    if conversion_chain("t2s") == T2S_CHAIN:
        phrases_file, characters_file = T2S_CHAIN[0]
        return T2SConverter(
            read_conversion_table(phrases_file), read_conversion_table(characters_file)
        )
    return opencc.OpenCC("t2s")


def is_traditional(text: str) -> bool:
    """True when `text` is written in traditional script."""
    if traditional_evidence().isdisjoint(text):
        return False
    count = _evidence_count(text)
    if count < MIN_TRADITIONAL_CHARS:
        return False
    # The Han count is at most len(text): skip counting when the share clears even that bound.
    return count >= TRADITIONAL_SHARE * len(text) or count >= TRADITIONAL_SHARE * len(
        _HAN.findall(text)
    )


def to_simplified(text: str) -> str:
    """Convert `text` to simplified script when it is traditional; otherwise return it unchanged.

    Mojibake that the repairs before could not undo is no traditional text, and converting it
    would only make it worse (`涓婁簡` → `涓娄简`): lines that still hold it are left as they are,
    and the text is judged traditional without them, and without a lone character of a run that
    decodes as UTF-8 into Chinese (the `鍒` of `鍒癝`, UTF-8 `到S`).
    """
    if not is_traditional(text):
        return text
    convert = t2s_converter().convert
    if "\ufffd" not in text and not _may_hold_utf8_as_gbk(text):
        return str(convert(text))
    lines = text.split("\n")
    clean = [not holds_utf8_as_gbk(line) for line in lines]
    evidence = "\n".join(
        _without_utf8_runs(line) for line, ok in zip(lines, clean, strict=True) if ok
    )
    if not is_traditional(evidence):
        return text
    return "\n".join(
        str(convert(line)) if ok else line for line, ok in zip(lines, clean, strict=True)
    )


def _may_hold_utf8_as_gbk(text: str) -> bool:
    """True when `text` holds a run that decodes as UTF-8 into at least one Han character."""
    return any(strict_utf8_runs(text, min_han=1))


def _without_utf8_runs(line: str) -> str:
    """`line` without the runs that decode as UTF-8 into Chinese and hold a rare character
    (`鍒癝`, not the common `鏈條` that decodes so too)."""
    runs = [
        run
        for run in strict_utf8_runs(line, min_han=1)
        if any(map(is_rare, line[run[0] : run[1]]))
    ]
    if not runs:
        return line
    pieces, done = [], 0
    for start, end, _ in runs:
        pieces.append(line[done:start])
        done = end
    pieces.append(line[done:])
    return "".join(pieces)
