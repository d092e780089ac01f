"""Repair throughput: `repair_text` and `clean_document` in MB/s over a >= 1 MB corpus.

The corpus is the five seed documents repeated until it passes 1 MB, processed one document at a
time as the pipeline does. The baseline is a plain UTF-8 `str.encode`/`bytes.decode` round trip
over the same documents in the same run, so the ratio is comparable across noisy machines.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from crawler.clean import clean_document
from crawler.repair import repair_text

SEEDS = Path(__file__).resolve().parent.parent / "tests" / "golden" / "seeds"
CORPUS_BYTES = 1_000_000


def corpus() -> list[str]:
    """The seed documents, repeated until their UTF-8 size passes CORPUS_BYTES."""
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    documents: list[str] = []
    size = 0
    while size < CORPUS_BYTES:
        for text in seeds:
            documents.append(text)
            size += len(text.encode("utf-8"))
    return documents


def best_seconds(work: Callable[[], object], repeat: int = 3) -> float:
    """The best wall time of `repeat` runs (the least disturbed by other load)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    documents = corpus()
    megabytes = sum(len(d.encode("utf-8")) for d in documents) / 1e6
    repair_text(documents[0])  # build lazy tables outside the timed runs
    baseline = best_seconds(lambda: [d.encode("utf-8").decode("utf-8") for d in documents])
    repair = best_seconds(lambda: [repair_text(d) for d in documents])
    clean = best_seconds(
        lambda: [clean_document(d, url="file:///bench.txt") for d in documents])
    article_ms = 5_000 / (megabytes * 1e6 / repair) * 1000
    print(f"repair corpus: {len(documents)} documents, {megabytes:.2f} MB (UTF-8)")
    print(f"{'step':<28}{'MB/s':>10}{'x round-trip time':>20}")
    for name, seconds in (("encode/decode round trip", baseline), ("repair_text", repair),
                          ("clean_document", clean)):
        print(f"{name:<28}{megabytes / seconds:>10.2f}{seconds / baseline:>20.1f}")
    print(f"repair_text on a 5 KB article: {article_ms:.2f} ms (target < 2 ms, >= 2.5 MB/s)")


if __name__ == "__main__":
    main()
