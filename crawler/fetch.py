"""The fetch step: one Scrapy process crawls one or more sites and exits.

    python -m crawler.fetch --site zzwb --out data/ [--proxy http://127.0.0.1:8808]
        [--since 2022-08-20] [--until 2022-08-31] [--max-pages 5] [--index data/_index.sqlite]
        [--resume]

Scrapy's reactor cannot restart, so every fetch runs in its own process; `run_fetch_subprocess`
starts it and returns the fetch summary. The process writes, per site, the WARC raw capture,
the JSONL fetch log and a summary (see `crawler.spiders.pipelines`), and prints one JSON line
with all summaries on stdout. Articles already in the storage index (`--index`) are not fetched,
except those the site's refetch policy asks for again (`crawler.refetch`). With `--resume` the
fetch takes over what unfinished runs of a site captured (`crawler.resume`).
A failed fetch process raises `FetchError` with a one-line reason (its last line of stderr);
`stop_fetches` ends the running fetch processes when the parent is told to stop.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from crawler.article import Reject, utc_now
from crawler.progress import Listener, StreamTimeout, stream_process
from crawler.refetch import plan_refetches
from crawler.resume import Leftovers, find_leftovers
from crawler.settings import LOOPBACK_OVERRIDES, crawl_settings
from crawler.sites import SEEDS_DIR, Site, SiteConfigError, select_sites
from crawler.spiders.pipelines import SUMMARY_STAT, summary_path

FETCH_STAGE = "fetch"
WALL_TIMEOUT = 6 * 3600.0
"""Seconds a fetch process may run before it is killed: a safety net for a hung child."""


class FetchError(RuntimeError):
    """The fetch process failed: a one-line message, and the tail of its stderr apart."""

    def __init__(self, message: str, stderr_tail: str = "") -> None:
        super().__init__(message)
        self.stderr_tail = stderr_tail


_RUNNING: set[subprocess.Popen[str]] = set()
_RUNNING_LOCK = threading.Lock()


def stop_fetches() -> None:
    """Terminate every fetch process this process started that is still running."""
    with _RUNNING_LOCK:
        running = list(_RUNNING)
    for child in running:
        if child.poll() is None:
            child.terminate()


def _track(child: subprocess.Popen[str]) -> None:
    with _RUNNING_LOCK:
        _RUNNING.add(child)


def _untrack(child: subprocess.Popen[str]) -> None:
    with _RUNNING_LOCK:
        _RUNNING.discard(child)


def _last_line(text: str) -> str:
    """The last non-blank line of a process's stderr: the exception of a traceback."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "no error output"


@dataclass(frozen=True)
class FetchOptions:
    """What a fetch run crawls and how."""

    out: str
    run_id: str
    proxy: str | None = None
    since: date | None = None
    until: date | None = None
    max_pages: int | None = None
    index: str | None = None
    loopback: bool = False
    timeout: float | None = None
    resume: bool = False
    """Take over the capture unfinished runs left (the caller holds the sites' crawl locks)."""


def stored_urls(index_path: str | None, site: str) -> set[str]:
    """Canonical URLs of a site already in the storage index (none without an index)."""
    if not index_path:
        return set()
    from storage.index_api import open_index

    index = open_index(index_path, readonly=True)
    try:
        return index.stored_urls(site)
    finally:
        index.close()


def leftover_capture(options: FetchOptions, site: str, stored: set[str]) -> Leftovers:
    """What unfinished runs of a site captured, when the fetch resumes (it needs the index to
    tell the committed runs apart)."""
    if not options.resume or not options.index:
        return Leftovers()
    from storage.index_api import open_index

    index = open_index(options.index, readonly=True)
    try:
        return find_leftovers(options.out, site, committed=index.run_committed, skip=stored)
    finally:
        index.close()


def _spider_class(site: Site) -> type:
    if site.layout == "epaper":
        from crawler.spiders.epaper import EpaperSpider

        return EpaperSpider
    from crawler.spiders.news import NewsSpider

    return NewsSpider


def run_fetch(sites: list[Site], options: FetchOptions) -> dict[str, Any]:
    """Crawl `sites` in this process (once per process) and return the summaries by site."""
    from scrapy.crawler import Crawler, CrawlerProcess
    from scrapy.settings import Settings

    overrides: dict[str, Any] = dict(LOOPBACK_OVERRIDES) if options.loopback else {}
    if options.timeout is not None:
        overrides["DOWNLOAD_TIMEOUT"] = options.timeout
    first = crawl_settings(sites[0], out=options.out, run_id=options.run_id,
                           proxy=options.proxy, overrides=overrides)
    process = CrawlerProcess(Settings(first))
    crawlers: dict[str, Crawler] = {}
    plans = plan_refetches(options.index, sites)
    for position, site in enumerate(sites):
        settings = Settings(crawl_settings(site, out=options.out, run_id=options.run_id,
                                           proxy=options.proxy, overrides=overrides))
        spider_class = _spider_class(site)
        stored = stored_urls(options.index, site.name)
        kwargs: dict[str, Any] = {
            "stored": stored,
            "refetch": plans[site.name].pages,
            "leftovers": leftover_capture(options, site.name,
                                          stored - plans[site.name].pages.keys()),
            "since": options.since,
            "max_pages": options.max_pages,
        }
        if site.layout == "epaper":
            kwargs["until"] = options.until
        # The first crawler installs the reactor (as CrawlerProcess does for its own crawlers).
        crawler = Crawler(spider_class, settings, init_reactor=position == 0)
        crawlers[site.name] = crawler
        process.crawl(crawler, site, **kwargs)
    process.start()
    summaries: dict[str, Any] = {}
    for site in sites:
        path = summary_path(options.out, site.name, options.run_id)
        kept = crawlers[site.name].stats.get_value(SUMMARY_STAT) \
            if crawlers[site.name].stats is not None else None
        if path.exists():
            summaries[site.name] = json.loads(path.read_text())
        else:
            summaries[site.name] = kept or {"site": site.name,
                                            "error": "the crawl ended without a summary"}
    return summaries


def add_fetch_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site", action="append", required=True,
                        help="site name (repeat for several sites in one process)")
    parser.add_argument("--out", required=True, help="output root for WARC and fetch logs")
    parser.add_argument("--run-id", required=True, help="run id used in the file names")
    parser.add_argument("--proxy", help="HTTP proxy for every request (the replica in demos)")
    parser.add_argument("--since", type=date.fromisoformat, help="oldest date wanted")
    parser.add_argument("--until", type=date.fromisoformat,
                        help="newest e-paper edition wanted (with --since: a date range)")
    parser.add_argument("--max-pages", type=int, help="list pages per site and run")
    parser.add_argument("--index", help="storage index: stored articles are not fetched")
    parser.add_argument("--seeds", default=str(SEEDS_DIR), help="directory of site files")
    parser.add_argument("--loopback", action="store_true",
                        help="politeness off and short timeouts (replica on 127.0.0.1 only)")
    parser.add_argument("--timeout", type=float, help="download timeout in seconds")
    parser.add_argument("--resume", action="store_true",
                        help="take over what unfinished runs captured (needs --index; the "
                             "caller holds the sites' crawl locks)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.fetch", description=__doc__)
    add_fetch_arguments(parser)
    args = parser.parse_args(argv)
    try:
        registry = select_sites(args.site, args.seeds)
    except SiteConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    options = FetchOptions(
        out=args.out, run_id=args.run_id, proxy=args.proxy, since=args.since, until=args.until,
        max_pages=args.max_pages, index=args.index, loopback=args.loopback, timeout=args.timeout,
        resume=args.resume,
    )
    summaries = run_fetch(list(registry.values()), options)
    print(json.dumps({"run_id": args.run_id, "sites": summaries}, ensure_ascii=False))
    return 0


def run_fetch_subprocess(
    sites: list[str],
    options: FetchOptions,
    *,
    seeds: str | Path | None = None,
    wall_timeout: float = WALL_TIMEOUT,
    on_progress: Listener | None = None,
) -> dict[str, Any]:
    """Run a fetch in a child process and return its summaries by site; `on_progress` gets
    each progress update while it runs (see `crawler.progress`).

    Raises `FetchError` when the process fails or runs longer than `wall_timeout` seconds."""
    command = [sys.executable, "-m", "crawler.fetch", "--out", options.out,
               "--run-id", options.run_id]
    for name in sites:
        command += ["--site", name]
    optional = {"--proxy": options.proxy, "--since": options.since, "--until": options.until,
                "--max-pages": options.max_pages, "--index": options.index,
                "--timeout": options.timeout, "--seeds": seeds}
    for flag, value in optional.items():
        if value is not None:
            command += [flag, str(value)]
    if options.loopback:
        command.append("--loopback")
    if options.resume:
        command.append("--resume")
    env = dict(os.environ)
    project_root = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [project_root, env.get("PYTHONPATH")]))
    try:
        done = stream_process(command, env=env, timeout=wall_timeout, on_progress=on_progress,
                              started=_track, ended=_untrack)
    except StreamTimeout:
        raise FetchError(f"fetch of {', '.join(sites)} timed out after {wall_timeout}s") \
            from None
    lines = [line for line in done.stdout if line.startswith("{")]
    if done.returncode != 0 or not lines:
        tail = "\n".join(done.stderr.strip().splitlines()[-15:])
        raise FetchError(f"fetch of {', '.join(sites)} failed (exit {done.returncode}): "
                         f"{_last_line(done.stderr)}", tail)
    result: dict[str, Any] = json.loads(lines[-1])["sites"]
    return result



def fetch_events(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """The events of a site's fetch log (fetched, skipped, failed), in order."""
    log = summary.get("log")
    if not log or not Path(log).exists():
        return []
    return [json.loads(line) for line in Path(log).read_bytes().splitlines() if line.strip()]


def fetch_failures(site: Site, summary: dict[str, Any]) -> list[Reject]:
    """The failed events of a site's fetch log, and a fetch that failed as a whole, as Rejects."""
    rejects = []
    if "error" in summary:
        rejects.append(Reject(url=site.start_urls[0], site=site.name, stage=FETCH_STAGE,
                              reason=str(summary["error"]), at=utc_now()))
    for event in fetch_events(summary):
        if event.get("event") == "failed":
            rejects.append(Reject(url=event["url"], site=event["site"], stage=FETCH_STAGE,
                                  reason=event["reason"], at=event["at"],
                                  details={"kind": event.get("kind"),
                                           "status": event.get("status")}))
    return rejects


if __name__ == "__main__":
    raise SystemExit(main())
