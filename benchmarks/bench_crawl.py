"""End-to-end crawl benchmark: a large generated replica on loopback, politeness off.

Fetch (Scrapy subprocess per site, all sites at once) → extract (each site as its fetch ends,
in the run's extraction pool, as `crawl-all` does) → store, timed from the first fetch to the
committed run, as pages per second against `scrapy bench` run in the same invocation on the
same machine; and peak RSS of this process (the flow's: fetch summaries, the first pages of
each capture, extraction on one core, the store) and of its largest child (a Scrapy fetch
process, an extraction worker). The replica sites are served from a process
of their own, so that neither their memory nor their CPU counts as the flow's.

The store of the run's records is timed again into fresh output roots (`--store-repeats`),
after an untimed sync: its cost is mostly file-system metadata and one `syncfs`, which other
processes' disk traffic slows, and the median of the run's store and the repeats is the figure
to compare across sizes.

    python -m benchmarks.bench_crawl [--per-site 1300] [--store-repeats 2] [--json]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from multiprocessing.queues import Queue
from pathlib import Path
from typing import Any

from prefect.logging import disable_run_logger

from crawler.process import ExtractionPool
from crawler.replica.server import PER_PAGE, ReplicaServer
from crawler.sites import SEEDS_DIR, load_sites, site_files
from flows.common import Output, store_run
from flows.crawl import CrawlRequest, Harvest, extract_site, extract_workers, fetch_site
from storage.spool import Chain
from storage.store import new_run_id

TARGET_RATIO = 0.5
MIN_ARTICLES = 5000
DEPTH = 10_000


def unbounded_seeds(directory: Path) -> Path:
    """Copies of the site folders with the crawl bounds lifted (depth, the news sites' `since`),
    so that the crawl reaches every article of the generated replica."""
    directory.mkdir(parents=True, exist_ok=True)
    for path in site_files(SEEDS_DIR):
        target = directory / path.parent.name
        shutil.copytree(path.parent, target, dirs_exist_ok=True)
        text = re.sub(r"(?m)^max_depth = \d+$", f"max_depth = {DEPTH}", path.read_text("utf-8"))
        if not re.search(r'(?m)^layout = "epaper"$', text):
            text = re.sub(r"(?m)^since = .*\n", "", text)
        (target / path.name).write_text(text, encoding="utf-8")
    return directory


def scrapy_bench(seconds: int = 10) -> dict[str, float]:
    """Run `scrapy bench` and read its pages/s from the final stats."""
    done = subprocess.run(
        [sys.executable, "-m", "scrapy.cmdline", "bench", "-s", f"CLOSESPIDER_TIMEOUT={seconds}",
         "-s", "LOG_LEVEL=INFO"],
        capture_output=True, text=True, check=False, timeout=seconds * 12)
    log = done.stdout + done.stderr
    pages = re.search(r"'response_received_count': (\d+)", log)
    elapsed = re.search(r"'elapsed_time_seconds': ([\d.]+)", log)
    if done.returncode != 0 or not pages or not elapsed:
        raise RuntimeError(f"scrapy bench failed (exit {done.returncode}): {log[-1500:]}")
    return {"pages": float(pages[1]), "seconds": float(elapsed[1]),
            "pages_per_second": float(pages[1]) / float(elapsed[1])}


def _serve_replica(per_site: int, seeds: str, ports: Queue[int]) -> None:
    server = ReplicaServer(per_site=per_site, slow_seconds=3.0, seeds=seeds)
    ports.put(server.port)
    server.serve_forever()


@contextmanager
def replica_process(per_site: int, seeds: Path) -> Iterator[str]:
    """The replica sites served from a child process; the proxy URL to crawl them through."""
    context = multiprocessing.get_context("spawn")
    ports: Queue[int] = context.Queue()
    server = context.Process(target=_serve_replica, args=(per_site, str(seeds), ports),
                             daemon=True)
    server.start()
    try:
        yield f"http://127.0.0.1:{ports.get(timeout=600)}"
    finally:
        server.terminate()
        server.join(10)


def store_again(harvests: list[Harvest], directory: Path, repeats: int) -> list[float]:
    """Seconds to store the run's records and rejects into a fresh output root, `repeats`
    times. The disks are synced first, untimed: the store's own `syncfs` would otherwise wait
    for whatever the crawl (its WARC files, the spools) or the last repeat left to write back."""
    seconds = []
    for attempt in range(repeats):
        output = Output(str(directory / f"again-{attempt}"))
        output.prepare()
        os.sync()
        started = time.perf_counter()
        store_run.fn(output, new_run_id(), Chain(h.records for h in harvests),
                     Chain(h.rejects for h in harvests), {h.site: h.counts() for h in harvests},
                     "")
        seconds.append(time.perf_counter() - started)
        shutil.rmtree(directory / f"again-{attempt}")
    return seconds


def crawl(per_site: int, out: Path, store_repeats: int = 0) -> dict[str, Any]:
    """Crawl every replica site end to end into `out`; counts and timings."""
    seeds = unbounded_seeds(out.parent / "seeds")
    sites = load_sites(seeds)
    output = Output(str(out))
    run_id = new_run_id()
    max_pages = per_site // PER_PAGE + 20
    # The tasks run outside any flow here: their run loggers are silenced, not missing.
    with replica_process(per_site, seeds) as proxy, disable_run_logger():
        requests = {
            name: CrawlRequest(output=output, run_id=run_id, max_pages=max_pages,
                               proxy=proxy, loopback=True, seeds=str(seeds))
            for name in sites
        }
        started = time.perf_counter()
        summaries: dict[str, dict[str, Any]] = {}
        harvests: list[Harvest] = []
        with (ThreadPoolExecutor(max_workers=len(sites)) as threads,
              ExtractionPool(extract_workers()) as pool):
            fetches = {threads.submit(fetch_site.fn, name, requests[name]): name
                       for name in sites}
            for fetch in as_completed(fetches):
                name = fetches[fetch]
                summaries[name] = fetch.result()
                fetched = time.perf_counter()
                harvests.append(extract_site.fn(sites[name], summaries[name], pool))
            extracted = time.perf_counter()
            workers = _descendants_peak_rss_mib()
        harvests.sort(key=lambda harvest: harvest.site)
        manifest = store_run.fn(
            output, run_id, Chain(h.records for h in harvests),
            Chain(h.rejects for h in harvests), {h.site: h.counts() for h in harvests}, "")
        stored = time.perf_counter()
        # Before the replica process ends: the children waited for so far are the flow's.
        children = _peak_rss_mib(resource.RUSAGE_CHILDREN)
    store_seconds = [stored - extracted, *store_again(harvests, out.parent, store_repeats)]
    for harvest in harvests:
        harvest.close()
    pages = sum(h.pages_fetched for h in harvests)
    articles_fetched = sum(int(s.get("articles_fetched", 0)) for s in summaries.values())
    return {
        "sites": len(sites), "per_site": per_site, "pages_fetched": pages,
        "article_pages_fetched": articles_fetched,
        "records_written": manifest.records_written, "rejects": manifest.failure_count,
        "fetch_seconds": fetched - started, "extract_seconds_after_fetch": extracted - fetched,
        "store_seconds": stored - extracted, "store_seconds_all": store_seconds,
        "store_seconds_median": statistics.median(store_seconds),
        "total_seconds": stored - started, "pages_per_second": pages / (stored - started),
        "peak_rss_mib_children": children, "peak_rss_mib_extract_workers": workers,
    }


def _peak_rss_mib(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def _descendants_peak_rss_mib() -> float:
    """The largest peak RSS (VmHWM) of the live processes descended from this one: the
    extraction pool's, whose parent is a fork server that outlives the run, so that
    RUSAGE_CHILDREN never counts them (Linux only; 0 elsewhere)."""
    processes: dict[int, tuple[int, int]] = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines()
                          if ":" in line)
        except OSError:  # the process ended while being read
            continue
        peak = int(fields.get("VmHWM", "0 kB").split()[0])
        processes[int(status.parent.name)] = (int(fields["PPid"]), peak)
    me, largest = os.getpid(), 0
    for pid, (_, peak) in processes.items():
        ancestor = pid
        while ancestor in processes and ancestor not in (me, 1):
            ancestor = processes[ancestor][0]
        if ancestor == me and pid != me:
            largest = max(largest, peak)
    return largest / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_crawl",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--per-site", type=int, default=1300,
                        help="articles per replica site")
    parser.add_argument("--scrapy-seconds", type=int, default=10)
    parser.add_argument("--store-repeats", type=int, default=2,
                        help="times the run's records are stored again into a fresh root")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="govnews-bench-") as tmp:
        result = crawl(args.per_site, Path(tmp) / "data", args.store_repeats)
    result["peak_rss_mib_self"] = _peak_rss_mib(resource.RUSAGE_SELF)
    baseline = scrapy_bench(args.scrapy_seconds)
    result["scrapy_bench_pages_per_second"] = baseline["pages_per_second"]
    result["ratio"] = result["pages_per_second"] / baseline["pages_per_second"]
    result["target_ratio"] = TARGET_RATIO
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"end-to-end crawl: {result['pages_fetched']} pages "
              f"({result['article_pages_fetched']} articles) from {result['sites']} sites in "
              f"{result['total_seconds']:.1f} s (fetch {result['fetch_seconds']:.1f}, then "
              f"extract {result['extract_seconds_after_fetch']:.1f}, store "
              f"{result['store_seconds']:.1f}; stored "
              f"again: {', '.join(f'{s:.1f}' for s in result['store_seconds_all'][1:]) or '-'}"
              " s)")
        print(f"  {result['pages_per_second']:.0f} pages/s vs scrapy bench "
              f"{baseline['pages_per_second']:.0f} pages/s: ratio {result['ratio']:.2f} "
              f"(target >= {TARGET_RATIO})")
        print(f"  records written {result['records_written']}, rejects {result['rejects']}")
        print(f"  peak RSS: this process {result['peak_rss_mib_self']:.0f} MiB, largest child "
              f"{result['peak_rss_mib_children']:.0f} MiB, largest extraction worker "
              f"{result['peak_rss_mib_extract_workers']:.0f} MiB")
    if result["article_pages_fetched"] < MIN_ARTICLES:
        print(f"warning: only {result['article_pages_fetched']} article pages "
              f"(< {MIN_ARTICLES}); raise --per-site", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
