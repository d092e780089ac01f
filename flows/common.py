"""Pieces every flow shares: where the output goes, the store task and the manifest artifact."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from prefect import get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.states import Failed, State

from storage.capture import publish_capture
from storage.fs import Root
from storage.health import unhealthy_sites
from storage.index_api import is_server_index, open_index
from storage.manifest import Manifest
from storage.store import StorageError, Store, check_output, default_index_path


class FlowArgumentError(ValueError):
    """A flow or command was started with bad arguments (unknown site, bad date, bad path)."""


UNHEALTHY_STATE = "Unhealthy"


class UnhealthyRun(Exception):
    """A run that stored its results but found a site unhealthy; carries the manifest."""

    def __init__(self, message: str, manifest: dict[str, Any]) -> None:
        super().__init__(message, manifest)
        self.message = message
        self.manifest = manifest

    def __str__(self) -> str:
        return self.message


def finish_run(manifest: dict[str, Any]) -> dict[str, Any] | State[Any]:
    """A flow's return: the manifest when every site is healthy, else the Failed state
    "Unhealthy" naming the sites (a direct call raises its `UnhealthyRun`)."""
    unhealthy = unhealthy_sites(manifest)
    if not unhealthy:
        return manifest
    message = "unhealthy: " + "; ".join(f"{site}: {' / '.join(messages)}"
                                        for site, messages in sorted(unhealthy.items()))
    return Failed(name=UNHEALTHY_STATE, message=message, data=UnhealthyRun(message, manifest))


@dataclass(frozen=True)
class Output:
    """Where a flow writes: the output root (path or fsspec URL), its index and the options."""

    root: str = "data"
    index_path: str | None = None
    compress: bool = False

    def index(self) -> str:
        """The index: a `postgresql://` URL, or the SQLite file (`<root>/_index.sqlite` for a
        local root)."""
        if self.index_path:
            return self.index_path
        try:
            return default_index_path(self.root)
        except StorageError as error:
            raise FlowArgumentError(str(error)) from error

    def validate(self) -> None:
        """Fail early, with a clear message, on an output root that has no usable index."""
        self.index()

    def prepare(self) -> list[str]:
        """Check the root before any fetch (writable, index intact and complete, see
        `storage.store.check_output`); notes on what was repaired. Raises `StorageError`."""
        return check_output(self.root, self.index())

    def lock_anchor(self) -> str:
        """The path beside which the sites' crawl locks live (`storage.lock`): the SQLite
        index, or, for a server index, the output root's own index name."""
        index = self.index()
        return default_index_path(self.root) if is_server_index(index) else index

    def store(self) -> Store:
        return Store(self.root, self.index(), compress=self.compress)

    def raw_root(self) -> str:
        """Where fetches write WARC files and fetch logs: the output root when it is a local
        directory, else the SQLite index's directory on this machine, from which each committed
        run's capture is published to the root (`publish_raw`)."""
        root = Root.open(self.root)
        return root.path if root.is_local else str(Path(self.index()).parent)

    def raw_roots(self) -> list[str]:
        """Where reprocess reads raw capture: the output root, and the local directory of
        capture not yet published to it."""
        return list(dict.fromkeys([self.root, self.raw_root()]))


def parse_since(since: str | date | None) -> date | None:
    """A `--since` value as a date; a clear error for anything but YYYY-MM-DD."""
    if since is None or isinstance(since, date):
        return since
    try:
        return date.fromisoformat(since)
    except ValueError:
        raise FlowArgumentError(f"bad date {since!r}: use YYYY-MM-DD") from None


@task(retries=2, retry_delay_seconds=2, cache_policy=NO_CACHE)
def store_run(
    output: Output,
    run_id: str,
    records: Iterable[dict[str, Any]],
    rejects: Iterable[dict[str, Any]],
    counts: Mapping[str, Mapping[str, Any]],
    started_at: str,
    pages: Iterable[dict[str, Any]] = (),
) -> Manifest:
    """Write a run's records and rejects, and what the fetch learned about its pages
    (validators, deletions: see `Store.write_run`) (I/O: retried; a retry finds the first
    try's work either committed or undone, never half done)."""
    with output.store() as store:
        store.recover()
        committed = store.manifest(run_id)
        if committed is not None:
            return committed
        return store.write_run(run_id, records, rejects, counts=counts, started_at=started_at,
                               pages=pages)


@task(cache_policy=NO_CACHE)
def publish_raw(output: Output, sites: Iterable[str]) -> None:
    """Move the committed runs' raw capture of `sites` to a remote output root (see
    `storage.capture`); a file that cannot be moved stays local for the next run, with a
    warning."""
    staging = output.raw_root()
    if staging == Root.open(output.root).path:
        return
    logger = get_run_logger()
    index = open_index(output.index(), readonly=True)
    try:
        for site in sites:
            published = publish_capture(staging, output.root, site, index.run_committed)
            if published.moved:
                logger.info(f"{site}: {len(published.moved)} raw capture files moved to "
                            f"{output.root}")
            for path, reason in published.failed:
                logger.warning(f"{site}: {path} stays local, to be moved by the next run: "
                               f"{reason}")
    finally:
        index.close()


def artifact_key(name: str) -> str:
    """A Prefect artifact key (lower-case letters, digits and dashes) from a flow or site name."""
    return re.sub(r"[^a-z0-9-]+", "-", name.lower()).strip("-") or "manifest"


def publish_manifest(manifest: Manifest, *, key: str) -> None:
    """Publish the run's manifest as a markdown artifact of the current flow run."""
    create_markdown_artifact(
        markdown=manifest.to_markdown(),
        key=artifact_key(key),
        description=f"govnews run {manifest.run_id}: records written, duplicates, failures, files",
    )
