"""`reprocess`: re-extract a site from its WARC raw capture, without crawling, into the store.

Maintainers run it after improving a site's rules or the extraction: pages whose articles now
come out differently are written again with the next revision; unchanged ones are duplicates.
"""

from __future__ import annotations

from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from crawler.article import Reject, utc_now
from crawler.process import extract_responses, readable_responses, split_outcomes
from crawler.sites import SEEDS_DIR, Site
from flows.common import FlowArgumentError, Output, parse_since, publish_manifest, store_run
from flows.crawl import Harvest, extract_workers, resolve_sites
from storage.store import new_run_id
from storage.warc import latest_responses, warc_files


@task(cache_policy=NO_CACHE, task_run_name="reextract-{site.name}")
def reextract_site(site: Site, raw_root: str, since: str | None) -> Harvest:
    """Extract the newest capture of every page of a site (fetched on or after `since`); a
    damaged WARC file gives the pages before the damage and one `read` reject."""
    paths = warc_files(raw_root, site.name)
    if not paths:
        raise FlowArgumentError(f"no raw capture for site {site.name!r} under {raw_root}")
    damage: list[Reject] = []
    responses = latest_responses(paths, parse_since(since),
                                 read=lambda path: readable_responses(path, site, damage))
    records, rejects = split_outcomes(
        [*extract_responses(responses, site, workers=extract_workers()), *damage])
    return Harvest(site=site.name, records=records, rejects=rejects)


@flow(name="reprocess", flow_run_name="reprocess-{site}")
def reprocess(
    site: str, since: str | None = None, out: str = "data", index: str | None = None,
    gzip: bool = False, raw: str | None = None, seeds: str = str(SEEDS_DIR),
) -> dict[str, Any]:
    """Re-extract one site from the WARC files under `raw` (default: the output root).
    Returns the run's manifest."""
    (config,) = resolve_sites([site], seeds).values()
    parse_since(since)  # a bad date fails here, before any work
    output = Output(out, index, gzip)
    output.validate()
    for note in output.prepare():
        get_run_logger().warning(note)
    started_at = utc_now()
    harvest = reextract_site(config, raw or output.raw_root(), since)
    manifest = store_run(output, new_run_id(), harvest.records, harvest.rejects,
                         {site: harvest.counts()}, started_at)
    publish_manifest(manifest, key=f"reprocess-{site}")
    return manifest.to_dict()
