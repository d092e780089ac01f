"""The crawl flows: fetch (Scrapy in a subprocess) → extract (from the WARC) → store.

`crawl_site` runs one site as one run; `crawl_all` fetches several sites with bounded
concurrency, extracts each as its fetch finishes and stores them as one run with one manifest.
The work itself lives in `crawler.fetch`, `crawler.process` and `storage`; these are the
Prefect wrappers, with retries on the I/O tasks.

Before any fetch the output root is checked (`Output.prepare`) and each site's crawl lock is
taken (`storage.lock`): a site another crawl holds is not fetched, and its reject says who holds
it. A site that failed as a whole (its fetch failed, it was locked, or nothing could be fetched)
is named in the manifest's `site_failure`, which the command turns into its exit status.
A fetch, retried or rerun after a kill, resumes from what the unfinished run captured
(`crawler.resume`): those articles are not requested again.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture, as_completed
from prefect.states import State
from prefect.task_runners import ThreadPoolTaskRunner

from crawler.article import Article, Reject, utc_now
from crawler.fetch import (
    FETCH_STAGE,
    FetchError,
    FetchOptions,
    fetch_events,
    fetch_failures,
    run_fetch_subprocess,
)
from crawler.linkcount import article_links
from crawler.process import ExtractionPool, extract_warc
from crawler.progress import EveryPages
from crawler.refetch import page_outcomes
from crawler.sites import SEEDS_DIR, Site, SiteConfigError, select_sites
from crawler.spiders.pipelines import fetch_log_path, summary_path
from flows.common import (
    FlowArgumentError,
    Output,
    finish_run,
    parse_since,
    publish_manifest,
    publish_raw,
    store_run,
)
from storage.errors import SiteLocked
from storage.health import Yield, judge, site_history
from storage.history import run_manifests
from storage.lock import site_lock
from storage.rejects import failure_key
from storage.spool import Chain, Spool
from storage.store import new_run_id

DEFAULT_CONCURRENCY = 4
PROGRESS_PAGES = 20
"""The flow logs a progress line per site every this many fetched pages."""


def extract_workers() -> int:
    """Processes for extraction: one per core this process may run on (a worker pinned with
    `taskset` has one, and extracts in its own process). While they work, the flow's process
    only reads the capture and spools the outcomes."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, cores or 1)


@dataclass
class Harvest:
    """One site's result before storage: records, rejects and the counts storage cannot see.
    Records and rejects wait on local disk (`Spool`), so a run of any size fits in memory."""

    site: str
    records: Spool = field(default_factory=Spool)
    rejects: Spool = field(default_factory=Spool)
    pages: Spool = field(default_factory=Spool)
    """Validators of the fetched article pages and the refetched pages found gone."""
    pages_fetched: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    failure: str | None = None
    """Why the site failed as a whole, or None."""
    lists_fetched: int = 0
    article_links: int = 0
    health: list[dict[str, str]] = field(default_factory=list)

    def counts(self) -> dict[str, Any]:
        return {"pages_fetched": self.pages_fetched, "articles_extracted": len(self.records),
                "skipped": self.skipped, "site_failure": self.failure,
                "lists_fetched": self.lists_fetched, "article_links": self.article_links,
                "health": self.health}

    def current_yield(self) -> Yield:
        """What this run gave, as health reads it."""
        failures = Counter(failure_key(reject) for reject in self.rejects)
        return Yield(lists=self.lists_fetched, links=self.article_links,
                     pages=self.pages_fetched, failures=dict(failures))

    def add(self, outcomes: Iterable[Article | Reject]) -> Harvest:
        """Spool extraction outcomes as they come: articles as records, the rest as rejects."""
        for outcome in outcomes:
            spool = self.records if isinstance(outcome, Article) else self.rejects
            spool.append(outcome.to_record())
        return self

    def close(self) -> None:
        self.records.close()
        self.rejects.close()
        self.pages.close()


@dataclass(frozen=True)
class CrawlRequest:
    """What a crawl run fetches and where it writes."""

    output: Output
    run_id: str
    since: str | None = None
    max_pages: int | None = None
    proxy: str | None = None
    loopback: bool = False
    seeds: str = str(SEEDS_DIR)

    @property
    def raw_root(self) -> str:
        """Where the fetch writes WARC files and fetch logs (see `Output.raw_root`)."""
        return self.output.raw_root()

    def fetch_options(self) -> FetchOptions:
        """The fetch's options; it resumes from unfinished runs' capture, as the flow holds
        the site's crawl lock while it fetches (see `crawler.resume`)."""
        return FetchOptions(out=self.raw_root, run_id=self.run_id, proxy=self.proxy,
                            since=parse_since(self.since), max_pages=self.max_pages,
                            index=self.output.index(), loopback=self.loopback, resume=True)


def resolve_sites(names: list[str] | None, seeds: str = str(SEEDS_DIR)) -> dict[str, Site]:
    """The sites to crawl (all when `names` is empty); a clear error for unknown names."""
    try:
        return select_sites(names or [], seeds)
    except SiteConfigError as error:
        raise FlowArgumentError(str(error)) from None


@task(retries=2, retry_delay_seconds=5, cache_policy=NO_CACHE, task_run_name="fetch-{site}")
def fetch_site(site: str, request: CrawlRequest) -> dict[str, Any]:
    """Fetch one site in a child process (raw capture + fetch log); returns its fetch summary."""
    for path in (fetch_log_path(request.raw_root, site, request.run_id),
                 summary_path(request.raw_root, site, request.run_id)):
        path.unlink(missing_ok=True)  # a retry starts the site's log afresh
    logger = get_run_logger()
    summaries = run_fetch_subprocess([site], request.fetch_options(), seeds=request.seeds,
                                     on_progress=EveryPages(logger.info, PROGRESS_PAGES))
    summary = dict(summaries[site])
    if summary.get("articles_resumed"):
        logger.info(f"{site}: {summary['articles_resumed']} articles taken over from the "
                    "capture of an unfinished run, not fetched again")
    return summary


@task(cache_policy=NO_CACHE, task_run_name="extract-{site.name}")
def extract_site(site: Site, summary: dict[str, Any],
                 pool: ExtractionPool | None = None) -> Harvest:
    """Extract the site's articles from the run's WARC (in `pool`, which the run's sites share,
    or in this process); rejects for the pages without one and for the failed fetches."""
    harvest = Harvest(site=site.name,
                      pages_fetched=int(summary.get("articles_fetched", 0))
                      + int(summary.get("lists_fetched", 0)),
                      skipped=dict(summary.get("skipped") or {}),
                      lists_fetched=int(summary.get("lists_fetched", 0)),
                      article_links=article_links(fetch_events(summary)))
    harvest.add(fetch_failures(site, summary))
    harvest.pages.extend(page_outcomes(fetch_events(summary)))
    warc = summary.get("warc")
    if warc:
        harvest.add(extract_warc(warc, site, pool=pool))
    harvest.failure = site_failure(summary, harvest)
    return harvest


def site_failure(summary: dict[str, Any], harvest: Harvest) -> str | None:
    """Why a site failed as a whole: its fetch failed, or not one page could be fetched."""
    if "error" in summary:
        return str(summary["error"])
    fetch_reasons = Counter(reject["reason"] for reject in harvest.rejects
                            if reject["stage"] == FETCH_STAGE)
    if harvest.pages_fetched == 0 and fetch_reasons:
        reason, _ = fetch_reasons.most_common(1)[0]
        return f"no page could be fetched ({reason})"
    return None


def failed_fetch(site: str, error: Exception) -> dict[str, Any]:
    """The fetch summary of a site whose fetch failed after its retries (becomes a reject
    whose reason is one line)."""
    lines = [line for line in str(error).splitlines() if line.strip()] or [type(error).__name__]
    reason = lines[0] if isinstance(error, SiteLocked) else f"fetch failed: {lines[0]}"
    return {"site": site, "error": reason}


def log_fetch_error(site: str, error: Exception) -> None:
    """Log the stderr tail of a failed fetch process (the reject keeps one line of it)."""
    if isinstance(error, FetchError) and error.stderr_tail:
        get_run_logger().warning("fetch of %s failed:\n%s", site, error.stderr_tail)


def lock_sites(stack: ExitStack, request: CrawlRequest, names: list[str]) -> dict[str, str]:
    """Take the crawl lock of each site for the rest of the flow; the sites another crawl
    holds, with the message saying who."""
    held: dict[str, str] = {}
    for name in sorted(names):
        try:
            stack.enter_context(site_lock(request.output.lock_anchor(), name, request.run_id))
        except SiteLocked as error:
            held[name] = str(error)
    return held


def prepare_output(request: CrawlRequest) -> None:
    """Check the output root before any fetch, logging what was repaired."""
    for note in request.output.prepare():
        get_run_logger().warning(note)


def progress_line(harvest: Harvest) -> str:
    """One line of progress for a site whose fetch and extraction finished."""
    failures = Counter(reject["stage"] for reject in harvest.rejects)
    return (f"{harvest.site}: {harvest.pages_fetched} pages fetched, {len(harvest.records)} "
            f"articles extracted, {sum(harvest.skipped.values())} skipped, "
            f"{failures[FETCH_STAGE]} fetch failures, {failures['extract']} pages without article")


def assess_health(request: CrawlRequest, harvests: list[Harvest],
                  configs: dict[str, Site]) -> None:
    """Judge each site's run against its earlier runs under the same output root."""
    history = run_manifests(request.output.root)
    logger = get_run_logger()
    for harvest in harvests:
        thresholds = configs[harvest.site].health
        flags = judge(harvest.current_yield(),
                      site_history(history, harvest.site, thresholds.window), thresholds)
        harvest.health = [flag.to_dict() for flag in flags]
        for flag in flags:
            logger.warning(f"{harvest.site}: {flag.severity}: {flag.code}: {flag.message}")


def _store(request: CrawlRequest, harvests: list[Harvest], started_at: str,
           artifact: str, configs: dict[str, Site]) -> dict[str, Any]:
    assess_health(request, harvests, configs)
    records = Chain(harvest.records for harvest in harvests)
    rejects = Chain(harvest.rejects for harvest in harvests)
    pages = Chain(harvest.pages for harvest in harvests)
    counts = {harvest.site: harvest.counts() for harvest in harvests}
    try:
        manifest = store_run(request.output, request.run_id, records, rejects, counts,
                             started_at, pages)
    finally:
        for harvest in harvests:
            harvest.close()
    publish_manifest(manifest, key=artifact)
    publish_raw(request.output, [harvest.site for harvest in harvests])
    return manifest.to_dict()


@flow(name="crawl-site", flow_run_name="crawl-{site}")
def crawl_site(
    site: str, out: str = "data", index: str | None = None, since: str | None = None,
    max_pages: int | None = None, gzip: bool = False, proxy: str | None = None,
    loopback: bool = False, seeds: str = str(SEEDS_DIR),
) -> dict[str, Any] | State[Any]:
    """Crawl one site: fetch → extract → store. Returns the run's manifest; the run ends in
    the Failed state "Unhealthy" (carrying `UnhealthyRun`) when the site is unhealthy."""
    configs = resolve_sites([site], seeds)
    (config,) = configs.values()
    request = CrawlRequest(output=Output(out, index, gzip), run_id=new_run_id(), since=since,
                           max_pages=max_pages, proxy=proxy, loopback=loopback, seeds=seeds)
    request.fetch_options()  # bad dates or output roots fail here, before any fetch
    prepare_output(request)
    started_at = utc_now()
    with ExitStack() as locks, ExtractionPool(extract_workers()) as pool:
        held = lock_sites(locks, request, [site])
        if site in held:
            summary = failed_fetch(site, SiteLocked(held[site]))
        else:
            try:
                summary = fetch_site(site, request)
            except Exception as error:  # the site failed after its retries: store its reject
                log_fetch_error(site, error)
                summary = failed_fetch(site, error)
        harvest = extract_site(config, summary, pool)
        get_run_logger().info(progress_line(harvest))
        return finish_run(_store(request, [harvest], started_at, f"crawl-{site}", configs))


@flow(name="crawl-all")
def crawl_all(
    sites: list[str] | None = None, out: str = "data", index: str | None = None,
    since: str | None = None, max_pages: int | None = None, gzip: bool = False,
    proxy: str | None = None, loopback: bool = False, seeds: str = str(SEEDS_DIR),
    concurrency: int = DEFAULT_CONCURRENCY,
) -> dict[str, Any] | State[Any]:
    """Crawl several sites (all by default), `concurrency` fetches at a time, into one run.
    Returns the run's manifest; the run ends in the Failed state "Unhealthy" (carrying
    `UnhealthyRun`) when any site is unhealthy, after every site was stored."""
    if concurrency < 1:
        raise FlowArgumentError(f"concurrency must be at least 1, got {concurrency}")
    configs = resolve_sites(sites, seeds)
    request = CrawlRequest(output=Output(out, index, gzip), run_id=new_run_id(), since=since,
                           max_pages=max_pages, proxy=proxy, loopback=loopback, seeds=seeds)
    request.fetch_options()  # bad dates or output roots fail here, before any fetch
    prepare_output(request)
    started_at = utc_now()
    logger = get_run_logger()
    runner: ThreadPoolTaskRunner[dict[str, Any]] = ThreadPoolTaskRunner(max_workers=concurrency)
    with ExitStack() as locks, runner, ExtractionPool(extract_workers()) as pool:
        held = lock_sites(locks, request, list(configs))
        harvests = []
        for name, message in held.items():
            logger.warning(message)
            harvests.append(extract_site(configs[name], failed_fetch(name, SiteLocked(message)),
                                         pool))
        futures: dict[PrefectFuture[dict[str, Any]], str] = {
            runner.submit(fetch_site, {"site": name, "request": request}): name
            for name in configs if name not in held}
        for future in as_completed(list(futures)):
            name = futures[future]
            try:
                summary = future.result()
            except Exception as error:  # the site failed after its retries: the run goes on
                log_fetch_error(name, error)
                summary = failed_fetch(name, error)
            harvest = extract_site(configs[name], summary, pool)
            logger.info(progress_line(harvest))
            harvests.append(harvest)
        harvests.sort(key=lambda harvest: harvest.site)
        return finish_run(_store(request, harvests, started_at, "crawl-all", configs))
