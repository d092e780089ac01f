"""Extraction speed: our `extract_page` per page against plain `trafilatura.extract` on the same
pages, in the same run (target: at most 1.0× trafilatura's time on real pages).

The pages are the real saved pages of `../shared/realpages` when that folder is beside the
project, else the self-made gold set (`tests/gold`); the report says which. Each page is timed
on its own, best of N rounds for each extractor (rounds interleaved, so that both see the same
machine load); the report gives the mean of the per-page times, their ratio, and the slowest
page's own ratio. trafilatura gets the same bytes (it decodes them itself). The time govnews
spends in `clean_document` (the text repair chain, crawler/clean.py and crawler/repair/) is
reported beside it, so that the extraction's own share can be read off.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TARGET_RATIO = 1.0


@dataclass
class BenchPage:
    """One timed page: its name, bytes, URL and declared content type."""

    name: str
    body: bytes
    url: str
    content_type: str | None = None


def bench_pages(realpages_dir: Path | None = None) -> tuple[str, list[BenchPage]]:
    """The real pages when present, else the gold pages; with a label saying which."""
    from benchmarks import realpages
    from benchmarks.eval import load_gold

    root = realpages_dir or realpages.REALPAGES_DIR
    if realpages.available(root):
        pages = [BenchPage(p.name, p.body, p.url) for p in realpages.load_realpages(root)]
        return f"real pages ({root})", pages
    gold = [BenchPage(p.name, p.body, p.url, p.content_type) for p in load_gold()]
    return f"self-made gold pages (tests/gold; {root} not found)", gold


class _Stopwatch:
    """Seconds spent inside one wrapped function since the last `reset`."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def wrap(self, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - start
        return timed


def _best_times(pages: list[BenchPage], runs: dict[str, Callable[[BenchPage], object]],
                rounds: int, watch: _Stopwatch) -> tuple[dict[str, dict[str, float]],
                                                         dict[str, float]]:
    """Best-of-`rounds` seconds per page for each run, and the stopwatch's share of govnews'
    best round per page."""
    best = {name: {page.name: float("inf") for page in pages} for name in runs}
    inner = {page.name: 0.0 for page in pages}
    for _ in range(rounds):
        for page in pages:
            for name, run in runs.items():
                watch.seconds = 0.0
                start = time.perf_counter()
                run(page)
                elapsed = time.perf_counter() - start
                if elapsed < best[name][page.name]:
                    best[name][page.name] = elapsed
                    if name == "govnews":
                        inner[page.name] = watch.seconds
    return best, inner


def main(argv: list[str] | None = None) -> int:
    """Print ms/page for both extractors, the ratio of the means and the slowest page's."""
    import trafilatura

    from crawler.extract import extract_page
    from crawler.extract import page as page_module

    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_extract", description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--realpages", type=Path, default=None,
                        help="folder of real pages (default: ../shared/realpages)")
    parser.add_argument("--pages", action="store_true", help="print every page's times")
    args = parser.parse_args(argv)
    label, pages = bench_pages(args.realpages)

    def ours(page: BenchPage) -> object:
        return extract_page(page.body, url=page.url, content_type=page.content_type)

    def theirs(page: BenchPage) -> object:
        return trafilatura.extract(page.body, url=page.url)

    watch = _Stopwatch()
    page_module.clean_document = watch.wrap(page_module.clean_document)
    best, cleaning = _best_times(pages, {"govnews": ours, "trafilatura": theirs}, args.rounds,
                                 watch)
    mine = sum(best["govnews"].values()) / len(pages)
    repairs = sum(cleaning.values()) / len(pages)
    baseline = sum(best["trafilatura"].values()) / len(pages)
    ratio = mine / baseline
    ratios = {name: best["govnews"][name] / best["trafilatura"][name] for name in best["govnews"]}
    slowest = max(best["govnews"], key=lambda name: best["govnews"][name])
    worst = max(ratios, key=lambda name: ratios[name])
    verdict = "ok" if ratio <= TARGET_RATIO else f"over the {TARGET_RATIO}x target"
    print(f"extract: {len(pages)} {label}, best of {args.rounds} rounds per page")
    print(f"  govnews extract_page   {mine * 1000:8.2f} ms/page")
    print(f"  trafilatura.extract    {baseline * 1000:8.2f} ms/page")
    print(f"    of which text repairs  {repairs * 1000:6.2f} ms/page (clean_document)")
    print(f"  ratio                  {ratio:8.2f}x  ({verdict})")
    print(f"  ratio without repairs  {(mine - repairs) / baseline:8.2f}x")
    print(f"  slowest page           {slowest}: {best['govnews'][slowest] * 1000:.1f} ms against "
          f"{best['trafilatura'][slowest] * 1000:.1f} ms ({ratios[slowest]:.2f}x)")
    print(f"  highest page ratio     {worst}: {ratios[worst]:.2f}x")
    if args.pages:
        for name in sorted(ratios, key=lambda n: -ratios[n]):
            print(f"    {name:<36}{best['govnews'][name] * 1000:9.1f}"
                  f"{best['trafilatura'][name] * 1000:9.1f}{ratios[name]:7.2f}x"
                  f"  repairs {cleaning[name] * 1000:7.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
