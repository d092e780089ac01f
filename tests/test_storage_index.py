"""The index contract, run against both backends (SQLite, PostgreSQL): admit decides duplicates
and revisions, transactions are all-or-nothing, runs are recorded, and concurrent writers never
admit the same (url, part, content) twice."""

from __future__ import annotations

import threading
from collections import Counter

import pytest

from storage.index_api import Admission, StoredRecord, open_index

SHA_A = "a" * 64
SHA_B = "b" * 64


def test_admit_new_duplicate_and_changed(index_location: str) -> None:
    index = open_index(index_location)
    try:
        def admit(url: str, sha: str, part: int = 1) -> int | None:
            (revision,) = index.admit_many([Admission(url, part, "jiyuan", sha)])
            return revision

        assert admit("http://x/1", SHA_A) == 1
        assert admit("http://x/1", SHA_A) is None
        assert admit("http://x/1", SHA_B) == 2
        assert admit("http://x/1", SHA_A) == 3
        assert admit("http://x/1", SHA_A, part=2) == 1
        assert index.is_stored("http://x/1")
        assert not index.is_stored("http://x/2")
        assert index.stored_urls("jiyuan") == {"http://x/1"}
        assert index.stored_urls("mengjin") == set()
        stored = index.lookup("http://x/1")
        assert stored is not None and stored.revision == 3 and stored.content_sha256 == SHA_A
        assert index.lookup("http://x/9") is None
        assert index.count() == 2 and index.count("jiyuan") == 2 and index.count("x") == 0
    finally:
        index.close()


def test_a_batch_sees_its_own_earlier_records(index_location: str) -> None:
    index = open_index(index_location)
    try:
        batch = [Admission("http://x/1", 1, "s", SHA_A), Admission("http://x/1", 1, "s", SHA_A),
                 Admission("http://x/1", 1, "s", SHA_B), Admission("http://x/2", 1, "s", SHA_A)]
        assert index.admit_many(batch, run_id="r1") == [1, None, 2, 1]
        assert index.admit_many([]) == []
    finally:
        index.close()


def test_failed_transaction_rolls_back(index_location: str) -> None:
    index = open_index(index_location)
    try:
        with pytest.raises(RuntimeError), index.transaction():
            assert index.admit_many([Admission("http://x/1", 1, "s", SHA_A)]) == [1]
            index.record_run("r1", started_at=None, finished_at="2024-03-10T00:00:00+00:00",
                             status="committed", manifest="{}")
            raise RuntimeError("files could not be written")
        assert not index.is_stored("http://x/1")
        assert not index.run_committed("r1")
        assert index.admit_many([Admission("http://x/1", 1, "s", SHA_A)]) == [1]
    finally:
        index.close()


def test_runs_and_restore(index_location: str) -> None:
    index = open_index(index_location)
    try:
        with index.transaction():
            index.restore([StoredRecord("http://x/1", 1, "s", SHA_B, 4)], run_id="r1",
                          seen_at="2024-03-10T00:00:00+00:00")
            index.record_run("r1", started_at="2024-03-09T23:00:00+00:00",
                             finished_at="2024-03-10T00:00:00+00:00", status="recovered",
                             manifest='{"run_id": "r1"}')
        assert index.lookup("http://x/1") == StoredRecord("http://x/1", 1, "s", SHA_B, 4)
        assert index.run_committed("r1") and not index.run_committed("r2")
        assert index.run_manifest("r1") == '{"run_id": "r1"}'
        assert index.run_manifest("r2") is None
        assert index.admit_many([Admission("http://x/1", 1, "s", SHA_A)]) == [5]
        assert not index.run_is_live("r1"), "nobody holds a committed run"
    finally:
        index.close()


def test_reader_sees_only_committed_rows(index_location: str) -> None:
    empty = open_index(index_location, readonly=True)
    assert not empty.is_stored("http://x/1"), "a missing index is empty"
    assert empty.stored_urls("s") == set() and empty.count() == 0
    empty.close()
    writer = open_index(index_location)
    reader = open_index(index_location, readonly=True)
    try:
        with writer.transaction():
            writer.admit_many([Admission("http://x/1", 1, "s", SHA_A)])
            assert not reader.is_stored("http://x/1")
        assert reader.is_stored("http://x/1")
        assert reader.stored_urls("s") == {"http://x/1"}
        with pytest.raises(ValueError, match="read-only"), reader.transaction():
            pass
    finally:
        reader.close()
        writer.close()


def test_concurrent_writers_never_admit_the_same_content_twice(index_location: str) -> None:
    """Four writers, each in its own connection and transaction, admit the same 60 records in
    different orders at the same time: first with one content, then all with a new one."""
    open_index(index_location).close()  # the schema exists before the writers race
    keys = [(f"http://x/{n % 30}", 1 + n // 30) for n in range(60)]
    admitted: Counter[tuple[str, int, str]] = Counter()
    errors: list[BaseException] = []
    start = threading.Barrier(4)
    guard = threading.Lock()

    def writer(number: int) -> None:
        index = open_index(index_location)
        try:
            order = keys[number * 15:] + keys[:number * 15]
            for sha in (SHA_A, SHA_B):  # every writer sends A, then every writer sends B
                start.wait()
                with index.transaction():
                    batch = [Admission(url, part, "s", sha) for url, part in order]
                    revisions = index.admit_many(batch, run_id=f"w{number}")
                with guard:
                    for (url, part), revision in zip(order, revisions, strict=True):
                        if revision is not None:
                            admitted[(url, part, sha)] += 1
        except BaseException as error:  # the test reports every writer's failure
            errors.append(error)
        finally:
            index.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors
    assert set(admitted.values()) == {1}, "every (url, part, content) admitted exactly once"
    assert len(admitted) == 120
    index = open_index(index_location)
    try:
        assert index.count() == 60
        assert {index.lookup(url, part).revision for url, part in keys} == {2}  # type: ignore[union-attr]
    finally:
        index.close()
