"""Repair throughput: `repair_text` and `clean_document` in MB/s, on clean and damaged text.

Three corpora, each processed one document at a time as the pipeline does:
- `mixed`: the five seed documents (clean, traditional with reading notes, shifted GBK) and the
  real pages' bodies (../shared/realpages, when present), repeated past 1 MB;
- `mixed, small`: the same documents, once each (a second size);
- `damaged alone`: only damaged text, the real-page paragraphs (the gold stories' without
  ../shared) damaged by every mojibake kind of `benchmarks.damage`, past DAMAGED_BYTES.

The baseline is a plain UTF-8 `str.encode`/`bytes.decode` round trip over the same documents in
the same run, so the ratio is comparable across noisy machines.
"""

from __future__ import annotations

import random
import time
import zlib
from collections.abc import Callable
from pathlib import Path

from benchmarks.damage import KINDS
from benchmarks.eval_repairs import MOJIBAKE, eval_documents, realpage_documents
from crawler.clean import clean_document
from crawler.repair import repair_text

SEEDS = Path(__file__).resolve().parent.parent / "tests" / "golden" / "seeds"
CORPUS_BYTES = 1_000_000
DAMAGED_BYTES = 200_000
TARGET_MB_S = 2.5
WARM_UP = 50
"""Damaged documents repaired once before timing, so that every lazy table is read."""


def _size(documents: list[str]) -> int:
    """UTF-8 size of `documents`."""
    return sum(len(d.encode("utf-8")) for d in documents)


def _repeated(documents: list[str], size: int) -> list[str]:
    """`documents` repeated until their UTF-8 size passes `size`."""
    out: list[str] = []
    while _size(out) < size:
        out += documents
    return out


def mixed_documents() -> list[str]:
    """The seed documents and the real pages' bodies, once each."""
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    return seeds + ["\n".join(document) for document in realpage_documents() if document]


def damaged_documents() -> list[str]:
    """Paragraphs damaged by each mojibake kind, one damaged paragraph per document."""
    paragraphs = [p for d in realpage_documents() or eval_documents() for p in d]
    kinds = [kind for kind in KINDS if set(kind.repairs) & set(MOJIBAKE) and kind.paragraphs == 1]
    out: list[str] = []
    index = 0
    while _size(out) < DAMAGED_BYTES:
        paragraph = paragraphs[index % len(paragraphs)]
        kind = kinds[index % len(kinds)]
        case = kind.damage(paragraph, random.Random(zlib.crc32(f"bench:{index}".encode())))
        if case is not None:
            out.append(case.damaged)
        index += 1
    return out


def best_seconds(work: Callable[[], object], repeat: int = 3) -> float:
    """The best wall time of `repeat` runs (the least disturbed by other load)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def measure(name: str, documents: list[str], clean: bool, repeat: int = 3) -> None:
    """Print the round trip, `repair_text` and (if `clean`) `clean_document` on `documents`."""
    megabytes = _size(documents) / 1e6
    baseline = best_seconds(lambda: [d.encode("utf-8").decode("utf-8") for d in documents])
    steps = [("repair_text", best_seconds(lambda: [repair_text(d) for d in documents], repeat))]
    if clean:
        steps.append((
            "clean_document",
            best_seconds(
                lambda: [clean_document(d, url="file:///bench.txt") for d in documents], repeat
            ),
        ))
    print(f"\n{name}: {len(documents)} documents, {megabytes:.2f} MB (UTF-8)")
    print(f"{'step':<28}{'MB/s':>10}{'x round-trip time':>20}")
    for step, seconds in (("encode/decode round trip", baseline), *steps):
        print(f"{step:<28}{megabytes / seconds:>10.2f}{seconds / baseline:>20.1f}")


def main() -> None:
    mixed = mixed_documents()
    damaged = damaged_documents()
    for document in [*mixed, *damaged[:WARM_UP]]:  # read the lazy tables outside the timed runs
        repair_text(document)
    measure("mixed", _repeated(mixed, CORPUS_BYTES), clean=True)
    measure("mixed, small", mixed, clean=False)
    measure("damaged alone", damaged, clean=False, repeat=2)
    print(f"target: repair_text on the mixed corpus >= {TARGET_MB_S} MB/s")


if __name__ == "__main__":
    main()
