"""Mojibake repairs: undo text decoded with the wrong codec, and re-align shifted GBK text.

Four pure `str -> str` repairs:
- `fix_utf8_as_gbk`: UTF-8 bytes shown as GBK (涓浗 for 中国);
- `fix_gbk_as_latin1`: GBK bytes shown as cp1252/Latin-1 (ÖÐ¹ú for 中国);
- `fix_utf8_as_cp1252`: UTF-8 bytes shown as cp1252 (ä¸­å›½ for 中国);
- `fix_shifted_gbk`: a GBK stream lost one byte, so the characters after it are misaligned.

Each one returns at once when a compiled regex finds none of its characteristic characters.
Otherwise it takes each suspicious span, rebuilds the bytes the span was decoded from, decodes
them the right way and keeps the result only when it is clearly more plausible Chinese.
Plausibility is the mean log frequency of a span's non-ASCII characters (`data/char_freq.tsv`,
jieba's dictionary with traditional variants and punctuation; see `data/make_char_freq.py`).
A byte the damage lost, or replaced by `?` or U+FFFD, is guessed. Only values the wrong decoder
could have dropped are tried (cp1252's five undefined bytes; for GBK, a byte that starts no
character with the byte after it, when that byte was decoded in the same stream: not clean text
after a damaged clause), no guess is an unassigned or private-use character, and a GBK decoder with
errors="ignore" may drop bytes without a trace. Adjacent guesses are chosen together by a beam
search over character frequency and word pairs (`data/char_pairs.tsv`), with ASCII digits read as
numerals, the span's script preferred and quote marks opening or closing as the text before them
calls for; the best sequences are then scored again by the words they make with the known characters
around them (a unigram word model over jieba's words and an input method's set phrases,
`lexicon.segment_logp`; open-gram's word bigrams, `lexicon.word_lm_logp`; its character 4-grams,
`lexicon.char_lm_logp`; in simplified text they read a traditional guess as it is, which makes no
word). A `?` just after a UTF-8 sequence cut short is the byte it lost, a closing bracket needs an
open one (and an opening one the closing one the text after it holds), a guessed comma hardly ever
ends a paragraph (before a line break, or at the end of a text whose line holds a clause's end), a
dash comes in pairs and no Chinese digit stands beside an ASCII one. Once a line's stretches are
decided, the guesses of each are chosen again beside the repaired text around it rather than its
mojibake. The tables are read through `crawler.repair.lexicon`.

Shifted GBK is re-decoded from the bytes the damaged characters were shown from, one byte off,
starting at a placeholder that replaced a lead byte (or, without one, at each position before
the placeholder that ends the run). The re-aligned decoding must be error-free; each way the run
can end (an ASCII trail byte, a trail shown as a placeholder, an ASCII sign that width folding
made of a full-width one) is scored with the pair model over the same stretch of text, and the
best is kept only when clearly more plausible than the damage, character by character and word by
word.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from operator import itemgetter

from crawler.repair import lexicon
from crawler.textmeta import LEAD_MARKERS

PLACEHOLDERS = "?\ufffd"
"""What a decoder leaves for a byte it could not use: one unknown byte each."""

CHINESE_MEAN = -4.3
"""A repaired span must average at least this log10 frequency per non-ASCII character."""

MARGIN = 1.0
"""...and beat the damaged span by this much (ten times more probable per character)."""

ANCHORED_MARGIN = 0.5
"""The margin for a shift that starts at a placeholder, which is evidence of its own."""

LOST_RUN = 3
"""A run of this many U+FFFD or more is text lost whole (an undecodable stretch, such as an
emoji read in the wrong codec), never the trace of one lost byte: no shift is sought there."""

WORD_BOUNDARY_SHARE = 0.5
"""Share of neighbouring characters that meet across a word boundary rather than inside one."""

ASCII_LOGP = -3.0
"""Score of ASCII inside a span; only used when a span has nothing else."""

LATIN_LOGP = -4.0
"""Score of accented Latin letters: pinyin tone marks and foreign words are ordinary text."""

OTHER_LOGP = -9.0
"""Score of symbols, Latin letters, controls, private-use and replacement characters."""


RARE_COUNT = 1000
"""Characters counted less often than this are rare; one before a placeholder hints at a shift."""


_COUNTS, _SIMPLIFIED = lexicon.char_table()
_SIMPLE_FORMS = frozenset(_SIMPLIFIED.values())
_SIMPLE_ONLY = _SIMPLE_FORMS.difference(_SIMPLIFIED)
_TOTAL = sum(_COUNTS.values())
_LOGP = {char: math.log10(count / _TOTAL) for char, count in _COUNTS.items()}
_HAN_FLOOR = math.log10(0.5 / _TOTAL)


def is_han(char: str) -> bool:
    """True for CJK unified ideographs (basic block and extension A)."""
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


def char_logp(char: str) -> float:
    """log10 probability of one character in Chinese news text."""
    logp = _LOGP.get(char)
    if logp is not None:
        return logp
    if is_han(char):
        return _HAN_FLOOR
    if char.isascii():
        return ASCII_LOGP
    if char.isalpha() and ord(char) < 0x250:
        return LATIN_LOGP
    return OTHER_LOGP


def plausibility(span: str) -> float:
    """Mean log10 probability of the non-ASCII characters of `span` (ASCII is neutral)."""
    scores = [char_logp(char) for char in span if not char.isascii()]
    if not scores:
        return ASCII_LOGP
    return sum(scores) / len(scores)


_NO_PLACEHOLDERS = str.maketrans("", "", PLACEHOLDERS)


def clearly_better(damaged: str, candidate: str, margin: float = MARGIN) -> bool:
    """True when `candidate` is plausible Chinese and clearly more plausible than `damaged`."""
    if not any(is_han(char) for char in candidate):
        return False
    if any(char in PLACEHOLDERS for char in candidate):
        return False
    score = plausibility(candidate)
    known = damaged.translate(_NO_PLACEHOLDERS)
    return score >= CHINESE_MEAN and score >= plausibility(known) + margin


NUMERAL = "五"
"""Stands in for an ASCII digit next to a guessed character: 5月 reads like 五月 to the pairs."""

QUOTES = {"“": "”", "‘": "’", "《": "》", "（": "）", "【": "】", "「": "」", "『": "』"}
"""Opening quotes and brackets and their closing ones: which one a guess is follows from the
text before it (a closing mark needs an open one, an opening one rarely opens twice)."""

OTHER_SCRIPT = math.log10(0.05)
"""Penalty of a guess in the other script than the known characters around it (議 among 议)."""

NEVER_ENDS_LINE = frozenset("，、,")
"""Marks that paragraphs hardly ever end with: a guess before a line break is rarely one."""

LINE_END_PENALTY = 4 * OTHER_SCRIPT
"""Penalty of a guess in NEVER_ENDS_LINE before a line break: it must outweigh the comma's
frequency, which every model of the guess counts again."""

STRAY_MARK_PENALTY = LINE_END_PENALTY
"""Penalty of a quote or bracket guessed where none stands: an opening one before a space, a
line break or the end of the text, a closing one after a space."""

CLOSING_GAIN = -4 * OTHER_SCRIPT
"""Gain of a guess that closes a quote or bracket left open before it (《条例》, 国（境）外): a
closing mark is rare text, yet where one is open it is the likely character. As with
LINE_END_PENALTY, it must outweigh the rarity that every model of the guess counts again (at
twice OTHER_SCRIPT, `（原标题：…签约，` kept a comma for its closing bracket)."""


BEAM = 16
"""Sequences kept while choosing the characters of adjacent guessed bytes together."""

WORD_CONTEXT = 3
"""Known characters on each side of guessed ones that the word model reads with them: enough
for every word of up to four characters that holds a guessed one."""

WORD_BEAM = 32
"""Best sequences of the beam search that the word and character models score again, all kept at
the run's last position: a character rare among the many its bytes allow is often the one that
makes the phrase (讯 in 本报讯, 16th or lower by frequency and pairs)."""

WORD_WEIGHT = 1.0
"""Weight of the word model (`lexicon.segment_logp`) against the character-pair model."""


def _numeral(char: str) -> str:
    """A neighbour as the pair table sees it: ASCII digits read as a Chinese numeral."""
    return NUMERAL if char.isdigit() and char.isascii() else char


def _entries(chars: Sequence[str], before: str) -> list[float]:
    """log10 P(char | before) for each of `chars`, candidates to fill a lost byte, with what
    depends on `before` worked out once.

    Neighbours meet either across a word boundary (unigram frequency) or inside a word (the
    word-pair table); each way counts half (WORD_BOUNDARY_SHARE). Only Han neighbours have pairs.
    """
    before = _numeral(before)
    counts, simplified, table, log10 = _COUNTS, _SIMPLIFIED, lexicon.pairs(), math.log10
    share = WORD_BOUNDARY_SHARE
    inside = is_han(before)
    lead = simplified.get(before, before)
    per_pair = max(counts.get(before, 1), 1)
    scores: list[float] = []
    for char in chars:
        if not ("\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf") and (
            char not in counts
        ):
            scores.append(2 * OTHER_LOGP)
            continue
        p_char = share * counts.get(char, 0.5) / _TOTAL
        if inside:
            p_char += (1 - share) * table.get(lead + simplified.get(char, char), 0) / per_pair
        scores.append(log10(p_char))
    return scores


def _exit(char: str, after: str) -> float:
    """log10 P(after | char): how well a guessed character leads into the known one after it."""
    return _exits((char,), after)[0]


def _exits(chars: Sequence[str], after: str) -> list[float]:
    """`_exit(char, after)` for each of `chars`, with what depends on `after` worked out once.

    A line break after them ends a paragraph (NEVER_ENDS_LINE); the end of the text may end a
    fragment (a title, a clause cut out on its own) and says nothing (`_choose_run` reads the
    end of a paragraph as a line break, `_is_paragraph`). No opening mark stands
    before a space, a line break or the end of the text (`投资 “ 8.1` is 投资 — 8.1), as no
    closing one stands after a space (`_choose_run`)."""
    if not after or after.isspace():
        return [
            (LINE_END_PENALTY if after == "\n" and char in NEVER_ENDS_LINE else 0.0)
            + (STRAY_MARK_PENALTY if char in QUOTES else 0.0)
            for char in chars
        ]
    after = _numeral(after)
    counts, simplified, table, log10 = _COUNTS, _SIMPLIFIED, lexicon.pairs(), math.log10
    share = WORD_BOUNDARY_SHARE
    p_boundary = share * counts.get(after, 0.5) / _TOTAL
    trail = simplified.get(after, after)
    scores: list[float] = []
    for char in chars:
        if not ("\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf") and (
            char not in counts
        ):
            scores.append(0.0)
            continue
        p_after = p_boundary
        p_after += (
            (1 - share) * table.get(simplified.get(char, char) + trail, 0) / counts.get(char, 0.5)
        )
        scores.append(log10(p_after))
    return scores


def _priors(
    chars: Sequence[str], traditional: bool, opened: set[str], awaited: set[str]
) -> list[float]:
    """Penalties of each guess in `chars`: the other script than the span's (議 among 议), a
    quote mark that opens where one is open, or closes where none is; and the gain of one that
    closes an open mark, or opens the mark that the known text after it closes (`awaited`:
    （二） for `?ǘ�）`), by CLOSING_GAIN."""
    other = _SIMPLE_FORMS if traditional else _SIMPLIFIED
    own = _SIMPLIFIED if traditional else _SIMPLE_FORMS
    misplaced = {opening if opening in opened else closing for opening, closing in QUOTES.items()}
    misplaced -= awaited
    closes = {QUOTES[opening] for opening in opened} | awaited
    scores: list[float] = []
    for char in chars:
        value = 0.0
        if char in other and char not in own:
            value += OTHER_SCRIPT
        if char in misplaced:
            value += OTHER_SCRIPT
        if char in closes:
            value += CLOSING_GAIN
        scores.append(value)
    return scores


SEPARATORS = frozenset("，。、；：！？,.;:!?")
"""Punctuation that ends a clause: two of them side by side (、，) are not ordinary text."""

CHINESE_DIGITS = frozenset("〇一二三四五六七八九两")
"""Chinese digits: none follows an ASCII digit (5元, never 5六)."""

CHINESE_NUMERALS = CHINESE_DIGITS | frozenset("十百千万亿")
"""Chinese numerals: none is followed by an ASCII digit (共139万, never 八139万); an ASCII
number may end in a unit numeral (5万, 12亿)."""

NUMERAL_CLASH = LINE_END_PENALTY
"""Penalty of a Chinese numeral guessed beside an ASCII digit: the models read the digit as a
numeral (NUMERAL), so they count 八139 as a run of numerals; the penalty must outweigh that."""

DOUBLED_MARKS = frozenset("—…")
"""Marks Chinese text writes two at a time (——, ……): one alone is half of a pair."""


def _clash(first: str, second: str) -> float:
    """Penalty of two neighbours that Chinese text does not put side by side: two clause
    separators (、，), or a Chinese numeral beside an ASCII digit (5六, 八139). The models
    read an ASCII digit as a Chinese numeral (NUMERAL), so only this rule tells them apart."""
    if first in SEPARATORS and second in SEPARATORS:
        return OTHER_SCRIPT
    if first.isascii() and first.isdigit() and second in CHINESE_DIGITS:
        return NUMERAL_CLASH
    if first in CHINESE_NUMERALS and second.isascii() and second.isdigit():
        return NUMERAL_CLASH
    return 0.0


def _half_pair(text: str, following: str) -> float:
    """Penalty of a doubled mark left alone: `text` ends in an odd number of — or … and
    `following` is not one more of them (分别是—” for 分别是——)."""
    if not text or text[-1] not in DOUBLED_MARKS or following == text[-1]:
        return 0.0
    run = len(text) - len(text.rstrip(text[-1]))
    return OTHER_SCRIPT if run % 2 else 0.0


CLAUSE_ENDS = frozenset("，。；：！？")
"""Marks that end a clause, of which a fragment holds none (a list with 、 may be one)."""


def _is_paragraph(line: str) -> bool:
    """Whether text that ends with `line` (the text before a guess that ends it) is a paragraph
    rather than a fragment: a clause ends inside its last line. A paragraph ends as one before
    a line break does (NEVER_ENDS_LINE); a title or a clause cut out on its own may end with
    a comma."""
    return not CLAUSE_ENDS.isdisjoint(line[line.rfind("\n") + 1 :])


def _choose_run(
    run: list[list[str]],
    before: str,
    after: str,
    traditional: bool,
    left: str,
    look_ahead: bool = False,
    right: str = "",
    seen: tuple[frozenset[str], ...] = (),
    earlier: str = "",
) -> list[str]:
    """The best characters for adjacent guessed positions, chosen together (a beam search).

    The character after the run scores the beams that are kept; with `look_ahead` it also scores
    the last position before the beam is cut, so that a guess among many which only the
    following character makes likely (精 before 神) is not lost. The beams left at the end are
    scored again with the words they make with up to WORD_CONTEXT characters of `left` and
    `right` (the text before and after the run), and with the pairs of Han characters they make
    that the document's known text holds (`seen`, see CACHE_GAIN), and by the enumeration they
    go on (`_next_in_sequence`, counted over `earlier`, the lines before `left`'s, and `left`).
    A last guess that ends the lead marker of a news body (`_ends_lead`) before a space or a
    bracket gains LEAD_GAIN while the beam grows, so that it is not cut among the many.
    """
    opened = _open_quotes(left)
    awaited = _quote_balance(right)[1]
    if not after and _is_paragraph(left):
        after = "\n"
    marks = left[-2 * WORD_CONTEXT :] if left else before
    line = left[left.rfind("\n") + 1 :]
    before_lead = not after or after in LEAD_FOLLOWERS
    beams: list[tuple[float, list[str]]] = [(0.0, [before])]
    for index, candidates in enumerate(run):
        priors = _priors(candidates, traditional, opened, awaited)
        last = index == len(run) - 1
        if last and look_ahead:
            ends = [
                leaving + _clash(char, after)
                for char, leaving in zip(candidates, _exits(candidates, after), strict=True)
            ]
        else:
            ends = [0.0] * len(candidates)
        grown: list[tuple[float, list[str], str]] = []
        for score, chosen in beams:
            previous = chosen[-1]
            line_start = previous in ("", "\n")
            spaced = previous.isspace()
            written = marks + "".join(chosen[1:])
            grown += [
                (
                    score
                    + entry
                    + prior
                    + _clash(previous, char)
                    + _half_pair(written, char)
                    + (OTHER_SCRIPT if line_start and char in SEPARATORS else 0.0)
                    + (STRAY_MARK_PENALTY if spaced and char in _CLOSING else 0.0)
                    + end
                    + (
                        LEAD_GAIN
                        if last
                        and before_lead
                        and char in LEAD_ENDS
                        and _ends_lead(line + "".join(chosen[1:]) + char)
                        else 0.0
                    ),
                    chosen,
                    char,
                )
                for char, entry, prior, end in zip(
                    candidates, _entries(candidates, previous), priors, ends, strict=True
                )
            ]
        grown.sort(key=itemgetter(0), reverse=True)
        width = WORD_BEAM if last else BEAM
        beams = [(score, [*chosen, char]) for score, chosen, char in grown[:width]]
    beams = [
        (score + _half_pair(marks + "".join(chosen[1:]), after), chosen)
        for score, chosen in beams
    ]
    if not look_ahead:
        beams = [
            (score + _exit(chosen[-1], after) + _clash(chosen[-1], after), chosen)
            for score, chosen in beams
        ]
    if len(beams) > 1:
        beams = sorted(beams, key=lambda item: item[0], reverse=True)[:WORD_BEAM]
        head = left[-WORD_CONTEXT:] if left else before
        tail = right[:WORD_CONTEXT] or after
        beams = [
            (
                score
                + _rescore(head, "".join(chosen[1:]), tail, traditional)
                + CACHE_GAIN * _seen_pairs(head, "".join(chosen[1:]), tail, seen)
                + CACHE_GAIN * _next_in_sequence(earlier + left, "".join(chosen[1:]), tail),
                chosen,
            )
            for score, chosen in beams
        ]
    best = max(beams, key=lambda item: item[0])
    return best[1][1:]


CHAR_LM_WEIGHT = 0.3
"""Weight of the character 4-gram model (`lexicon.char_lm_logp`) in rescoring guesses."""


WORD_LM_WEIGHT = 1.0
"""Weight of the word bigram model (`lexicon.word_lm_logp`) in rescoring guesses."""


@lru_cache(maxsize=65536)
def _rescore(head: str, guessed: str, tail: str, traditional: bool) -> float:
    """Score of guessed characters by the words, word pairs and character n-grams they make
    with the known characters around them. The models know simplified script: text in
    traditional script is read in its simplified form, and in simplified text a traditional
    guess (髮 for 发) makes no word."""
    window = head + guessed + tail
    return (
        WORD_WEIGHT * lexicon.segment_logp(window, fold_script=traditional)
        + CHAR_LM_WEIGHT * lexicon.char_lm_logp(window, fold_script=traditional)
        + WORD_LM_WEIGHT * lexicon.word_lm_logp(window, fold_script=traditional)
    )


CACHE_GAIN = 2.0
"""log10 gain (a factor of 100) of each pair of Han characters that a guess makes with a
neighbour and that stands elsewhere in the document's known text. An article repeats its names
and terms (兴宾区 in one paragraph, 兴?区 in the next), which a general model ranks below
common characters (兴倾区)."""


ORDINALS = "一二三四五六七八九十"
"""Chinese numerals in counting order, as an enumeration writes them (一是…二是…, 第五条 then
第六条, （三） then （四））."""

ENUMERATION_REACH = 2000
"""How far back, in characters, an enumeration's last item is looked for: a few paragraphs."""


def _next_in_sequence(left: str, guessed: str, tail: str) -> int:
    """How many guessed numerals go on an enumeration that the text before them counts: the
    last numeral that `left` (and the guesses before it) puts before the same next character is
    the one before it in ORDINALS (五是 … ?是 → 六是, not 八是; 第三十五条 … 第三十?条 → 六:
    六 and 八 share their first bytes in UTF-8)."""
    left = left[-ENUMERATION_REACH:]
    text = left + guessed + tail
    hits = 0
    for index in range(len(left), len(left) + len(guessed)):
        char = text[index]
        if char not in ORDINALS or index + 1 >= len(text):
            continue
        follower = text[index + 1]
        if follower in ORDINALS or follower.isspace():
            continue
        last = text.rfind(follower, 0, index)
        while last > 0 and text[last - 1] not in ORDINALS:
            last = text.rfind(follower, 0, last)
        if last > 0 and ORDINALS.index(text[last - 1]) + 1 == ORDINALS.index(char):
            hits += 1
    return hits


LEAD_FOLLOWERS = frozenset(" \u3000(（【[")
"""What follows a news body's lead marker: a space, or the byline in brackets."""

LEAD_ENDS = frozenset("讯电")
"""The last character of every lead marker (本报讯, 新华社郑州5月7日电)."""

LEAD_GAIN = 3 * CACHE_GAIN
"""log10 gain of a guess that ends the lead marker opening its line, before a space or a
bracket. The models know no lead marker as a word and read 新京报被（ as likelier than
新京报讯（ by a factor of about 10^4, while a line of news that opens in a lead marker's shape
is one."""


def _ends_lead(line: str) -> bool:
    """Whether `line`, the start of a line up to a guess, is a lead marker that the guess ends
    (本报讯, 济源网讯, 新华社郑州5月7日电; `crawler.textmeta.LEAD_MARKERS`). Every news body
    opens so, and a lost byte there leaves hundreds of characters, among which the models read
    说 or 被 after 济源网 as better than 讯."""
    return LEAD_MARKERS.fullmatch(line.strip()) is not None


def _han_pairs(text: str) -> frozenset[str]:
    """The pairs of adjacent Han characters in `text`."""
    return frozenset(
        text[index : index + 2]
        for index in range(len(text) - 1)
        if is_han(text[index]) and is_han(text[index + 1])
    )


@lru_cache(maxsize=4)
def _document_pairs(text: str) -> frozenset[str]:
    """`_han_pairs` of a whole text, kept for the spans of the same text."""
    return _han_pairs(text)


def _seen_pairs(head: str, guessed: str, tail: str, seen: tuple[frozenset[str], ...]) -> int:
    """How many Han pairs that hold a guessed character are in one of the sets of `seen`."""
    if not seen:
        return 0
    window = head + guessed + tail
    first = max(len(head) - 1, 0)
    last = len(head) + len(guessed)
    return sum(
        any(window[index : index + 2] in pairs for pairs in seen) for index in range(first, last)
    )


_CLOSING = {closing: opening for opening, closing in QUOTES.items()}
_QUOTE_MARK = re.compile(f"[{''.join(QUOTES)}{''.join(_CLOSING)}]")


def _quote_balance(text: str) -> tuple[set[str], set[str]]:
    """The opening quote marks left unclosed at the end of `text`, and those that `text` closes
    before opening them (`二）可能` awaits （)."""
    opened: set[str] = set()
    awaited: set[str] = set()
    for match in _QUOTE_MARK.finditer(text):
        char = match.group()
        if char in QUOTES:
            opened.add(char)
        elif _CLOSING[char] in opened:
            opened.discard(_CLOSING[char])
        else:
            awaited.add(_CLOSING[char])
    return opened, awaited


def _open_quotes(text: str) -> set[str]:
    """The opening quote marks left unclosed at the end of `text`."""
    return _quote_balance(text)[0]


Token = int | None
"""A byte of a rebuilt span; None is a byte the damage replaced or lost."""

Piece = str | list[str]
"""Decoded text, or the candidate characters for a position that holds a guessed byte."""


def _guessed(pieces: list[Piece]) -> bool:
    """True when decoded pieces hold a position whose character is to be guessed."""
    return any(not isinstance(piece, str) for piece in pieces)


def _resolve(
    pieces: list[Piece],
    before: str,
    after: str,
    *,
    prefix: str = "",
    traditional: bool | None = None,
    look_ahead: bool = False,
    document: str = "",
    earlier: str = "",
) -> str:
    """Join decoded pieces, picking guessed characters by frequency and their neighbours.

    `prefix` is the text before the span on its line (whether a quote is open); `traditional`
    is the script of the text around it, taken from the decoded pieces when not given;
    `look_ahead` as in `_choose_run`; `document` is the whole text the span is in, whose Han
    pairs (with the span's decoded ones) are the known text a guess may repeat; `earlier` is
    the document's lines before the span's, where an enumeration may have started.
    """
    out: list[str] = []
    seen: tuple[frozenset[str], ...] = ()
    if _guessed(pieces):
        decoded = "".join(piece if isinstance(piece, str) else "\n" for piece in pieces)
        seen = (_document_pairs(document), _han_pairs(decoded))
    if traditional is None:
        traditional = _is_traditional("".join(piece for piece in pieces if isinstance(piece, str)))
    index = 0
    while index < len(pieces):
        piece = pieces[index]
        if isinstance(piece, str):
            out.append(piece)
            index += 1
            continue
        end = index
        run: list[list[str]] = []
        while end < len(pieces) and not isinstance(guess := pieces[end], str):
            run.append(guess)
            end += 1
        known = before + "".join(out)
        right = ""
        for item in [*pieces[end : end + WORD_CONTEXT], after]:
            if not isinstance(item, str) or len(right) >= WORD_CONTEXT:
                break
            right += item
        out += _choose_run(
            run,
            known[-1:],
            right[:1],
            traditional,
            prefix + known,
            look_ahead,
            right,
            seen,
            earlier,
        )
        index = end
    return "".join(out)


CONTINUATION = range(0x80, 0xC0)
MAX_UNKNOWN_PER_CHAR = 2

LostByte = Callable[[int, Token], bool]
"""Whether a lost byte may have held `value`, given the byte after it (None when unknown).

The decoder that dropped a byte tells what it can have been: cp1252 drops only its five undefined
bytes, GBK only a byte that does not start a character with the byte after it."""


def any_byte(value: int, following: Token) -> bool:
    """A lost byte about which nothing is known."""
    return True


CP1252_UNDEFINED = frozenset((0x81, 0x8D, 0x8F, 0x90, 0x9D))


def cp1252_undefined(value: int, following: Token) -> bool:
    """A byte a cp1252 decoder replaced or dropped: one of its five undefined bytes."""
    return value in CP1252_UNDEFINED


@lru_cache(maxsize=65536)
def _gbk_strict_pair(lead: int, trail: int) -> bool:
    """True when Python's GBK codec decodes the pair as one character."""
    try:
        return len(bytes((lead, trail)).decode("gbk")) == 1
    except UnicodeDecodeError:
        return False


def gbk_undecodable(value: int, following: Token) -> bool:
    """A byte a GBK/GB18030 decoder replaced or dropped: it starts no character with the next."""
    if value < 0x80:
        return False
    return following is None or not _gbk_strict_pair(value, following)


UNWRITTEN = frozenset(("Cn", "Co", "Cs"))
"""Unicode categories no text is written in (unassigned, private use, surrogates): a guessed
byte never gives one (U+FF00 for the ，of EF BC 8C)."""


def _utf8_candidates(
    lead: int, tail: list[Token], following: Token = None, lost: LostByte = any_byte
) -> list[str]:
    """Characters a UTF-8 sequence can be, trying every value `lost` allows for unknown bytes.

    `following` is the byte after the sequence (None when unknown or at the end). The tail is
    filled from its end, so each unknown byte knows the byte after it.
    """
    suffixes: list[bytes] = [b""]
    for byte in reversed(tail):
        grown: list[bytes] = []
        for suffix in suffixes:
            values = (
                (byte,)
                if byte is not None
                else _lost_values(lost, suffix[0] if suffix else following)
            )
            grown += [bytes((value,)) + suffix for value in values]
        suffixes = grown
    chars = []
    for suffix in suffixes:
        try:
            char = (bytes((lead,)) + suffix).decode("utf-8")
        except UnicodeDecodeError:
            continue
        if unicodedata.category(char) not in UNWRITTEN:
            chars.append(char)
    return chars


@lru_cache(maxsize=4096)
def _lost_values(lost: LostByte, following: Token) -> tuple[int, ...]:
    """The continuation bytes `lost` allows before `following`."""
    return tuple(value for value in CONTINUATION if lost(value, following))


def _utf8_length(lead: int) -> int:
    """Bytes in the UTF-8 sequence that starts with `lead`, 0 if it cannot start one."""
    if 0xC2 <= lead <= 0xDF:
        return 2
    if 0xE0 <= lead <= 0xEF:
        return 3
    if 0xF0 <= lead <= 0xF4:
        return 4
    return 0


def utf8_pieces(
    tokens: list[Token], lost: LostByte = any_byte, silent: bool = False
) -> list[tuple[int, int, Piece | None]]:
    """Decode rebuilt bytes as UTF-8, leniently: (first byte, end byte, piece or None if invalid).

    Unknown or missing continuation bytes become guesses: a sequence cut short (its last bytes
    lost) counts its missing bytes as unknown, and an unknown byte followed by continuation
    bytes is an unknown lead. An invalid byte yields None and decoding goes on after it.
    `silent` says the decoder dropped bytes without a placeholder, so any sequence may be cut
    short, not only the last one.
    """
    pieces: list[tuple[int, int, Piece | None]] = []
    index = 0
    while index < len(tokens):
        byte = tokens[index]
        if byte is not None and byte < 0x80:
            pieces.append((index, index + 1, chr(byte)))
            index += 1
            continue
        tail: list[Token] = []
        for nxt in tokens[index + 1 : index + 4]:
            if nxt is not None and nxt not in CONTINUATION:
                break
            tail.append(nxt)
        after = index + 1 + len(tail)
        at_end = after == len(tokens)
        following = (
            tokens[after]
            if after < len(tokens) and (silent or _continues_utf8(tokens, after))
            else None
        )
        piece = _utf8_piece(byte, tail, at_end, following, lost, silent and not at_end)
        if piece is None:
            pieces.append((index, index + 1, None))
            index += 1
            continue
        chars, used = piece
        pieces.append((index, index + 1 + used, chars[0] if len(chars) == 1 else chars))
        index += 1 + used
    return pieces


def _continues_utf8(tokens: list[Token], at: int) -> bool:
    """Whether the bytes from `at` go on as the UTF-8 of Chinese text (an ASCII byte, or the
    lead and continuation bytes of a three- or four-byte character): only then did the decoder
    read them in the same stream as the bytes before, so that a byte it dropped there tells
    what it can have been (`gbk_undecodable`). Clean text after a damaged clause (`…根据锛�`
    + `以法律…`) was never part of its stream; its GBK bytes may still read as a two-byte
    letter (统 CD B3 as ͳ), which the stream of Chinese text seldom holds."""
    if at >= len(tokens) or (byte := tokens[at]) is None:
        return False
    if byte < 0x80:
        return True
    length = _utf8_length(byte)
    rest = tokens[at + 1 : at + length]
    return length > 2 and len(rest) == length - 1 and all(
        token is None or token in CONTINUATION for token in rest
    )


def _utf8_piece(
    byte: Token,
    tail: list[Token],
    at_end: bool,
    following: Token,
    lost: LostByte,
    silent: bool = False,
) -> tuple[list[str], int] | None:
    """Candidate characters of the sequence at `byte` and how many `tail` tokens it uses.

    Only a sequence that ends the span may be cut short: inside a span a decoder leaves a
    placeholder for every byte it drops, unless it drops them `silent`ly (errors="ignore"); then
    a three-byte sequence may lack bytes anywhere.
    """
    if byte is None:
        if not tail or tail[0] is None:
            return None
        known = tail[:2] if len(tail) > 1 and tail[1] is not None else tail[:1]
        leads = range(0xC2, 0xE0) if len(known) == 1 else range(0xE1, 0xF0)
        guesses = [
            char for lead in leads if lost(lead, known[0]) for char in _utf8_candidates(lead, known)
        ]
        return (guesses, len(known)) if guesses else None
    length = _utf8_length(byte)
    if length == 0:
        return None
    used = tail[: length - 1]
    missing = length - 1 - len(used)
    if missing and not at_end and not (silent and length == 3):
        return None
    if not missing and len(tail) > len(used):
        # A continuation byte after a whole sequence starts no character of the stream: the
        # text after it was never decoded with this one (clean text after a damaged clause),
        # unless the decoder dropped bytes silently and it is what is left of a character.
        following = tail[len(used)] if silent else None
    if used.count(None) + missing > MAX_UNKNOWN_PER_CHAR:
        return None
    chars: list[str] = []
    for padded in _placements(used, missing, anywhere=silent):
        chars += _utf8_candidates(byte, padded, following, lost)
    chars = list(dict.fromkeys(chars))
    if not chars or (None not in used and not missing and len(chars) != 1):
        return None
    return chars, len(used)


def _placements(used: list[Token], missing: int, anywhere: bool) -> Iterator[list[Token]]:
    """`used` with `missing` unknown bytes added: at the end, or `anywhere` among its bytes."""
    if not missing or not anywhere:
        yield used + [None] * missing
        return
    size = len(used) + missing
    for known_at in itertools.combinations(range(size), len(used)):
        padded: list[Token] = [None] * size
        for at, byte in zip(known_at, used, strict=True):
            padded[at] = byte
        yield padded


def decode_utf8_with_gaps(tokens: list[Token], lost: LostByte = any_byte) -> list[Piece] | None:
    """Decode rebuilt bytes as UTF-8 with guesses for lost bytes; None if any byte is invalid."""
    pieces = []
    for _, _, piece in utf8_pieces(tokens, lost):
        if piece is None:
            return None
        pieces.append(piece)
    return pieces


def utf8_segments(
    tokens: list[Token],
    offsets: list[int],
    lost: LostByte = any_byte,
    silent: bool = False,
    strict: bool = False,
) -> Iterator[tuple[int, int, list[Piece]]]:
    """Maximal stretches of a span that decode as UTF-8 and start and end on its characters.

    Yields (first character index, end character index, pieces), so that UTF-8 damage next to
    clean text in the same run is repaired on its own. With `strict`, a guessed character
    ends a stretch too: every stretch decodes from known bytes alone.
    """
    char_at = {offset: index for index, offset in enumerate(offsets)}
    stretch: list[tuple[int, int, Piece]] = []
    for first, end, piece in [*utf8_pieces(tokens, lost, silent), (len(tokens), len(tokens), None)]:
        if strict and isinstance(piece, list):
            piece = None
        if piece is not None and (not stretch or stretch[-1][1] == first):
            stretch.append((first, end, piece))
            continue
        while stretch and stretch[0][0] not in char_at:
            stretch.pop(0)
        while stretch and stretch[-1][1] not in char_at:
            stretch.pop()
        if stretch:
            pieces = [item[2] for item in stretch]
            yield char_at[stretch[0][0]], char_at[stretch[-1][1]], pieces
        stretch = [(first, end, piece)] if piece is not None else []


@lru_cache(maxsize=65536)
def _gbk_pair(lead: int, trail: int) -> str | None:
    """The character of a GBK byte pair, or None when the pair is not a character."""
    try:
        char = bytes((lead, trail)).decode("gb18030")
    except UnicodeDecodeError:
        return None
    return char if len(char) == 1 else None


GBK_LEADS = range(0x81, 0xFF)
GBK_TRAILS = [*range(0x40, 0x7F), *range(0x80, 0xFF)]


def decode_gbk_with_gaps(
    tokens: list[Token], lost: frozenset[int] | None = None
) -> list[Piece] | None:
    """Decode rebuilt bytes as GBK; an unknown or missing byte of a pair becomes a guess.

    `lost` holds the values an unknown byte can have, when the decoder that lost it tells.
    """
    pieces: list[Piece] = []
    index = 0
    while index < len(tokens):
        lead = tokens[index]
        if lead is not None and lead < 0x80:
            pieces.append(chr(lead))
            index += 1
            continue
        trail = tokens[index + 1] if index + 1 < len(tokens) else None
        if lead is None and trail is None:
            return None
        if lead is not None and trail is not None:
            char = _gbk_pair(lead, trail)
            if char is None:
                return None
            pieces.append(char)
        else:
            leads = _unknown(GBK_LEADS, lost) if lead is None else (lead,)
            trails = _unknown(GBK_TRAILS, lost) if trail is None else (trail,)
            chars = [c for a in leads for b in trails if (c := _gbk_pair(a, b)) is not None]
            if not chars:
                return None
            pieces.append(chars)
        index += 2
    return pieces


def _unknown(values: Sequence[int], lost: frozenset[int] | None) -> Sequence[int]:
    """The values an unknown byte may take."""
    return values if lost is None else [value for value in values if value in lost]


@dataclass(frozen=True)
class Candidate:
    """A repaired replacement for `text[start:end]`.

    A strong candidate is evidence on its own. A weak one (a short run, a run that decodes to
    letters or signs) is taken only on a line that has a strong one: a line is decoded as a whole.
    """

    start: int
    end: int
    text: str
    strong: bool
    pieces: list[Piece] | None = None
    """How the span decoded, when `text` holds guessed characters (`_in_context` guesses
    them again)."""


def _apply(text: str, candidates: Iterator[Candidate]) -> str:
    """Replace the accepted spans, left to right, deciding weak candidates line by line."""
    return _replace(text, _accepted(text, candidates))


def _accepted(text: str, candidates: Iterator[Candidate]) -> list[Candidate]:
    """The candidates to apply, left to right: overlapping ones dropped, weak ones decided
    line by line."""
    kept: list[Candidate] = []
    line: list[Candidate] = []
    line_start = -1
    for candidate in candidates:
        if line and candidate.start < line[-1].end:
            continue
        start = text.rfind("\n", 0, candidate.start)
        if start != line_start:
            kept += _decide_line(line)
            line, line_start = [], start
        line.append(candidate)
    kept += _decide_line(line)
    return kept


def _replace(text: str, kept: list[Candidate]) -> str:
    """`text` with the spans of `kept` (left to right, not overlapping) replaced."""
    if not kept:
        return text
    out: list[str] = []
    position = 0
    for candidate in kept:
        out.append(text[position : candidate.start])
        out.append(candidate.text)
        position = candidate.end
    out.append(text[position:])
    return "".join(out)


def _decide_line(line: list[Candidate]) -> list[Candidate]:
    """All candidates of a line when one is strong, none otherwise."""
    return line if any(candidate.strong for candidate in line) else []


def weak_candidate(damaged: str, pieces: list[Piece], candidate: str) -> bool:
    """True when a run may be repaired as part of a damaged line.

    It holds no junk, and it either decoded without a guess, replaces a U+FFFD (a byte the
    decoder could not use: damage, whatever the guess) or scores at least as well as the damage.
    """
    if _unfinished(candidate):
        return False
    if all(isinstance(piece, str) for piece in pieces) or "\ufffd" in damaged:
        return True
    return plausibility(candidate) >= plausibility(damaged)


def _unfinished(repaired: str) -> bool:
    """True when a repair still holds a placeholder or junk (`_is_junk`): no text to write."""
    return any(char in PLACEHOLDERS or _is_junk(char) for char in repaired)


def _is_junk(char: str) -> bool:
    """Controls, private-use characters and other things no repaired text should hold."""
    code = ord(char)
    return 0x80 <= code < 0xA0 or 0xE000 <= code < 0xF900 or (code < 0x20 and char not in "\t\n")


def _context(text: str, start: int, end: int, width: int = WORD_CONTEXT) -> tuple[str, str]:
    """The `width` characters just before and after a span."""
    return text[max(0, start - width) : start], text[end : end + width]


def _line_before(text: str, start: int) -> str:
    """The text of the line before `start` (which quotes and brackets are open there)."""
    return text[text.rfind("\n", 0, start) + 1 : start]


# UTF-8 read as GBK ------------------------------------------------------------------------


def _utf8_as_gbk_markers() -> str:
    """GBK characters whose bytes are a UTF-8 lead (E2-EF) and a continuation byte."""
    chars = {_gbk_pair(lead, trail) for lead in range(0xE2, 0xF0) for trail in CONTINUATION}
    return "".join(sorted(char for char in chars if char))


_UTF8_AS_GBK_MARK = re.compile(f"[{re.escape(_utf8_as_gbk_markers())}]")
_UTF8_AS_GBK_EVIDENCE = re.compile(
    "[\ue000-\uf8ff\ufffd{}]".format(
        re.escape("".join(c for c in _utf8_as_gbk_markers() if _COUNTS.get(c, 0) < RARE_COUNT))
    )
)
"""Rare marker characters, private-use characters (GB18030's user areas) and U+FFFD: common
markers alone (響 項, in traditional script) do not start a look."""
_NON_ASCII_RUN = re.compile(r"(?:[^\x00-\x7f]|\?)+")


def _gbk_tokens(span: str) -> tuple[list[Token], list[int]]:
    """The GBK bytes a span was decoded from, and each character's byte offset.

    Placeholders are unknown bytes; a character GBK cannot hold ends the span there.
    """
    tokens: list[Token] = []
    offsets = [0]
    for char in span:
        if char in PLACEHOLDERS:
            tokens.append(None)
        else:
            encoded = _encode_pair(char)
            if encoded is None:
                break
            tokens.extend(encoded)
        offsets.append(len(tokens))
    return tokens, offsets


def _enough_evidence(tokens: list[Token], candidate: list[Piece]) -> bool:
    """At least two characters of the span are known bytes, and guesses stay a minority."""
    guesses = sum(1 for piece in candidate if isinstance(piece, list))
    decoded = sum(1 for piece in candidate if isinstance(piece, str) and not piece.isascii())
    return decoded >= 2 and guesses <= decoded and tokens.count(None) <= len(tokens) // 3 + 1


STRICT_HAN = 2
"""Han characters a run's GBK bytes must decode to, strictly as UTF-8, to be mojibake on that
evidence alone. Clean Chinese almost never round-trips so: in the real pages' bodies
(../shared/realpages, 104k characters) no run decodes into plausible Chinese with even one Han
character, and in their traditional-script forms three runs decode to one (鏈條 to 朗l) and none
to two (`python -m benchmarks.eval_repairs` measures it on every paragraph set)."""

_UTF8_HAN_BYTES = re.compile(rb"(?:[\xe2-\xef][\x80-\xbf]{2}){2}")
"""Two UTF-8 sequences of three bytes in a row: the bytes of mojibake of two Chinese characters."""


def strict_utf8_runs(text: str, min_han: int = STRICT_HAN) -> Iterator[tuple[int, int, str]]:
    """Runs of `text` whose GBK bytes decode strictly as UTF-8 (no byte guessed or lost) into
    plausible Chinese with at least `min_han` Han characters: (start, end, decoded text).

    A run may lie between guessed characters (`鏃ョ湅鍒?`: 日看 decodes strictly, the `?` is a
    lost byte of 到): what decodes strictly is evidence whatever lies around it."""
    for run in _NON_ASCII_RUN.finditer(text):
        span = run.group()
        if not _UTF8_AS_GBK_MARK.search(span):
            continue
        tokens, offsets = _gbk_tokens(span)
        if min_han > 1 and not _UTF8_HAN_BYTES.search(bytes(token or 0 for token in tokens)):
            continue
        for first, last, pieces in utf8_segments(tokens, offsets, strict=True):
            decoded = "".join(map(str, pieces))
            if (
                sum(map(is_han, decoded)) >= min_han
                and plausibility(decoded) >= CHINESE_MEAN
                and not any(_is_junk(char) for char in decoded)
            ):
                yield run.start() + first, run.start() + last, decoded


def is_rare(char: str) -> bool:
    """True for a character the frequency table counts less than RARE_COUNT times."""
    return _COUNTS.get(char, 0) < RARE_COUNT


def holds_utf8_as_gbk(text: str) -> bool:
    """True when `text` still looks like UTF-8 read as GBK: a U+FFFD, or a run that decodes
    strictly as UTF-8 into Chinese (`涓婁簡` for 上了)."""
    if "\ufffd" in text:
        return True
    return _UTF8_AS_GBK_MARK.search(text) is not None and any(strict_utf8_runs(text))


def _utf8_as_gbk_lines(text: str) -> Iterator[tuple[int, int]]:
    """Bounds of the lines that hold evidence of UTF-8 read as GBK: rare marker characters,
    private-use characters or U+FFFD, or a run that decodes strictly as UTF-8 into Chinese."""
    evidence = list(_lines_with(text, _UTF8_AS_GBK_EVIDENCE))
    starts = {start for start, _ in evidence}
    for start, end in _lines_with(text, _UTF8_AS_GBK_MARK):
        if start not in starts and any(strict_utf8_runs(text[start:end])):
            evidence.append((start, end))
    return iter(sorted(evidence))


def _utf8_as_gbk_candidates(text: str) -> Iterator[Candidate]:
    """Stretches of non-ASCII runs that decode as UTF-8 to clearly better Chinese."""
    for line_start, line_end in _utf8_as_gbk_lines(text):
        yield from _utf8_as_gbk_line(text, line_start, line_end)


def _lines_with(text: str, pattern: re.Pattern[str]) -> Iterator[tuple[int, int]]:
    """Bounds of each line of `text` that `pattern` matches in."""
    line_end = -1
    for match in pattern.finditer(text):
        if match.start() < line_end:
            continue
        line_start = text.rfind("\n", 0, match.start()) + 1
        line_end = text.find("\n", match.end())
        line_end = len(text) if line_end == -1 else line_end
        yield line_start, line_end


@dataclass(frozen=True)
class _Stretch:
    """A stretch of a line that decodes as UTF-8 with too little evidence to be repaired on its
    own: it is resolved only when the line turns out to hold a strong candidate."""

    start: int
    end: int
    pieces: list[Piece]


def _utf8_as_gbk_line(text: str, line_start: int, line_end: int) -> Iterator[Candidate]:
    """Candidates in one line that holds evidence of UTF-8 read as GBK.

    A `?` after a run may be a lost byte: the run is tried with it and, failing that, without.
    When no way gives a strong candidate, the longest way whose stretches take in its `?`s
    is kept: a sequence cut short just before a `?` lost its byte to that `?` (`鏈?` for 月).
    Nothing is yielded for a line without a strong candidate (`_apply` would drop its weak
    ones), and the weak stretches of a line are resolved only once a strong one is found.
    """
    found: list[Candidate | _Stretch] = []
    for run in _NON_ASCII_RUN.finditer(text, line_start, line_end):
        if not _UTF8_AS_GBK_MARK.search(run.group()):
            continue
        start = run.start() + len(run.group()) - len(run.group().lstrip("?"))
        end = run.end()
        core = start + len(text[start:end].rstrip("?"))
        stops = range(min(core + MAX_UNKNOWN_PER_CHAR, end), core - 1, -1)
        fallback: list[Candidate | _Stretch] | None = None
        for stop in stops:
            stretches = list(_utf8_as_gbk_stretches(text, start, stop))
            if any(isinstance(item, Candidate) and item.strong for item in stretches):
                found += stretches
                break
            if fallback is None and stretches and stretches[-1].end == stop:
                fallback = stretches
            if stop == core:
                found += fallback if fallback is not None else stretches
    strong = any(isinstance(item, Candidate) and item.strong for item in found)
    if not strong and "\ufffd" not in text[line_start:line_end]:
        return
    candidates: list[Candidate] = []
    for item in found:
        if isinstance(item, Candidate):
            candidates.append(item)
            continue
        span = text[item.start : item.end]
        repaired = _resolve(
            item.pieces,
            *_context(text, item.start, item.end),
            prefix=_line_before(text, item.start),
            document=text,
        )
        if weak_candidate(span, item.pieces, repaired):
            guessed = item.pieces if _guessed(item.pieces) else None
            candidates.append(Candidate(item.start, item.end, repaired, False, guessed))
    if strong:
        yield from candidates
    elif _clearly_better_together(text, candidates):
        yield from (replace(candidate, strong=True) for candidate in candidates)


def _clearly_better_together(text: str, candidates: list[Candidate]) -> bool:
    """True when the weak candidates of a line that holds U+FFFD, none strong on its own (each
    lost a byte: `灏哄�镐负` for 尺寸为), are together clearly better than the spans they
    replace and make STRICT_HAN Han characters or more. U+FFFD is no character of clean text,
    so the line surely is damaged; what is asked is only whether the guesses read as Chinese."""
    damaged = "".join(text[candidate.start : candidate.end] for candidate in candidates)
    repaired = "".join(candidate.text for candidate in candidates)
    return sum(map(is_han, repaired)) >= STRICT_HAN and clearly_better(damaged, repaired)


def _utf8_as_gbk_stretches(text: str, start: int, end: int) -> Iterator[Candidate | _Stretch]:
    """Candidates for the stretches of `text[start:end]` that decode as UTF-8, and the
    stretches with too little evidence to be candidates on their own."""
    tokens, offsets = _gbk_tokens(text[start:end])
    silent = None not in tokens
    for first, last, pieces in utf8_segments(tokens, offsets, gbk_undecodable, silent):
        span_start, span_end, pieces = _without_clean_edges(
            text, start + first, start + last, pieces
        )
        if span_start >= span_end:
            continue
        first, last = span_start - start, span_end - start
        span = text[span_start:span_end]
        if not _UTF8_AS_GBK_MARK.search(span):
            continue
        if not _enough_evidence(tokens[offsets[first] : offsets[last]], pieces):
            yield _Stretch(span_start, span_end, pieces)
            continue
        repaired = _resolve(
            pieces,
            *_context(text, span_start, span_end),
            prefix=_line_before(text, span_start),
            document=text,
        )
        strong = clearly_better(span, repaired) or _strictly_chinese(pieces, repaired)
        if strong or weak_candidate(span, pieces, repaired):
            guessed = pieces if _guessed(pieces) else None
            yield Candidate(span_start, span_end, repaired, strong, guessed)


def _clean_edge(text: str, index: int, piece: Piece, outside: int) -> bool:
    """True when the character at `index`, at the edge of a stretch, is clean text that its
    GBK bytes only happen to decode as a letter of two UTF-8 bytes (贫 C6 B6 as ƶ, 没 as û):
    a common Han character, next to Chinese text outside the stretch (not ASCII, as beside
    the pinyin `zh茅` for zhé), decoded into one letter that is no Han character."""
    return (
        isinstance(piece, str)
        and len(piece) == 1
        and not is_han(piece)
        and len(piece.encode("utf-8")) == 2
        and is_han(text[index])
        and not is_rare(text[index])
        and 0 <= outside < len(text)
        and not text[outside].isascii()
        and not text[outside].isspace()
    )


def _without_clean_edges(
    text: str, start: int, end: int, pieces: list[Piece]
) -> tuple[int, int, list[Piece]]:
    """The stretch `text[start:end]` decoded as `pieces`, less the clean characters at its
    edges (`_clean_edge`): where the damage begins inside a line of clean text, the clean
    characters beside it (脱贫一 before 涓�瀹…) must not join the stretch as ƶһ."""
    head = 0
    while head < len(pieces) and _clean_edge(text, start + head, pieces[head], start + head - 1):
        head += 1
    tail = 0
    while tail < len(pieces) - head and _clean_edge(
        text, end - 1 - tail, pieces[-1 - tail], end - tail
    ):
        tail += 1
    return start + head, end - tail, pieces[head : len(pieces) - tail]


def _strictly_chinese(pieces: list[Piece], repaired: str) -> bool:
    """True when a stretch decoded without a guess into plausible Chinese of STRICT_HAN or more
    Han characters: near-certain mojibake however short (see STRICT_HAN)."""
    return (
        all(isinstance(piece, str) for piece in pieces)
        and sum(map(is_han, repaired)) >= STRICT_HAN
        and plausibility(repaired) >= CHINESE_MEAN
        and not any(_is_junk(char) for char in repaired)
    )


def _in_context(text: str, kept: list[Candidate]) -> list[Candidate]:
    """`kept` with the guesses of each candidate chosen again, left to right, beside the
    repaired text rather than the mojibake around it: a stretch that ASCII cut off
    (`绉熼噾5鍏�/` for 租金5元/) first saw 绉熼噾5, and now sees 租金5; and the document a guess
    may repeat a pair of (CACHE_GAIN) is the repaired one."""
    texts = [candidate.text for candidate in kept]
    gaps = [
        text[(kept[index - 1].end if index else 0) : candidate.start]
        for index, candidate in enumerate(kept)
    ]
    tail = text[kept[-1].end :] if kept else text
    for index, candidate in enumerate(kept):
        if candidate.pieces is None:
            continue
        left = "".join(
            gap + repaired for gap, repaired in zip(gaps[:index], texts[:index], strict=True)
        ) + gaps[index]
        right = "".join(
            gap + repaired
            for gap, repaired in zip(gaps[index + 1 :], texts[index + 1 :], strict=True)
        ) + tail
        repaired = _resolve(
            candidate.pieces,
            left[-WORD_CONTEXT:],
            right[:WORD_CONTEXT],
            prefix=left[left.rfind("\n") + 1 :],
            document=left + "\n" + right,
            earlier=left[: left.rfind("\n") + 1],
        )
        if not _unfinished(repaired):
            texts[index] = repaired
    return [
        replace(candidate, text=repaired) for candidate, repaired in zip(kept, texts, strict=True)
    ]


def fix_utf8_as_gbk(text: str) -> str:
    """Undo UTF-8 bytes that were decoded as GBK/GB18030 (涓浗 for 中国)."""
    if not _UTF8_AS_GBK_EVIDENCE.search(text) and not _UTF8_AS_GBK_MARK.search(text):
        return text
    return _replace(text, _in_context(text, _accepted(text, _utf8_as_gbk_candidates(text))))


# cp1252 / Latin-1 ---------------------------------------------------------------------------


def _single_byte_table() -> dict[str, int]:
    """Byte of each character a cp1252 or Latin-1 decoder (or a browser) shows for 80-FF."""
    table = {chr(byte): byte for byte in range(0x80, 0x100)}
    for byte in range(0x80, 0xA0):
        try:
            table[bytes((byte,)).decode("cp1252")] = byte
        except UnicodeDecodeError:
            continue
    return table


_SINGLE_BYTE = _single_byte_table()
_SINGLE_BYTE_CLASS = re.escape("".join(sorted(_SINGLE_BYTE)))
_HIGH_LATIN1 = "\u00a1-\u00ff\u0080-\u009f"


def _single_byte_tokens(span: str) -> list[Token]:
    """The bytes a cp1252/Latin-1 span was decoded from; placeholders are unknown bytes."""
    tokens: list[Token] = []
    for char in span:
        if char in PLACEHOLDERS:
            tokens.append(None)
        else:
            tokens.append(_SINGLE_BYTE.get(char, ord(char)))
    return tokens


_GBK_AS_LATIN1_MARK = re.compile(f"[{_HIGH_LATIN1}][{_HIGH_LATIN1}]")
_GBK_AS_LATIN1_RUN = re.compile(
    f"(?:[{_SINGLE_BYTE_CLASS}\ufffd][\x40-\x7e]?|\\?(?=[{_SINGLE_BYTE_CLASS}]))+"
)


def _gbk_as_latin1_candidates(text: str) -> Iterator[Candidate]:
    """Runs of cp1252/Latin-1 characters that decode as GBK to clearly better Chinese."""
    for run in _GBK_AS_LATIN1_RUN.finditer(text):
        span = run.group()
        pieces = decode_gbk_with_gaps(_single_byte_tokens(span), CP1252_UNDEFINED)
        if pieces is None:
            continue
        han = sum(1 for piece in pieces if not isinstance(piece, str) or is_han(piece))
        guesses = sum(1 for piece in pieces if isinstance(piece, list))
        if guesses * 2 > len(pieces):
            continue
        repaired = _resolve(pieces, *_context(text, run.start(), run.end()))
        if _reads_as_utf8(span, repaired):
            continue
        strong = han >= 2 and clearly_better(span, repaired)
        if strong or weak_candidate(span, pieces, repaired):
            yield Candidate(run.start(), run.end(), repaired, strong)


def _reads_as_utf8(span: str, repaired: str) -> bool:
    """True when the bytes of `span` are whole UTF-8 that reads at least as well as `repaired`:
    the span is then UTF-8 shown as cp1252, which the next repair undoes."""
    if not _UTF8_AS_CP1252_MARK.search(span):
        return False
    pieces = decode_utf8_with_gaps(_single_byte_tokens(span), cp1252_undefined)
    if pieces is None or not all(isinstance(piece, str) for piece in pieces):
        return False
    return plausibility("".join(map(str, pieces))) >= plausibility(repaired)


def fix_gbk_as_latin1(text: str) -> str:
    """Undo GBK bytes that were decoded as cp1252 or Latin-1 (ÖÐ¹ú for 中国)."""
    if not _GBK_AS_LATIN1_MARK.search(text):
        return text
    return _apply(text, _gbk_as_latin1_candidates(text))


_UTF8_AS_CP1252_MARK = re.compile(f"[\u00c2-\u00ef][{_SINGLE_BYTE_CLASS}]")
_UTF8_AS_CP1252_RUN = re.compile(f"(?:[{_SINGLE_BYTE_CLASS}\ufffd]|\\?(?=[{_SINGLE_BYTE_CLASS}]))+")


def _utf8_as_cp1252_candidates(text: str) -> Iterator[Candidate]:
    """Runs of cp1252/Latin-1 characters that decode as UTF-8 to clearly better Chinese."""
    for run in _UTF8_AS_CP1252_RUN.finditer(text):
        span = run.group()
        if not _UTF8_AS_CP1252_MARK.search(span):
            continue
        tokens = _single_byte_tokens(span)
        pieces = decode_utf8_with_gaps(tokens, cp1252_undefined)
        if pieces is None:
            continue
        repaired = _resolve(pieces, *_context(text, run.start(), run.end()))
        strong = _enough_evidence(tokens, pieces) and clearly_better(span, repaired)
        if strong or weak_candidate(span, pieces, repaired):
            yield Candidate(run.start(), run.end(), repaired, strong)


def fix_utf8_as_cp1252(text: str) -> str:
    """Undo UTF-8 bytes that were decoded as cp1252 or Latin-1 (ä¸­å›½ for 中国)."""
    if not _UTF8_AS_CP1252_MARK.search(text):
        return text
    return _apply(text, _utf8_as_cp1252_candidates(text))


# Shifted GBK --------------------------------------------------------------------------------

FOLD_OFFSET = 0xFEE0
"""Full-width forms of ASCII signs (！ U+FF01) sit this far above them (! U+0021)."""

MAX_SHIFTED = 300
"""Characters a shifted run may span before the search gives up on it."""

SHIFT_WORD_GAIN = 1.0
"""log10 gain per character, by the word model, that a re-aligned run must show over the damage."""

_FOLDED_SIGN = re.compile("[,:;()][\u4e00-\u9fff“”]")
_FULLWIDTH_SIGN = re.compile("[\uff01-\uff5e]")
_SHIFT_HINT = re.compile(f"[{PLACEHOLDERS}]")
_LOST_RUN = re.compile(f"\ufffd{{{LOST_RUN},}}")


def _rare_class() -> str:
    """Every GBK character that hints at a shift: Han characters the frequency table calls rare,
    and the symbols it does not know at all (⑵ ǖ Ｖ さ, not the punctuation of Chinese prose)."""
    chars = set()
    for lead in GBK_LEADS:
        for trail in GBK_TRAILS:
            char = _gbk_pair(lead, trail)
            if char is None:
                continue
            if _COUNTS.get(char, 0) < RARE_COUNT if is_han(char) else char not in _COUNTS:
                chars.add(char)
    return re.escape("".join(sorted(chars)))


_RARE = re.compile(f"[{_rare_class()}]")


@lru_cache(maxsize=8192)
def _encode_pair(char: str) -> bytes | None:
    """GBK (GB18030) bytes of a double-byte character, None for anything else."""
    try:
        encoded = char.encode("gb18030")
    except UnicodeEncodeError:
        return None
    return encoded if len(encoded) == 2 else None


@lru_cache(maxsize=128)
def _fullwidth(char: str) -> bytes | None:
    """GBK bytes of the full-width form of an ASCII sign (! -> ！, A3 A1), None if it has none."""
    if not "!" <= char <= "~":
        return None
    return _encode_pair(chr(ord(char) + FOLD_OFFSET))


@lru_cache(maxsize=65536)
def _strict_char(lead: int, trail: int) -> str | None:
    """The character Python's GBK codec decodes a byte pair to, None when it fails on it."""
    try:
        char = bytes((lead, trail)).decode("gbk")
    except UnicodeDecodeError:
        return None
    return char if len(char) == 1 else None


@lru_cache(maxsize=512)
def _with_trail(trail: int) -> tuple[str, ...]:
    """Every GBK character whose second byte is `trail` (its lead byte was lost)."""
    return tuple(char for lead in GBK_LEADS if (char := _strict_char(lead, trail)) is not None)


@lru_cache(maxsize=4096)
def _with_lead(lead: int | None, following: int | None) -> tuple[str, ...]:
    """GBK characters led by `lead` (any lead when None) whose trail a GBK decoder reading one
    byte off showed as a placeholder: as a lead, it starts no character with `following`."""
    leads = GBK_LEADS if lead is None else (lead,)
    return tuple(
        char
        for trail in range(0x80, 0xFF)
        if gbk_undecodable(trail, following)
        for first in leads
        if (char := _strict_char(first, trail)) is not None
    )


def _folded(text: str) -> bool:
    """True when `text` was width-folded: ASCII signs stand among Han characters, not ，！（）."""
    return len(_FOLDED_SIGN.findall(text)) > len(_FULLWIDTH_SIGN.findall(text))


def _fold(char: str) -> str:
    """The ASCII form of a full-width sign, other characters as they are."""
    return chr(ord(char) - FOLD_OFFSET) if "\uff01" <= char <= "\uff5e" else char


def _next_byte(text: str, index: int) -> int | None:
    """The first byte of the character at `index` (the byte after a shifted run)."""
    if index >= len(text) or text[index] in PLACEHOLDERS:
        return None
    char = text[index]
    encoded = char.encode("gbk", errors="ignore")
    return encoded[0] if encoded else None


def _shifted_runs(
    text: str,
    span: tuple[int, int],
    carry: int | None,
    first: list[Piece],
    closing: str,
) -> Iterator[tuple[int, list[Piece]]]:
    """Ways the characters of `text[span]` re-align once a byte `carry` is put in front of them.

    Before the shift was lost the bytes were whole characters, so the re-aligned decoding has no
    error anywhere: each character a decoder showed one byte off lends its first byte to the
    carried one and carries its second on. The run ends at an ASCII sign that was the trail byte
    of the last character (`^` in `秴^`), or at a placeholder in `closing`, a trail the decoder
    could not use. In folded text an ASCII sign may also be a full-width one that continues the
    run. Yields (end index, pieces) for each way the run can end; `carry` None is an unknown
    byte, and `first` are pieces decoded before the span.
    """
    pieces = list(first)
    index, end = span
    for position in range(index, min(end, index + MAX_SHIFTED)):
        char = text[position]
        if char in closing:
            guesses = _with_lead(carry, _next_byte(text, position + 1))
            if guesses:
                yield position + 1, [*pieces, list(guesses)]
        if char.isascii():
            code = ord(char)
            if 0x40 <= code <= 0x7E:
                last: Piece | None
                if carry is None:
                    last = list(_with_trail(code)) or None
                else:
                    last = _strict_char(carry, code)
                if last:
                    yield position + 1, [*pieces, last]
            encoded = _fullwidth(char)
        else:
            encoded = _encode_pair(char)
        if encoded is None:
            return
        decoded: Piece | None
        if carry is None:
            decoded = list(_with_trail(encoded[0])) or None
        else:
            decoded = _strict_char(carry, encoded[0])
        if decoded is None:
            return
        pieces.append(decoded)
        carry = encoded[1]


LOST_CHARACTER = "?\ufffd"
"""One character whose lead byte was lost to `?` and whose trail byte the decoder could not use
with the byte after it: nothing of it is left to judge a guess by, but it was surely lost."""


def _lead_lost(damaged: str) -> bool:
    """True when a damaged run starts with the `?` of a lost lead byte and holds a U+FFFD."""
    return damaged.startswith("?") and "\ufffd" in damaged


def _shift_accepted(damaged: str, repaired: str) -> bool:
    """True when a re-aligned run is plausible Chinese and clearly more plausible than the damage.

    A placeholder counts against the damage (it is a byte the decoder could not use) unless it
    is a `?`, which ordinary text holds too. A run whose lead byte was lost to a `?` and that
    holds U+FFFD may come back as a punctuation mark alone (`?�` for `，`): the two
    placeholders are evidence enough that bytes were lost; other runs of placeholders alone
    (`��`) re-align nothing and are no evidence. A LOST_CHARACTER alone takes the best guess,
    however rare, and any other run must beat the damage by ANCHORED_MARGIN; one that starts
    with a lost lead and holds U+FFFD need do no more. Otherwise the run must be plausible
    Chinese and read as words: the word model must find it SHIFT_WORD_GAIN more probable per
    character than the damage.
    """
    if not any(is_han(char) for char in repaired) and not _lead_lost(damaged):
        return False
    if not damaged.strip(PLACEHOLDERS) and not _lead_lost(damaged):
        return False
    if _unfinished(repaired):
        return False
    if damaged == LOST_CHARACTER:
        return len(repaired) == 1
    scores = [
        OTHER_LOGP if char == "\ufffd" else char_logp(char)
        for char in damaged
        if not char.isascii()
    ]
    before = sum(scores) / len(scores) if scores else ASCII_LOGP
    after = plausibility(repaired)
    if after < before + ANCHORED_MARGIN:
        return False
    if _lead_lost(damaged):
        return True
    if after < CHINESE_MEAN:
        return False
    gain = lexicon.segment_logp(repaired) - lexicon.segment_logp(damaged)
    return gain >= SHIFT_WORD_GAIN * len(repaired)


def _is_traditional(text: str) -> bool:
    """True when `text` holds more traditional-only characters than simplified-only ones."""
    traditional = sum(map(_SIMPLIFIED.__contains__, text))
    simplified = sum(map(_SIMPLE_ONLY.__contains__, text))
    return traditional > simplified


def _best_realignment(
    text: str, runs: list[tuple[int, int, list[Piece]]], traditional: bool, folded: bool
) -> tuple[int, int, str] | None:
    """The most probable of the ways runs re-align: (start, end, repaired text).

    Each way is scored by the word and character models (`_rescore`) over the same stretch of
    text (from the earliest start to the latest end, with WORD_CONTEXT characters each side),
    so a run that starts late or ends early keeps the damaged characters around it in its
    score. Full-width signs are scored as such and folded afterwards when the text is.
    """
    if not runs:
        return None
    window_start = min(start for start, _, _ in runs)
    window_end = max(end for _, end, _ in runs)
    before, after = _context(text, window_start, window_end)
    best: tuple[float, int, int, str] | None = None
    for start, end, pieces in runs:
        repaired = _resolve(
            pieces,
            *_context(text, start, end),
            prefix=text[text.rfind("\n", 0, start) + 1 : start],
            traditional=traditional,
            look_ahead=True,
            document=text,
            earlier=text[: text.rfind("\n", 0, start) + 1],
        )
        window = text[window_start:start] + repaired + text[end:window_end]
        score = _rescore(before, window, after, traditional)
        if best is None or score > best[0]:
            best = (score, start, end, "".join(map(_fold, repaired)) if folded else repaired)
    assert best is not None
    return best[1:]


def _double_byte_count(text: str, start: int, end: int) -> int:
    """How many characters of `text[start:end]` can be shifted GBK: not ASCII, and not a Latin
    letter with a diacritic (pinyin `ū`, `ǎ` are GBK characters too, but ordinary text)."""
    return sum(1 for char in text[start:end]
               if not char.isascii() and not "\u00c0" <= char <= "\u02af")


def _anchored(
    text: str, start: int, line_end: int, folded: bool, traditional: bool
) -> Candidate | None:
    """The re-aligned run after a placeholder at `start` that stands for a lost lead byte.

    Fewer than two damaged double-byte characters after the placeholder (`?姘a`, `?ū军c`) are
    too little evidence, unless the decoder also left a U+FFFD.
    """
    runs = [
        (start, end, pieces)
        for end, pieces in _shifted_runs(text, (start + 1, line_end), None, [], "\ufffd")
        if _double_byte_count(text, start + 1, end) >= 2 or "\ufffd" in text[start:end]
    ]
    found = _best_realignment(text, runs, traditional, folded)
    if found is None or not _shift_accepted(text[found[0] : found[1]], found[2]):
        return None
    return Candidate(*found, strong=True)


SHORT_DROPPED_RUN = 2
"""A re-aligned run of this many characters before its placeholder, or fewer, is too little
evidence to bring in characters of the other script (堃垚淼? is a clean name, not 張愴的)."""

MAX_DROPPED_SPAN = 24
"""How many characters before a placeholder a byte dropped without a trace may have been."""

DROPPED_GAIN = 11.0
"""log10 gain, by the word bigram model, that a run re-aligned after a byte lost without a
trace must show over the damage, both read with WORD_CONTEXT characters each side. Any run
re-aligns into some characters; only one that reads as far better words than the damage
(的南湖公园 against 的虾?公园, where `?` is a token the model does not know) is evidence that a
byte was lost. At 8, clean text with a `?` changed (and pinyin notes that lost their character,
`?zhēng`, re-aligned). Random strings of common, rare and Latin characters and `?` change 36
times in 40,000 at 11 and 80 at 10; 78 did before runs this short were re-aligned at all."""


@lru_cache(maxsize=512)
def _with_byte(byte: int) -> tuple[str, ...]:
    """GBK characters that hold `byte` as their lead or as their trail (the other one was lost)."""
    led = (char for trail in GBK_TRAILS if (char := _strict_char(byte, trail)) is not None)
    return tuple(dict.fromkeys((*_with_trail(byte), *led)))


def _dropped(
    text: str, line_start: int, end: int, folded: bool, traditional: bool
) -> Candidate | None:
    """The re-aligned run ending at a placeholder (at `end`), after a byte lost without a trace.

    The lost byte was the lead or the trail of the first misaligned character: every start
    within MAX_DROPPED_SPAN characters is tried, down to the character just before the
    placeholder (鸥? for 才更). The best run must read as clearly better words
    (`_dropped_accepted`). In folded text, where `?` is the question mark too, a stretch
    without a rare character or odd symbol is not looked at: shifted text is mostly those.
    """
    first = max(line_start, end - MAX_DROPPED_SPAN)
    if folded and _RARE.search(text, first, end) is None:
        return None
    runs: list[tuple[int, int, list[Piece]]] = []
    for start in range(end - 1, first - 1, -1):
        encoded = _encode_pair(text[start])
        if encoded is None:
            break
        if _double_byte_count(text, start, end) < min(2, end - start) or (
            end - start == 1 and not is_han(text[start])
        ):
            continue  # too little evidence: pinyin letters, or one symbol (ǔ?, 痉ǎ?, €?)
        guesses: list[Piece] = [list(_with_byte(encoded[0]))]
        runs += [
            (start, stop, pieces)
            for stop, pieces in _shifted_runs(
                text, (start + 1, end + 1), encoded[1], guesses, PLACEHOLDERS
            )
            if stop == end + 1
        ]
    found = _best_realignment(text, runs, traditional, folded)
    if found is None or not _dropped_accepted(text, *found, traditional):
        return None
    other = _SIMPLE_FORMS if traditional else _SIMPLIFIED
    if end - found[0] <= SHORT_DROPPED_RUN and any(char in other for char in found[2]):
        return None
    return Candidate(*found, strong=True)


def _dropped_accepted(text: str, start: int, end: int, repaired: str, traditional: bool) -> bool:
    """True when `repaired`, a run re-aligned after a byte lost without a trace, is Chinese
    without placeholders or junk and gains DROPPED_GAIN over `text[start:end]` by the word
    bigram model."""
    if not any(is_han(char) for char in repaired):
        return False
    if _unfinished(repaired):
        return False
    before, after = _context(text, start, end)
    gain = lexicon.word_lm_logp(
        before + repaired + after, fold_script=traditional
    ) - lexicon.word_lm_logp(before + text[start:end] + after, fold_script=traditional)
    return gain >= DROPPED_GAIN


def _shift_candidates(text: str) -> Iterator[Candidate]:
    """Runs around placeholders that re-align, one byte off, to clearly better Chinese.

    A placeholder is a lost lead byte that starts a shifted run, or the byte that ends a run
    whose lost byte left no trace.
    """
    folded = _folded(text)
    for line_start, line_end in _lines_with(text, _SHIFT_HINT):
        traditional = _is_traditional(text[line_start:line_end])
        position = line_start
        while (found := _SHIFT_HINT.search(text, position, line_end)) is not None:
            marker = found.start()
            lost = _LOST_RUN.match(text, marker, line_end)
            if lost is not None:
                position = lost.end()
                continue
            candidate = _anchored(text, marker, line_end, folded, traditional) or _dropped(
                text, position, marker, folded, traditional
            )
            if candidate is None:
                position = marker + 1
                continue
            yield candidate
            position = candidate.end


def fix_shifted_gbk(text: str) -> str:
    """Re-align GBK text that lost one byte, up to the next ASCII byte (笔痉秴^ for ”示范區)."""
    if not _SHIFT_HINT.search(text):
        return text
    return _apply(text, _shift_candidates(text))
