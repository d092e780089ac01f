"""The SQLite index: admit decides duplicates and revisions, transactions are all-or-nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage.index import Index

SHA_A = "a" * 64
SHA_B = "b" * 64


def test_admit_new_duplicate_and_changed(tmp_path: Path) -> None:
    with Index(str(tmp_path / "i.sqlite")) as index:
        assert index.admit("http://x/1", "jiyuan", SHA_A) == 1
        assert index.admit("http://x/1", "jiyuan", SHA_A) is None
        assert index.admit("http://x/1", "jiyuan", SHA_B) == 2
        assert index.admit("http://x/1", "jiyuan", SHA_A) == 3
        assert index.admit("http://x/1", "jiyuan", SHA_A, part=2) == 1
        assert index.is_stored("http://x/1")
        assert not index.is_stored("http://x/2")
        assert index.stored_urls("jiyuan") == {"http://x/1"}
        assert index.stored_urls("mengjin") == set()
        stored = index.lookup("http://x/1")
        assert stored is not None and stored.revision == 3 and stored.content_sha256 == SHA_A
        assert index.count() == 2 and index.count("jiyuan") == 2


def test_failed_transaction_rolls_back(tmp_path: Path) -> None:
    with Index(str(tmp_path / "i.sqlite")) as index:
        with pytest.raises(RuntimeError), index.transaction():
            assert index.admit("http://x/1", "s", SHA_A) == 1
            raise RuntimeError("files could not be written")
        assert not index.is_stored("http://x/1")
        assert index.admit("http://x/1", "s", SHA_A) == 1


def test_reader_sees_only_committed_rows(tmp_path: Path) -> None:
    path = str(tmp_path / "i.sqlite")
    assert not Index(path, readonly=True).is_stored("http://x/1"), "a missing index is empty"
    with Index(path) as writer:
        reader = Index(path, readonly=True)
        with writer.transaction():
            writer.admit("http://x/1", "s", SHA_A)
            assert not reader.is_stored("http://x/1")
        assert reader.is_stored("http://x/1")
        assert reader.stored_urls("s") == {"http://x/1"}
        with pytest.raises(ValueError, match="read-only"), reader.transaction():
            pass
        reader.close()
