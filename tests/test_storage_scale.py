"""Runs in bounded memory (streamed records, spilled lines), fsyncs once, and `compact`."""

from __future__ import annotations

import collections
import os
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import orjson
import pytest

from crawler.article import Article
from flows.cli import main
from storage import batch
from storage.compact import compact_site
from storage.jsonl import decode_lines
from storage.spool import Chain, Spool
from storage.store import Store
from tests.conftest import ROOT


def make_records(count: int, *, edition: str = "", days: int = 7) -> list[dict[str, Any]]:
    return [Article(
        url=f"http://www.jyrb.com.cn/news/{number}.html",
        text=f"济源市第{number}次会议部署工作。{edition}\n会议要求抓好落实，确保见效。",
        site="jiyuan" if number % 3 else "mengjin",
        title=f"第{number}次会议",
        published_at=f"2024-03-{1 + number % days:02d}T09:30:00+08:00",
        fetched_at="2024-03-10T01:00:00+00:00",
    ).to_record() for number in range(count)]


def files_under(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes()
            for p in sorted(root.glob("site=*/date=*/part-*.jsonl*"))}


def line_multiset(root: Path) -> collections.Counter[bytes]:
    return collections.Counter(orjson.dumps(line, option=orjson.OPT_SORT_KEYS)
                               for data in files_under(root).values()
                               for line in decode_lines(data))


def test_spool_reads_back_what_was_appended_in_order() -> None:
    with Spool({"n": n, "text": "汉字" * n} for n in range(2000)) as spool:
        assert [r["n"] for r in spool] == list(range(2000))
        spool.append({"n": -1})
        assert len(spool) == 2001 and list(spool)[-1] == {"n": -1}
        assert len(list(Chain([spool, spool]))) == 4002, "a chain reads its parts again"


def test_a_spilled_run_writes_the_same_files_as_one_held_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = make_records(300)
    rejects = [{"url": f"http://x/{n}", "site": "jiyuan", "stage": "fetch", "reason": "HTTP 404"}
               for n in range(50)]
    with Store(str(tmp_path / "memory")) as store:
        held = store.write_run("run-1", records, rejects)
    spills: list[int] = []
    original = batch.RunFiles._spill

    def counted(self: batch.RunFiles) -> None:
        spills.append(1)
        original(self)

    monkeypatch.setattr(batch.RunFiles, "_spill", counted)
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))

    def once(items: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        yield from items  # a generator: the store must not need a second pass

    with Store(str(tmp_path / "spilled"), batch_bytes=2048) as store:
        spilled = store.write_run("run-1", once(records), once(rejects))
    assert len(spills) > 10, "the small buffer was spilled many times"
    assert files_under(tmp_path / "spilled") == files_under(tmp_path / "memory")
    assert [(f.path, f.lines, f.sha256) for f in spilled.files] == \
        [(f.path, f.lines, f.sha256) for f in held.files]
    assert (tmp_path / "spilled" / "_rejects" / "run-1.ndjson").read_bytes() == \
        (tmp_path / "memory" / "_rejects" / "run-1.ndjson").read_bytes()
    assert list((tmp_path / "tmp").iterdir()) == [], "the spill files are gone"
    assert spilled.records_written == 300


def test_each_written_file_is_fsynced_once_and_each_directory_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: collections.Counter[str] = collections.Counter()
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        synced[os.readlink(f"/proc/self/fd/{fd}")] += 1
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    with Store(str(tmp_path)) as store:
        manifest = store.write_run("run-1", make_records(60, days=3))
    assert max(synced.values()) == 1, f"fsynced twice: {synced.most_common(3)}"
    partitions = [entry.path for entry in manifest.files]
    data_syncs = [path for path in synced if ".part-run-1.jsonl." in path]
    assert len(data_syncs) == len(partitions) > 2
    directories = {str(tmp_path / os.path.dirname(path)) for path in partitions}
    assert directories <= set(synced), "every directory renamed into is made durable"


def _three_runs(root: Path) -> None:
    with Store(str(root)) as store:
        store.write_run("run-1", make_records(40))
        store.write_run("run-2", make_records(40, edition="（更新）"))
        store.write_run("run-3", make_records(60))


def test_compact_merges_each_date_into_one_file_and_keeps_every_line(tmp_path: Path) -> None:
    _three_runs(tmp_path)
    before = line_multiset(tmp_path)
    dirs = {p.parent for p in tmp_path.glob("site=jiyuan/date=*/part-*")}
    assert len(list(tmp_path.glob("site=jiyuan/date=*/part-*"))) > len(dirs)
    with Store(str(tmp_path)) as store:
        result = compact_site(store, "jiyuan", run_id="compact-1")
        assert result.manifest is not None
        assert store.index.run_committed("compact-1")
        assert compact_site(store, "jiyuan").manifest is None, "nothing left to merge"
    assert line_multiset(tmp_path) == before, "nothing lost, nothing doubled"
    for directory in dirs:
        (only,) = directory.glob("part-*")
        assert only.name == "part-compact-1.jsonl"
        ids = [(line["id"], line["part"]) for line in decode_lines(only.read_bytes())]
        assert ids == sorted(ids)
    assert len(list(tmp_path.glob("site=mengjin/date=*/part-*"))) > 7, "other sites untouched"
    manifest = orjson.loads((tmp_path / "_manifests" / "compact-1.json").read_bytes())
    assert len(manifest["replaced"]) == result.files_replaced > len(manifest["files"])
    assert all(not (tmp_path / path).exists() for path in manifest["replaced"])
    assert sum(entry["lines"] for entry in manifest["files"]) == sum(
        count for line, count in before.items() if b'"site":"jiyuan"' in line)
    rows = duckdb.sql(f"select count(*) from read_json_auto('{tmp_path}/**/*.jsonl', "
                      "hive_partitioning=true)").fetchall()
    assert rows == [(sum(before.values()),)], "consumers' globs read the same records"
    with Store(str(tmp_path)) as store:
        again = store.write_run("run-4", make_records(60))
    assert again.records_written == 0 and again.duplicates_skipped == 60


_KILLED_COMPACTION = textwrap.dedent("""
    import os, signal, sys
    from storage import fs, store
    from storage.compact import compact_site

    point, root = sys.argv[1], sys.argv[2]
    calls = {"n": 0}

    def die_after(owner, name, nth):
        original = getattr(owner, name)
        def wrapped(*args, **kwargs):
            result = original(*args, **kwargs)
            calls["n"] += 1
            if calls["n"] >= nth:
                os.kill(os.getpid(), signal.SIGKILL)
            return result
        setattr(owner, name, wrapped)

    if point == "while-writing-temps":   # write_temp 1 is the prepare journal
        die_after(fs.Root, "write_temp", 3)
    elif point == "between-renames":     # publish 1, 2 are the journals
        die_after(fs.Root, "publish", 3)
    elif point == "while-deleting":
        die_after(fs.Root, "remove", 2)
    compact_site(store.Store(root), "jiyuan", run_id="compact-killed")
    print("not killed")
""")


@pytest.mark.parametrize("point", ["while-writing-temps", "between-renames", "while-deleting"])
def test_a_killed_compaction_loses_nothing(tmp_path: Path, point: str) -> None:
    _three_runs(tmp_path)
    before_files = files_under(tmp_path)
    before = line_multiset(tmp_path)
    killed = subprocess.run([sys.executable, "-c", _KILLED_COMPACTION, point, str(tmp_path)],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert killed.returncode == -9, killed.stdout + killed.stderr
    if point == "while-writing-temps":
        assert files_under(tmp_path) == before_files, "the old files are left as they were"
    with Store(str(tmp_path)) as store:
        store.recover()
        rolled_forward = point != "while-writing-temps"
        assert store.index.run_committed("compact-killed") == rolled_forward
    assert line_multiset(tmp_path) == before
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]
    if rolled_forward:
        for directory in {p.parent for p in tmp_path.glob("site=jiyuan/date=*/part-*")}:
            assert [p.name for p in directory.glob("part-*")] == ["part-compact-killed.jsonl"]


def test_compact_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _three_runs(tmp_path)
    assert main(["compact", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "jiyuan: " in out and "mengjin: " in out and "files merged into 7" in out
    assert main(["compact", "jiyuan", "--out", str(tmp_path)]) == 0
    assert "jiyuan: nothing to compact" in capsys.readouterr().out
    assert main(["compact", "--out", str(tmp_path), "--min-files", "1"]) == 2


def test_a_compaction_is_no_crawl_in_a_sites_health_history(tmp_path: Path) -> None:
    from storage.health import site_history
    from storage.history import run_manifests

    _three_runs(tmp_path)
    with Store(str(tmp_path)) as store:
        assert compact_site(store, "jiyuan").manifest is not None
    manifests = run_manifests(str(tmp_path))
    assert len(manifests) == 4
    assert len(site_history(manifests, "jiyuan", 10)) == 3, "the three runs, not the compaction"


def test_compact_of_a_root_without_partitions_says_so(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compact", "--out", str(tmp_path)]) == 1
    assert f"no partitions under {tmp_path}" in capsys.readouterr().err


def test_a_run_of_many_files_is_made_durable_by_one_syncfs_per_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storage import fs

    if fs._SYNCFS is None:
        pytest.skip("no syncfs on this platform: every file is fsynced on its own")
    flushed: list[str] = []
    real_syncfs = fs._SYNCFS

    def syncfs(fd: int) -> int:
        flushed.append(os.readlink(f"/proc/self/fd/{fd}"))
        return real_syncfs(fd)

    fsynced: list[str] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        fsynced.append(os.readlink(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    monkeypatch.setattr(fs, "_SYNCFS", syncfs)
    monkeypatch.setattr(os, "fsync", fsync)
    with Store(str(tmp_path)) as store:
        manifest = store.write_run("run-1", make_records(fs.SYNCFS_FROM * 2, days=31))
    assert len(manifest.files) > fs.SYNCFS_FROM
    assert len(flushed) == 2, "one flush for the files, one for the renames"
    assert all(path.startswith(str(tmp_path)) for path in flushed)
    assert not [path for path in fsynced if "/site=" in path], "no partition fsynced alone"
