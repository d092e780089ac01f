"""Build `word_lm.tsv.gz`, the word bigram language model that ranks the repairs' guesses.

Run once, by hand, on a Debian machine (the runtime needs none of this), after unpacking the
packages as for `make_char_lm.py`:

    python crawler/repair/data/make_word_lm.py /tmp/sunpinyin

Source: open-gram, the word trigram model of Chinese that the SunPinyin input method ships
(Debian `sunpinyin-data`, CC BY-SA 3.0), read with `make_char_lm.read_words` and
`make_char_lm.read_model`. An input method chooses among characters that sound alike by the
words they make with their neighbours; a lost byte leaves the same kind of choice among
characters that share bytes, so the model serves as it is, without its trigrams.

Kept: every word (71,759, with its probability and backoff weight) and the BIGRAMS bigrams
worth most (`_gain`: joint probability P(w1) P(w2 | w1) times the log ratio of P(w2 | w1) to
what backing off gives); a pruned bigram falls back to the backoff weight of w1 times P(w2),
as in the source model.

Output (gzip), in the manner of an ARPA file: a comment line, `\\1-grams`, rows
`word<TAB>log10 P(word)<TAB>log10 backoff weight`, `\\2-grams`, rows
`word1<TAB>word2<TAB>log10 P(word2 | word1)`. The sentence boundary is left out: the repairs
score stretches inside a text.
"""

from __future__ import annotations

import gzip
import heapq
import math
import sys
from pathlib import Path

from make_char_lm import BOUNDARY_ID, DATA, read_model, read_words

OUTPUT = Path(__file__).with_name("word_lm.tsv.gz")
BIGRAMS = 400_000
"""Bigrams kept (of 2.5 million): the model stays a few MB."""


def _gain(unigrams: dict[int, tuple[float, float]], first: int, second: int, p: float) -> float:
    """What keeping a bigram is worth: its joint probability times how far its probability is
    from what backing off would give (pruning by relative entropy, roughly)."""
    p_first, backoff = unigrams[first]
    backed_off = (backoff or 1.0) * unigrams[second][0]
    return p_first * p * abs(math.log10(p / backed_off))


def main(root: Path) -> None:
    words = read_words(root / DATA / "pydict_sc.bin")
    unigrams, bigrams, _ = read_model(root)
    known = {
        word_id: word
        for word_id, word in words.items()
        if word_id in unigrams and word_id != BOUNDARY_ID and unigrams[word_id][0] > 0
    }
    scored = (
        (_gain(unigrams, first, second, p), first, second, p)
        for (first, second), (p, _) in bigrams.items()
        if p > 0 and first in known and second in known
    )
    kept = heapq.nlargest(BIGRAMS, scored)
    rows = ["# word bigram model from open-gram (CC BY-SA 3.0); see README.md\n", "\\1-grams\n"]
    for word_id, word in sorted(known.items(), key=lambda item: item[1]):
        p, backoff = unigrams[word_id]
        rows.append(f"{word}\t{math.log10(p):.3f}\t{math.log10(backoff) if backoff else 0.0:.3f}\n")
    rows.append("\\2-grams\n")
    for _, first, second, p in sorted(kept, key=lambda item: (known[item[1]], known[item[2]])):
        rows.append(f"{known[first]}\t{known[second]}\t{math.log10(p):.3f}\n")
    OUTPUT.write_bytes(gzip.compress("".join(rows).encode("utf-8"), mtime=0))
    print(f"{OUTPUT.name}: {len(known)} words, {len(kept)} bigrams, "
          f"{OUTPUT.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
