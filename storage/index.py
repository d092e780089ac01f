"""The storage index: which records are stored, at which revision, and which runs committed.

A SQLite file (WAL mode, so the crawler can read it while a run writes). One row per stored
record, keyed by canonical URL and part: its site, `content_sha256`, current revision, first and
last seen. `admit` decides per record whether it is written: the same URL with the same content
is a duplicate (None), new content gets the next revision. Writers hold one `transaction()`,
which commits only after the run's files are in place (see `storage.store`).

A file that is not a usable SQLite database raises `DamagedIndex` naming the path; `check()`
runs SQLite's own integrity check. `merge` rebuilds rows from stored partitions (`govnews
reindex`). An index written before the refetch columns existed (`published_at`, `etag`,
`last_modified`, `deleted_at`) gains them when opened for writing; read-only, it reads as if
they were empty.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime

from storage.errors import DamagedIndex, StorageError
from storage.index_api import Admission, StoredRecord, Validators, since_texts

__all__ = ["Index", "StoredRecord"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    url TEXT NOT NULL,
    part INTEGER NOT NULL DEFAULT 1,
    site TEXT,
    content_sha256 TEXT NOT NULL,
    revision INTEGER NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    run_id TEXT,
    published_at TEXT,
    etag TEXT,
    last_modified TEXT,
    deleted_at TEXT,
    PRIMARY KEY (url, part)
);
CREATE INDEX IF NOT EXISTS records_site ON records (site);
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY,
    started_at TEXT,
    finished_at TEXT NOT NULL,
    status TEXT NOT NULL,
    manifest TEXT
);
"""
REFETCH_COLUMNS = ("published_at", "etag", "last_modified", "deleted_at")
"""Columns added after the first index format: `_migrate` adds them to an older file."""


def _storage_error(path: str, error: sqlite3.DatabaseError) -> StorageError:
    """One line naming the index for an SQLite error: damaged file, or no access to it."""
    message = str(error)
    if isinstance(error, sqlite3.OperationalError) and (
            "unable to open" in message or "readonly" in message or "disk" in message
            or "locked" in message):
        return StorageError(f"index {path}: {message}")
    return DamagedIndex(f"index {path} is damaged ({message}): move it aside and run "
                        "`govnews reindex` to rebuild it from the stored files")


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


class Index:
    """SQLite index of stored records and committed runs (a `storage.index_api.RecordIndex`)."""

    def __init__(self, path: str, *, readonly: bool = False, timeout: float = 60.0) -> None:
        self.path = os.path.abspath(path)
        self.readonly = readonly
        self._lock = threading.RLock()
        self._depth = 0
        self._conn: sqlite3.Connection | None
        self._conn = None
        self._refetch_columns: bool | None = None
        if readonly:
            if not os.path.exists(self.path) or os.path.getsize(self.path) == 0:
                return
            uri = f"file:{self.path}?mode=ro"
            self._conn = self._open(uri, timeout, uri=True)
            return
        try:
            os.makedirs(os.path.dirname(self.path), exist_ok=True)
        except OSError as error:
            raise StorageError(f"index {self.path}: cannot create its directory: "
                               f"{error.strerror or error}") from None
        conn = self._open(self.path, timeout)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.executescript(_SCHEMA)
            self._migrate(conn)
        except sqlite3.DatabaseError as error:
            conn.close()
            raise _storage_error(self.path, error) from None
        self._conn = conn

    @staticmethod
    def _migrate(conn: sqlite3.Connection) -> None:
        """Add the columns an index made by an older version lacks (nullable: old rows read
        as unknown)."""
        have = {row[1] for row in conn.execute("PRAGMA table_info(records)")}
        for column in REFETCH_COLUMNS:
            if column not in have:
                conn.execute(f"ALTER TABLE records ADD COLUMN {column} TEXT")

    def _has_refetch_columns(self) -> bool:
        """Whether the records table has the refetch columns (an old file opened read-only
        may not)."""
        if self._refetch_columns is None:
            have = {row[1] for row in self._db().execute("PRAGMA table_info(records)")}
            self._refetch_columns = set(REFETCH_COLUMNS) <= have
        return self._refetch_columns

    def _open(self, target: str, timeout: float, *, uri: bool = False) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(target, uri=uri, timeout=timeout, isolation_level=None,
                                   check_same_thread=False)
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as error:
            raise _storage_error(self.path, error) from None
        return conn

    def check(self) -> None:
        """Run SQLite's integrity check and look for the tables; `DamagedIndex` if it fails."""
        if self._conn is None:
            return
        with self._lock:
            try:
                rows = self._db().execute("PRAGMA quick_check").fetchall()
                tables = {name for (name,) in self._db().execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table'")}
            except sqlite3.DatabaseError as error:
                raise _storage_error(self.path, error) from None
        problems = [str(row[0]) for row in rows if row[0] != "ok"]
        if problems:
            raise DamagedIndex(f"index {self.path} is damaged ({problems[0]}): move it aside "
                               "and run `govnews reindex` to rebuild it from the stored files")
        if not {"records", "runs"} <= tables:
            raise DamagedIndex(f"index {self.path} is damaged (its tables are missing): move it "
                               "aside and run `govnews reindex` to rebuild it")

    @property
    def location(self) -> str:
        return self.path

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            raise ValueError(f"index {self.path} is closed")
        return self._conn

    @contextmanager
    def transaction(self) -> Iterator[Index]:
        """Hold the write lock (BEGIN IMMEDIATE); commit on success, roll back on error.
        Nested use joins the outer transaction."""
        if self.readonly:
            raise ValueError(f"index {self.path} is open read-only")
        with self._lock:
            db = self._db()
            if self._depth:
                self._depth += 1
                try:
                    yield self
                finally:
                    self._depth -= 1
                return
            db.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield self
            except BaseException:
                db.execute("ROLLBACK")
                raise
            else:
                db.execute("COMMIT")
            finally:
                self._depth = 0

    def is_stored(self, url: str) -> bool:
        """Whether any part of the record at this canonical URL is stored."""
        if self._conn is None:
            return False
        with self._lock:
            row = self._conn.execute(
                "SELECT 1 FROM records WHERE url = ? LIMIT 1", (url,)
            ).fetchone()
        return row is not None

    def stored_urls(self, site: str) -> set[str]:
        """The canonical URLs stored for a site."""
        if self._conn is None:
            return set()
        with self._lock:
            rows = self._conn.execute(
                "SELECT DISTINCT url FROM records WHERE site = ?", (site,)
            ).fetchall()
        return {url for (url,) in rows}

    def lookup(self, url: str, part: int = 1) -> StoredRecord | None:
        """The stored row of a record, or None."""
        if self._conn is None:
            return None
        deleted = "deleted_at" if self._has_refetch_columns() else "NULL"
        with self._lock:
            row = self._conn.execute(
                f"SELECT url, part, site, content_sha256, revision, {deleted} FROM records"
                " WHERE url = ? AND part = ?",
                (url, part),
            ).fetchone()
        return StoredRecord(*row) if row else None

    def recent_pages(self, site: str, since: datetime) -> dict[str, Validators]:
        """The URLs of a site's records published on or after `since` (first seen on or after
        it when the date is unknown), tombstoned ones included, with their validators."""
        if self._conn is None:
            return {}
        published, first_seen = since_texts(since)
        if not self._has_refetch_columns():  # an old index read-only: no dates, no validators
            query = ("SELECT url, NULL, NULL FROM records WHERE site = ? AND first_seen >= ?")
            params: tuple[str, ...] = (site, first_seen)
        else:
            query = ("SELECT url, etag, last_modified FROM records WHERE site = ? AND"
                     " (published_at >= ? OR (published_at IS NULL AND first_seen >= ?))")
            params = (site, published, first_seen)
        with self._lock:
            rows = self._conn.execute(query, params).fetchall()
        pages: dict[str, Validators] = {}
        for url, etag, last_modified in rows:
            known = pages.get(url)
            if known is None or known == Validators():
                pages[url] = Validators(etag, last_modified)
        return pages

    def note_validators(self, pages: Sequence[tuple[str, Validators]]) -> None:
        """Keep the validators of fetched pages (on every stored part of each URL)."""
        with self.transaction():
            self._db().executemany(
                "UPDATE records SET etag = ?, last_modified = ? WHERE url = ?",
                [(found.etag, found.last_modified, url) for url, found in pages])

    def tombstone(self, urls: Sequence[str], *, run_id: str, deleted_at: str
                  ) -> list[StoredRecord]:
        """Mark the stored records of `urls` deleted, each at its next revision; the rows
        changed (a URL already tombstoned, or never stored, changes nothing)."""
        changed: list[StoredRecord] = []
        with self.transaction():
            db = self._db()
            for url in urls:
                rows = db.execute(
                    "UPDATE records SET revision = revision + 1, deleted_at = ?, last_seen = ?,"
                    " run_id = ?, etag = NULL, last_modified = NULL"
                    " WHERE url = ? AND deleted_at IS NULL"
                    " RETURNING url, part, site, content_sha256, revision, deleted_at",
                    (deleted_at, deleted_at, run_id, url)).fetchall()
                changed += sorted((StoredRecord(*row) for row in rows), key=lambda row: row.part)
        return changed

    def count(self, site: str | None = None) -> int:
        """The number of stored records (of one site)."""
        if self._conn is None:
            return 0
        with self._lock:
            if site is None:
                (n,) = self._conn.execute("SELECT count(*) FROM records").fetchone()
            else:
                (n,) = self._conn.execute(
                    "SELECT count(*) FROM records WHERE site = ?", (site,)
                ).fetchone()
        return int(n)

    def admit(
        self,
        url: str,
        site: str | None,
        content_sha256: str,
        *,
        part: int = 1,
        run_id: str | None = None,
        seen_at: str | None = None,
        published_at: str | None = None,
    ) -> int | None:
        """The revision to write for this record, or None when it is stored with this content
        (a tombstoned record that comes back gets the next revision, whatever its content).

        Records the decision; it becomes durable when the surrounding transaction commits.
        """
        seen = seen_at or _now()
        with self.transaction():
            db = self._db()
            row = db.execute(
                "SELECT content_sha256, revision, deleted_at FROM records"
                " WHERE url = ? AND part = ?",
                (url, part),
            ).fetchone()
            if row is None:
                db.execute(
                    "INSERT INTO records (url, part, site, content_sha256, revision, first_seen,"
                    " last_seen, run_id, published_at) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?)",
                    (url, part, site, content_sha256, seen, seen, run_id, published_at),
                )
                return 1
            stored_sha, revision, deleted_at = row
            if stored_sha == content_sha256 and deleted_at is None:
                db.execute(
                    "UPDATE records SET last_seen = ? WHERE url = ? AND part = ?",
                    (seen, url, part),
                )
                return None
            # changed content, or a deleted page that came back: the next revision
            db.execute(
                "UPDATE records SET content_sha256 = ?, revision = ?, last_seen = ?, run_id = ?,"
                " site = ?, published_at = ?, deleted_at = NULL WHERE url = ? AND part = ?",
                (content_sha256, revision + 1, seen, run_id, site, published_at, url, part),
            )
            return int(revision) + 1

    def hold_run(self, run_id: str) -> None:
        """Nothing to do: the write transaction already keeps every other writer out."""

    def run_is_live(self, run_id: str) -> bool:
        """Never, for a caller holding the write transaction (one writer at a time)."""
        return False

    def admit_many(self, records: Sequence[Admission], *, run_id: str | None = None,
                   seen_at: str | None = None) -> list[int | None]:
        """`admit` for each record in turn (a later duplicate in the batch is a duplicate)."""
        with self.transaction():
            return [self.admit(r.url, r.site, r.content_sha256, part=r.part, run_id=run_id,
                               seen_at=seen_at, published_at=r.published_at) for r in records]

    def restore(self, rows: Iterable[StoredRecord], *, run_id: str, seen_at: str) -> None:
        """Set rows exactly as given (used when completing an interrupted run)."""
        with self.transaction():
            self._db().executemany(
                "INSERT INTO records (url, part, site, content_sha256, revision, first_seen,"
                " last_seen, run_id, deleted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (url, part) DO UPDATE SET site = excluded.site,"
                " content_sha256 = excluded.content_sha256, revision = excluded.revision,"
                " last_seen = excluded.last_seen, run_id = excluded.run_id,"
                " deleted_at = excluded.deleted_at",
                [
                    (r.url, r.part, r.site, r.content_sha256, r.revision, seen_at, seen_at, run_id,
                     r.deleted_at)
                    for r in rows
                ],
            )

    def merge(self, rows: Iterable[tuple[StoredRecord, str | None]], *, seen_at: str) -> int:
        """Add rows read back from stored partitions, keeping the highest revision of each
        (url, part); returns how many rows changed."""
        with self.transaction():
            db = self._db()
            before = db.total_changes
            db.executemany(
                "INSERT INTO records (url, part, site, content_sha256, revision, first_seen,"
                " last_seen, run_id, deleted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (url, part) DO UPDATE SET site = excluded.site,"
                " content_sha256 = excluded.content_sha256, revision = excluded.revision,"
                " run_id = excluded.run_id, deleted_at = excluded.deleted_at"
                " WHERE excluded.revision > records.revision",
                [(r.url, r.part, r.site, r.content_sha256, r.revision, seen_at, seen_at, run_id,
                  r.deleted_at) for r, run_id in rows],
            )
            return int(db.total_changes - before)

    def run_ids(self) -> set[str]:
        """The ids of every committed run."""
        if self._conn is None:
            return set()
        with self._lock:
            rows = self._conn.execute("SELECT run_id FROM runs").fetchall()
        return {run_id for (run_id,) in rows}

    def record_run(
        self, run_id: str, *, started_at: str | None, finished_at: str, status: str, manifest: str
    ) -> None:
        """Mark a run as committed, with its manifest as JSON text."""
        with self.transaction():
            self._db().execute(
                "INSERT OR REPLACE INTO runs (run_id, started_at, finished_at, status, manifest)"
                " VALUES (?, ?, ?, ?, ?)",
                (run_id, started_at, finished_at, status, manifest),
            )

    def run_committed(self, run_id: str) -> bool:
        """Whether a run's records and files are committed."""
        if self._conn is None:
            return False
        with self._lock:
            row = self._conn.execute("SELECT 1 FROM runs WHERE run_id = ?", (run_id,)).fetchone()
        return row is not None

    def run_manifest(self, run_id: str) -> str | None:
        """The manifest JSON of a committed run."""
        if self._conn is None:
            return None
        with self._lock:
            row = self._conn.execute(
                "SELECT manifest FROM runs WHERE run_id = ?", (run_id,)
            ).fetchone()
        return row[0] if row else None
