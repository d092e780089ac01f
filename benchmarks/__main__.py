"""`make bench`: run every benchmark in turn and print its report."""

from __future__ import annotations

import importlib

BENCHMARKS = ("benchmarks.bench_repair", "benchmarks.bench_extract", "benchmarks.bench_crawl",
              "benchmarks.bench_scale", "benchmarks.bench_workers")


def main() -> None:
    for name in BENCHMARKS:
        print(f"\n== {name}")
        importlib.import_module(name).main()


if __name__ == "__main__":
    main()
