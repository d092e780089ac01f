"""What storage survives: hostile record fields, a lost or damaged index, a temp that cannot be
deleted, a read-only root, a full disk, and two crawls on one root."""

from __future__ import annotations

import argparse
import errno
import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from flows.commands import add_reindex_arguments, crawl_exit_status, run_reindex
from storage.errors import DamagedIndex, OutsideRoot, SiteLocked, StorageError
from storage.fs import Root
from storage.index import Index
from storage.lock import site_lock
from storage.rejects import normalise_reject
from storage.store import Store, check_output
from tests.conftest import ROOT
from tests.faults.conftest import Mount
from tests.test_storage_store import make_records, stored_lines


def files_under(path: Path) -> set[str]:
    return {str(p.relative_to(path)) for p in path.rglob("*") if p.is_file()}


# -- 1. nothing escapes the output root ---------------------------------------------------


@pytest.mark.parametrize("site", ["../../../outside", "a/b", "..", "Site", "x\n"])
def test_a_site_that_is_no_registry_name_is_a_store_reject(tmp_path: Path, site: str) -> None:
    out = tmp_path / "deep" / "out"
    records = make_records(2)
    records[0]["site"] = site
    with Store(str(out)) as store:
        manifest = store.write_run("run-1", records)
    assert manifest.records_written == 1
    outside = [p for p in tmp_path.rglob("*.jsonl") if out not in p.parents]
    assert outside == []
    assert {p.parent.parent.name for p in out.glob("site=*/date=*/*.jsonl")} == {"site=jiyuan"}
    (failure,) = manifest.failure_count and [k for s in manifest.sites.values()
                                             for k in s.failures]
    assert failure == "store: site is not a registry name (lower-case letters, digits and '_')"


def test_a_remote_root_keeps_hostile_sites_inside_too(tmp_path: Path) -> None:
    records = make_records(2)
    records[0]["site"] = "../../outside"
    with Store("memory://faults-store/out", str(tmp_path / "index.sqlite")) as store:
        manifest = store.write_run("run-1", records)
        written = store.root.fs.find("/faults-store")
    assert manifest.records_written == 1
    assert written and all(path.startswith("/faults-store/out/") for path in written)
    assert not [path for path in written if ".." in path]  # object stores keep `..` literally


def test_every_final_path_is_checked_under_local_and_remote_roots(tmp_path: Path) -> None:
    for root in (Root.open(str(tmp_path / "out")), Root.open("memory://faults/out")):
        with pytest.raises(OutsideRoot):
            root.join("..", "outside.jsonl")
        with pytest.raises(OutsideRoot):
            root.write_temp(root.path + "/../escape.jsonl", b"x", "t")
        assert root.join("site=a", "x.jsonl").startswith(root.path + "/")
    (tmp_path / "out").mkdir(exist_ok=True)
    os.symlink(tmp_path, tmp_path / "out" / "site=link")
    with pytest.raises(OutsideRoot):
        Root.open(str(tmp_path / "out")).write_temp(str(tmp_path / "out/site=link/x"), b"x", "t")


# -- 2. a lost index never writes a record twice ------------------------------------------


@pytest.mark.parametrize("loss", ["deleted", "emptied", "old copy"])
def test_a_lost_index_is_rebuilt_before_any_record_is_admitted(tmp_path: Path,
                                                               loss: str) -> None:
    index = tmp_path / "_index.sqlite"
    with Store(str(tmp_path)) as store:
        store.write_run("run-1", make_records(4))
    old = index.read_bytes()
    with Store(str(tmp_path)) as store:
        store.write_run("run-2", make_records(6))
    for suffix in ("", "-wal", "-shm"):
        Path(f"{index}{suffix}").unlink(missing_ok=True)
    if loss == "emptied":
        index.write_bytes(b"")
    elif loss == "old copy":
        index.write_bytes(old)
    notes = check_output(str(tmp_path))
    assert len(notes) == 1 and "rebuilt it from 6 records" in notes[0]
    with Store(str(tmp_path)) as store:
        manifest = store.write_run("run-3", make_records(6))
    assert manifest.records_written == 0 and manifest.duplicates_skipped == 6
    lines = stored_lines(tmp_path)
    assert len(lines) == 6 and {line["revision"] for line in lines} == {1}


def test_store_rebuilds_a_lost_index_even_without_the_check(tmp_path: Path) -> None:
    with Store(str(tmp_path)) as store:
        store.write_run("run-1", make_records(3))
    (tmp_path / "_index.sqlite").unlink()
    with Store(str(tmp_path)) as store:
        assert store.write_run("run-2", make_records(3)).records_written == 0


def test_reindex_moves_a_damaged_index_aside_and_rebuilds_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Store(str(tmp_path)) as store:
        store.write_run("run-1", make_records(3))
    index = tmp_path / "_index.sqlite"
    for suffix in ("-wal", "-shm"):
        Path(f"{index}{suffix}").unlink(missing_ok=True)
    index.write_bytes(b"this is not a database" * 100)
    with pytest.raises(DamagedIndex, match=str(index)):
        check_output(str(tmp_path))
    parser = argparse.ArgumentParser()
    add_reindex_arguments(parser)
    assert run_reindex(parser.parse_args(["--out", str(tmp_path)])) == 0
    out, err = capsys.readouterr()
    assert "moved it to" in err and "3 records from 3 partition files" in out
    with Index(str(index)) as rebuilt:
        assert rebuilt.count() == 3


# -- 3. cleanup of stale temps is best-effort ---------------------------------------------


def test_a_stale_temp_that_cannot_be_deleted_does_not_stop_the_commit(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    stale = tmp_path / "_manifests" / ".run-0.json.999999999.tmp"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"half a manifest")
    real_remove = os.remove

    def refuse(path: Any, *args: Any, **kwargs: Any) -> None:
        if str(path) == str(stale):
            raise PermissionError(errno.EPERM, "Operation not permitted", str(path))
        real_remove(path, *args, **kwargs)

    monkeypatch.setattr(os, "remove", refuse)
    with caplog.at_level(logging.WARNING), Store(str(tmp_path)) as store:
        manifest = store.write_run("run-1", make_records(4))
    assert manifest.records_written == 4
    assert "cannot remove the stale temp file" in caplog.text and str(stale) in caplog.text


def test_a_killed_fetchs_warc_is_left_for_the_next_fetch_to_resume(tmp_path: Path) -> None:
    leftover = tmp_path / "_raw" / "site=jiyuan" / ".run-0.warc.gz.999999999.tmp"
    leftover.parent.mkdir(parents=True)
    leftover.write_bytes(b"half a warc")
    check_output(str(tmp_path))
    with Store(str(tmp_path)) as store:
        assert store.write_run("run-1", make_records(4)).records_written == 4
    assert leftover.read_bytes() == b"half a warc", "crawler.resume takes it over, not the store"


# -- 9. storage errors come first, in one line naming the path ----------------------------


def test_a_read_only_root_is_refused_before_any_fetch(tmpfs: Mount) -> None:
    root = tmpfs(64, readonly=True)
    with pytest.raises(StorageError) as caught:
        check_output(str(root))
    message = str(caught.value)
    assert str(root) in message and "\n" not in message
    assert "Read-only file system" in message


def test_a_full_disk_is_refused_before_any_fetch(tmpfs: Mount) -> None:
    root = tmpfs(64)
    with pytest.raises(OSError):
        (root / "filler").write_bytes(b"x" * 200_000)
    with pytest.raises(StorageError, match=f"{root}.*No space left on device"):
        check_output(str(root))


def test_a_full_disk_while_storing_leaves_nothing_half_written(tmpfs: Mount) -> None:
    root = tmpfs(1024)
    with Store(str(root)) as store:
        store.write_run("run-1", make_records(2))
    before = files_under(root)
    big = make_records(40)
    for record in big:
        record["text"] = record["text"] * 2000
    with pytest.raises(OSError) as caught, Store(str(root)) as store:
        store.write_run("run-2", big)  # about 14 MB of partitions on a 1 MB disk
    assert caught.value.errno == errno.ENOSPC
    assert {f for f in files_under(root) if not f.startswith("_index")} == \
        {f for f in before if not f.startswith("_index")}
    with Store(str(root)) as store:
        assert store.write_run("run-3", make_records(4)).records_written == 2


def test_an_injected_enospc_while_storing_is_undone(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    with Store(str(tmp_path)) as store:
        store.write_run("run-1", make_records(2))
    before = files_under(tmp_path)
    real = Root.write_temp
    calls = []

    def full(self: Root, final_path: str, data: bytes, tag: str, **options: bool) -> str:
        calls.append(final_path)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device", final_path)
        return real(self, final_path, data, tag, **options)

    monkeypatch.setattr(Root, "write_temp", full)
    with pytest.raises(OSError), Store(str(tmp_path)) as store:
        store.write_run("run-2", make_records(6))
    monkeypatch.undo()
    assert {f for f in files_under(tmp_path) if not f.startswith("_index.sqlite")} == \
        {f for f in before if not f.startswith("_index.sqlite")}
    with Store(str(tmp_path)) as store:
        assert store.write_run("run-3", make_records(6)).records_written == 4


def test_a_corrupt_index_is_named_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "_index.sqlite").write_bytes(b"\x00garbage" * 512)
    with pytest.raises(DamagedIndex) as caught:
        check_output(str(tmp_path))
    assert str(tmp_path / "_index.sqlite") in str(caught.value)
    assert "\n" not in str(caught.value) and "govnews reindex" in str(caught.value)


# -- 6. total failure is an exit status, and a reason is one line -------------------------


def test_exit_status_tells_a_failed_site_from_a_failed_run() -> None:
    ok = {"site_failure": None}
    failed = {"site_failure": "no page could be fetched (timeout)"}
    assert crawl_exit_status({"sites": {"a": ok, "b": ok}})[0] == 0
    assert crawl_exit_status({"sites": {"a": ok, "b": failed}}) == (
        3, ["site b failed: no page could be fetched (timeout)"])
    assert crawl_exit_status({"sites": {"a": failed, "b": failed}})[0] == 4


def test_a_traceback_never_becomes_a_reject_reason() -> None:
    traceback = ("Traceback (most recent call last):\n  File \"x.py\", line 1, in <module>\n"
                 "OSError: [Errno 28] No space left on device")
    line = normalise_reject({"url": "u", "stage": "fetch", "reason": traceback})
    assert line["reason"] == "OSError: [Errno 28] No space left on device"
    assert line["detail"] == traceback


# -- 16. one crawl per root and site ------------------------------------------------------


def test_a_second_crawl_of_a_site_is_told_who_holds_it(tmp_path: Path) -> None:
    index = str(tmp_path / "_index.sqlite")
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom storage.lock import site_lock\n"
         f"with site_lock({index!r}, 'jynews', 'run-A'):\n"
         "    print('held', flush=True)\n    time.sleep(60)\n"],
        cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(SiteLocked, match=f"pid {holder.pid} .*run run-A"), \
                site_lock(index, "jynews", "run-B"):
            pass
        with site_lock(index, "zzwb", "run-B"):  # another site is free
            pass
    finally:
        holder.kill()
        holder.wait()
    with site_lock(index, "jynews", "run-C"):  # a killed holder leaves no lock behind
        pass


def test_a_locked_site_is_not_fetched_and_fails_as_a_whole(tmp_path: Path) -> None:
    from contextlib import ExitStack

    from crawler.sites import SEEDS_DIR, load_sites
    from flows.common import Output
    from flows.crawl import CrawlRequest, extract_site, failed_fetch, lock_sites

    request = CrawlRequest(output=Output(str(tmp_path)), run_id="run-B")
    with site_lock(str(tmp_path / "_index.sqlite"), "zzwb", "run-A"), ExitStack() as stack:
        held = lock_sites(stack, request, ["jynews", "zzwb"])
        assert list(held) == ["zzwb"] and f"pid {os.getpid()}" in held["zzwb"]
        site = load_sites(SEEDS_DIR)["zzwb"]
        harvest = extract_site.fn(site, failed_fetch("zzwb", SiteLocked(held["zzwb"])))
    assert harvest.failure == held["zzwb"]
    (reject,) = harvest.rejects
    assert reject["stage"] == "fetch" and reject["reason"] == held["zzwb"]


def test_a_disk_filling_up_during_the_fetch_fails_the_site_in_one_line(tmpfs: Mount) -> None:
    from crawler.fetch import FetchOptions, run_fetch_subprocess
    from crawler.replica.server import ReplicaServer

    out = tmpfs(48)
    with ReplicaServer() as server:
        summaries = run_fetch_subprocess(
            ["jynews"], FetchOptions(out=str(out), run_id="run-1", proxy=server.proxy,
                                     loopback=True))
    summary = summaries["jynews"]
    assert summary["error"] == f"cannot write the raw capture under {out}: " \
        "No space left on device"
    assert summary["warc"] is None
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]
