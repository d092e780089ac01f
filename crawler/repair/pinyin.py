"""Pinyin repairs: strip reading notes after Han characters and mend notes broken by mojibake.

Some mirrors annotate characters with their reading: `藍(lán)圖`. `strip_pinyin_notes` removes
such a note when it is a parenthesised, lower-case syllable (tone marks or tone digits allowed)
directly after a Han character, and the note is plausibly a reading of that character:

- a note whose syllables all carry tone marks and are real pinyin syllables goes;
- a note that spells a reading of the characters before it (from pypinyin's character table)
  goes if it carries a tone mark or digit, or, when unmarked (`(an)`, `(de)`), only if the text
  also holds at least `DENSE_NOTES` tone-marked notes: an annotated text marks most syllables, and
  a lone `是(an)` is far likelier English than a reading;
- everything else stays: `(记者 郑海波)`, `(2023)`, `(WHO)`, `(China)`, `(see below)`, `(a)`.

`fix_broken_pinyin` runs first and mends the notes mojibake left behind:

- `?zhēng)`: the annotated character and the `(` were lost and a `?` (or U+FFFD) stands in their
  place. The lost character is recovered from the reading and the neighbouring characters: the
  characters with that reading that form known words with their neighbours (pypinyin and
  CC-CEDICT phrase data, with the word's own reading at that position, or jieba's words from
  `lexicon`, which hold many that CC-CEDICT lacks: 省里, 各项, 三十个) are ranked by the word
  model (`lexicon.segment_logp`), and only a clear winner is written back, in the script of its
  neighbours. Otherwise the fragment is dropped. A
  run of fragments (`?tīng)?zhēng)`) may stand for one lost character or one per fragment. When
  the character before the `?` itself reads the syllable, only the `(` was lost: the fragment goes.
- `藍lán)圖` and `藍(lán圖`: a note that lost one parenthesis goes when it reads the character.

Broken notes are only looked for in text that holds a tone-marked letter somewhere, which keeps
clean text on a fast path and keeps `?de)`-like fragments from being guessed at in plain text.
"""

from __future__ import annotations

import importlib
import importlib.util
import itertools
import math
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from functools import cache, lru_cache

from pypinyin.constants import PHRASES_DICT, PINYIN_DICT

from crawler.repair.lexicon import segment_logp, word_logp
from crawler.repair.script import HAN_CLASS, simplified_char_map, traditional_char_map

DENSE_NOTES = 2
"""Tone-marked notes a text must hold before unmarked notes that read their character go."""

CONTEXT_CHARS = 3
"""Han characters on each side of a lost character used to recognise words."""

MAX_WORD = 6
"""Longest word looked up around a lost character."""

CONFIDENT_MARGIN = 1.0
"""How much more probable (log10, by the word model) a recovered character must be than the
next candidate."""

MAX_SEQUENCES = 2000
"""Most character sequences tried for a run of fragments taken as one lost character each."""

PHRASE_PACKAGE = "pypinyin_dict.phrase_pinyin_data"
PHRASE_MODULE_PREFIX = "cc_cedict_"

_TONE_MARKS = {"\u0304": "1", "\u0301": "2", "\u030c": "3", "\u0300": "4"}
_LOST = "?\ufffd"


def _reading_letters() -> str:
    """Every character used in pypinyin's readings, plus `v` for ü."""
    letters = set("v")
    for readings in PINYIN_DICT.values():
        letters.update(readings)
    letters.discard(",")
    letters.update(_TONE_MARKS)
    letters.update("\u0302\u0308")
    return "".join(sorted(letters))


_LETTERS = re.escape(_reading_letters())
_TONED = re.escape(
    "".join(
        char
        for char in _reading_letters()
        if any(mark in _TONE_MARKS for mark in unicodedata.normalize("NFD", char))
    )
)
_TOKEN = f"[{_LETTERS}]{{1,8}}[1-5]?"
_TONED_TOKEN = f"[{_LETTERS}]{{0,7}}[{_TONED}][{_LETTERS}]{{0,7}}"
_MARKED_TOKEN = f"(?:{_TONED_TOKEN}[1-5]?|[{_LETTERS}]{{1,8}}[1-5])"
_BODY = f"{_TOKEN}(?:[ '’]{_TOKEN}){{0,5}}"
_OPEN = "[(（]"
_CLOSE = "[)）]"
_HAN = f"[{HAN_CLASS}]"

_NOTE_START = re.compile(f"{_OPEN}[{_LETTERS}]")
_TONED_CHAR = re.compile(f"[{_TONED}]")
_NOTE_RUN = re.compile(f"(?<={_HAN}){_OPEN}({_BODY}){_CLOSE}(?:{_OPEN}{_BODY}{_CLOSE})*")
_NOTE = re.compile(f"{_OPEN}({_BODY}){_CLOSE}")
_MARKED_NOTE = re.compile(f"(?<={_HAN}){_OPEN}{_MARKED_TOKEN}{_CLOSE}")
_SEPARATOR = re.compile("[ '’]")
_HAN_RUN_END = re.compile(f"{_HAN}+$")
_HAN_RUN_START = re.compile(f"^{_HAN}+")

_LOST_RUN = f"(?:[{_LOST}]{_TOKEN}{_CLOSE})+"
_LOST_OPEN = f"(?<={_HAN}){_TONED_TOKEN}{_CLOSE}"
_LOST_CLOSE = f"(?<={_HAN}){_OPEN}{_TONED_TOKEN}(?={_HAN})"
_BROKEN = re.compile(f"(?P<lost>{_LOST_RUN})|(?P<open>{_LOST_OPEN})|(?P<close>{_LOST_CLOSE})")
_FRAGMENT = re.compile(f"[{_LOST}]({_TOKEN}){_CLOSE}")
_CONTEXT_NOISE = re.compile(f"{_OPEN}{_MARKED_TOKEN}{_CLOSE}|[{_LOST}]{_TOKEN}{_CLOSE}")

Syllable = tuple[str, str]
"""A syllable as (base letters without tone, tone digit or "" when unmarked)."""


@cache
def syllable_key(raw: str) -> Syllable:
    """Split a written syllable (`zhēng`, `zheng1`, `lv4`, `de`) into its base and tone."""
    tone = ""
    if raw[-1:] in "12345":
        raw, tone = raw[:-1], raw[-1]
    base = []
    for char in unicodedata.normalize("NFD", raw):
        if char in _TONE_MARKS:
            tone = tone or _TONE_MARKS[char]
        else:
            base.append(char)
    folded = unicodedata.normalize("NFC", "".join(base)).replace("v", "ü")
    return folded, "" if tone == "5" else tone


def same_reading(first: Syllable, second: Syllable) -> bool:
    """Same syllable; an unmarked (neutral) tone matches any tone, as annotators differ there."""
    return first[0] == second[0] and (first[1] == second[1] or not first[1] or not second[1])


@cache
def syllable_inventory() -> frozenset[str]:
    """Every pinyin syllable (toneless) that pypinyin knows."""
    return frozenset(
        syllable_key(reading)[0]
        for readings in PINYIN_DICT.values()
        for reading in readings.split(",")
    )


@cache
def char_readings(char: str) -> frozenset[Syllable]:
    """The readings of one character, as syllable keys."""
    readings = PINYIN_DICT.get(ord(char), "")
    return frozenset(syllable_key(reading) for reading in readings.split(",") if reading)


@cache
def _char_bases(char: str) -> frozenset[str]:
    """The readings of one character, tone aside."""
    return frozenset(base for base, _ in char_readings(char))


@cache
def _chars_by_reading() -> dict[Syllable, tuple[str, ...]]:
    """Syllable key -> simplified characters (common block only) that can be read so."""
    simplify = simplified_char_map()
    index: dict[Syllable, dict[str, None]] = {}
    for code, readings in PINYIN_DICT.items():
        if not 0x4E00 <= code <= 0x9FFF:
            continue
        char = simplify.get(chr(code), chr(code))
        for reading in readings.split(","):
            index.setdefault(syllable_key(reading), {})[char] = None
    return {key: tuple(chars) for key, chars in index.items()}


def _phrase_tables() -> Iterator[dict[str, list[list[str]]]]:
    """pypinyin's phrase table, then pypinyin-dict's CC-CEDICT phrase table when installed.

    CC-CEDICT (about 100k words) rather than pypinyin-dict's larger tables: the larger ones hold
    many rare and classical words, which make more wrong guesses win or tie (measured on lost
    characters cut out of the seed texts: 290 right, 8 wrong against 251 right, 11 wrong).
    """
    yield PHRASES_DICT
    if importlib.util.find_spec(PHRASE_PACKAGE) is None:
        return
    for part in itertools.count():
        name = f"{PHRASE_PACKAGE}.{PHRASE_MODULE_PREFIX}{part}"
        if importlib.util.find_spec(name) is None:
            return
        module = importlib.import_module(name)
        yield module.phrases_dict
        # Each part holds tens of MB of nested lists; keep only the compact lexicon built from it.
        sys.modules.pop(name, None)
        vars(sys.modules[PHRASE_PACKAGE]).pop(f"{PHRASE_MODULE_PREFIX}{part}", None)


@cache
def lexicon() -> dict[str, str]:
    """Known words (2 to `MAX_WORD` characters) -> their readings, space-separated."""
    words: dict[str, str] = {}
    for table in _phrase_tables():
        for word, readings in table.items():
            if 2 <= len(word) <= MAX_WORD and len(readings) == len(word):
                words.setdefault(word, " ".join(reading[0] for reading in readings))
    return words


def _reads_as(chars: str, body: str) -> bool:
    """True when `body` (toneless letters) spells a reading of `chars`, one syllable per char."""
    if not chars:
        return not body
    if len(chars) == 1:
        return body in _char_bases(chars)
    return any(
        body.startswith(base) and _reads_as(chars[1:], body[len(base) :])
        for base in _char_bases(chars[0])
    )


def _has_tone_mark(token: str) -> bool:
    """True when a written syllable carries a tone diacritic (not a digit)."""
    return any(mark in _TONE_MARKS for mark in unicodedata.normalize("NFD", token))


@lru_cache(maxsize=1 << 16)
def _note_facts(body: str) -> tuple[str, int, bool, bool]:
    """A note body's letters with tones dropped, its syllable count, whether any syllable has
    a tone, and whether every syllable is a real, tone-marked pinyin syllable."""
    tokens = _SEPARATOR.split(body)
    keys = [syllable_key(token) for token in tokens]
    inventory = syllable_inventory()
    return (
        "".join(base for base, _ in keys),
        len(tokens),
        any(tone for _, tone in keys),
        all(
            base in inventory and _has_tone_mark(token)
            for token, (base, _) in zip(tokens, keys, strict=True)
        ),
    )


def _is_note(body: str, before: str, dense: bool) -> bool:
    """Decide whether `body`, in parentheses after the Han characters `before`, is a reading."""
    spelled, syllables, toned, all_marked = _note_facts(body)
    longest = min(len(before), 2 * syllables + 2)
    if any(_reads_as(before[-count:], spelled) for count in range(1, longest + 1)):
        return dense or toned
    return all_marked


def strip_pinyin_notes(text: str) -> str:
    """Remove pinyin reading notes after Han characters: `藍(lán)圖` -> `藍圖`."""
    if _NOTE_START.search(text) is None:
        return text
    dense = len(list(itertools.islice(_MARKED_NOTE.finditer(text), DENSE_NOTES))) == DENSE_NOTES

    def strip(match: re.Match[str]) -> str:
        before_match = _HAN_RUN_END.search(text, max(0, match.start() - 8), match.start())
        before = before_match.group() if before_match else ""
        if match.end(1) + 1 == match.end():
            return "" if _is_note(match.group(1), before, dense) else match.group()
        kept: list[str] = []
        for note in _NOTE.finditer(match.group()):
            if kept or not _is_note(note.group(1), before, dense):
                kept.append(note.group())
        return "".join(kept)

    return _NOTE_RUN.sub(strip, text)


def _context(text: str, start: int, end: int) -> tuple[str, str]:
    """The Han characters next to `text[start:end]`, ignoring other notes and fragments."""
    left = _CONTEXT_NOISE.sub("", text[max(0, start - 8 * CONTEXT_CHARS) : start])
    right = _CONTEXT_NOISE.sub("", text[end : end + 8 * CONTEXT_CHARS])
    left_run = _HAN_RUN_END.search(left)
    right_run = _HAN_RUN_START.search(right)
    return (
        left_run.group()[-CONTEXT_CHARS:] if left_run else "",
        right_run.group()[:CONTEXT_CHARS] if right_run else "",
    )


def _word_support(window: str, slots: dict[int, Syllable]) -> tuple[set[int], int]:
    """Which slots of `window` known words cover with the slot's reading, and a score.

    A word of the phrase tables must give each slot inside it the slot's reading; a word only
    jieba's table knows (`lexicon.word_logp`, no readings) must hold characters that can be read
    so.
    """
    words = lexicon()
    jieba_words = word_logp()
    covered: set[int] = set()
    score = 0
    for start in range(len(window) - 1):
        for end in range(start + 2, min(len(window), start + MAX_WORD) + 1):
            inside = [slot for slot in slots if start <= slot < end]
            if not inside:
                continue
            word = window[start:end]
            readings = words.get(word)
            if readings is not None:
                spoken = [syllable_key(reading) for reading in readings.split(" ")]
                if not all(same_reading(spoken[slot - start], slots[slot]) for slot in inside):
                    continue
            elif word not in jieba_words or not all(
                any(same_reading(key, slots[slot]) for key in char_readings(window[slot]))
                for slot in inside
            ):
                continue
            covered.update(inside)
            score += end - start
    return covered, score


def _pairs_with(chars: Iterable[str], slot: Syllable, follows: bool) -> set[str]:
    """Characters read `slot` forming a known two-character word with one of `chars`.

    With `follows`, the candidate is the word's second character, else its first.
    """
    words = lexicon()
    found: set[str] = set()
    for candidate in _chars_by_reading().get(slot, ()):
        for other in chars:
            word = other + candidate if follows else candidate + other
            readings = words.get(word)
            spoken = readings.split(" ")[1 if follows else 0] if readings else None
            if spoken is not None and same_reading(syllable_key(spoken), slot):
                found.add(candidate)
                break
    return found


def _hypotheses(
    left: str, right: str, syllables: list[Syllable]
) -> Iterator[list[tuple[str, Syllable]]]:
    """Candidate fillings: one character for the whole run, or one per fragment.

    For one character per fragment, each character must form a known two-character word with
    a neighbour (the context or a candidate of the next fragment); that keeps the product small.
    """
    index = _chars_by_reading()
    for syllable in dict.fromkeys(syllables):
        for char in index.get(syllable, ()):
            yield [(char, syllable)]
    if len(syllables) == 1:
        return
    candidates = [index.get(key, ()) for key in syllables]
    choices: list[list[tuple[str, Syllable]]] = []
    for slot, key in enumerate(syllables):
        before = left[-1:] if slot == 0 else "".join(candidates[slot - 1])
        after = right[:1] if slot == len(syllables) - 1 else "".join(candidates[slot + 1])
        allowed = _pairs_with(before, key, follows=True) | _pairs_with(after, key, follows=False)
        choices.append([(char, key) for char in candidates[slot] if char in allowed])
    if 0 < math.prod(len(choice) for choice in choices) <= MAX_SEQUENCES:
        yield from (list(sequence) for sequence in itertools.product(*choices))


def recover_lost_char(left: str, right: str, syllables: list[Syllable]) -> str | None:
    """The characters lost between `left` and `right`, if known words single them out.

    Every filling whose characters known words cover is scored by the word model over the
    window (`lexicon.segment_logp`); the best one is kept only when it beats the next by
    CONFIDENT_MARGIN, and also has the most word support.
    """
    simplify = simplified_char_map()
    left = "".join(simplify.get(char, char) for char in left)
    right = "".join(simplify.get(char, char) for char in right)
    scored: dict[str, tuple[int, float]] = {}
    for filling in _hypotheses(left, right, syllables):
        chars = "".join(char for char, _ in filling)
        slots = {len(left) + offset: key for offset, (_, key) in enumerate(filling)}
        covered, support = _word_support(left + chars + right, slots)
        if len(covered) == len(slots) and chars not in scored:
            scored[chars] = (support, segment_logp(left + chars + right))
    ranking = sorted(scored.items(), key=lambda item: -item[1][1])
    if not ranking:
        return None
    best, (support, logp) = ranking[0]
    if len(ranking) > 1 and (
        logp - ranking[1][1][1] < CONFIDENT_MARGIN
        or support < max(other for other, _ in scored.values())
    ):
        return None
    return best


def _reads_note(char: str, token: str) -> bool:
    """True when the written syllable `token` is a reading of `char`, tone aside."""
    return syllable_key(token)[0] in {base for base, _ in char_readings(char)}


def _mend(text: str, match: re.Match[str]) -> str:
    """Replacement for one broken note found by `_BROKEN`."""
    broken = match.group()
    if match.lastgroup in ("open", "close"):
        token = broken[:-1] if match.lastgroup == "open" else broken[1:]
        return "" if _reads_note(text[match.start() - 1], token) else broken
    tokens = _FRAGMENT.findall(broken)
    syllables = [syllable_key(token) for token in tokens]
    if not all(base in syllable_inventory() for base, _ in syllables):
        return broken
    left, right = _context(text, match.start(), match.end())
    if left and _reads_note(left[-1], tokens[0]):
        return ""
    if not (left or right):
        return broken
    recovered = recover_lost_char(left, right, syllables)
    if recovered is None:
        return ""
    if any(char in simplified_char_map() for char in left + right):
        traditional = traditional_char_map()
        return "".join(traditional.get(char, char) for char in recovered)
    return recovered


def fix_broken_pinyin(text: str) -> str:
    """Mend pinyin notes broken by mojibake, recovering a lost character when confident."""
    if _TONED_CHAR.search(text) is None or _BROKEN.search(text) is None:
        return text
    return _BROKEN.sub(lambda match: _mend(text, match), text)
