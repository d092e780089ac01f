"""Build `char_lm.tsv.gz`, the character 4-gram language model behind the repairs' guesses.

Run once, by hand, on a Debian machine (the runtime needs none of this):

    apt-get download sunpinyin-data sunpinyin-utils
    dpkg -x sunpinyin-data_*.deb /tmp/sunpinyin; dpkg -x sunpinyin-utils_*.deb /tmp/sunpinyin
    python crawler/repair/data/make_char_lm.py /tmp/sunpinyin

Source: open-gram, the word trigram model of Chinese that the SunPinyin input method ships
(Debian `sunpinyin-data`, CC BY-SA 3.0): 71,759 words and punctuation marks, 2.5 million
bigrams and 1 million trigrams estimated from running text. `tslminfo` (Debian
`sunpinyin-utils`) prints it in ARPA form with word ids; `pydict_sc.bin` holds the words, the
id-th string of its word table being word id + WORD_ID_OFFSET.

The character model holds what the word model expects of characters:
- inside words, each word's character n-grams, weighted by the word's probability;
- across one word boundary, each listed bigram's n-grams that cross it, weighted by the bigram's
  joint probability P(w1) P(w2 | w1);
- across two boundaries, each listed trigram's n-grams that reach from its first word into its
  third, weighted by P(w1) P(w2 | w1) P(w3 | w1 w2).
Sentence boundaries (word id 0) become a line break, which only ever opens an n-gram (what
starts a line). Expected counts are scaled by SCALE, n-grams of two or more characters counted
less than MIN_COUNT[n] are pruned, and the probabilities are Witten-Bell interpolated: each
context keeps T / (N + T) of its mass for the shorter context (T its distinct continuations,
N its count), stored as the backoff weight of the context.

Output rows (gzip): `ngram<TAB>log10 P(last | rest)[<TAB>log10 backoff weight]`, the weight
left out for an n-gram that is no context of a longer one; `^` stands for the line break.
"""

from __future__ import annotations

import gzip
import math
import struct
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

OUTPUT = Path(__file__).with_name("char_lm.tsv.gz")
ORDER = 4
WORD_ID_OFFSET = 3
BOUNDARY_ID = 0
SCALE = 1e8
"""Expected counts are probabilities; times SCALE they read as counts of a large corpus."""
MIN_COUNT = {2: 20.0, 3: 40.0, 4: 80.0}
"""Pruning: the smallest scaled count kept for an n-gram of each length."""

DATA = Path("usr/lib/x86_64-linux-gnu/sunpinyin/data")


def read_words(path: Path) -> dict[int, str]:
    """Word id -> word, from the word table at the end of `pydict_sc.bin`."""
    data = path.read_bytes()
    _, _, nodes_size = struct.unpack_from("<3I", data)
    start = 12 + nodes_size
    values = struct.unpack_from(f"<{(len(data) - start) // 4}I", data, start)
    words: dict[int, str] = {BOUNDARY_ID: "\n"}
    current: list[int] = []
    index = 0
    for value in values:
        if value:
            current.append(value)
            continue
        if current:
            words[index + WORD_ID_OFFSET] = "".join(map(chr, current))
        current = []
        index += 1
    return words


def read_model(root: Path) -> tuple[dict[int, tuple[float, float]],
                                     dict[tuple[int, int], tuple[float, float]],
                                     list[tuple[int, int, int, float]]]:
    """Unigrams (p, backoff), bigrams (p, backoff) and trigrams of the open-gram model."""
    dump = subprocess.run(
        [str(root / "usr/bin/tslminfo"), "-v", "-p", str(root / DATA / "lm_sc.t3g")],
        check=True, capture_output=True, text=True,
    ).stdout
    unigrams: dict[int, tuple[float, float]] = {}
    bigrams: dict[tuple[int, int], tuple[float, float]] = {}
    trigrams: list[tuple[int, int, int, float]] = []
    level = 0
    for line in dump.splitlines():
        if line.startswith("\\"):
            level = int(line[1])
            continue
        fields = line.split()
        if level == 1:
            unigrams[int(fields[0])] = (float(fields[1]), float(fields[2]))
        elif level == 2:
            bigrams[(int(fields[0]), int(fields[1]))] = (float(fields[2]), float(fields[3]))
        elif level == 3:
            trigrams.append((int(fields[0]), int(fields[1]), int(fields[2]), float(fields[3])))
    return unigrams, bigrams, trigrams


def _add(counts: dict[str, float], text: str, weight: float, low: int, high: int) -> None:
    """Add `weight` to every n-gram of `text` (up to ORDER long) that starts before `low` and
    ends after `high`; a line break may only open an n-gram."""
    for start in range(0, low + 1):
        for end in range(max(start + 1, high), min(len(text), start + ORDER) + 1):
            gram = text[start:end]
            if "\n" in gram[1:]:
                break
            counts[gram] += weight


def expected_counts(words: dict[int, str], unigrams: dict[int, tuple[float, float]],
                    bigrams: dict[tuple[int, int], tuple[float, float]],
                    trigrams: list[tuple[int, int, int, float]]) -> dict[str, float]:
    """Expected character n-gram counts (per word token) under the word model."""
    counts: dict[str, float] = defaultdict(float)
    for word_id, (p, _) in unigrams.items():
        word = words.get(word_id)
        if word and word != "\n":
            _add(counts, word, p, len(word) - 1, 0)
    for (first, second), (p, _) in bigrams.items():
        a, b = words.get(first), words.get(second)
        if not a or not b or first not in unigrams:
            continue
        _add(counts, a + b, unigrams[first][0] * p, len(a) - 1, len(a) + 1)
    for first, second, third, p in trigrams:
        a, b, c = words.get(first), words.get(second), words.get(third)
        if not a or not b or not c or len(b) > ORDER - 2 or first not in unigrams:
            continue
        pair = bigrams.get((first, second))
        p_second = pair[0] if pair else unigrams[first][1] * unigrams.get(second, (0.0, 0.0))[0]
        weight = unigrams[first][0] * p_second * p
        _add(counts, a + b + c, weight, len(a) - 1, len(a) + len(b) + 1)
    return counts


def witten_bell(counts: dict[str, float]) -> dict[str, tuple[float, float]]:
    """Pruned, interpolated log10 probabilities and backoff weights of the n-grams."""
    scaled = {gram: count * SCALE for gram, count in counts.items()}
    context_total: dict[str, float] = defaultdict(float)
    context_types: dict[str, int] = defaultdict(int)
    for gram, count in scaled.items():
        if len(gram) > 1:
            context_total[gram[:-1]] += count
            context_types[gram[:-1]] += 1
    kept = {g: c for g, c in scaled.items() if len(g) == 1 or c >= MIN_COUNT[len(g)]}
    unigram_total = sum(c for g, c in kept.items() if len(g) == 1 and g != "\n")
    probability: dict[str, float] = {
        g: c / unigram_total for g, c in kept.items() if len(g) == 1 and g != "\n"
    }
    backoff: dict[str, float] = {}
    for gram in sorted((g for g in kept if len(g) > 1), key=len):
        context = gram[:-1]
        if context not in backoff:
            total, types = context_total[context], context_types[context]
            backoff[context] = types / (total + types)
        lower = _lower(gram[1:], probability, backoff)
        probability[gram] = (kept[gram] + context_types[context] * lower) / (
            context_total[context] + context_types[context]
        )
    return {
        gram: (math.log10(p), math.log10(backoff[gram]) if gram in backoff else 0.0)
        for gram, p in probability.items()
    }


def _lower(gram: str, probability: dict[str, float], backoff: dict[str, float]) -> float:
    """P(last | rest) of `gram` under the model built so far (backing off as it must)."""
    weight = 1.0
    while gram:
        if gram in probability:
            return weight * probability[gram]
        weight *= backoff.get(gram[:-1], 1.0)
        gram = gram[1:]
    return weight * 1e-9


def main(root: Path) -> None:
    words = read_words(root / DATA / "pydict_sc.bin")
    unigrams, bigrams, trigrams = read_model(root)
    model = witten_bell(expected_counts(words, unigrams, bigrams, trigrams))
    rows = ["# character 4-gram model from open-gram (CC BY-SA 3.0); see README.md\n"]
    for gram, (logp, bow) in sorted(model.items(), key=lambda item: (len(item[0]), item[0])):
        weight = f"\t{bow:.3f}" if bow else ""
        rows.append(f"{gram.replace(chr(10), '^')}\t{logp:.3f}{weight}\n")
    OUTPUT.write_bytes(gzip.compress("".join(rows).encode("utf-8"), mtime=0))
    sizes: dict[int, int] = defaultdict(int)
    for gram in model:
        sizes[len(gram)] += 1
    print(f"{OUTPUT.name}: {dict(sizes)} n-grams, {OUTPUT.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
