"""`Store.write_run`: partitions, dedup, revisions, rejects, manifest, atomicity and kill safety."""

from __future__ import annotations

import gzip
import hashlib
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import duckdb
import orjson
import pytest

from crawler.article import Article
from storage.fs import HOST
from storage.jsonl import decode_lines, partition_date
from storage.manifest import MANIFESTS_DIR
from storage.store import StorageError, Store
from tests.conftest import ROOT, validate_record


def make_records(count: int = 6, *, edition: str = "") -> list[dict[str, Any]]:
    records = []
    for number in range(count):
        day = 1 + number % 3
        records.append(Article(
            url=f"http://www.jyrb.com.cn/news/{number}.html",
            text=f"济源市召开第{number}次会议，部署“十四五”工作。{edition}\n会议指出，要抓好落实。",
            site="jiyuan" if number % 2 else "mengjin",
            title=f"第{number}次会议",
            published_at=f"2024-03-0{day}T09:30:00+08:00" if number != 5 else None,
            fetched_at="2024-03-10T01:00:00+00:00",
        ).to_record())
    return records


def stored_lines(root: Path) -> list[dict[str, Any]]:
    lines: list[dict[str, Any]] = []
    for path in sorted(root.glob("site=*/date=*/part-*.jsonl*")):
        lines.extend(decode_lines(path.read_bytes()))
    return lines


def no_temp_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.name.endswith(".tmp")]


def test_write_run_partitions_records_and_sets_revision(tmp_path: Path) -> None:
    records = make_records()
    with Store(str(tmp_path)) as store:
        manifest = store.write_run("run-1", records)
    paths = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.glob("site=*/date=*/*"))
    assert "site=jiyuan/date=2024-03-02/part-run-1.jsonl" in paths
    # number 5 has no publication date: its fetch date in China time partitions it
    assert "site=jiyuan/date=2024-03-10/part-run-1.jsonl" in paths
    lines = stored_lines(tmp_path)
    assert len(lines) == len(records)
    for line in lines:
        validate_record(line)
        assert line["revision"] == 1
    assert manifest.records_written == 6
    assert manifest.sites["jiyuan"].records_written == 3
    raw = next(tmp_path.glob("site=jiyuan/date=2024-03-02/*.jsonl")).read_bytes()
    assert "济源市".encode() in raw and b"\\u" not in raw, "UTF-8 as is, no ASCII escapes"
    assert raw.count(b"\n") == len(raw.splitlines())
    assert no_temp_files(tmp_path) == []


def test_partition_date_uses_china_time_for_the_fetch_date() -> None:
    assert partition_date({"published_at": None, "fetched_at": "2024-03-09T17:00:00+00:00"}) \
        == "2024-03-10"
    assert partition_date({"published_at": "2024-03-01T23:59:00+08:00",
                           "fetched_at": "2024-03-09T17:00:00+00:00"}) == "2024-03-01"


def test_second_run_over_unchanged_content_writes_nothing_new(tmp_path: Path) -> None:
    with Store(str(tmp_path)) as store:
        store.write_run("run-1", make_records())
        before = sorted(tmp_path.glob("site=*/date=*/*"))
        manifest = store.write_run("run-2", make_records())
    assert sorted(tmp_path.glob("site=*/date=*/*")) == before
    assert manifest.records_written == 0
    assert manifest.duplicates_skipped == 6
    assert manifest.files == []


def test_changed_content_is_written_again_with_the_next_revision(tmp_path: Path) -> None:
    with Store(str(tmp_path)) as store:
        store.write_run("run-1", make_records())
        store.write_run("run-2", make_records(edition="（更新）"))
        manifest = store.write_run("run-3", make_records()[:2])
    lines = stored_lines(tmp_path)
    by_url: dict[str, list[int]] = {}
    for line in lines:
        by_url.setdefault(line["url"], []).append(line["revision"])
    assert all(sorted(revisions) == [1, 2, 3][: len(revisions)] for revisions in by_url.values())
    assert sorted(len(r) for r in by_url.values()) == [2, 2, 2, 2, 3, 3]
    assert manifest.records_written == 2


def test_manifest_lists_files_with_line_counts_and_sha256(tmp_path: Path) -> None:
    rejects = [{"url": "http://www.jyrb.com.cn/404.html", "site": "jiyuan", "stage": "fetch",
                "reason": "HTTP 404", "at": "2024-03-10T01:00:00+00:00"},
               {"url": "http://www.jyrb.com.cn/list.pdf", "site": "jiyuan", "stage": "fetch",
                "reason": "not HTML: application/pdf", "at": "2024-03-10T01:00:00+00:00"}]
    with Store(str(tmp_path)) as store:
        manifest = store.write_run("run-1", make_records(), rejects,
                                   counts={"jiyuan": {"pages_fetched": 9,
                                                      "articles_extracted": 3,
                                                      "skipped": {"robots.txt": 1}}},
                                   started_at="2024-03-10T00:59:00+00:00")
        assert store.manifest("run-1") == manifest
    on_disk = orjson.loads((tmp_path / "_manifests" / "run-1.json").read_bytes())
    assert on_disk == manifest.to_dict()
    assert on_disk["sites"]["jiyuan"] == {
        "pages_fetched": 9, "articles_extracted": 3, "records_written": 3,
        "duplicates_skipped": 0,
        "failures": {"fetch: HTTP 404": 1, "fetch: not HTML: application/pdf": 1},
        "skipped": {"robots.txt": 1}, "lists_fetched": 0, "article_links": 0, "health": [],
        "site_failure": None, "tombstones_written": 0}
    kinds = {entry["kind"] for entry in on_disk["files"]}
    assert kinds == {"records", "rejects"}
    for entry in on_disk["files"]:
        data = (tmp_path / entry["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        assert len(data.splitlines()) == entry["lines"]
    reject_lines = list(decode_lines((tmp_path / "_rejects" / "run-1.ndjson").read_bytes()))
    assert [line["reason"] for line in reject_lines] == ["HTTP 404", "not HTML: application/pdf"]
    assert set(reject_lines[0]) >= {"url", "site", "stage", "reason", "at"}
    assert "| jiyuan | ok | 9 | 3 | 3 | 0 | 1 | 2 |" in manifest.to_markdown()


def test_unwritable_record_becomes_a_reject_not_a_line(tmp_path: Path) -> None:
    broken = make_records(1)[0]
    del broken["content_sha256"]
    with Store(str(tmp_path)) as store:
        manifest = store.write_run("run-1", [broken, *make_records(2)[1:]])
    assert len(stored_lines(tmp_path)) == 1
    (reject,) = decode_lines((tmp_path / "_rejects" / "run-1.ndjson").read_bytes())
    assert reject["stage"] == "store" and "content_sha256" in reject["reason"]
    assert manifest.failure_count == 1


def test_gzip_partitions(tmp_path: Path) -> None:
    with Store(str(tmp_path), compress=True) as store:
        store.write_run("run-1", make_records())
    files = sorted(tmp_path.glob("site=*/date=*/*.jsonl.gz"))
    assert files and not list(tmp_path.glob("site=*/date=*/*.jsonl"))
    assert sum(len(gzip.decompress(p.read_bytes()).splitlines()) for p in files) == 6


def test_run_id_is_checked_and_not_reused(tmp_path: Path) -> None:
    with Store(str(tmp_path)) as store:
        store.write_run("run-1", make_records(1))
        with pytest.raises(StorageError, match="already stored"):
            store.write_run("run-1", make_records(1))
        with pytest.raises(StorageError, match="bad run id"):
            store.write_run("../escape", make_records(1))


def test_duckdb_reads_the_root_as_documented(tmp_path: Path) -> None:
    with Store(str(tmp_path)) as store:
        store.write_run("run-1", make_records(),
                        [{"url": "u", "site": "jiyuan", "stage": "fetch", "reason": "HTTP 404"}])
    rows = duckdb.sql(
        f"select site, count(*) from read_json_auto('{tmp_path}/**/*.jsonl', "
        "hive_partitioning=true) group by 1 order by 1").fetchall()
    assert rows == [("jiyuan", 3), ("mengjin", 3)]


def test_fsspec_memory_root(tmp_path: Path) -> None:
    root = "memory://govnews-store-test/out"
    with Store(root, str(tmp_path / "index.sqlite")) as store:
        store.write_run("run-1", make_records())
        manifest = store.write_run("run-2", make_records())
        assert len(list(store.iter_records())) == 6
        assert store.part_files("jiyuan")[0].startswith("site=jiyuan/date=")
        assert not [p for p in store.root.fs.find(store.root.path) if p.endswith(".tmp")]
    assert manifest.duplicates_skipped == 6
    with pytest.raises(StorageError, match="index path"):
        Store(root)


_KILLED_WRITER = textwrap.dedent("""
    import os, signal, sys
    import orjson
    from storage import fs, index, store

    point, root, records_path = sys.argv[1], sys.argv[2], sys.argv[3]
    calls = {"n": 0}

    def die() -> None:
        os.kill(os.getpid(), signal.SIGKILL)

    def wrap(owner, name, *, after: bool, nth: int = 1):
        original = getattr(owner, name)
        def wrapped(*args, **kwargs):
            calls["n"] += 1
            if not after and calls["n"] >= nth:
                die()
            result = original(*args, **kwargs)
            if after and calls["n"] >= nth:
                die()
            return result
        setattr(owner, name, wrapped)

    # the journal is written through the same calls: write_temp #1 is the "prepare" journal,
    # publish #1 and #2 are the two journals, so #4 falls between the renames of two part files
    if point == "while-writing-temps":
        wrap(fs.Root, "write_temp", after=True, nth=2)
    elif point == "between-renames":
        wrap(fs.Root, "publish", after=True, nth=4)
    elif point == "before-commit":
        wrap(index.Index, "record_run", after=False)
    elif point == "after-commit":
        wrap(store.Store, "_remove_journal", after=False)
    records = orjson.loads(open(records_path, "rb").read())
    store.Store(root).write_run("run-killed", records)
    print("not killed")
""")


@pytest.mark.parametrize("point", ["while-writing-temps", "between-renames", "before-commit",
                                   "after-commit"])
def test_kill_9_during_write_run_leaves_no_partial_or_duplicate_record(
    tmp_path: Path, point: str
) -> None:
    records = make_records()
    records_path = tmp_path / "records.json"
    records_path.write_bytes(orjson.dumps(records))
    root = tmp_path / "out"
    killed = subprocess.run(
        [sys.executable, "-c", _KILLED_WRITER, point, str(root), str(records_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert killed.returncode == -9, killed.stdout + killed.stderr
    visible = list(root.glob("site=*/date=*/part-*.jsonl"))
    for path in visible:
        assert path.read_bytes().endswith(b"\n"), "a visible file is complete"
    if point == "between-renames":
        assert visible and no_temp_files(root), "killed with some files renamed, some not"
    if point == "while-writing-temps":
        assert not visible and no_temp_files(root)

    with Store(str(root)) as store:
        store.write_run("run-again", records)
        lines = stored_lines(root)
        keys = [(line["url"], line["part"]) for line in lines]
        assert sorted(keys) == sorted((r["url"], r["part"]) for r in records), "complete, once"
        assert {line["revision"] for line in lines} == {1}
        assert store.index.count() == len(records)
        rolled_forward = point in {"between-renames", "before-commit", "after-commit"}
        assert store.index.run_committed("run-killed") == rolled_forward
        if rolled_forward:
            killed_manifest = store.manifest("run-killed")
            assert killed_manifest is not None and killed_manifest.records_written == 6
            for entry in killed_manifest.files:
                data = (root / entry.path).read_bytes()
                assert hashlib.sha256(data).hexdigest() == entry.sha256
    assert no_temp_files(root) == []
    assert list(Path(str(root / "_index.sqlite.pending")).iterdir()) == []


def test_recovery_removes_dead_processes_temps_of_this_machine_only(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    manifests = tmp_path / MANIFESTS_DIR
    manifests.mkdir()
    ours = manifests / f".run-1.json.run-1.{dead}@{HOST}.tmp"
    older = manifests / f".run-2.json.run-2.{dead}.tmp"
    # On a root several machines share, another machine's pid tells nothing about its process.
    theirs = manifests / f".run-3.json.run-3.{dead}@other-machine.tmp"
    for temp in (ours, older, theirs):
        temp.write_bytes(b"{}")
    with Store(str(tmp_path)) as store:
        store.recover()
    assert not ours.exists() and not older.exists()
    assert theirs.exists()
