"""One output root, many writers: the store over a shared index (PostgreSQL, and SQLite where
the same contract applies): concurrent runs, a killed writer recovered by another, and a live
run's journal left alone."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from collections import Counter
from pathlib import Path

import orjson
import pytest

from storage.store import SHARED_JOURNAL_DIR, StorageError, Store
from tests.conftest import ROOT
from tests.test_storage_scale import make_records


def stored_keys(root: Path) -> Counter[tuple[str, int, int]]:
    keys: Counter[tuple[str, int, int]] = Counter()
    for path in root.glob("site=*/date=*/part-*.jsonl"):
        for line in path.read_bytes().splitlines():
            record = orjson.loads(line)
            keys[(record["url"], record["part"], record["revision"])] += 1
    return keys


def test_runs_dedup_and_revise_through_either_index(tmp_path: Path, index_location: str) -> None:
    root = tmp_path / "out"
    with Store(str(root), index_location) as store:
        first = store.write_run("run-1", make_records(30))
        again = store.write_run("run-2", make_records(30))
        changed = store.write_run("run-3", make_records(10, edition="（更新）"))
        assert store.manifest("run-1") == first
        with pytest.raises(StorageError, match="already stored"):
            store.write_run("run-1", make_records(1))
    assert (first.records_written, again.duplicates_skipped, changed.records_written) == \
        (30, 30, 10)
    keys = stored_keys(root)
    assert set(keys.values()) == {1} and len(keys) == 40
    assert sorted(revision for _, _, revision in keys) == [1] * 30 + [2] * 10


def test_concurrent_runs_store_every_record_once(tmp_path: Path, index_location: str) -> None:
    """Three workers store overlapping record sets into one root at the same time."""
    root = tmp_path / "out"
    Store(str(root), index_location).close()
    records = make_records(90)
    errors: list[BaseException] = []

    def worker(number: int) -> None:
        try:
            with Store(str(root), index_location) as store:
                store.write_run(f"run-{number}", records[number * 20:number * 20 + 50])
        except BaseException as error:  # the test reports every worker's failure
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors
    keys = stored_keys(root)
    assert len(keys) == 90 and set(keys.values()) == {1}, "each record once, revision 1"
    with Store(str(root), index_location) as store:
        assert store.index.count() == 90
        assert sum(store.manifest(f"run-{n}").records_written for n in range(3)) == 90  # type: ignore[union-attr]


_KILLED_WORKER = textwrap.dedent("""
    import os, signal, sys
    import orjson
    from storage import fs, store

    point, root, index, records_path = sys.argv[1:5]
    calls = {"n": 0}

    def die(owner, name, nth, after):
        original = getattr(owner, name)
        def wrapped(*args, **kwargs):
            calls["n"] += 1
            if not after and calls["n"] >= nth:
                os.kill(os.getpid(), signal.SIGKILL)
            result = original(*args, **kwargs)
            if after and calls["n"] >= nth:
                os.kill(os.getpid(), signal.SIGKILL)
            return result
        setattr(owner, name, wrapped)

    if point == "while-writing-temps":
        die(fs.Root, "write_temp", 2, True)
    elif point == "between-renames":
        die(fs.Root, "publish", 4, True)
    elif point == "before-commit":
        die(store.Store, "_finish", 1, False)
    records = orjson.loads(open(records_path, "rb").read())
    store.Store(root, index).write_run("run-killed", records)
    print("not killed")
""")


@pytest.mark.parametrize("point", ["while-writing-temps", "between-renames", "before-commit"])
def test_a_killed_writer_is_completed_or_undone_by_another(
    tmp_path: Path, pg_database: str, point: str
) -> None:
    root = tmp_path / "out"
    records = make_records(30)
    records_path = tmp_path / "records.json"
    records_path.write_bytes(orjson.dumps(records))
    killed = subprocess.run(
        [sys.executable, "-c", _KILLED_WORKER, point, str(root), pg_database, str(records_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert killed.returncode == -9, killed.stdout + killed.stderr
    assert list((root / SHARED_JOURNAL_DIR).glob("run-killed*")), "it left its journal behind"
    with Store(str(root), pg_database) as other:  # another worker, another process
        other.write_run("run-again", records)
        rolled_forward = point != "while-writing-temps"
        assert other.index.run_committed("run-killed") == rolled_forward
        assert other.index.count() == 30
    keys = stored_keys(root)
    assert len(keys) == 30 and set(keys.values()) == {1}, "complete, once"
    assert not [p for p in root.rglob("*") if p.name.endswith(".tmp")]
    assert list((root / SHARED_JOURNAL_DIR).iterdir()) == []


def test_a_live_run_is_left_alone_by_another_workers_recovery(
    tmp_path: Path, pg_database: str
) -> None:
    root = tmp_path / "out"
    with Store(str(root), pg_database) as live, Store(str(root), pg_database) as other:
        with live.exclusive_run("run-live"):
            temp = root / "site=jiyuan" / "date=2024-03-01" / ".part-run-live.jsonl.1.tmp"
            temp.parent.mkdir(parents=True)
            temp.write_bytes(b"{}\n")
            live._write_journal("run-live", {"run_id": "run-live", "phase": "prepare",
                                             "temps": [str(temp)]})
            rows = root / SHARED_JOURNAL_DIR / "run-live.rows.jsonl"
            rows.write_bytes(b"")
            assert other.recover() == []
            assert temp.exists() and rows.exists(), "a live run's files are not touched"
        temp.unlink()
        assert other.recover() == [], "the finished run removed its own journal"


def test_a_server_index_needs_a_local_root(pg_database: str) -> None:
    with pytest.raises(StorageError, match="journals"):
        Store("memory://govnews-shared/out", pg_database)
