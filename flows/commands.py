"""`govnews crawl` (the main job) and `govnews serve` (scheduled deployments).

`crawl` runs the `crawl-all` flow; without `PREFECT_API_URL` Prefect runs it on its embedded
ephemeral server. `--demo` starts the replica sites on 127.0.0.1 and crawls them with the real
site configs (the replica acts as the crawler's proxy), politeness off. It ends with a summary
table per site and where the files are. Bad arguments give one error line and exit status 2;
a run with an unhealthy site exits with `EXIT_UNHEALTHY` unless `--allow-unhealthy` is given.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from contextlib import ExitStack
from datetime import date
from typing import Any, cast

from flows.cli import (
    EXIT_ALL_SITES_FAILED,
    EXIT_INPUT,
    EXIT_OK,
    EXIT_SITE_FAILED,
    EXIT_STORAGE,
    EXIT_TERMINATED,
    EXIT_UNHEALTHY,
    EXIT_USAGE,
)
from storage.fs import Root
from storage.jsonl import partition_file
from storage.manifest import manifest_file

DEFAULT_OUT = "data"



def error_line(error: BaseException) -> str:
    """One line for a storage or OS error, naming the file when the error knows it."""
    if isinstance(error, OSError) and error.strerror:
        return f"{error.filename}: {error.strerror}" if error.filename else error.strerror
    return str(error).splitlines()[0] if str(error) else type(error).__name__


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _day(text: str) -> str:
    try:
        date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"bad date {text!r}: use YYYY-MM-DD") from None
    return text


def prefect_api_url() -> str | None:
    """The Prefect API this process talks to: the environment, else the active profile (what
    `prefect config set PREFECT_API_URL=…` wrote), as Prefect itself resolves it."""
    from prefect.settings import PREFECT_API_URL

    return PREFECT_API_URL.value() or None


def _quiet_prefect() -> None:
    """Prefect's own telemetry heartbeat only adds noise (and lock errors) to a local run, and
    its temporary server may need more than the default 20 s to start on a loaded machine."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")


def _seeds_argument(parser: argparse.ArgumentParser) -> None:
    from crawler.sites import SEEDS_DIR

    parser.add_argument("--seeds", default=str(SEEDS_DIR),
                        help="directory of site folders (default: $GOVNEWS_SEEDS or the "
                             f"installed registry, {SEEDS_DIR})")


def _output_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", default=DEFAULT_OUT,
                        help="output root: a directory or fsspec URL such as s3://bucket/news "
                             f"(default: {DEFAULT_OUT})")
    parser.add_argument("--index", help="index: a SQLite file (default: <out>/_index.sqlite; "
                                        "required when --out is not a local directory) or a "
                                        "postgresql:// URL shared by many workers")
    parser.add_argument("--gzip", action="store_true", help="write .jsonl.gz partitions")


def add_crawl_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("sites", nargs="*", metavar="SITE",
                        help="sites to crawl (default: every site in seeds/)")
    parser.add_argument("--demo", action="store_true",
                        help="crawl the local replica sites on 127.0.0.1, politeness off")
    _seeds_argument(parser)
    _output_arguments(parser)
    parser.add_argument("--since", type=_day, help="oldest publication date wanted, YYYY-MM-DD")
    parser.add_argument("--max-pages", type=_positive, help="list pages per site and run")
    parser.add_argument("--concurrency", type=_positive, default=None,
                        help="sites fetched at the same time (default: 4)")
    parser.add_argument("--allow-unhealthy", action="store_true",
                        help=f"exit 0 even when a site is unhealthy (else {EXIT_UNHEALTHY})")


def _absolute(root: str) -> str:
    """A local output root as an absolute path (deployment runs start elsewhere)."""
    store_root = Root.open(root)
    return store_root.path if store_root.is_local else root


def summary_table(manifest: dict[str, Any]) -> str:
    """The per-site summary of a run and where its files are, for the terminal."""
    columns = ("site", "pages", "articles", "written", "duplicates", "skipped", "failures")
    rows = []
    totals = [0] * 6
    for name, stats in manifest["sites"].items():
        values = [stats["pages_fetched"], stats["articles_extracted"], stats["records_written"],
                  stats["duplicates_skipped"], sum(stats.get("skipped", {}).values()),
                  sum(stats["failures"].values())]
        totals = [a + b for a, b in zip(totals, values, strict=True)]
        rows.append([name, *map(str, values)])
    rows.append(["total", *map(str, totals)])
    widths = [max(len(columns[i]), *(len(row[i]) for row in rows)) for i in range(len(columns))]

    def line(cells: list[str] | tuple[str, ...]) -> str:
        return "  ".join(cell.ljust(widths[0]) if i == 0 else cell.rjust(widths[i])
                         for i, cell in enumerate(cells))

    out = [line(columns), line(["-" * width for width in widths]), *map(line, rows[:-1]),
           line(["-" * width for width in widths]), line(rows[-1]), ""]
    root = manifest["root"].rstrip("/")
    records = [entry for entry in manifest["files"] if entry["kind"] == "records"]
    rejects = [entry for entry in manifest["files"] if entry["kind"] == "rejects"]
    if records:
        lines = sum(entry["lines"] for entry in records)
        pattern = partition_file("*", "*", manifest["run_id"], compress=records[0]["path"]
                                 .endswith(".gz"))
        out.append(f"records:  {lines} new in {len(records)} files {root}/{pattern}")
    else:
        out.append("records:  nothing new")
    for entry in rejects:
        out.append(f"rejects:  {entry['lines']} in {root}/{entry['path']}")
    by_reason: dict[str, list[str]] = {}
    for name, stats in manifest["sites"].items():
        for reason, count in stats["failures"].items():
            by_reason.setdefault(reason, []).append(f"{name} {count}")
    for reason, sites in sorted(by_reason.items()):
        out.append(f"          {reason}: {', '.join(sites)}")
    out.append(f"manifest: {root}/{manifest_file(manifest['run_id'])}")
    return "\n".join(out)


def _exit_on_sigterm() -> None:
    """Turn SIGTERM into a normal exit: the fetch processes are ended and Prefect's temporary
    server is stopped by its exit handler instead of being left running."""
    from crawler.fetch import stop_fetches

    def terminate(signum: int, frame: object) -> None:
        stop_fetches()
        raise SystemExit(EXIT_TERMINATED)

    signal.signal(signal.SIGTERM, terminate)


def crawl_exit_status(manifest: dict[str, Any]) -> tuple[int, list[str]]:
    """The exit status of a stored crawl, and one line per site that failed as a whole."""
    failed = {name: stats.get("site_failure") for name, stats in manifest["sites"].items()
              if stats.get("site_failure")}
    lines = [f"site {name} failed: {reason}" for name, reason in failed.items()]
    if not failed:
        return EXIT_OK, lines
    return (EXIT_ALL_SITES_FAILED if len(failed) == len(manifest["sites"])
            else EXIT_SITE_FAILED), lines


def run_crawl(args: argparse.Namespace) -> int:
    """Crawl the sites into partitioned JSONL and print the run's summary.

    Exit status: 0, or `EXIT_SITE_FAILED` / `EXIT_ALL_SITES_FAILED` when sites failed as a
    whole, `EXIT_STORAGE` when the output root cannot be used (checked before any fetch),
    2 on bad arguments, else `EXIT_UNHEALTHY` when a site is unhealthy (unless
    `--allow-unhealthy`)."""
    _quiet_prefect()
    _exit_on_sigterm()
    from crawler.fetch import FetchError
    from flows.common import FlowArgumentError, Output, UnhealthyRun
    from flows.crawl import DEFAULT_CONCURRENCY, crawl_all, resolve_sites
    from flows.display import crawl_progress
    from flows.status import health_lines
    from storage.errors import StorageError

    out = _absolute(args.out)
    try:
        names = list(resolve_sites(args.sites, args.seeds))
        output = Output(out, args.index, args.gzip)
        output.validate()
    except FlowArgumentError as error:
        print(f"govnews crawl: {error}", file=sys.stderr)
        return EXIT_USAGE
    try:
        for note in output.prepare():
            print(f"govnews crawl: {note}", file=sys.stderr)
    except StorageError as error:
        print(f"govnews crawl: {error}", file=sys.stderr)
        return EXIT_STORAGE
    where = prefect_api_url() or "Prefect's ephemeral server"
    print(f"govnews crawl: {', '.join(names)} → {out} (flow runs on {where})", file=sys.stderr)
    with ExitStack() as stack:
        proxy = None
        if args.demo:
            from crawler.replica.server import ReplicaServer

            server = stack.enter_context(ReplicaServer(seeds=args.seeds))
            proxy = server.proxy
            print(f"govnews crawl: replica sites on {proxy}", file=sys.stderr)
        stack.enter_context(crawl_progress(names))
        try:
            # a direct call resolves the flow's state: the manifest, or UnhealthyRun raised
            manifest = cast(dict[str, Any], crawl_all(
                sites=names, out=out, index=args.index, since=args.since,
                max_pages=args.max_pages, gzip=args.gzip, proxy=proxy, loopback=args.demo,
                seeds=args.seeds, concurrency=args.concurrency or DEFAULT_CONCURRENCY,
            ))
        except UnhealthyRun as unhealthy:
            manifest = unhealthy.manifest
        except (FlowArgumentError, FetchError) as error:
            print(f"govnews crawl: {error}", file=sys.stderr)
            return EXIT_INPUT
        except (StorageError, OSError) as error:
            print(f"govnews crawl: cannot store the run under {out}: "
                  f"{error_line(error)}", file=sys.stderr)
            return EXIT_STORAGE
    print(summary_table(manifest))
    health, healthy = health_lines(manifest)
    print("\n".join(health))
    status, lines = crawl_exit_status(manifest)
    for line in lines:
        print(f"govnews crawl: {line}", file=sys.stderr)
    if status == EXIT_OK and not healthy and not args.allow_unhealthy:
        print(f"govnews crawl: a site is unhealthy (exit {EXIT_UNHEALTHY}; --allow-unhealthy "
              "to accept)", file=sys.stderr)
        return EXIT_UNHEALTHY
    return status


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("sites", nargs="*", metavar="SITE",
                        help="sites to schedule (default: every site in seeds/)")
    _seeds_argument(parser)
    _output_arguments(parser)
    parser.add_argument("--limit", type=_positive,
                        help="most flow runs executing at the same time")


def run_serve(args: argparse.Namespace) -> int:
    """Create one deployment per site (cron from its TOML) and serve them until interrupted."""
    _quiet_prefect()
    from flows.common import FlowArgumentError
    from flows.serve import serve_sites, site_deployments

    try:
        deployments = site_deployments(args.sites, out=_absolute(args.out), index=args.index,
                                       gzip=args.gzip, seeds=args.seeds)
    except FlowArgumentError as error:
        print(f"govnews serve: {error}", file=sys.stderr)
        return 2
    if not prefect_api_url():
        print("govnews serve: PREFECT_API_URL is not set; start `prefect server start` and "
              "`prefect config set PREFECT_API_URL=http://127.0.0.1:4200/api` to watch the "
              "runs in the UI", file=sys.stderr)
    serve_sites(deployments, limit=args.limit)
    return 0


def add_reprocess_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("site", metavar="SITE", help="site whose raw capture to re-extract")
    _seeds_argument(parser)
    _output_arguments(parser)
    parser.add_argument("--since", type=_day,
                        help="only pages fetched on or after this day, YYYY-MM-DD")
    parser.add_argument("--raw", help="root holding _raw/ WARC files (default: --out)")


def run_reprocess(args: argparse.Namespace) -> int:
    """Re-extract a site from its WARC capture into the store, without crawling."""
    _quiet_prefect()
    from flows.common import FlowArgumentError, Output
    from flows.crawl import resolve_sites
    from flows.reprocess import reprocess
    from storage.errors import StorageError
    from storage.warc import warc_files

    out = _absolute(args.out)
    try:
        resolve_sites([args.site], args.seeds)
        raw = args.raw or Output(out, args.index).raw_root()
        if not warc_files(raw, args.site):
            raise FlowArgumentError(f"no raw capture for site {args.site!r} under {raw}")
        for note in Output(out, args.index).prepare():
            print(f"govnews reprocess: {note}", file=sys.stderr)
        manifest = reprocess(site=args.site, since=args.since, out=out, index=args.index,
                             gzip=args.gzip, raw=args.raw, seeds=args.seeds)
    except FlowArgumentError as error:
        print(f"govnews reprocess: {error}", file=sys.stderr)
        return EXIT_USAGE
    except (StorageError, OSError) as error:
        print(f"govnews reprocess: {error_line(error)}", file=sys.stderr)
        return EXIT_STORAGE
    print(summary_table(manifest))
    return EXIT_OK


def add_reindex_arguments(parser: argparse.ArgumentParser) -> None:
    _output_arguments(parser)


def run_reindex(args: argparse.Namespace) -> int:
    """Rebuild the index from the partitions and manifests under the output root. A damaged
    index file is moved aside first (`<index>.damaged-<time>`)."""
    from flows.common import FlowArgumentError, Output
    from storage.errors import StorageError
    from storage.store import Store, set_aside_damaged

    out = _absolute(args.out)
    try:
        index = Output(out, args.index).index()
    except FlowArgumentError as error:
        print(f"govnews reindex: {error}", file=sys.stderr)
        return EXIT_USAGE
    try:
        moved = set_aside_damaged(index)
        if moved:
            print(f"govnews reindex: {index} is damaged: moved it to {moved}", file=sys.stderr)
        with Store(out, index) as store:
            report = store.reindex()
    except (StorageError, OSError) as error:
        print(f"govnews reindex: {error_line(error)}", file=sys.stderr)
        return EXIT_STORAGE
    print(f"govnews reindex: {index}: {report.summary()}")
    return EXIT_OK
