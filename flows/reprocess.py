"""`reprocess`: re-extract a site from its WARC raw capture, without crawling, into the store.

Maintainers run it after improving a site's rules or the extraction: pages whose articles now
come out differently are written again with the next revision; unchanged ones are duplicates.
"""

from __future__ import annotations

from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from crawler.article import Reject, utc_now
from crawler.process import ExtractionPool, extract_responses, readable_responses
from crawler.sites import SEEDS_DIR, Site
from flows.common import FlowArgumentError, Output, parse_since, publish_manifest, store_run
from flows.crawl import Harvest, extract_workers, resolve_sites
from storage.store import new_run_id
from storage.warc import latest_responses, warc_files


@task(cache_policy=NO_CACHE, task_run_name="reextract-{site.name}")
def reextract_site(site: Site, raw_roots: list[str], since: str | None) -> Harvest:
    """Extract the newest capture of every page of a site (fetched on or after `since`) from
    the WARC files under `raw_roots`; a damaged WARC file gives the pages before the damage
    and one `read` reject."""
    paths = [path for root in raw_roots for path in warc_files(root, site.name)]
    if not paths:
        raise FlowArgumentError(f"no raw capture for site {site.name!r} under "
                                f"{' or '.join(raw_roots)}")
    damage: list[Reject] = []
    responses = latest_responses(paths, parse_since(since),
                                 read=lambda path: readable_responses(path, site, damage))
    with ExtractionPool(extract_workers()) as pool:
        harvest = Harvest(site=site.name).add(extract_responses(responses, site, pool=pool))
    return harvest.add(damage)


@flow(name="reprocess", flow_run_name="reprocess-{site}")
def reprocess(
    site: str, since: str | None = None, out: str = "data", index: str | None = None,
    gzip: bool = False, raw: str | None = None, seeds: str = str(SEEDS_DIR),
) -> dict[str, Any]:
    """Re-extract one site from the WARC files under `raw` (default: the output root, and the
    local capture not yet moved to a remote one).
    Returns the run's manifest."""
    (config,) = resolve_sites([site], seeds).values()
    parse_since(since)  # a bad date fails here, before any work
    output = Output(out, index, gzip)
    output.validate()
    for note in output.prepare():
        get_run_logger().warning(note)
    started_at = utc_now()
    harvest = reextract_site(config, [raw] if raw else output.raw_roots(), since)
    try:
        manifest = store_run(output, new_run_id(), harvest.records, harvest.rejects,
                             {site: harvest.counts()}, started_at)
    finally:
        harvest.close()
    publish_manifest(manifest, key=f"reprocess-{site}")
    return manifest.to_dict()
