"""Scaling benchmark: the end-to-end crawl at two sizes, each in its own process.

Peak RSS is a per-process high-water mark, so each size runs `benchmarks.bench_crawl` in a fresh
process. Reported, each measured in this invocation:

- store seconds per 1000 records, small against large (target: within 1.3× of each other),
  each the median of the run's store and STORE_REPEATS repeats (see `benchmarks.bench_crawl`);
- peak RSS of the flow process, large minus small (target: at most 50 MiB), and of the
  largest child (a Scrapy fetch process: its request queues and duplicate filter are
  Scrapy's own and grow with the pages it sees) apart;
- pages/s against `scrapy bench` at the large size (target: at least 2.0×).

    python -m benchmarks.bench_scale [--sizes 1000,4000] [--json]

`--per-site 1000` gives about 4.5k pages (4k articles), `4000` about 17.7k pages (16k articles).
The figures are worth quoting only beside the machine's load (printed with them).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
STORE_RATIO_LIMIT = 1.3
RSS_GROWTH_LIMIT_MIB = 50.0
SCRAPY_RATIO_TARGET = 2.0
STORE_REPEATS = 4
"""Repeats of each size's store: the median of five stores, since one store's seconds move
with the disk's other traffic by up to 2× between runs."""


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def crawl_at(per_site: int) -> dict[str, Any]:
    """One end-to-end crawl benchmark in a fresh process."""
    done = subprocess.run([sys.executable, "-m", "benchmarks.bench_crawl", "--per-site",
                           str(per_site), "--store-repeats", str(STORE_REPEATS), "--json"],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"bench_crawl --per-site {per_site} failed: {done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout)
    result["store_seconds_per_1k"] = \
        result["store_seconds_median"] / result["records_written"] * 1000
    return result


def compare(small: dict[str, Any], large: dict[str, Any]) -> dict[str, Any]:
    """The scaling figures of two runs and whether each meets its target."""
    store_ratio = large["store_seconds_per_1k"] / small["store_seconds_per_1k"]
    store_ratio = max(store_ratio, 1 / store_ratio)
    growth = large["peak_rss_mib_self"] - small["peak_rss_mib_self"]
    return {
        "store_seconds_per_1k": [small["store_seconds_per_1k"], large["store_seconds_per_1k"]],
        "store_ratio": store_ratio, "store_ratio_ok": store_ratio <= STORE_RATIO_LIMIT,
        "peak_rss_mib": [small["peak_rss_mib_self"], large["peak_rss_mib_self"]],
        "peak_rss_growth_mib": growth, "peak_rss_ok": growth <= RSS_GROWTH_LIMIT_MIB,
        "peak_rss_mib_children": [small["peak_rss_mib_children"],
                                  large["peak_rss_mib_children"]],
        "peak_rss_mib_extract_workers": [small["peak_rss_mib_extract_workers"],
                                         large["peak_rss_mib_extract_workers"]],
        "scrapy_ratio_large": large["ratio"],
        "scrapy_ratio_ok": large["ratio"] >= SCRAPY_RATIO_TARGET,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_scale",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,4000",
                        help="two --per-site sizes, small,large (default: 1000,4000)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    small_size, large_size = (int(size) for size in args.sizes.split(","))
    before = load_average()
    small, large = crawl_at(small_size), crawl_at(large_size)
    report = {"sizes": [small_size, large_size], "load_before": before,
              "load_after": load_average(), "runs": [small, large], **compare(small, large)}
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"scaling: --per-site {small_size} vs {large_size} "
          f"({small['pages_fetched']} vs {large['pages_fetched']} pages; "
          f"{small['records_written']} vs {large['records_written']} records)")
    print(f"  store s per 1k records: {small['store_seconds_per_1k']:.2f} vs "
          f"{large['store_seconds_per_1k']:.2f} → {report['store_ratio']:.2f}× "
          f"(target <= {STORE_RATIO_LIMIT}×: {'met' if report['store_ratio_ok'] else 'MISSED'})")
    print(f"  peak RSS of the flow process: {small['peak_rss_mib_self']:.0f} vs "
          f"{large['peak_rss_mib_self']:.0f} MiB → +{report['peak_rss_growth_mib']:.0f} MiB "
          f"(target <= {RSS_GROWTH_LIMIT_MIB:.0f}: "
          f"{'met' if report['peak_rss_ok'] else 'MISSED'}); largest child (Scrapy) "
          f"{small['peak_rss_mib_children']:.0f} vs {large['peak_rss_mib_children']:.0f} MiB, "
          f"largest extraction worker {small['peak_rss_mib_extract_workers']:.0f} vs "
          f"{large['peak_rss_mib_extract_workers']:.0f} MiB")
    print(f"  pages/s vs scrapy bench at {large['pages_fetched']} pages: "
          f"{large['pages_per_second']:.0f} vs {large['scrapy_bench_pages_per_second']:.0f} → "
          f"{large['ratio']:.2f}× (target >= {SCRAPY_RATIO_TARGET}: "
          f"{'met' if report['scrapy_ratio_ok'] else 'MISSED'})")
    print(f"  machine: {before} before, {report['load_after']} after")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
