"""The raw capture goes to the output root, local or remote, like the records.

A fetch writes its WARC file and fetch log on this machine; with a remote root (fsspec's
`memory://` here) the committed run's capture is moved to the root's `_raw/` and `_fetch/`,
and `reprocess` reads it from there.
"""

from __future__ import annotations

import os
from pathlib import Path

import fsspec
import pytest

from crawler.replica.server import ReplicaServer
from storage.capture import capture_run, publish_capture
from storage.warc import warc_path

SITE = "mengjin"


def _capture(staging: Path, run_id: str, *, temp: bool = False) -> list[Path]:
    """A run's capture files as a fetch leaves them (content does not matter here)."""
    paths = [Path(warc_path(str(staging), SITE, run_id)),
             staging / "_fetch" / f"site={SITE}" / f"{run_id}.ndjson",
             staging / "_fetch" / f"site={SITE}" / f"{run_id}.summary.json"]
    if temp:
        paths.append(staging / "_raw" / f"site={SITE}" / f".{run_id}.warc.gz.{os.getpid()}.tmp")
    for number, path in enumerate(paths):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(f"{run_id} file {number}\n".encode() * 1000)
    return paths


def test_capture_files_are_named_by_their_run() -> None:
    assert capture_run("20240501T080000Z-1a2b3c.warc.gz") == "20240501T080000Z-1a2b3c"
    assert capture_run("run-1.summary.json") == "run-1"
    assert capture_run("run-1.ndjson") == "run-1"
    assert capture_run(".run-1.warc.gz.123.tmp") is None
    assert capture_run("notes.txt") is None


def test_only_committed_runs_move_and_a_failed_move_keeps_the_file(tmp_path: Path) -> None:
    staging = tmp_path / "staging"
    done = _capture(staging, "run-done", temp=True)
    live = _capture(staging, "run-live")
    root = "memory://govnews-capture-test/out"
    published = publish_capture(str(staging), root, SITE, lambda run: run == "run-done")
    fs = fsspec.filesystem("memory")
    assert sorted(published.moved) == sorted(
        f"memory:///govnews-capture-test/out/{path.relative_to(staging).as_posix()}"
        for path in done[:3])
    for path in done[:3]:
        assert not path.exists(), "a moved file is deleted locally"
        assert fs.cat_file(f"/govnews-capture-test/out/{path.relative_to(staging).as_posix()}") \
            == f"run-done file {done.index(path)}\n".encode() * 1000
    assert done[3].exists(), "a temp file (a fetch still writing, or killed) stays"
    assert all(path.exists() for path in live), "an uncommitted run's capture stays"
    assert not fs.glob("/govnews-capture-test/out/**/.*"), "no temp object is left"

    blocked = tmp_path / "blocked"
    (blocked / "_raw").mkdir(parents=True)
    (blocked / "_raw" / f"site={SITE}").write_text("a file where the directory should be")
    published = publish_capture(str(staging), str(blocked), SITE, lambda run: True)
    assert [path for path, _ in published.failed] == [str(live[0])]
    assert live[0].exists(), "a file that could not be moved stays for the next run"
    assert sorted(published.moved) == sorted(str(blocked / path.relative_to(staging))
                                             for path in live[1:])


def test_a_local_root_is_its_own_staging(tmp_path: Path) -> None:
    paths = _capture(tmp_path, "run-1")
    assert publish_capture(str(tmp_path), str(tmp_path), SITE, lambda run: True).moved == ()
    assert all(path.exists() for path in paths)


def test_a_crawl_to_a_remote_root_moves_its_capture_there(prefect_api: str,
                                                          tmp_path: Path) -> None:
    from flows.crawl import crawl_site
    from flows.reprocess import reprocess

    root = "memory://govnews-capture-crawl/data"
    index = tmp_path / "local" / "index.sqlite"
    with ReplicaServer(per_site=5, slow_seconds=0.2) as server:
        manifest = crawl_site(SITE, out=root, index=str(index), proxy=server.proxy,
                              loopback=True)
    assert isinstance(manifest, dict)
    run_id = manifest["run_id"]
    written = manifest["totals"]["records_written"]
    assert written > 0
    fs = fsspec.filesystem("memory")
    base = "/govnews-capture-crawl/data"
    assert fs.exists(f"{base}/_raw/site={SITE}/{run_id}.warc.gz")
    assert fs.exists(f"{base}/_fetch/site={SITE}/{run_id}.ndjson")
    assert fs.exists(f"{base}/_fetch/site={SITE}/{run_id}.summary.json")
    local = index.parent
    assert not list(local.glob("_raw/**/*.warc.gz")), "the capture left this machine"
    assert not list(local.glob("_fetch/**/*.ndjson"))

    again = reprocess(SITE, out=root, index=str(index))
    assert again["totals"]["records_written"] == 0
    assert again["totals"]["duplicates_skipped"] == written, \
        "reprocess re-extracted every stored article from the root's capture"


@pytest.fixture(autouse=True)
def _empty_memory_fs() -> None:
    """fsspec's memory file system lives as long as the process: start each test empty."""
    fs = fsspec.filesystem("memory")
    for path in ("/govnews-capture-test", "/govnews-capture-crawl"):
        if fs.exists(path):
            fs.rm(path, recursive=True)
