"""Which stored articles a fetch asks for again: the site's `[refetch]` policy against its index.

An article URL in the storage index is normally never fetched again. When the site's refetch
is due (every `every`-th run of the site, counted over the committed runs whose manifests name
it; a compaction crawls nothing and does not count), the articles published in the last `days`
days (first seen, when the date is unknown) are requested again, straight from the index (a
withdrawn article has left the lists), with the validators of their last fetch: the spider
sends `If-None-Match` / `If-Modified-Since`, a 304 is a skip `not modified`, a 404 or 410 a skip
`deleted (http …)` that storage turns into a tombstone, and a 200 goes through extraction like
any page: changed content becomes the next revision, the same content a duplicate.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from crawler.sites import Site
from storage.index_api import RecordIndex, Validators, open_index
from storage.manifest import Manifest

DELETED_STATUSES = (404, 410)
"""Answers to a refetch that mean the publisher took the article down."""
NOT_MODIFIED = "not modified"
DELETED_PREFIX = "deleted"


def deleted_reason(status: int) -> str:
    """The skip reason of a refetched article that answered `status` (404 or 410)."""
    return f"{DELETED_PREFIX} (http {status})"


def is_deleted_reason(reason: str) -> bool:
    return reason.startswith(f"{DELETED_PREFIX} (http ")


@dataclass(frozen=True)
class RefetchPlan:
    """A site's refetch for one run: whether it is due, and the URLs with their validators."""

    site: str
    runs_before: int
    due: bool
    pages: dict[str, Validators] = field(default_factory=dict)


def site_runs(index: RecordIndex) -> Counter[str]:
    """Per site, the committed runs that crawled it (compactions left out)."""
    counts: Counter[str] = Counter()
    for run_id in index.run_ids():
        text = index.run_manifest(run_id)
        if not text:
            continue
        manifest = Manifest.from_json(text)
        if not manifest.replaced:
            counts.update(manifest.sites.keys())
    return counts


def plan_refetches(index_location: str | None, sites: Iterable[Site], *,
                   now: datetime | None = None) -> dict[str, RefetchPlan]:
    """The refetch of each site for the run about to start (none without an index)."""
    sites = list(sites)
    if not index_location or not any(site.refetch.days for site in sites):
        return {site.name: RefetchPlan(site.name, 0, False) for site in sites}
    index = open_index(index_location, readonly=True)
    try:
        runs = site_runs(index)
        plans = {}
        for site in sites:
            if not site.refetch.due(runs[site.name]):
                plans[site.name] = RefetchPlan(site.name, runs[site.name], False)
                continue
            since = (now or datetime.now(UTC)) - timedelta(days=site.refetch.days)
            plans[site.name] = RefetchPlan(site.name, runs[site.name], True,
                                           index.recent_pages(site.name, since))
        return plans
    finally:
        index.close()


def page_outcomes(events: Iterable[Mapping[str, Any]]) -> Iterator[dict[str, Any]]:
    """What storage keeps of a fetch log's article pages (`Store.write_run`'s `pages`): the
    validators of each page fetched, and `deleted_at` for each refetched page found gone."""
    for event in events:
        if event.get("kind") != "article":
            continue
        if event.get("event") == "fetched" and event.get("status") == 200:
            yield {"url": event["url"], "site": event.get("site"), "etag": event.get("etag"),
                   "last_modified": event.get("last_modified")}
        elif event.get("event") == "skipped" and is_deleted_reason(str(event.get("reason"))):
            yield {"url": event["url"], "site": event.get("site"), "deleted_at": event["at"]}
