"""`clean_dump`: a legacy JSONL/txt dump → repaired records → storage."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from crawler.article import utc_now
from crawler.documents import clean_path
from crawler.process import split_outcomes
from flows.common import FlowArgumentError, Output, publish_manifest, store_run
from storage.jsonl import UNKNOWN_SITE
from storage.store import new_run_id

Records = list[dict[str, Any]]


@task(cache_policy=NO_CACHE)
def clean_documents(path: str, site: str | None) -> tuple[Records, Records]:
    """Every document of a dump through the repair chain: records, and rejects for documents
    that could not be read or left no text."""
    return split_outcomes(clean_path(Path(path), site=site, fetched_at=utc_now()))


@flow(name="clean-dump")
def clean_dump(
    path: str, out: str = "data", index: str | None = None, site: str | None = None,
    gzip: bool = False,
) -> dict[str, Any]:
    """Repair a legacy dump (`.jsonl`, one document per line, or one `.txt` document) into the
    store; returns the run's manifest."""
    if not Path(path).is_file():
        raise FlowArgumentError(f"no such dump file: {path}")
    output = Output(root=out, index_path=index, compress=gzip)
    output.validate()
    for note in output.prepare():
        get_run_logger().warning(note)
    started_at = utc_now()
    records, rejects = clean_documents(path, site)
    label = site or UNKNOWN_SITE
    counts = {label: {"articles_extracted": len(records)}}
    manifest = store_run(output, new_run_id(), records, rejects, counts, started_at)
    publish_manifest(manifest, key=f"clean-dump-{label}")
    return manifest.to_dict()
