"""Extraction speed: our `extract_page` per page against plain `trafilatura.extract` on the same
gold pages, in the same run (target: at most 1.5× trafilatura's time)."""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from benchmarks.eval import GoldPage, load_gold

TARGET_RATIO = 1.5


def _time_per_page(pages: list[GoldPage], run: Callable[[GoldPage], object],
                   rounds: int) -> float:
    """Best-of-`rounds` mean seconds per page."""
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for page in pages:
            run(page)
        best = min(best, (time.perf_counter() - start) / len(pages))
    return best


def main(argv: list[str] | None = None) -> int:
    """Print ms/page for both extractors and the ratio."""
    import trafilatura

    from crawler.extract import extract_page

    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_extract", description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    pages = load_gold()

    def ours(page: GoldPage) -> object:
        return extract_page(page.body, url=page.url, content_type=page.content_type)

    def theirs(page: GoldPage) -> object:
        return trafilatura.extract(page.body, url=page.url)

    ours(pages[0])
    theirs(pages[0])
    mine = _time_per_page(pages, ours, args.rounds)
    baseline = _time_per_page(pages, theirs, args.rounds)
    ratio = mine / baseline
    verdict = "ok" if ratio <= TARGET_RATIO else f"over the {TARGET_RATIO}x target"
    print(f"extract: {len(pages)} gold pages, best of {args.rounds} rounds")
    print(f"  govnews extract_page   {mine * 1000:8.2f} ms/page")
    print(f"  trafilatura.extract    {baseline * 1000:8.2f} ms/page")
    print(f"  ratio                  {ratio:8.2f}x  ({verdict})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
