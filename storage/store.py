"""`Store`: writes one run's records and rejects under an output root, exactly once.

`write_run` holds the index's write transaction for the whole run:

1. finish or undo any run a killed process left behind (`recover`);
2. `admit` the records in bounded batches as they stream in: duplicates are skipped, changed
   content gets the next revision; lines wait in `storage.batch.RunFiles` (bounded memory,
   spilled to local disk) and the admitted index rows go to a rows file beside the journal;
   then the pages the fetch found gone get their tombstone lines (`storage.jsonl`) and the
   fetched pages' validators go into the index;
3. write every file (partitions, rejects) completely under a hidden temp name, then fsync
   them all, several at a time (the file system commits concurrent fsyncs together);
4. write a journal next to the index naming the temp and final files, the rows file and the
   manifest; only now is the run decided;
5. rename the temp files into place (each directory fsynced once) and write the manifest;
6. record the run and COMMIT the index; then delete the journal.

A run's memory does not grow with its size: records are iterated once, never held as a list.
Durability costs one fsync per file written and one per directory renamed into, plus the
journal's and the manifest's; a run of many files (`storage.fs.SYNCFS_FROM`) makes its files,
then its renames, durable with one `syncfs` each instead (Linux). The "prepare" journal, which
only lists temp files to delete, is not fsynced (losing it leaves temp files behind, never a
wrong result).

A kill before step 4 leaves temp files that the next run deletes (their records were never
admitted, so the next run writes them again). A kill after step 4 leaves a journal from
which the next run completes the renames and the index rows (roll forward). Either way every
line under a final name is in the index once, and no record is written twice.

`check_output` runs before a crawl fetches anything: the root and the index's directory are
writable, the index passes SQLite's integrity check, and an index that lost runs the root holds
(deleted, emptied, restored from an old copy) is rebuilt from the partitions and manifests
(`reindex`) before any record is admitted. Deleting stale temp files is best-effort: a temp
that cannot be removed is logged and never stops a commit.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import logging
import os
import posixpath
import re
import secrets
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from typing import IO, Any, TypeVar

import orjson

from storage.batch import DEFAULT_LIMIT_BYTES, RunFiles
from storage.errors import DamagedIndex, StorageError
from storage.fs import TEMP_SUFFIX, Root, process_tag, write_local_atomic, writer_died
from storage.index import Index
from storage.index_api import (
    Admission,
    RecordIndex,
    StoredRecord,
    Validators,
    is_server_index,
    open_index,
)
from storage.jsonl import (
    Record,
    decode_lines,
    is_site_name,
    partition_date,
    partition_file,
    partition_site,
    tombstone_line,
)
from storage.manifest import MANIFESTS_DIR, FileEntry, Manifest, SiteStats, manifest_file
from storage.rejects import failure_key, normalise_reject, rejects_file

INDEX_NAME = "_index.sqlite"
ROWS_SUFFIX = ".rows.jsonl"
SHARED_JOURNAL_DIR = "_pending"
"""Where runs keep their journals when the index is a server shared by many workers."""
ADMIT_BATCH = 500
"""Records admitted per call to the index: a bounded batch, one round trip for a server."""
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_RUN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_PART_RUN = re.compile(r"^part-(?P<run>.+?)\.jsonl(?:\.gz)?$")
_log = logging.getLogger(__name__)
T = TypeVar("T")

__all__ = ["StorageError", "Store", "check_output", "default_index_path", "new_run_id"]


def new_run_id() -> str:
    """A run id that sorts by start time: `20240501T080000Z-1a2b3c`."""
    return f"{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}-{secrets.token_hex(3)}"


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def required_fields() -> list[str]:
    """The required record fields, read from `storage/schema.json`."""
    schema = json.loads(resources.files("storage").joinpath("schema.json").read_text("utf-8"))
    return list(schema["required"])


def default_index_path(root: str) -> str:
    """The index of a local output root: `<root>/_index.sqlite`."""
    store_root = Root.open(root)
    if not store_root.is_local:
        raise StorageError(
            f"output root {root} is not a local directory: give the index path explicitly"
        )
    return os.path.join(store_root.path, INDEX_NAME)


def _probe_writable(root: Root, directory: str, what: str) -> None:
    """Write and delete a small file in `directory` of `root`; `StorageError` naming the path
    when that fails (read-only file system, no permission, full disk)."""
    probe = posixpath.join(directory, f".govnews-probe.{process_tag()}{TEMP_SUFFIX}")
    try:
        if root.is_local:
            os.makedirs(directory, exist_ok=True)
            with open(probe, "wb") as handle:
                handle.write(b"govnews write probe\n")
                handle.flush()
                os.fsync(handle.fileno())
            os.remove(probe)
        else:
            root.fs.makedirs(directory, exist_ok=True)
            root.fs.pipe_file(probe, b"govnews write probe\n")
            root.fs.rm_file(probe)
    except OSError as error:
        raise StorageError(f"{what} {directory} is not writable: "
                           f"{error.strerror or error}") from None


def check_output(root: str, index_path: str | None = None) -> list[str]:
    """Check an output root before any fetch; return notes on what was repaired.

    Raises `StorageError` (one line naming the path) when the root or the index's directory
    cannot be written or the index is damaged. Finishes runs a killed process left behind and
    rebuilds an index that lost runs the root holds (see `Store.lost_runs`)."""
    store_root = Root.open(root)
    index = index_path or default_index_path(root)
    _probe_writable(store_root, store_root.path, "output root")
    if not is_server_index(index):
        index = os.path.abspath(index)
        _probe_writable(Root.open(os.path.dirname(index)), os.path.dirname(index),
                        "index directory")
    notes: list[str] = []
    with Store(root, index) as store:
        store.index.check()
        recovered = store.recover()
        if recovered:
            notes.append(f"finished interrupted runs: {', '.join(recovered)}")
        lost = store.lost_runs()
        if lost:
            report = store.reindex()
            notes.append(f"index {store.index.location} did not know {len(lost)} stored runs: "
                         f"rebuilt it from {report.summary()}")
    return notes


def set_aside_damaged(index_path: str) -> str | None:
    """Move a damaged index file (and its WAL files) aside as `<index>.damaged-<time>`, so that
    `Store.reindex` can rebuild it; the new name, or None when the index is sound or absent."""
    path = os.path.abspath(index_path)
    if not os.path.exists(path):
        return None
    try:
        with Index(path) as index:
            index.check()
        return None
    except DamagedIndex:
        pass
    moved = f"{path}.damaged-{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}"
    os.replace(path, moved)
    for suffix in ("-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.replace(path + suffix, moved + suffix)
    return moved


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _stored_row(line: Mapping[str, Any]) -> StoredRecord | None:
    """The index row a stored partition line stands for (None for a line that is no record)."""
    url, part, sha, revision = (line.get(key) for key in
                                ("url", "part", "content_sha256", "revision"))
    if not (isinstance(url, str) and isinstance(part, int) and isinstance(sha, str)
            and isinstance(revision, int)):
        return None
    site, deleted_at = line.get("site"), line.get("deleted_at")
    return StoredRecord(url, part, site if isinstance(site, str) else None, sha, revision,
                        deleted_at if isinstance(deleted_at, str) else None)


@dataclass
class Reindexed:
    """What `Store.reindex` read and restored."""

    files: int = 0
    records: int = 0
    rows_changed: int = 0
    runs: int = 0
    unreadable: list[str] = field(default_factory=list)

    def summary(self) -> str:
        line = (f"{self.records} records from {self.files} partition files, {self.runs} runs "
                f"from manifests ({self.rows_changed} index rows added or raised)")
        if self.unreadable:
            line += f"; {len(self.unreadable)} unreadable files: {'; '.join(self.unreadable)}"
        return line


class Store:
    """An output root (local path or fsspec URL) plus its index (SQLite file or PostgreSQL)."""

    def __init__(self, root: str, index_path: str | None = None, *, compress: bool = False,
                 batch_bytes: int = DEFAULT_LIMIT_BYTES) -> None:
        self.root = Root.open(root)
        self.compress = compress
        self.batch_bytes = batch_bytes
        location = index_path or default_index_path(root)
        if is_server_index(location):
            if not self.root.is_local:
                raise StorageError(f"output root {root} is not a local (or mounted) directory:"
                                   " a PostgreSQL index keeps its run journals in the root")
            self.journal_dir = os.path.join(self.root.path, SHARED_JOURNAL_DIR)
        else:
            self.journal_dir = os.path.abspath(location) + ".pending"
        self.index: RecordIndex = open_index(location)
        self._required = required_fields()

    def close(self) -> None:
        self.index.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def record_problem(self, record: Mapping[str, Any]) -> str | None:
        """Why a record cannot be stored, or None when it can."""
        missing = [key for key in self._required if key not in record]
        if missing:
            return f"record misses {', '.join(missing)}"
        if not isinstance(record["url"], str) or not record["url"]:
            return "record has no url"
        if not isinstance(record["content_sha256"], str) or not _SHA256.match(
            record["content_sha256"]
        ):
            return "record has no valid content_sha256"
        if not isinstance(record["part"], int) or record["part"] < 1:
            return "record has no valid part"
        if record.get("site") is not None and not is_site_name(record["site"]):
            return "site is not a registry name (lower-case letters, digits and '_')"
        try:
            partition_date(dict(record))
            orjson.dumps(record)
        except (ValueError, TypeError) as error:
            return f"record cannot be written: {error}"
        return None

    def write_run(
        self,
        run_id: str,
        records: Iterable[Mapping[str, Any]],
        rejects: Iterable[Mapping[str, Any]] = (),
        *,
        counts: Mapping[str, Mapping[str, Any]] | None = None,
        started_at: str | None = None,
        pages: Iterable[Mapping[str, Any]] = (),
    ) -> Manifest:
        """Store a run: admit, write partitions and rejects atomically, write the manifest.

        `counts` carries what storage cannot see, per site: `pages_fetched`,
        `articles_extracted`, `skipped` (reason → count), `lists_fetched`, `article_links`
        and `health` (flags, see `storage.health`). `pages` are what the fetch learned about
        article pages: `{url, site, etag, last_modified}` for a page fetched (its validators,
        kept for the next conditional request), `{url, site, deleted_at}` for a stored page
        that answered 404 or 410 (its records get tombstones, once).
        """
        with self.exclusive_run(run_id):
            return self._write_run_locked(run_id, records, rejects, counts, started_at, pages)

    @contextlib.contextmanager
    def exclusive_run(self, run_id: str) -> Iterator[None]:
        """Hold the index's write transaction for a new run: left-over runs are recovered first;
        the journals go once the transaction has committed."""
        if not _RUN_ID.match(run_id):
            raise StorageError(f"bad run id {run_id!r}: use letters, digits, '-', '_' and '.'")
        with self.index.transaction():
            done_journals = self._recover_locked()
            if self.lost_runs():  # never admit a record against an index that forgot runs
                report = self._reindex_locked()
                _log.warning("index %s did not know runs under %s: rebuilt it from %s",
                             self.index.location, self.root.url, report.summary())
            if self.index.run_committed(run_id):
                raise StorageError(f"run {run_id} is already stored")
            self.index.hold_run(run_id)
            os.makedirs(self.journal_dir, exist_ok=True)
            yield
        for journal in [*done_journals, self._journal_path(run_id)]:
            self._remove_journal(journal)

    def _write_run_locked(
        self,
        run_id: str,
        records: Iterable[Mapping[str, Any]],
        rejects: Iterable[Mapping[str, Any]],
        counts: Mapping[str, Mapping[str, Any]] | None,
        started_at: str | None,
        pages: Iterable[Mapping[str, Any]] = (),
    ) -> Manifest:
        seen_at = _now()
        stats: dict[str, SiteStats] = defaultdict(SiteStats)
        for site, site_counts in (counts or {}).items():
            stats[site].pages_fetched = int(site_counts.get("pages_fetched", 0))
            stats[site].articles_extracted = int(site_counts.get("articles_extracted", 0))
            stats[site].skipped = {str(reason): int(count) for reason, count
                                   in dict(site_counts.get("skipped") or {}).items()}
            stats[site].lists_fetched = int(site_counts.get("lists_fetched", 0))
            stats[site].article_links = int(site_counts.get("article_links", 0))
            stats[site].health = [dict(flag) for flag in site_counts.get("health") or []]
            if site_counts.get("site_failure"):
                stats[site].site_failure = str(site_counts["site_failure"])
        with RunFiles(compress=self.compress, limit_bytes=self.batch_bytes) as files, \
                open(self._rows_path(run_id), "wb") as rows:

            def reject(line: Mapping[str, Any]) -> None:
                line = normalise_reject(line)
                files.add(rejects_file(run_id), line, kind="rejects")
                site_stats = stats[partition_site(line)]
                key = failure_key(line)
                site_stats.failures[key] = site_stats.failures.get(key, 0) + 1

            for line in rejects:
                reject(line)
            for batch in _batches(records, ADMIT_BATCH):
                admissible = []
                for record in batch:
                    problem = self.record_problem(record)
                    if problem is None:
                        admissible.append(record)
                    else:
                        reject({"url": record.get("url"), "site": record.get("site"),
                                "stage": "store", "reason": problem, "at": seen_at})
                revisions = self.index.admit_many(
                    [Admission(r["url"], r["part"], r.get("site"), r["content_sha256"],
                               r.get("published_at")) for r in admissible],
                    run_id=run_id, seen_at=seen_at)
                for record, revision in zip(admissible, revisions, strict=True):
                    site = partition_site(dict(record))
                    if revision is None:
                        stats[site].duplicates_skipped += 1
                        continue
                    line = dict(record)
                    line["revision"] = revision
                    files.add(partition_file(site, partition_date(line), run_id,
                                             compress=self.compress), line)
                    rows.write(orjson.dumps([line["url"], line["part"], line.get("site"),
                                             line["content_sha256"], revision],
                                            option=orjson.OPT_APPEND_NEWLINE))
                    stats[site].records_written += 1
            for batch in _batches(pages, ADMIT_BATCH):
                self._note_pages(run_id, batch, files, rows, stats)
            return self.commit_files(run_id, files, stats, rows=rows, started_at=started_at,
                                     finished_at=seen_at)

    def _note_pages(self, run_id: str, pages: list[Mapping[str, Any]], files: RunFiles,
                    rows: IO[bytes], stats: dict[str, SiteStats]) -> None:
        """Tombstones for the pages found gone, validators for the pages fetched."""
        validators = []
        for page in pages:
            if not page.get("deleted_at"):
                validators.append((str(page["url"]), Validators(page.get("etag"),
                                                               page.get("last_modified"))))
                continue
            deleted = self.index.tombstone([str(page["url"])], run_id=run_id,
                                           deleted_at=str(page["deleted_at"]))
            for row in deleted:
                line = tombstone_line(row.url, row.part, len(deleted), row.site,
                                      row.content_sha256, row.revision, str(page["deleted_at"]))
                site = partition_site(line)
                files.add(partition_file(site, partition_date(line), run_id,
                                         compress=self.compress), line)
                rows.write(orjson.dumps([row.url, row.part, row.site, row.content_sha256,
                                         row.revision, row.deleted_at],
                                        option=orjson.OPT_APPEND_NEWLINE))
                stats[site].tombstones_written += 1
        self.index.note_validators(validators)

    def commit_files(self, run_id: str, files: RunFiles, stats: Mapping[str, SiteStats], *,
                     rows: IO[bytes] | None = None, replaced: Sequence[str] = (),
                     started_at: str | None = None, finished_at: str | None = None) -> Manifest:
        """Inside `exclusive_run`: steps 3 to 6 of the protocol for the files `files` holds
        and the index rows written to `rows`; `replaced` (paths under the root) are deleted
        once the new files are in place (a compaction)."""
        seen_at = finished_at or _now()
        if rows is None:
            with open(self._rows_path(run_id), "wb") as no_rows:
                return self.commit_files(run_id, files, stats, rows=no_rows, replaced=replaced,
                                         started_at=started_at, finished_at=seen_at)
        tag = f"{run_id}.{process_tag()}"
        finals = [self.root.join(path) for path in files.paths]
        temps = [self.root.temp_path(final, tag) for final in finals]
        # Not made durable: if it is lost, its temp files are left over, never wrong.
        self._write_journal(run_id, {"run_id": run_id, "phase": "prepare", "temps": temps},
                            durable=False)
        entries: list[FileEntry] = []
        try:
            for final, built in zip(finals, files.files(), strict=True):
                self.root.write_temp(final, built.data, tag, durable=False)
                entries.append(FileEntry(built.path, built.kind, built.lines,
                                         hashlib.sha256(built.data).hexdigest()))
            self.root.sync_all(temps)  # every file durable before the journal decides the run
            rows.flush()
            os.fsync(rows.fileno())  # its name is made durable with the journal's, below
        except BaseException:  # a full disk, a kill signal: the run is undone, nothing is final
            for temp in temps:
                self._remove_best_effort(temp, self.root.remove)
            self._remove_best_effort(self._journal_path(run_id), os.remove)
            raise
        manifest = Manifest(run_id=run_id, root=self.root.url, started_at=started_at,
                            finished_at=seen_at, sites=dict(stats), files=entries,
                            replaced=list(replaced))
        self._write_journal(run_id, {
            "run_id": run_id,
            "phase": "commit",
            "files": [{"temp": temp, "final": final} for temp, final in zip(temps, finals,
                                                                           strict=True)],
            "manifest": manifest.to_dict(),
        })
        self._finish(run_id, temps, finals, manifest, status="committed")
        return manifest

    def _finish(
        self, run_id: str, temps: list[str], finals: list[str], manifest: Manifest, status: str
    ) -> None:
        directories = set()
        for temp, final in zip(temps, finals, strict=True):
            if self.root.exists(temp):
                self.root.publish(temp, final, sync=False)
                directories.add(posixpath.dirname(final))
        for path in manifest.replaced:  # only after every new file is in place
            full = self.root.join(path)
            if self.root.exists(full):
                self.root.remove(full)
                directories.add(posixpath.dirname(full))
        self.root.sync_all(sorted(directories))  # once per directory, not once per file
        manifest_json = manifest.to_json()
        self.root.write_atomic(self.root.join(manifest_file(run_id)), manifest_json,
                               f"{run_id}.{process_tag()}")
        self.index.record_run(run_id, started_at=manifest.started_at,
                              finished_at=manifest.finished_at, status=status,
                              manifest=manifest_json.decode("utf-8"))

    def _journal_path(self, run_id: str) -> str:
        return os.path.join(self.journal_dir, f"{run_id}.json")

    def _rows_path(self, run_id: str) -> str:
        """The index rows a run admitted, one JSON array a line, beside its journal."""
        return os.path.join(self.journal_dir, f"{run_id}{ROWS_SUFFIX}")

    def _write_journal(self, run_id: str, content: dict[str, Any], *,
                       durable: bool = True) -> None:
        os.makedirs(self.journal_dir, exist_ok=True)
        write_local_atomic(self._journal_path(run_id), orjson.dumps(content), durable=durable)

    def _remove_journal(self, path: str) -> None:
        for name in (path, path.removesuffix(".json") + ROWS_SUFFIX):
            with contextlib.suppress(FileNotFoundError):
                os.remove(name)

    def _journal_rows(self, run_id: str) -> Iterator[StoredRecord]:
        with open(self._rows_path(run_id), "rb") as handle:
            for line in handle:
                yield StoredRecord(*orjson.loads(line))

    def recover(self) -> list[str]:
        """Finish or undo runs a killed process left behind; the run ids it dealt with."""
        with self.index.transaction():
            journals = self._recover_locked()
        for journal in journals:
            self._remove_journal(journal)
        return [os.path.basename(journal).removesuffix(".json") for journal in journals]

    def _recover_locked(self) -> list[str]:
        """Under the write lock: roll every journal forward or back; stale WARC temps go too."""
        handled: list[str] = []
        if os.path.isdir(self.journal_dir):
            for name in sorted(os.listdir(self.journal_dir)):
                if not name.endswith(".json"):
                    continue
                journal = os.path.join(self.journal_dir, name)
                with open(journal, "rb") as handle:
                    content = orjson.loads(handle.read())
                run_id = content["run_id"]
                if self.index.run_is_live(run_id):  # another worker is writing it right now
                    continue
                if self.index.run_committed(run_id):
                    handled.append(journal)
                    continue
                if content["phase"] == "prepare":
                    for temp in content["temps"]:
                        self._remove_best_effort(temp, self.root.remove)
                else:
                    manifest = Manifest.from_dict(content["manifest"])
                    for rows in _batches(self._journal_rows(run_id), ADMIT_BATCH):
                        self.index.restore(rows, run_id=run_id, seen_at=manifest.finished_at)
                    files = content["files"]
                    self._finish(run_id, [f["temp"] for f in files], [f["final"] for f in files],
                                 manifest, status="recovered")
                handled.append(journal)
            for name in os.listdir(self.journal_dir):  # rows of a run killed before its journal
                run_id = name.removesuffix(ROWS_SUFFIX)
                journal = os.path.join(self.journal_dir, f"{run_id}.json")
                if (name.endswith(ROWS_SUFFIX) and not os.path.exists(journal)
                        and not self.index.run_is_live(run_id)):
                    with contextlib.suppress(FileNotFoundError):
                        os.remove(os.path.join(self.journal_dir, name))
        self._remove_stale_temps()
        return handled

    def _remove_stale_temps(self) -> None:
        """Delete temp files of dead processes: a manifest or a journal being written when the
        process died. Temp names end in `.<pid>@<host>.tmp` (`storage.fs.process_tag`); another
        machine's are left to that machine. The WARC file of a killed fetch stays:
        the site's next fetch resumes from it (`storage.warc.unfinished_captures`)."""
        temps = [os.path.join(self.journal_dir, name)
                 for name in (os.listdir(self.journal_dir) if os.path.isdir(self.journal_dir)
                              else [])
                 if name.endswith(TEMP_SUFFIX)]
        if self.root.is_local:
            temps += self.root.glob(f"{MANIFESTS_DIR}/.*{TEMP_SUFFIX}")
        for temp in temps:
            if writer_died(temp.removesuffix(TEMP_SUFFIX).rsplit(".", 1)[-1]):
                self._remove_best_effort(temp, os.remove)

    @staticmethod
    def _remove_best_effort(path: str, remove: Any) -> None:
        """Delete a leftover temp file; one that cannot be deleted is logged and left."""
        try:
            remove(path)
        except FileNotFoundError:
            pass
        except OSError as error:
            _log.warning("cannot remove the stale temp file %s: %s (left in place)", path,
                         error.strerror or error)

    def lost_runs(self) -> list[str]:
        """Runs the root holds that the index does not know (a deleted, emptied or old index):
        manifests of runs it never committed, or partitions while it knows no run at all."""
        known = self.index.run_ids()
        on_disk = [posixpath.basename(path).removesuffix(".json")
                   for path in self.root.glob(f"{MANIFESTS_DIR}/*.json")]
        lost = sorted(set(on_disk) - known)
        if not lost and not known and self.part_files():
            lost = ["(partitions without manifests)"]
        return lost

    def reindex(self) -> Reindexed:
        """Rebuild the index from the partitions and manifests under the root: every stored
        (url, part) at its highest revision, every manifest's run as committed. Safe to repeat;
        rows the index already holds at a higher revision are kept."""
        with self.index.transaction():
            journals = self._recover_locked()
            report = self._reindex_locked()
        for journal in journals:
            self._remove_journal(journal)
        return report

    def _reindex_locked(self) -> Reindexed:
        report = Reindexed()
        newest: dict[tuple[str, int], tuple[StoredRecord, str | None]] = {}
        for path in self.part_files():
            match = _PART_RUN.match(posixpath.basename(path))
            run_id = match["run"] if match else None
            try:
                lines = list(decode_lines(self.root.read_bytes(self.root.join(path))))
            except (OSError, ValueError, EOFError) as error:
                report.unreadable.append(f"{path}: {error}")
                continue
            report.files += 1
            for line in lines:
                row = _stored_row(line)
                if row is None:
                    continue
                known = newest.get((row.url, row.part))
                if known is None or row.revision > known[0].revision:
                    newest[(row.url, row.part)] = (row, run_id)
        report.records = len(newest)
        report.rows_changed = self.index.merge(newest.values(), seen_at=_now())
        known_runs = self.index.run_ids()
        for path in self.root.glob(f"{MANIFESTS_DIR}/*.json"):
            try:
                manifest = Manifest.from_json(self.root.read_bytes(path))
            except (OSError, ValueError, KeyError, TypeError) as error:
                report.unreadable.append(f"{self.root.relative(path)}: {error}")
                continue
            if manifest.run_id not in known_runs:
                self.index.record_run(manifest.run_id, started_at=manifest.started_at,
                                      finished_at=manifest.finished_at, status="reindexed",
                                      manifest=manifest.to_json().decode("utf-8"))
                report.runs += 1
        return report

    def manifest(self, run_id: str) -> Manifest | None:
        """The manifest of a committed run."""
        text = self.index.run_manifest(run_id)
        return Manifest.from_json(text) if text else None

    def part_files(self, site: str | None = None) -> list[str]:
        """The complete partition files (relative paths), optionally of one site."""
        site_glob = f"site={site}" if site else "site=*"
        found = self.root.glob(f"{site_glob}/date=*/part-*.jsonl")
        found += self.root.glob(f"{site_glob}/date=*/part-*.jsonl.gz")
        return sorted(self.root.relative(path) for path in found)

    def iter_records(self, site: str | None = None) -> Iterator[Record]:
        """Every stored record line, file by file."""
        for path in self.part_files(site):
            yield from decode_lines(self.root.read_bytes(self.root.join(path)))
