"""`clean_dump`: a legacy JSONL/txt dump → repaired records → storage."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from crawler.article import utc_now
from crawler.clean import clean_document
from crawler.documents import DocumentError, read_documents
from flows.common import FlowArgumentError, Output, publish_manifest, store_run
from storage.store import new_run_id

Records = list[dict[str, Any]]


@task(cache_policy=NO_CACHE)
def clean_documents(path: str, site: str | None) -> tuple[Records, Records, int]:
    """Every document of a dump through the repair chain: records, rejects for documents that
    could not be read or left no text, and the number of documents read."""
    documents = 0
    records: Records = []
    rejects: Records = []
    fetched_at = utc_now()
    for document in read_documents(Path(path)):
        documents += 1
        if isinstance(document, DocumentError):
            rejects.append({"url": Path(path).resolve().as_uri(), "site": site, "stage": "read",
                            "reason": document.reason, "document": document.name,
                            "at": fetched_at})
            continue
        articles = clean_document(document.text, url=document.url, site=site,
                                  fields=document.fields, fetched_at=fetched_at)
        if not articles:
            rejects.append({"url": document.url, "site": site, "stage": "clean",
                            "reason": "no article text left after cleaning",
                            "document": document.name, "at": fetched_at})
        records.extend(article.to_record() for article in articles)
    return records, rejects, documents


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
    output.index()
    started_at = utc_now()
    records, rejects, documents = clean_documents(path, site)
    label = site or "_unknown"
    counts = {label: {"pages_fetched": documents, "articles_extracted": len(records)}}
    manifest = store_run(output, new_run_id(), records, rejects, counts, started_at)
    publish_manifest(manifest, key=f"clean-dump-{label}")
    return manifest.to_dict()
