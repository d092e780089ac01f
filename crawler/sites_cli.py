"""Commands about the site registry: `govnews sites`, `govnews check-site`, `govnews demo-sites`.

Each command is an `add_<cmd>_arguments(parser)` / `run_<cmd>(args) -> int` pair for
`flows/cli.py`. `check-site NAME` is what a maintainer runs after writing `seeds/NAME.toml`:
it starts the replica server, crawls the site through it into a temporary directory, extracts
the articles from the raw capture and reports them with every failure and its reason.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from typing import Any

from crawler.fetch import (
    FetchError,
    FetchOptions,
    fetch_events,
    fetch_failures,
    run_fetch_subprocess,
)
from crawler.process import extract_warc, split_outcomes
from crawler.sites import SEEDS_DIR, Site, SiteConfigError, load_sites, select_sites

CHECK_TIMEOUT = 2.0
CHECK_SLOW_SECONDS = 4.0


def add_sites_arguments(parser: argparse.ArgumentParser) -> None:
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print JSON instead of a table")
    output.add_argument("--markdown", action="store_true",
                        help="print the README's table of supported sites")
    parser.add_argument("--seeds", default=str(SEEDS_DIR), help="directory of site files")


def sites_markdown(sites: dict[str, Site]) -> str:
    """The table of supported sites in README.md; a test keeps it equal to the registry."""
    lines = ["| site | title | layout | domains | schedule |", "|---|---|---|---|---|"]
    for site in sorted(sites.values(), key=lambda s: s.name):
        domains = ", ".join(f"`{d}`" for d in site.allowed_domains)
        lines.append(f"| `{site.name}` | {site.title} | {site.layout} | {domains} | "
                     f"`{site.schedule}` |")
    return "\n".join(lines) + "\n"


def run_sites(args: argparse.Namespace) -> int:
    """List the registry: name, title, domains, layout and schedule."""
    try:
        sites = load_sites(args.seeds)
    except SiteConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    rows = [{"name": site.name, "title": site.title, "domains": site.allowed_domains,
             "layout": site.layout, "schedule": site.schedule} for site in sites.values()]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if args.markdown:
        print(sites_markdown(sites), end="")
        return 0
    print(f"{'name':<14}{'layout':<8}{'schedule':<16}{'domains':<40}title")
    for row in rows:
        print(f"{row['name']:<14}{row['layout']:<8}{row['schedule']:<16}"
              f"{','.join(row['domains']):<40}{row['title']}")
    return 0


def add_check_site_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", help="site name (the seeds/<name>.toml file stem)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--seeds", default=str(SEEDS_DIR), help="directory of site files")
    parser.add_argument("--live", action="store_true",
                        help="crawl the real site (politely, 2 list pages) instead of the replica")
    parser.add_argument("--max-pages", type=int, help="list pages to crawl")
    parser.add_argument("--keep", metavar="DIR", help="keep the WARC and fetch log under DIR")


def check_site(site: Site, *, out: str, seeds: str, live: bool = False,
               max_pages: int | None = None) -> dict[str, Any]:
    """Crawl one site (its replica unless `live`) and extract: the report as a dict."""
    options = FetchOptions(out=out, run_id="check", since=None,
                           max_pages=max_pages if max_pages is not None else (2 if live else None),
                           loopback=not live, timeout=None if live else CHECK_TIMEOUT)
    if live:
        summaries = run_fetch_subprocess([site.name], options, seeds=seeds)
    else:
        from crawler.replica.server import ReplicaServer

        with ReplicaServer(slow_seconds=CHECK_SLOW_SECONDS) as server:
            options = FetchOptions(**{**options.__dict__, "proxy": server.proxy})
            summaries = run_fetch_subprocess([site.name], options, seeds=seeds)
    summary = summaries.get(site.name, {})
    outcomes = extract_warc(summary["warc"], site) if summary.get("warc") else iter(())
    articles, rejects = split_outcomes(outcomes)
    failures = [reject.to_record() for reject in fetch_failures(site, summary)] + rejects
    skipped = [{"url": event["url"], "kind": event["kind"], "reason": event["reason"]}
               for event in fetch_events(summary) if event["event"] == "skipped"]
    return {
        "site": site.name,
        "mode": "live" if live else "replica",
        "articles": articles,
        "failures": failures,
        "skipped": skipped,
        "counts": {
            "list_pages": summary.get("lists_fetched", 0),
            "article_pages": summary.get("articles_fetched", 0),
            "articles": len(articles),
            "failures": len(failures),
            "skipped": len(skipped),
        },
    }


def _print_report(report: dict[str, Any]) -> None:
    counts = report["counts"]
    print(f"{report['site']} ({report['mode']}): {counts['list_pages']} list pages, "
          f"{counts['article_pages']} article pages, {counts['articles']} articles, "
          f"{counts['failures']} failures, {counts['skipped']} skipped")
    for record in report["articles"]:
        part = f" [{record['part']}/{record['parts']}]" if record["parts"] > 1 else ""
        print(f"  article  {record['published_at'] or '-':<25} {record['title'] or '(no title)'}"
              f"{part}")
    for failure in report["failures"]:
        print(f"  failure  {failure['stage']:<8} {failure['reason']:<40} {failure['url']}")
    for item in report["skipped"]:
        print(f"  skipped  {item['reason']:<49} {item['url']}")


def run_check_site(args: argparse.Namespace) -> int:
    """Crawl one site's replica (or the live site), extract, report; 0 when articles arrive."""
    try:
        (site,) = select_sites([args.name], args.seeds).values()
    except SiteConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    try:
        if args.keep:
            report = check_site(site, out=args.keep, seeds=args.seeds, live=args.live,
                                max_pages=args.max_pages)
        else:
            with tempfile.TemporaryDirectory(prefix="govnews-check-") as out:
                report = check_site(site, out=out, seeds=args.seeds, live=args.live,
                                    max_pages=args.max_pages)
    except FetchError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        _print_report(report)
    return 0 if report["articles"] else 1


def add_demo_sites_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=8808, help="port on 127.0.0.1")
    parser.add_argument("--per-site", type=int, default=24, help="articles per site")
    parser.add_argument("--slow-seconds", type=float, default=5.0,
                        help="delay of the slow fault page")


def run_demo_sites(args: argparse.Namespace) -> int:
    """Serve the replica sites in the foreground until interrupted."""
    from crawler.replica.server import ReplicaServer

    try:
        server = ReplicaServer(args.port, per_site=args.per_site, slow_seconds=args.slow_seconds,
                               verbose=True)
    except OSError as error:
        print(f"error: cannot listen on 127.0.0.1:{args.port}: {error.strerror}", file=sys.stderr)
        return 2
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"replica sites on {server.proxy} — use it as the HTTP proxy, for example:")
    for site_map in server.sites.values():
        print(f"  curl -x {server.proxy} {site_map.list_urls[0]}")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("stopped")
    finally:
        server.stop()
    return 0
