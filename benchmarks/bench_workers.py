"""Two workers against one: the generated replica crawled by worker processes, each pinned to
one core with `taskset`.

A worker takes the next site no worker has claimed yet (a claim file in a shared directory, as
a Prefect worker takes the next due run of a work pool) and crawls it end to end as
`crawl_site` does: fetch (its Scrapy child inherits the worker's core), extract, store into
the output root all workers share. Reported, both measured in this invocation: pages/s of one
worker on core 0, of two workers on cores 0 and 1, and their ratio (target: at least 1.7×).

The replica sites are served from their own process, on no particular core: with two workers
they compete with both, so the ratio is a floor. The figure means something only on a machine
that is otherwise quiet; the load average is printed beside it.

    python -m benchmarks.bench_workers [--per-site 1000] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.bench_crawl import replica_process, unbounded_seeds
from crawler.replica.server import PER_PAGE

ROOT = Path(__file__).resolve().parent.parent
RATIO_TARGET = 1.7


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def claim(claims: Path, site: str) -> bool:
    """Claim a site for this worker; False when another worker has it."""
    try:
        os.close(os.open(claims / site, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return False
    return True


def work(out: str, claims: Path, proxy: str, seeds: str, per_site: int) -> dict[str, Any]:
    """One worker: crawl every site it can claim, one after another; pages and sites."""
    from prefect.logging import disable_run_logger

    from crawler.process import ExtractionPool
    from crawler.sites import load_sites
    from flows.common import Output, store_run
    from flows.crawl import CrawlRequest, extract_site, extract_workers, fetch_site
    from storage.store import new_run_id

    sites = load_sites(seeds)
    output = Output(out)
    pages, crawled = 0, []
    with disable_run_logger(), ExtractionPool(extract_workers()) as pool:
        for name in sorted(sites):
            if not claim(claims, name):
                continue
            request = CrawlRequest(output=output, run_id=new_run_id(),
                                   max_pages=per_site // PER_PAGE + 20, proxy=proxy,
                                   loopback=True, seeds=seeds)
            harvest = extract_site.fn(sites[name], fetch_site.fn(name, request), pool)
            try:
                store_run.fn(output, request.run_id, harvest.records, harvest.rejects,
                             {name: harvest.counts()}, "")
            finally:
                harvest.close()
            pages += harvest.pages_fetched
            crawled.append(name)
    return {"pages": pages, "sites": crawled}


def run_workers(cores: list[int], directory: Path, proxy: str, seeds: Path,
                per_site: int) -> dict[str, Any]:
    """Start one worker per core (pinned with taskset) on a fresh output root; wall time and
    pages of all of them together."""
    out, claims = directory / "data", directory / "claims"
    claims.mkdir(parents=True)
    from flows.common import Output

    Output(str(out)).prepare()  # the root and its index exist before the workers race
    command = [sys.executable, "-m", "benchmarks.bench_workers", "--worker", "--out", str(out),
               "--claims", str(claims), "--proxy", proxy, "--seeds", str(seeds),
               "--per-site", str(per_site)]
    load = load_average()
    started = time.perf_counter()
    workers = [subprocess.Popen(["taskset", "-c", str(core), *command], cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for core in cores]
    results = []
    for worker in workers:
        stdout, stderr = worker.communicate()
        if worker.returncode != 0:
            raise RuntimeError(f"worker failed (exit {worker.returncode}): {stderr[-2000:]}")
        results.append(json.loads(stdout.strip().splitlines()[-1]))
    seconds = time.perf_counter() - started
    pages = sum(result["pages"] for result in results)
    shutil.rmtree(directory)
    return {"cores": cores, "pages": pages, "seconds": seconds, "pages_per_second":
            pages / seconds, "sites": [result["sites"] for result in results],
            "load_before": load, "load_after": load_average()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_workers",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--per-site", type=int, default=1000,
                        help="articles per replica site")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--claims", help=argparse.SUPPRESS)
    parser.add_argument("--proxy", help=argparse.SUPPRESS)
    parser.add_argument("--seeds", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(work(args.out, Path(args.claims), args.proxy, args.seeds,
                              args.per_site)))
        return 0
    if shutil.which("taskset") is None or (os.cpu_count() or 1) < 2:
        print("bench_workers: needs taskset and two cores; skipped", file=sys.stderr)
        return 0
    with tempfile.TemporaryDirectory(prefix="govnews-workers-") as tmp:
        seeds = unbounded_seeds(Path(tmp) / "seeds")
        with replica_process(args.per_site, seeds) as proxy:
            one = run_workers([0], Path(tmp) / "one", proxy, seeds, args.per_site)
            two = run_workers([0, 1], Path(tmp) / "two", proxy, seeds, args.per_site)
    ratio = two["pages_per_second"] / one["pages_per_second"]
    report = {"per_site": args.per_site, "one": one, "two": two, "ratio": ratio,
              "ratio_target": RATIO_TARGET, "ratio_ok": ratio >= RATIO_TARGET}
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"workers pinned with taskset, --per-site {args.per_site}:")
    for label, result in (("one worker (core 0)", one), ("two workers (cores 0, 1)", two)):
        print(f"  {label}: {result['pages']} pages in {result['seconds']:.1f} s → "
              f"{result['pages_per_second']:.0f} pages/s ({result['load_before']} before)")
    print(f"  two against one: {ratio:.2f}× (target >= {RATIO_TARGET}: "
          f"{'met' if report['ratio_ok'] else 'MISSED'}); {load_average()} after")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
