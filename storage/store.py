"""`Store`: writes one run's records and rejects under an output root, exactly once.

`write_run` holds the index's write transaction for the whole run:

1. finish or undo any run a killed process left behind (`recover`);
2. `admit` each record: duplicates are skipped, changed content gets the next revision;
3. write every file (partitions, rejects) completely under a hidden temp name;
4. write a journal next to the index naming the temp and final files, the index rows and the
   manifest; only now is the run decided;
5. rename the temp files into place and write the manifest;
6. record the run and COMMIT the index; then delete the journal.

A kill before step 4 leaves temp files that the next run deletes (their records were never
admitted, so they are fetched and written again). A kill after step 4 leaves a journal from
which the next run completes the renames and the index rows (roll forward). Either way every
line under a final name is in the index once, and no record is written twice.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from importlib import resources
from typing import Any

import orjson

from storage.fs import TEMP_SUFFIX, Root, write_local_atomic
from storage.index import Index, StoredRecord
from storage.jsonl import (
    Record,
    decode_lines,
    encode_lines,
    partition_date,
    partition_file,
    partition_site,
)
from storage.manifest import MANIFESTS_DIR, FileEntry, Manifest, SiteStats, manifest_file
from storage.rejects import encode_rejects, failure_key, normalise_reject, rejects_file
from storage.warc import RAW_DIR

INDEX_NAME = "_index.sqlite"
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_RUN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


class StorageError(Exception):
    """A storage configuration or usage error (bad root, reused run id)."""


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


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Store:
    """An output root (local path or fsspec URL) plus its SQLite index."""

    def __init__(self, root: str, index_path: str | None = None, *, compress: bool = False) -> None:
        self.root = Root.open(root)
        self.compress = compress
        self.index = Index(index_path or default_index_path(root))
        self.journal_dir = self.index.path + ".pending"
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
    ) -> Manifest:
        """Store a run: admit, write partitions and rejects atomically, write the manifest.

        `counts` carries what storage cannot see, per site: `pages_fetched`,
        `articles_extracted`, `skipped` (reason → count), `lists_fetched`, `article_links`
        and `health` (flags, see `storage.health`).
        """
        if not _RUN_ID.match(run_id):
            raise StorageError(f"bad run id {run_id!r}: use letters, digits, '-', '_' and '.'")
        with self.index.transaction():
            done_journals = self._recover_locked()
            if self.index.run_committed(run_id):
                raise StorageError(f"run {run_id} is already stored")
            manifest = self._write_run_locked(run_id, records, rejects, counts, started_at)
        for journal in [*done_journals, self._journal_path(run_id)]:
            self._remove_journal(journal)
        return manifest

    def _write_run_locked(
        self,
        run_id: str,
        records: Iterable[Mapping[str, Any]],
        rejects: Iterable[Mapping[str, Any]],
        counts: Mapping[str, Mapping[str, Any]] | None,
        started_at: str | None,
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
        groups: dict[str, list[Record]] = defaultdict(list)
        rows: list[StoredRecord] = []
        reject_lines = [normalise_reject(reject) for reject in rejects]
        for record in records:
            site = partition_site(dict(record))
            problem = self.record_problem(record)
            if problem is not None:
                reject_lines.append(
                    normalise_reject({"url": record.get("url"), "site": record.get("site"),
                                      "stage": "store", "reason": problem, "at": seen_at})
                )
                continue
            revision = self.index.admit(
                record["url"], record.get("site"), record["content_sha256"],
                part=record["part"], run_id=run_id, seen_at=seen_at,
            )
            if revision is None:
                stats[site].duplicates_skipped += 1
                continue
            line = dict(record)
            line["revision"] = revision
            path = partition_file(site, partition_date(line), run_id, compress=self.compress)
            groups[path].append(line)
            rows.append(StoredRecord(line["url"], line["part"], line.get("site"),
                                     line["content_sha256"], revision))
            stats[site].records_written += 1
        for reject in reject_lines:
            site_stats = stats[partition_site(reject)]
            key = failure_key(reject)
            site_stats.failures[key] = site_stats.failures.get(key, 0) + 1

        contents: list[tuple[str, str, bytes, int]] = []
        for path, lines in sorted(groups.items()):
            lines.sort(key=lambda line: (str(line["id"]), line["part"]))
            contents.append((path, "records", encode_lines(lines, compress=self.compress),
                             len(lines)))
        if reject_lines:
            contents.append((rejects_file(run_id), "rejects", encode_rejects(reject_lines),
                             len(reject_lines)))
        manifest = Manifest(
            run_id=run_id, root=self.root.url, started_at=started_at, finished_at=seen_at,
            sites=dict(stats),
            files=[FileEntry(path, kind, count, hashlib.sha256(data).hexdigest())
                   for path, kind, data, count in contents],
        )

        tag = f"{run_id}.{os.getpid()}"
        finals = [self.root.join(path) for path, _, _, _ in contents]
        temps = [self.root.temp_path(final, tag) for final in finals]
        self._write_journal(run_id, {"run_id": run_id, "phase": "prepare", "temps": temps})
        for final, (_, _, data, _) in zip(finals, contents, strict=True):
            self.root.write_temp(final, data, tag)
        self._write_journal(run_id, {
            "run_id": run_id,
            "phase": "commit",
            "files": [{"temp": temp, "final": final} for temp, final in zip(temps, finals,
                                                                           strict=True)],
            "rows": [[r.url, r.part, r.site, r.content_sha256, r.revision] for r in rows],
            "manifest": manifest.to_dict(),
        })
        self._finish(run_id, temps, finals, manifest, status="committed")
        return manifest

    def _finish(
        self, run_id: str, temps: list[str], finals: list[str], manifest: Manifest, status: str
    ) -> None:
        for temp, final in zip(temps, finals, strict=True):
            if self.root.exists(temp):
                self.root.publish(temp, final)
        manifest_json = manifest.to_json()
        self.root.write_atomic(self.root.join(manifest_file(run_id)), manifest_json,
                               f"{run_id}.{os.getpid()}")
        self.index.record_run(run_id, started_at=manifest.started_at,
                              finished_at=manifest.finished_at, status=status,
                              manifest=manifest_json.decode("utf-8"))

    def _journal_path(self, run_id: str) -> str:
        return os.path.join(self.journal_dir, f"{run_id}.json")

    def _write_journal(self, run_id: str, content: dict[str, Any]) -> None:
        os.makedirs(self.journal_dir, exist_ok=True)
        write_local_atomic(self._journal_path(run_id), orjson.dumps(content))

    def _remove_journal(self, path: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.remove(path)

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
                if self.index.run_committed(run_id):
                    handled.append(journal)
                    continue
                if content["phase"] == "prepare":
                    for temp in content["temps"]:
                        self.root.remove(temp)
                else:
                    rows = [StoredRecord(*row) for row in content["rows"]]
                    manifest = Manifest.from_dict(content["manifest"])
                    self.index.restore(rows, run_id=run_id, seen_at=manifest.finished_at)
                    files = content["files"]
                    self._finish(run_id, [f["temp"] for f in files], [f["final"] for f in files],
                                 manifest, status="recovered")
                handled.append(journal)
        self._remove_stale_temps()
        return handled

    def _remove_stale_temps(self) -> None:
        """Delete temp files of dead processes: WARC files of a killed fetch, a manifest or a
        journal being written when the process died. Temp names end in `.<pid>.tmp`."""
        temps = [os.path.join(self.journal_dir, name)
                 for name in (os.listdir(self.journal_dir) if os.path.isdir(self.journal_dir)
                              else [])
                 if name.endswith(TEMP_SUFFIX)]
        if self.root.is_local:
            temps += self.root.glob(f"{RAW_DIR}/site=*/.*{TEMP_SUFFIX}")
            temps += self.root.glob(f"{MANIFESTS_DIR}/.*{TEMP_SUFFIX}")
        for temp in temps:
            pid = temp.removesuffix(TEMP_SUFFIX).rsplit(".", 1)[-1]
            if pid.isdigit() and int(pid) != os.getpid() and not _pid_alive(int(pid)):
                os.remove(temp)

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
