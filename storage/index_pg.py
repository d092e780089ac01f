"""The storage index on a PostgreSQL server (psycopg 3), for many workers sharing one output root.

Same tables and semantics as the SQLite index (`storage.index`): one row per stored record keyed
by (url, part), one row per committed run. What differs is how writers meet:

- SQLite lets one writer in at a time; here runs write at the same time, each in its own
  transaction. `admit_many` is one `INSERT … ON CONFLICT DO UPDATE … WHERE content changed`
  per record: a record another transaction is admitting waits for that transaction's end,
  then is seen as stored (a duplicate) or as changed, so the same (url, part, content) is
  never admitted twice. The rows a run admits stay invisible until its files are in place.
- A writer holds an advisory lock named after its run for the length of its transaction, so
  that a recovering worker can tell a live run's journal (lock taken) from a dead one's; a
  killed worker's connection closes and its lock and uncommitted rows go with it.

A database made before the refetch columns existed gains them (`ADD COLUMN IF NOT EXISTS`)
when a writer connects; read-only, it reads as if they were empty.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from urllib.parse import urlsplit, urlunsplit

import psycopg

from storage.errors import DamagedIndex
from storage.index_api import Admission, StoredRecord, Validators, since_texts

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
    PRIMARY KEY (url, part)
);
ALTER TABLE records ADD COLUMN IF NOT EXISTS published_at TEXT;
ALTER TABLE records ADD COLUMN IF NOT EXISTS etag TEXT;
ALTER TABLE records ADD COLUMN IF NOT EXISTS last_modified TEXT;
ALTER TABLE records ADD COLUMN IF NOT EXISTS deleted_at TEXT;
CREATE INDEX IF NOT EXISTS records_site ON records (site);
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY,
    started_at TEXT,
    finished_at TEXT NOT NULL,
    status TEXT NOT NULL,
    manifest TEXT
);
"""
_SCHEMA_LOCK = 0x676F766E  # "govn": serialises schema creation by workers starting together

_ADMIT = """
INSERT INTO records (url, part, site, content_sha256, revision, first_seen, last_seen, run_id,
    published_at)
VALUES (%s, %s, %s, %s, 1, %s, %s, %s, %s)
ON CONFLICT (url, part) DO UPDATE SET content_sha256 = EXCLUDED.content_sha256,
    revision = records.revision + 1, last_seen = EXCLUDED.last_seen, run_id = EXCLUDED.run_id,
    site = EXCLUDED.site, published_at = EXCLUDED.published_at, deleted_at = NULL
WHERE records.content_sha256 <> EXCLUDED.content_sha256 OR records.deleted_at IS NOT NULL
RETURNING revision
"""


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def run_lock_key(run_id: str) -> int:
    """The advisory lock key of a run (a signed 64-bit number)."""
    return int.from_bytes(hashlib.sha256(run_id.encode()).digest()[:8], "big", signed=True)


def without_password(url: str) -> str:
    """A server URL fit for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}@{host}" if parts.username else host
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit(parts._replace(netloc=netloc))


class PgIndex:
    """PostgreSQL index of stored records and committed runs (a `RecordIndex`)."""

    def __init__(self, url: str, *, readonly: bool = False, timeout: float = 30.0) -> None:
        self.url = url
        self.readonly = readonly
        self._lock = threading.RLock()
        self._depth = 0
        self._run_id: str | None = None
        self._refetch_columns: bool | None = None
        try:
            self._conn: psycopg.Connection | None = psycopg.connect(
                url, autocommit=True, connect_timeout=int(timeout))
        except psycopg.Error as error:
            raise ConnectionError(f"index {self.location}: cannot connect: {error}") from None
        if readonly:
            row = self._db().execute("SELECT to_regclass('runs')").fetchone()
            self._empty = row is None or row[0] is None
            return
        self._empty = False
        with self._db().transaction():
            self._db().execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
            self._db().execute(_SCHEMA)

    @property
    def location(self) -> str:
        return without_password(self.url)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> PgIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _db(self) -> psycopg.Connection:
        if self._conn is None:
            raise ValueError(f"index {self.location} is closed")
        return self._conn

    @contextmanager
    def transaction(self) -> Iterator[PgIndex]:
        """One database transaction; nested use joins the outer one."""
        if self.readonly:
            raise ValueError(f"index {self.location} is open read-only")
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self
                finally:
                    self._depth -= 1
                return
            db = self._db()
            db.execute("BEGIN")
            self._depth = 1
            try:
                yield self
            except BaseException:
                if not db.closed:
                    db.execute("ROLLBACK")
                raise
            else:
                db.execute("COMMIT")
            finally:
                self._depth = 0

    def hold_run(self, run_id: str) -> None:
        """Inside a transaction: mark `run_id` as live until the transaction ends."""
        with self.transaction():
            self._db().execute("SELECT pg_advisory_xact_lock(%s)", (run_lock_key(run_id),))

    def run_is_live(self, run_id: str) -> bool:
        """Whether another connection holds the run (its writer is alive). Inside a
        transaction, a run found dead stays held by this one until it ends, so that two
        workers never recover the same run at once."""
        with self._lock:
            row = self._db().execute("SELECT pg_try_advisory_xact_lock(%s)",
                                     (run_lock_key(run_id),)).fetchone()
        return not (row and row[0])

    def admit_many(self, records: Sequence[Admission], *, run_id: str | None = None,
                   seen_at: str | None = None) -> list[int | None]:
        """Per record, the revision to write, or None when it is stored with this content."""
        if not records:
            return []
        seen = seen_at or _now()
        # In key order (stable: a key's repeats keep theirs), so that two writers locking
        # overlapping batches take the row locks in the same order and do not deadlock.
        order = sorted(range(len(records)), key=lambda i: (records[i].url, records[i].part))
        revisions: list[int | None] = [None] * len(records)
        with self.transaction(), self._db().cursor() as cursor:
            cursor.executemany(_ADMIT, [(records[i].url, records[i].part, records[i].site,
                                         records[i].content_sha256, seen, seen, run_id,
                                         records[i].published_at)
                                        for i in order], returning=True)
            for i in order:
                row = cursor.fetchone()
                revisions[i] = int(row[0]) if row else None
                cursor.nextset()
            duplicates = [(seen, records[i].url, records[i].part) for i in order
                          if revisions[i] is None]
            if duplicates:
                cursor.executemany(
                    "UPDATE records SET last_seen = %s WHERE url = %s AND part = %s",
                    duplicates)
        return revisions

    def admit(self, url: str, site: str | None, content_sha256: str, *, part: int = 1,
              run_id: str | None = None, seen_at: str | None = None) -> int | None:
        """`admit_many` for one record."""
        (revision,) = self.admit_many([Admission(url, part, site, content_sha256)],
                                      run_id=run_id, seen_at=seen_at)
        return revision

    def restore(self, rows: Iterable[StoredRecord], *, run_id: str, seen_at: str) -> None:
        """Set rows exactly as given (completing an interrupted run)."""
        values = [(r.url, r.part, r.site, r.content_sha256, r.revision, seen_at, seen_at, run_id,
                   r.deleted_at) for r in rows]
        if not values:
            return
        with self.transaction(), self._db().cursor() as cursor:
            cursor.executemany(
                "INSERT INTO records (url, part, site, content_sha256, revision, first_seen,"
                " last_seen, run_id, deleted_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
                " ON CONFLICT (url, part) DO UPDATE SET site = EXCLUDED.site,"
                " content_sha256 = EXCLUDED.content_sha256, revision = EXCLUDED.revision,"
                " last_seen = EXCLUDED.last_seen, run_id = EXCLUDED.run_id,"
                " deleted_at = EXCLUDED.deleted_at", values)

    def check(self) -> None:
        """The tables are there (the server looks after its own integrity)."""
        if self._empty:
            return
        with self._lock:
            row = self._db().execute(
                "SELECT to_regclass('records') IS NOT NULL AND to_regclass('runs') IS NOT NULL"
            ).fetchone()
        if not (row and row[0]):
            raise DamagedIndex(f"index {self.location} is damaged (its tables are missing): "
                               "run `govnews reindex` to rebuild it")

    def merge(self, rows: Iterable[tuple[StoredRecord, str | None]], *, seen_at: str) -> int:
        """Add rows read back from stored partitions, keeping the highest revision of each
        (url, part); returns how many rows changed."""
        changed = 0
        with self.transaction(), self._db().cursor() as cursor:
            for r, run_id in rows:
                cursor.execute(
                    "INSERT INTO records (url, part, site, content_sha256, revision, first_seen,"
                    " last_seen, run_id, deleted_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
                    " ON CONFLICT (url, part) DO UPDATE SET site = EXCLUDED.site,"
                    " content_sha256 = EXCLUDED.content_sha256, revision = EXCLUDED.revision,"
                    " run_id = EXCLUDED.run_id, deleted_at = EXCLUDED.deleted_at"
                    " WHERE EXCLUDED.revision > records.revision",
                    (r.url, r.part, r.site, r.content_sha256, r.revision, seen_at, seen_at,
                     run_id, r.deleted_at))
                changed += max(cursor.rowcount, 0)
        return changed

    def run_ids(self) -> set[str]:
        if self._empty:
            return set()
        with self._lock:
            rows = self._db().execute("SELECT run_id FROM runs").fetchall()
        return {str(run_id) for (run_id,) in rows}

    def record_run(self, run_id: str, *, started_at: str | None, finished_at: str, status: str,
                   manifest: str) -> None:
        """Mark a run as committed, with its manifest as JSON text."""
        with self.transaction():
            self._db().execute(
                "INSERT INTO runs (run_id, started_at, finished_at, status, manifest)"
                " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (run_id) DO UPDATE SET"
                " started_at = EXCLUDED.started_at, finished_at = EXCLUDED.finished_at,"
                " status = EXCLUDED.status, manifest = EXCLUDED.manifest",
                (run_id, started_at, finished_at, status, manifest))

    def _one(self, query: str, params: tuple[object, ...]) -> tuple[object, ...] | None:
        if self._empty:
            return None
        with self._lock:
            row = self._db().execute(query, params).fetchone()
        return tuple(row) if row is not None else None

    def run_committed(self, run_id: str) -> bool:
        return self._one("SELECT 1 FROM runs WHERE run_id = %s", (run_id,)) is not None

    def run_manifest(self, run_id: str) -> str | None:
        row = self._one("SELECT manifest FROM runs WHERE run_id = %s", (run_id,))
        return str(row[0]) if row and row[0] is not None else None

    def is_stored(self, url: str) -> bool:
        return self._one("SELECT 1 FROM records WHERE url = %s LIMIT 1", (url,)) is not None

    def stored_urls(self, site: str) -> set[str]:
        if self._empty:
            return set()
        with self._lock:
            rows = self._db().execute(
                "SELECT DISTINCT url FROM records WHERE site = %s", (site,)).fetchall()
        return {str(url) for (url,) in rows}

    def _has_refetch_columns(self) -> bool:
        """Whether the records table has the refetch columns (an old database opened
        read-only may not)."""
        if self._refetch_columns is None:
            row = self._one("SELECT count(*) FROM information_schema.columns WHERE"
                            " table_name = 'records' AND table_schema = current_schema()"
                            " AND column_name = ANY(%s)",
                            (["published_at", "etag", "last_modified", "deleted_at"],))
            self._refetch_columns = row is not None and int(str(row[0])) == 4
        return self._refetch_columns

    def lookup(self, url: str, part: int = 1) -> StoredRecord | None:
        deleted = "deleted_at" if self._has_refetch_columns() else "NULL"
        row = self._one(f"SELECT url, part, site, content_sha256, revision, {deleted}"
                        " FROM records WHERE url = %s AND part = %s", (url, part))
        if row is None:
            return None
        url_, part_, site, sha, revision, deleted_at = row
        return StoredRecord(str(url_), int(str(part_)), None if site is None else str(site),
                            str(sha), int(str(revision)),
                            None if deleted_at is None else str(deleted_at))

    def recent_pages(self, site: str, since: datetime) -> dict[str, Validators]:
        """The URLs of a site's records published on or after `since` (first seen on or after
        it when the date is unknown), tombstoned ones included, with their validators."""
        if self._empty:
            return {}
        published, first_seen = since_texts(since)
        if not self._has_refetch_columns():
            query = "SELECT url, NULL, NULL FROM records WHERE site = %s AND first_seen >= %s"
            params: tuple[str, ...] = (site, first_seen)
        else:
            query = ("SELECT url, etag, last_modified FROM records WHERE site = %s AND"
                     " (published_at >= %s OR (published_at IS NULL AND first_seen >= %s))")
            params = (site, published, first_seen)
        with self._lock:
            rows = self._db().execute(query, params).fetchall()
        pages: dict[str, Validators] = {}
        for url, etag, last_modified in rows:
            known = pages.get(str(url))
            if known is None or known == Validators():
                pages[str(url)] = Validators(etag, last_modified)
        return pages

    def note_validators(self, pages: Sequence[tuple[str, Validators]]) -> None:
        """Keep the validators of fetched pages (on every stored part of each URL)."""
        if not pages:
            return
        with self.transaction(), self._db().cursor() as cursor:
            cursor.executemany(
                "UPDATE records SET etag = %s, last_modified = %s WHERE url = %s",
                [(found.etag, found.last_modified, url)
                 for url, found in sorted(pages, key=lambda page: page[0])])

    def tombstone(self, urls: Sequence[str], *, run_id: str, deleted_at: str
                  ) -> list[StoredRecord]:
        """Mark the stored records of `urls` deleted, each at its next revision; the rows
        changed (a URL already tombstoned, or never stored, changes nothing)."""
        changed: list[StoredRecord] = []
        with self.transaction(), self._db().cursor() as cursor:
            for url in sorted(set(urls)):  # key order: no deadlock with another writer
                cursor.execute(
                    "UPDATE records SET revision = revision + 1, deleted_at = %s,"
                    " last_seen = %s, run_id = %s, etag = NULL, last_modified = NULL"
                    " WHERE url = %s AND deleted_at IS NULL"
                    " RETURNING url, part, site, content_sha256, revision, deleted_at",
                    (deleted_at, deleted_at, run_id, url))
                rows = sorted(cursor.fetchall(), key=lambda row: int(row[1]))
                changed += [StoredRecord(str(u), int(p), None if s is None else str(s),
                                         str(sha), int(rev), str(at))
                            for u, p, s, sha, rev, at in rows]
        return changed

    def count(self, site: str | None = None) -> int:
        if site is None:
            row = self._one("SELECT count(*) FROM records", ())
        else:
            row = self._one("SELECT count(*) FROM records WHERE site = %s", (site,))
        return int(str(row[0])) if row else 0
