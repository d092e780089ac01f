"""What every storage index offers (`RecordIndex`), and `open_index` to pick one by its location.

Two backends implement it with the same semantics: `storage.index.Index` (SQLite, a file next
to a local output root: the embedded default) and `storage.index_pg.PgIndex` (PostgreSQL, for
many workers on many machines sharing one output root). An index keeps one row per stored
record, keyed by canonical URL and part, and one row per committed run. `admit_many` decides
per record whether it is written: the same content again is a duplicate (None), new content
gets the next revision. Writers work inside `transaction()`, which commits only after the run's
files are in place (see `storage.store`); concurrent writers never admit the same
(url, part, content) twice.

For refetching (`crawler.refetch`) a row also keeps the record's `published_at`, the page's
validators (`ETag`, `Last-Modified`) from its last fetch, and `deleted_at` once the page was found
gone: `tombstone` marks a stored URL deleted (its next revision is the tombstone line), and a
deleted URL whose page comes back is admitted again as a new revision.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from storage.jsonl import CHINA_TIME

POSTGRES_SCHEMES = ("postgresql://", "postgres://")


@dataclass(frozen=True)
class Admission:
    """A record asking to be stored: its key, site and content hash."""

    url: str
    part: int
    site: str | None
    content_sha256: str
    published_at: str | None = None


@dataclass(frozen=True)
class StoredRecord:
    """One index row: the current revision of a record (`deleted_at` set: a tombstone)."""

    url: str
    part: int
    site: str | None
    content_sha256: str
    revision: int
    deleted_at: str | None = None


@dataclass(frozen=True)
class Validators:
    """What a page's last response said about its version: the values a conditional request
    sends back (`If-None-Match`, `If-Modified-Since`); None when the site gave none."""

    etag: str | None = None
    last_modified: str | None = None


class RecordIndex(Protocol):
    """The storage index: stored records, their revisions, and committed runs."""

    @property
    def location(self) -> str:
        """Where the index lives (a file path or a server URL without its password)."""

    def close(self) -> None: ...

    def check(self) -> None:
        """Raise `DamagedIndex` when the index cannot be trusted (damaged, tables missing)."""

    def transaction(self) -> AbstractContextManager[object]:
        """Everything inside commits together at the end, or not at all on an error."""

    def hold_run(self, run_id: str) -> None:
        """Inside a transaction: mark the run as live (being written) until it ends."""

    def run_is_live(self, run_id: str) -> bool:
        """Whether another writer, alive, holds the run (its journal is not left over)."""

    def admit_many(self, records: Sequence[Admission], *, run_id: str | None = None,
                   seen_at: str | None = None) -> list[int | None]:
        """Per record, the revision to write, or None when it is stored with this content."""

    def restore(self, rows: Iterable[StoredRecord], *, run_id: str, seen_at: str) -> None:
        """Set rows exactly as given (completing an interrupted run)."""

    def merge(self, rows: Iterable[tuple[StoredRecord, str | None]], *, seen_at: str) -> int:
        """Add rows read back from stored partitions (with the run that wrote each), keeping
        the highest revision of each (url, part); how many rows changed."""

    def run_ids(self) -> set[str]:
        """The ids of every committed run."""

    def record_run(self, run_id: str, *, started_at: str | None, finished_at: str, status: str,
                   manifest: str) -> None:
        """Mark a run as committed, with its manifest as JSON text."""

    def run_committed(self, run_id: str) -> bool: ...

    def run_manifest(self, run_id: str) -> str | None: ...

    def is_stored(self, url: str) -> bool: ...

    def stored_urls(self, site: str) -> set[str]: ...

    def lookup(self, url: str, part: int = 1) -> StoredRecord | None: ...

    def recent_pages(self, site: str, since: datetime) -> dict[str, Validators]:
        """The URLs of a site's records published on or after `since` (first seen on or after
        it when the date is unknown), tombstoned ones included, with their validators."""

    def note_validators(self, pages: Sequence[tuple[str, Validators]]) -> None:
        """Keep the validators of fetched pages (on every stored part of each URL)."""

    def tombstone(self, urls: Sequence[str], *, run_id: str, deleted_at: str
                  ) -> list[StoredRecord]:
        """Mark the stored records of `urls` deleted, each at its next revision; the rows
        changed (a URL already tombstoned, or never stored, changes nothing)."""

    def count(self, site: str | None = None) -> int: ...


def since_texts(since: datetime) -> tuple[str, str]:
    """`since` as an index writes its two kinds of time, so that each compares as text:
    `published_at` in China time (`+08:00`, as records have it) and `first_seen` in UTC."""
    moment = since if since.tzinfo is not None else since.replace(tzinfo=UTC)
    moment = moment.replace(microsecond=0)
    return moment.astimezone(CHINA_TIME).isoformat(), moment.astimezone(UTC).isoformat()


def is_server_index(location: str) -> bool:
    """Whether an index location names a PostgreSQL server rather than a SQLite file."""
    return location.startswith(POSTGRES_SCHEMES)


def open_index(location: str, *, readonly: bool = False) -> RecordIndex:
    """The index at `location`: a `postgresql://` URL or a SQLite file path."""
    if is_server_index(location):
        from storage.index_pg import PgIndex

        return PgIndex(location, readonly=readonly)
    from storage.index import Index

    return Index(location, readonly=readonly)
