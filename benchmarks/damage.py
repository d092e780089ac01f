"""Damage generators for the repair evaluation: one named function per kind of damage.

Each generator takes a clean paragraph and a seeded `random.Random` and returns a `Case` (the
text a repair should give back, and the damaged text), or None when the paragraph cannot carry
that damage (nothing to encode, no mark to hit). Everything is deterministic for a given seed.

The damage is made the way real software makes it: Python or a browser decoding bytes with the
wrong codec (`errors="replace"`, `"ignore"`, a `?` written back for U+FFFD), a GBK stream losing
one byte, OpenCC s2t with pypinyin reading notes, stray commas. The seed documents show what the
scraped pages look like; `shifted_gbk_folded` mimics seed 002, whose whole text was width-folded
after the damage (so its clean text is folded too: the repairs never fold or unfold widths).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from opencc import OpenCC
from pypinyin import Style, pinyin


@dataclass(frozen=True)
class Case:
    """A damaged paragraph and the exact text its repair must give back."""

    original: str
    damaged: str


Damage = Callable[[str, random.Random], Case | None]

_HAN = re.compile("[\u4e00-\u9fff]")
_FULLWIDTH_ASCII = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}


def _case(original: str, damaged: str) -> Case | None:
    """A case, or None when the damage left the text as it was."""
    return Case(original, damaged) if damaged != original else None


def width_fold(text: str) -> str:
    """Fold full-width ASCII variants to ASCII (，→, ！→!), as the seed scrapes were folded."""
    return text.translate(_FULLWIDTH_ASCII)


def browser_cp1252(data: bytes) -> str:
    """Decode like a browser showing cp1252: the five undefined bytes become C1 controls."""
    out = []
    for byte in data:
        try:
            out.append(bytes((byte,)).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(chr(byte))
    return "".join(out)


def _encodable(text: str, codec: str) -> bool:
    """True when `text` encodes in `codec` without loss."""
    try:
        text.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


# Mojibake -------------------------------------------------------------------------------------


def utf8_as_gb18030(text: str, rng: random.Random) -> Case | None:
    """UTF-8 bytes decoded as GB18030 with errors='replace' (涓\ue15e浗 for 中国)."""
    return _case(text, text.encode("utf-8").decode("gb18030", errors="replace"))


def utf8_as_gbk_replace(text: str, rng: random.Random) -> Case | None:
    """UTF-8 bytes decoded as GBK with errors='replace': undecodable bytes become U+FFFD."""
    return _case(text, text.encode("utf-8").decode("gbk", errors="replace"))


def utf8_as_gbk_question(text: str, rng: random.Random) -> Case | None:
    """UTF-8 decoded as GBK with errors='replace', then written to a legacy page: U+FFFD → `?`."""
    damaged = text.encode("utf-8").decode("gbk", errors="replace").replace("\ufffd", "?")
    return _case(text, damaged)


def utf8_as_gbk_ignore(text: str, rng: random.Random) -> Case | None:
    """UTF-8 decoded as GBK with errors='ignore': undecodable bytes vanish without a trace."""
    return _case(text, text.encode("utf-8").decode("gbk", errors="ignore"))


CLAUSE = re.compile("[^，。；！？：,;!?:\n]+[，。；！？：,;!?:]?")
"""A clause: the text up to and with its closing punctuation mark."""

SHORT_CLAUSE = range(6, 15)
"""Lengths of the short clauses that `short_clause_utf8_as_gbk` damages (titles, short lines)."""


def _short_clauses(text: str) -> list[re.Match[str]]:
    """The clauses of `text` with Han characters and SHORT_CLAUSE characters (spaces aside)."""
    return [
        match
        for match in CLAUSE.finditer(text)
        if len(match.group().strip()) in SHORT_CLAUSE and _HAN.search(match.group())
    ]


def short_clause_utf8_as_gbk(text: str, rng: random.Random) -> Case | None:
    """One short clause (6-14 characters) of the paragraph alone, UTF-8 decoded as GBK with
    errors='replace', as a title or a short line of a dump is."""
    clauses = _short_clauses(text)
    if not clauses:
        return None
    clause = rng.choice(clauses).group().strip()
    return _case(clause, clause.encode("utf-8").decode("gbk", errors="replace"))


def clause_inside_clean(text: str, rng: random.Random) -> Case | None:
    """One short clause (6-14 characters) UTF-8 decoded as GBK (errors='replace') in place, the
    rest of the paragraph clean, as where a dump pasted one damaged phrase into clean text."""
    clauses = [
        match for match in _short_clauses(text) if match.start() > 0 and match.end() < len(text)
    ]
    if not clauses:
        return None
    clause = rng.choice(clauses)
    damaged = clause.group().encode("utf-8").decode("gbk", errors="replace")
    return _case(text, text[: clause.start()] + damaged + text[clause.end() :])


def between_clean(text: str, rng: random.Random) -> Case | None:
    """Three paragraphs with the middle one UTF-8 decoded as GBK (errors='replace')."""
    paragraphs = text.split("\n")
    if len(paragraphs) != 3:
        return None
    damaged = paragraphs[1].encode("utf-8").decode("gbk", errors="replace")
    return _case(text, "\n".join([paragraphs[0], damaged, paragraphs[2]]))


def gbk_as_cp1252(text: str, rng: random.Random) -> Case | None:
    """GBK bytes shown by a browser as cp1252 (ÖÐ¹ú for 中国, C1 controls for 81 8D 8F 90 9D)."""
    if not _encodable(text, "gbk"):
        return None
    return _case(text, browser_cp1252(text.encode("gbk")))


def gbk_as_latin1(text: str, rng: random.Random) -> Case | None:
    """GBK bytes decoded as Latin-1."""
    if not _encodable(text, "gbk"):
        return None
    return _case(text, text.encode("gbk").decode("latin-1"))


def utf8_as_cp1252(text: str, rng: random.Random) -> Case | None:
    """UTF-8 bytes shown by a browser as cp1252 (ä¸­å›½ for 中国)."""
    return _case(text, browser_cp1252(text.encode("utf-8")))


def utf8_as_latin1(text: str, rng: random.Random) -> Case | None:
    """UTF-8 bytes decoded as Latin-1."""
    return _case(text, text.encode("utf-8").decode("latin-1"))


# Shifted GBK ----------------------------------------------------------------------------------


def double_byte_offsets(data: bytes) -> list[int]:
    """Offsets of the double-byte characters in GBK bytes."""
    offsets = []
    index = 0
    while index < len(data):
        if data[index] >= 0x81:
            offsets.append(index)
            index += 2
        else:
            index += 1
    return offsets


def _lead_to_question(text: str, rng: random.Random) -> str | None:
    """GBK bytes of `text` with the lead byte of one random character turned into `?`."""
    if not _encodable(text, "gbk"):
        return None
    data = text.encode("gbk")
    offsets = double_byte_offsets(data)
    if len(offsets) < 2:
        return None
    offset = rng.choice(offsets[:-1])
    return (data[:offset] + b"?" + data[offset + 1 :]).decode("gbk", errors="replace")


def shifted_gbk(text: str, rng: random.Random) -> Case | None:
    """A lead byte lost and shown as `?`: the characters after it are misaligned up to ASCII."""
    damaged = _lead_to_question(text, rng)
    return _case(text, damaged) if damaged is not None else None


def shifted_gbk_folded(text: str, rng: random.Random) -> Case | None:
    """As `shifted_gbk`, then the whole paragraph width-folded, like seed 002 (`?!笔痉秴^`)."""
    damaged = _lead_to_question(text, rng)
    if damaged is None:
        return None
    return _case(width_fold(text), width_fold(damaged))


def shifted_gbk_dropped(text: str, rng: random.Random) -> Case | None:
    """One byte dropped from a GBK stream with no marker; undecodable bytes come out as `?`."""
    if not _encodable(text, "gbk"):
        return None
    data = text.encode("gbk")
    offsets = double_byte_offsets(data)
    if len(offsets) < 2:
        return None
    offset = rng.choice(offsets[:-1]) + rng.randrange(2)
    damaged = (data[:offset] + data[offset + 1 :]).decode("gbk", errors="replace")
    return _case(text, damaged.replace("\ufffd", "?"))


# Script and pinyin notes ----------------------------------------------------------------------

NOTE_SHARE = 0.6
"""Share of the converted (traditional) characters that get a reading note, as in seed 002."""


@cache
def _s2t() -> OpenCC:
    """The OpenCC simplified-to-traditional converter."""
    return OpenCC("s2t")


def _traditional(text: str) -> str | None:
    """`text` in traditional script, character for character, or None when s2t changes length."""
    converted = _s2t().convert(text)
    return converted if len(converted) == len(text) else None


def _readings(text: str) -> list[str | None]:
    """The tone-marked reading of each character of `text` (None for non-Han), in context."""
    return [item[0] or None for item in pinyin(text, style=Style.TONE, errors=_no_reading)]


def _no_reading(chars: str) -> str:
    """pypinyin error handler: one empty reading per non-Han character (it accepts a list)."""
    return [""] * len(chars)  # type: ignore[return-value]


def _noted(text: str, converted: str, rng: random.Random, share: float) -> list[str]:
    """The characters of `converted` with a `(reading)` note after a share of the changed ones.

    When nothing changed (simplified text), notes go after a share of all Han characters.
    """
    readings = _readings(text)
    changed = [i for i, (a, b) in enumerate(zip(text, converted, strict=True)) if a != b]
    targets = changed or [i for i, char in enumerate(text) if _HAN.match(char)]
    noted = {i for i in targets if readings[i] and rng.random() < share}
    return [f"{char}({readings[i]})" if i in noted else char for i, char in enumerate(converted)]


def traditional(text: str, rng: random.Random) -> Case | None:
    """The paragraph converted to traditional script by OpenCC s2t."""
    converted = _traditional(text)
    return _case(text, converted) if converted is not None else None


def pinyin_notes(text: str, rng: random.Random) -> Case | None:
    """Simplified text with a tone-marked reading note after a share of its Han characters."""
    return _case(text, "".join(_noted(text, text, rng, NOTE_SHARE / 2)))


def traditional_pinyin(text: str, rng: random.Random) -> Case | None:
    """Traditional script with reading notes after most converted characters (藍(lán)圖)."""
    converted = _traditional(text)
    if converted is None:
        return None
    return _case(text, "".join(_noted(text, converted, rng, NOTE_SHARE)))


def pinyin_lost_char(text: str, rng: random.Random) -> Case | None:
    """As `traditional_pinyin`, with one noted character and its `(` lost to a `?` (?zhēng))."""
    converted = _traditional(text)
    if converted is None:
        return None
    pieces = _noted(text, converted, rng, NOTE_SHARE)
    noted = [i for i, piece in enumerate(pieces) if len(piece) > 1]
    if not noted:
        return None
    lost = rng.choice(noted)
    pieces[lost] = "?" + pieces[lost][2:]
    return _case(text, "".join(pieces))


# Stray punctuation ----------------------------------------------------------------------------

STRAY_SHARE = 0.4
"""Share of `，` `、` `。` (or their ASCII forms) that get a stray comma in front."""

_STRAY_TARGET = re.compile("[，、。,]")


def stray_punctuation(text: str, rng: random.Random) -> Case | None:
    """Stray commas before `、` `。` `，` (`,、` `,。` `,,` and full-width `，、` `，。` `，，`).

    The stray comma takes the width of the paragraph's own commas; at least one is inserted.
    """
    marks = [match.start() for match in _STRAY_TARGET.finditer(text)]
    if not marks:
        return None
    chosen = {position for position in marks if rng.random() < STRAY_SHARE}
    chosen.add(rng.choice(marks))
    comma = "，" if "，" in text or "," not in text else ","
    out = []
    for index, char in enumerate(text):
        if index in chosen:
            out.append(comma)
        out.append(char)
    return _case(text, "".join(out))


@dataclass(frozen=True)
class Kind:
    """A kind of damage, the repairs responsible for undoing it, and its generator."""

    name: str
    repairs: tuple[str, ...]
    damage: Damage
    paragraphs: int = 1
    """How many consecutive clean paragraphs (joined by newlines) the generator takes."""


KINDS: tuple[Kind, ...] = (
    Kind("utf8_as_gb18030", ("mojibake_utf8_as_gbk",), utf8_as_gb18030),
    Kind("utf8_as_gbk_replace", ("mojibake_utf8_as_gbk",), utf8_as_gbk_replace),
    Kind("utf8_as_gbk_question", ("mojibake_utf8_as_gbk",), utf8_as_gbk_question),
    Kind("utf8_as_gbk_ignore", ("mojibake_utf8_as_gbk",), utf8_as_gbk_ignore),
    Kind("short_clause_utf8_as_gbk", ("mojibake_utf8_as_gbk",), short_clause_utf8_as_gbk),
    Kind("between_clean", ("mojibake_utf8_as_gbk",), between_clean, paragraphs=3),
    Kind("clause_inside_clean", ("mojibake_utf8_as_gbk",), clause_inside_clean),
    Kind("gbk_as_cp1252", ("mojibake_gbk_as_latin1",), gbk_as_cp1252),
    Kind("gbk_as_latin1", ("mojibake_gbk_as_latin1",), gbk_as_latin1),
    Kind("utf8_as_cp1252", ("mojibake_utf8_as_cp1252",), utf8_as_cp1252),
    Kind("utf8_as_latin1", ("mojibake_utf8_as_cp1252",), utf8_as_latin1),
    Kind("shifted_gbk", ("shifted_gbk",), shifted_gbk),
    Kind("shifted_gbk_folded", ("shifted_gbk",), shifted_gbk_folded),
    Kind("shifted_gbk_dropped", ("shifted_gbk",), shifted_gbk_dropped),
    Kind("traditional", ("traditional_to_simplified",), traditional),
    Kind("pinyin_notes", ("pinyin_notes",), pinyin_notes),
    Kind("traditional_pinyin", ("pinyin_notes", "traditional_to_simplified"), traditional_pinyin),
    Kind(
        "pinyin_lost_char",
        ("broken_pinyin", "pinyin_notes", "traditional_to_simplified"),
        pinyin_lost_char,
    ),
    Kind("stray_punctuation", ("stray_punctuation",), stray_punctuation),
)
"""Every kind, in the order of the repairs that undo them."""
