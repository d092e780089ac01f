"""The language tables in `crawler/repair/data`, read once each on first use, and the scores
built on them.

- `char_table`: how often each character occurs in Chinese text, and the simplified form of the
  traditional ones (`char_freq.tsv`);
- `pair_count`: how often two characters stand next to each other inside a word
  (`char_pairs.tsv`). The broken-lines repair asks it whether a line break falls inside a word
  (`市领` / `导一行…`: 领导 is a word, 导一 none), which a layout cut does and a real paragraph
  break almost never does;
- `char_lm_logp`: how probable a text is under a character 4-gram model (`char_lm.tsv.gz`,
  derived from the open-gram word trigram model); the repairs that guess a lost byte weigh it
  with the word model;
- `word_lm_logp`: how probable a text is as its most probable sequence of words under a word
  bigram model (`word_lm.tsv.gz`, pruned from the same open-gram model): the strongest of the
  scores that rank the characters a lost byte can give (有个护士, not 有一护士);
- `segment_logp`: how probable a short stretch of text is as a sequence of dictionary words
  (`words.tsv`, jieba's words of up to four characters, and `phrases.tsv.gz`, the set phrases
  of an input method's table that jieba lacks: 本报讯, 攻坚克难). The repairs that guess a
  lost character or byte use it to prefer the candidate that makes words with its neighbours
  (坚持全域, not 坚持人域).

See `data/README.md` for where the tables come from.
"""

from __future__ import annotations

import gzip
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).with_name("data")

MAX_WORD = 4
"""Longest word in `words.tsv`."""

NUMERAL = "五"
"""Stands in for an ASCII digit: 5月 reads like 五月 to the word and pair tables."""

UNKNOWN_HAN_COUNT = 0.5
"""Count given to a Han character that is no word of its own in the word table."""

WORDS_PER_CHAR = 0.6
"""Words per character of running text: a punctuation mark's share of words is its share of
characters divided by this."""

OTHER_WORD_LOGP = -4.0
"""log10 probability of a token the tables do not know: an ASCII letter or sign, a symbol."""


def _rows(name: str) -> list[list[str]]:
    """The tab-separated rows of a table, comments left out."""
    with (DATA_DIR / name).open(encoding="utf-8") as rows:
        return [row.rstrip("\n").split("\t") for row in rows if not row.startswith("#")]


@lru_cache(maxsize=1)
def char_table() -> tuple[dict[str, int], dict[str, str]]:
    """Character counts and the simplified form of each traditional character."""
    counts: dict[str, int] = {}
    simplified: dict[str, str] = {}
    for char, count, simple in _rows("char_freq.tsv"):
        counts[char] = int(count)
        if simple != char:
            simplified[char] = simple
    return counts, simplified


@lru_cache(maxsize=1)
def pairs() -> dict[str, int]:
    """Counts of adjacent character pairs inside words, from `char_pairs.tsv`."""
    return {pair: int(count) for pair, count in _rows("char_pairs.tsv")}


def pair_count(left: str, right: str) -> int:
    """How often character `left` is followed by character `right` inside a word (0 when the
    pair is no part of any dictionary word)."""
    return pairs().get(left + right, 0)


@lru_cache(maxsize=1)
def word_logp() -> dict[str, float]:
    """log10 probability of each word of `words.tsv` and `phrases.tsv.gz` as a token of running
    text.

    Full-width punctuation is added as one-character words, at its share of characters; the
    empty key holds the score of a Han character that is no word of its own.
    """
    with (DATA_DIR / "words.tsv").open(encoding="utf-8") as rows:
        header = rows.readline()
        total = int(header.rsplit("\t", 1)[1])
        table = {
            word: math.log10(int(count) / total)
            for word, count in (row.rstrip("\n").split("\t") for row in rows)
        }
    with gzip.open(DATA_DIR / "phrases.tsv.gz", "rt", encoding="utf-8") as rows:
        rows.readline()
        table.update(
            (phrase, math.log10(int(count) / total))
            for phrase, count in (row.rstrip("\n").split("\t") for row in rows)
        )
    counts, _ = char_table()
    chars = sum(count for char, count in counts.items() if "\u4e00" <= char <= "\u9fff")
    for char, count in counts.items():
        if not ("\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"):
            table[char] = math.log10(count / chars / WORDS_PER_CHAR)
    table[""] = math.log10(UNKNOWN_HAN_COUNT / total)
    return table


CHAR_LM_ORDER = 4
"""Longest n-gram of `char_lm.tsv.gz`."""

LINE_START = "^"
"""How `char_lm.tsv.gz` writes the line break that opens an n-gram (the start of a line)."""

STAND_INS = {
    **dict.fromkeys("（《【「『‘", "“"),
    **dict.fromkeys("）》】」』’", "”"),
    "—": "…",
}
"""Marks the two n-gram models never saw (their corpus writes none of them), read as the mark
that stands where they do: an opening bracket or title mark as an opening quote, a closing one
as a closing quote, a dash as an ellipsis. Unknown, a guessed 》 or （ scored as a token the
models do not know, and 。 or a Han character won where the text had one (《报告》, （二）)."""

CHAR_LM_OOV = -9.0
"""log10 probability of a character that neither the character model nor the frequency table
knows."""


@lru_cache(maxsize=4096)
def _oov_logp(char: str) -> float:
    """log10 probability of a character the character model does not know (ASCII, （）《》):
    its share in the frequency table."""
    counts, _ = char_table()
    count = counts.get(char)
    return math.log10(count / _char_total()) if count else CHAR_LM_OOV


@lru_cache(maxsize=1)
def _char_total() -> int:
    """Sum of the frequency table's counts."""
    return sum(char_table()[0].values())


@lru_cache(maxsize=1)
def char_lm() -> dict[str, tuple[float, float]]:
    """The character 4-gram model: n-gram -> (log10 P(last | rest), log10 backoff weight)."""
    model: dict[str, tuple[float, float]] = {}
    text = gzip.decompress((DATA_DIR / "char_lm.tsv.gz").read_bytes()).decode("utf-8")
    for row in text.splitlines()[1:]:
        gram, logp, *backoff = row.split("\t")
        model[gram.replace(LINE_START, "\n")] = (float(logp), float(backoff[0]) if backoff else 0.0)
    return model


def char_lm_logp(text: str, *, fold_script: bool = True) -> float:
    """log10 probability of `text` under the character 4-gram model.

    Traditional characters count as their simplified forms (unless not `fold_script`: in
    simplified text a traditional character is no word's) and ASCII digits as a numeral; a
    character the model does not know scores its share in the frequency table (`_oov_logp`)
    and starts the history anew.
    """
    model = char_lm()
    normal = _model_form(fold_script)
    context = ""
    total = 0.0
    for char in text.translate(normal):
        if char not in model:
            total += _oov_logp(char)
            context = ""
            continue
        gram = context + char
        weight = 0.0
        while True:
            entry = model.get(gram)
            if entry is not None:
                total += weight + entry[0]
                break
            lower = model.get(gram[:-1])
            if lower is not None:
                weight += lower[1]
            gram = gram[1:]
        context = (context + char)[-(CHAR_LM_ORDER - 1) :]
    return total


WORD_LM_OOV = -7.0
"""log10 probability of a character that is no word of the word bigram model (ASCII, rare Han):
it also ends the history, as a word the model does not know would."""

WORD_LM_LONGEST = 8
"""Longest word, in characters, that `word_lm_logp` looks up."""

@dataclass(frozen=True)
class WordModel:
    """The word bigram model, compact: each word has a number, and a bigram is keyed by its
    two words' numbers (`first * len(words) + second`), so that 400k bigrams are ints and
    floats rather than tuples of two strings (74 MiB loaded instead of 149)."""

    ids: dict[str, int]
    """Word -> its number."""
    logp: list[float]
    """log10 P(word), by number."""
    backoff: list[float]
    """log10 backoff weight of each word as the first of a pair, by number."""
    bigrams: dict[int, float]
    """Pair key -> log10 P(second | first)."""


@lru_cache(maxsize=1)
def word_lm() -> WordModel:
    """The word bigram model of `word_lm.tsv.gz`, read on first use."""
    text = gzip.decompress((DATA_DIR / "word_lm.tsv.gz").read_bytes()).decode("utf-8")
    rows = iter(text.splitlines()[1:])
    ids: dict[str, int] = {}
    logp: list[float] = []
    backoff: list[float] = []
    for row in rows:
        if row == "\\2-grams":
            break
        if row.startswith("\\"):
            continue
        word, probability, weight = row.split("\t")
        ids[word] = len(logp)
        logp.append(float(probability))
        backoff.append(float(weight))
    size = len(logp)
    bigrams: dict[int, float] = {}
    for row in rows:
        first, second, probability = row.split("\t")
        bigrams[ids[first] * size + ids[second]] = float(probability)
    return WordModel(ids, logp, backoff, bigrams)


def word_lm_logp(text: str, *, fold_script: bool = True) -> float:
    """log10 probability of `text` as its most probable sequence of words under the word bigram
    model (a Viterbi search over the words the text can be cut into).

    Traditional characters count as their simplified forms (unless not `fold_script`) and
    ASCII digits as a numeral; a character that starts no known word scores WORD_LM_OOV and
    ends the history.
    """
    model = word_lm()
    ids, logp, backoff, bigrams = model.ids, model.logp, model.backoff, model.bigrams
    size = len(logp)
    text = text.translate(_word_model_form(fold_script))
    # best[i]: for each last word (its number; -1 for none) of a reading of text[:i], the best
    # score of that reading.
    best: list[dict[int, float]] = [{} for _ in range(len(text) + 1)]
    best[0][-1] = 0.0
    for start in range(len(text)):
        readings = best[start]
        if not readings:
            continue
        found = False
        for end in range(start + 1, min(len(text), start + WORD_LM_LONGEST) + 1):
            word = ids.get(text[start:end])
            if word is None:
                continue
            found = True
            score = max(
                value
                + (
                    logp[word]
                    if last < 0
                    else bigrams.get(last * size + word, backoff[last] + logp[word])
                )
                for last, value in readings.items()
            )
            if score > best[end].get(word, -math.inf):
                best[end][word] = score
        if not found:
            score = max(readings.values()) + WORD_LM_OOV
            if score > best[start + 1].get(-1, -math.inf):
                best[start + 1][-1] = score
    return max(best[-1].values())


@lru_cache(maxsize=1)
def _simplified_form() -> dict[int, str]:
    """Translation of traditional characters to their simplified forms."""
    _, simplified = char_table()
    return {ord(char): simple for char, simple in simplified.items()}


HALF_WIDTH_MARKS: dict[int, str] = {
    ord(half): full for half, full in zip(",;:!()", "，；：！（）", strict=True)
}
"""ASCII marks read as the full-width ones that Chinese text writes (a page whose punctuation
was width-folded, 攻坚克难,以决战): the tables know only the full-width ones, and an unknown
mark cut every model's history beside a guess. `?` is left as it is: it also stands for a lost
byte."""


@lru_cache(maxsize=2)
def _normal_form(fold_script: bool = True) -> dict[int, str]:
    """Translation to the form the word table knows: digits as numerals, ASCII marks as
    full-width ones (HALF_WIDTH_MARKS), and with `fold_script` simplified script."""
    _, simplified = char_table()
    table = {ord(char): simple for char, simple in simplified.items()} if fold_script else {}
    table.update({ord(digit): NUMERAL for digit in "0123456789"})
    table.update(HALF_WIDTH_MARKS)
    return table


@lru_cache(maxsize=2)
def _model_form(fold_script: bool = True) -> dict[int, str]:
    """`_normal_form` with the marks the n-gram models never saw as their STAND_INS."""
    return {**_normal_form(fold_script), **str.maketrans(STAND_INS)}


@lru_cache(maxsize=2)
def _word_model_form(fold_script: bool = True) -> dict[int, str]:
    """Translation for the word bigram model: HALF_WIDTH_MARKS, STAND_INS, and with
    `fold_script` simplified script."""
    return {
        **(_simplified_form() if fold_script else {}),
        **HALF_WIDTH_MARKS,
        **str.maketrans(STAND_INS),
    }


def segment_logp(text: str, *, fold_script: bool = True) -> float:
    """log10 probability of `text` as its most probable sequence of words (a unigram word model).

    Every character may stand alone as a word; longer words come from `words.tsv` and
    `phrases.tsv.gz`. Traditional characters count as their simplified forms (unless not
    `fold_script`) and ASCII digits as a numeral.
    """
    words = word_logp()
    unknown_han = words[""]
    word = words.get
    text = text.translate(_normal_form(fold_script))
    best = [0.0]
    score = 0.0
    for end, char in enumerate(text, 1):
        logp = word(char)
        if logp is None:
            is_han = "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"
            logp = unknown_han if is_han else OTHER_WORD_LOGP
        score += logp
        for start in range(max(0, end - MAX_WORD), end - 1):
            logp = word(text[start:end])
            if logp is not None and best[start] + logp > score:
                score = best[start] + logp
        best.append(score)
    return score
