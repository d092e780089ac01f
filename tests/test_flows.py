"""The Prefect flows under `prefect_test_harness`: demo crawls, reruns, kill and resume,
reprocess, clean_dump, deployments and bad arguments."""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
import httpx
import pytest

from crawler.replica.server import ReplicaServer
from flows.commands import add_crawl_arguments, run_crawl
from flows.common import FlowArgumentError
from storage.jsonl import decode_lines
from tests.conftest import ROOT, validate_record

DEMO_SITES = ["jynews", "zzwb"]  # one list → article site and the e-paper


def crawl(out: Path, sites: list[str] = DEMO_SITES) -> dict[str, Any]:
    from flows.crawl import crawl_all

    with ReplicaServer() as server:
        return crawl_all(sites=sites, out=str(out), proxy=server.proxy, loopback=True)


def record_lines(out: Path) -> list[dict[str, Any]]:
    lines: list[dict[str, Any]] = []
    for path in sorted(out.glob("site=*/date=*/part-*.jsonl")):
        lines.extend(decode_lines(path.read_bytes()))
    return lines


def comparable(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Records without the fetch time, in a stable order."""
    return sorted(({k: v for k, v in line.items() if k != "fetched_at"} for line in lines),
                  key=lambda line: (line["url"], line["part"]))


@pytest.fixture(scope="module")
def first_crawl(prefect_api: str, tmp_path_factory: pytest.TempPathFactory
                ) -> tuple[Path, dict[str, Any]]:
    out = tmp_path_factory.mktemp("demo") / "data"
    return out, crawl(out)


@pytest.mark.slow
def test_demo_crawl_writes_valid_partitions_manifest_and_artifact(
    first_crawl: tuple[Path, dict[str, Any]], prefect_api: str
) -> None:
    out, manifest = first_crawl
    lines = record_lines(out)
    assert lines and len(lines) == manifest["totals"]["records_written"]
    for line in lines:
        validate_record(line)
        assert line["site"] in DEMO_SITES and line["revision"] == 1
    assert len({(line["url"], line["part"]) for line in lines}) == len(lines)
    for site in DEMO_SITES:
        stats = manifest["sites"][site]
        assert stats["pages_fetched"] > stats["articles_extracted"] >= 20
        assert stats["records_written"] == stats["articles_extracted"]
        assert sum(stats["failures"].values()) > 0, "the replica's faults become rejects"
    rejects = list(decode_lines(next((out / "_rejects").glob("*.ndjson")).read_bytes()))
    assert {reject["stage"] for reject in rejects} == {"fetch"}
    assert all(reject["url"] and reject["reason"] for reject in rejects)
    rows = duckdb.sql(
        f"select site, count(*) from read_json_auto('{out}/**/*.jsonl', "
        "hive_partitioning=true) group by 1 order by 1").fetchall()
    assert rows == [(site, manifest["sites"][site]["records_written"]) for site in DEMO_SITES]

    # read over the REST API directly: this Prefect client sends nulls the server refuses
    response = httpx.post(f"{prefect_api}/artifacts/filter", json={
        "artifacts": {"key": {"any_": ["crawl-all"]}}, "limit": 50, "offset": 0,
        "sort": "CREATED_DESC"})
    response.raise_for_status()
    (artifact,) = [a for a in response.json() if manifest["run_id"] in str(a["data"])]
    assert artifact["type"] == "markdown" and "| jynews |" in artifact["data"]


@pytest.mark.slow
def test_second_demo_run_writes_nothing_new(first_crawl: tuple[Path, dict[str, Any]]) -> None:
    out, _ = first_crawl
    before = sorted(out.glob("site=*/date=*/*"))
    manifest = crawl(out)
    assert manifest["totals"]["records_written"] == 0
    assert sorted(out.glob("site=*/date=*/*")) == before
    for site in DEMO_SITES:
        assert manifest["sites"][site]["skipped"].get("already stored", 0) >= 20


@pytest.mark.slow
def test_two_demo_runs_give_identical_record_sets(
    first_crawl: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    out, _ = first_crawl
    again = tmp_path / "data"
    crawl(again)
    assert comparable(record_lines(again)) == comparable(record_lines(out))


@pytest.mark.slow
def test_reprocess_from_warc_finds_every_record_unchanged(
    first_crawl: tuple[Path, dict[str, Any]],
) -> None:
    from flows.reprocess import reprocess

    out, first = first_crawl
    manifest = reprocess("jynews", out=str(out))
    stats = manifest["sites"]["jynews"]
    assert stats["records_written"] == 0
    assert stats["duplicates_skipped"] == first["sites"]["jynews"]["records_written"]
    with pytest.raises(FlowArgumentError, match="bad date"):
        reprocess("jynews", since="2024-02-30", out=str(out))


def _crawl_command(out: Path) -> list[str]:
    return [sys.executable, "-m", "flows.cli", "crawl", *DEMO_SITES, "--demo", "--out", str(out)]


@pytest.mark.slow
def test_kill_9_mid_crawl_then_resume_gives_the_complete_result(
    first_crawl: tuple[Path, dict[str, Any]], prefect_api: str, tmp_path: Path
) -> None:
    out = tmp_path / "data"
    env = {**os.environ, "PREFECT_API_URL": prefect_api, "PYTHONPATH": str(ROOT)}
    crawl_process = subprocess.Popen(_crawl_command(out), cwd=ROOT, env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and crawl_process.poll() is None:
        if list(out.glob("_raw/site=*/.*.tmp")):  # a fetch is writing its WARC
            break
        time.sleep(0.1)
    assert crawl_process.poll() is None, "the crawl ended before it could be killed"
    time.sleep(1.0)
    os.killpg(crawl_process.pid, signal.SIGKILL)
    crawl_process.wait()

    for path in out.glob("site=*/date=*/*.jsonl"):
        assert path.read_bytes().endswith(b"\n")
    resumed = subprocess.run(_crawl_command(out), cwd=ROOT, env=env, capture_output=True,
                             text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert "total" in resumed.stdout
    lines = record_lines(out)
    reference, _ = first_crawl
    assert comparable(lines) == comparable(record_lines(reference)), "complete, no duplicates"
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]


@pytest.mark.slow
def test_clean_dump_stores_repaired_records_once(prefect_api: str, tmp_path: Path) -> None:
    from flows.clean import clean_dump

    dump = tmp_path / "dump.jsonl"
    seeds = sorted((ROOT / "tests" / "golden" / "seeds").glob("*.txt"))[:2]
    lines = [json.dumps({"id": f"legacy-{n}", "url": f"http://legacy.example/{n}",
                         "text": path.read_text(encoding="utf-8")}, ensure_ascii=False)
             for n, path in enumerate(seeds)]
    dump.write_text("\n".join([*lines, "not json"]) + "\n", encoding="utf-8")
    out = tmp_path / "data"
    manifest = clean_dump(str(dump), out=str(out), site="jynews")
    lines = record_lines(out)
    assert len(lines) == manifest["totals"]["records_written"] >= 2
    for line in lines:
        validate_record(line)
    assert manifest["totals"]["failures"] == 1, "the malformed line is a reject"
    again = clean_dump(str(dump), out=str(out), site="jynews")
    assert again["totals"]["records_written"] == 0
    with pytest.raises(FlowArgumentError, match="no such dump"):
        clean_dump(str(tmp_path / "missing.jsonl"), out=str(out))


@pytest.mark.slow
def test_flows_fail_with_a_clear_message_on_bad_arguments(prefect_api: str,
                                                          tmp_path: Path) -> None:
    from flows.crawl import crawl_all, crawl_site

    with pytest.raises(FlowArgumentError, match=r"unknown site 'nowhere' \(known: .*jynews"):
        crawl_site("nowhere", out=str(tmp_path))
    with pytest.raises(FlowArgumentError, match="bad date"):
        crawl_site("jynews", out=str(tmp_path), since="yesterday")
    with pytest.raises(FlowArgumentError, match="concurrency"):
        crawl_all(out=str(tmp_path), concurrency=0)


def test_crawl_command_rejects_bad_arguments_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    parser = argparse.ArgumentParser(prog="govnews crawl")
    add_crawl_arguments(parser)
    args = parser.parse_args(["nowhere", "--out", str(tmp_path)])
    assert run_crawl(args) == 2
    assert "unknown site 'nowhere'" in capsys.readouterr().err
    args = parser.parse_args(["--out", "memory://bucket/data"])
    assert run_crawl(args) == 2
    assert "index path" in capsys.readouterr().err
    for bad in (["--since", "2024-13-01"], ["--max-pages", "0"]):
        with pytest.raises(SystemExit):
            parser.parse_args(bad)
        assert "Traceback" not in capsys.readouterr().err


def test_serve_builds_one_scheduled_deployment_per_site(tmp_path: Path) -> None:
    from crawler.sites import load_sites
    from flows.serve import site_deployments

    sites = load_sites()
    deployments = site_deployments(out=str(tmp_path))
    assert [d.name for d in deployments] == list(sites)
    for deployment in deployments:
        (schedule,) = deployment.schedules or []
        assert schedule.schedule.cron == sites[deployment.name].schedule
        assert schedule.schedule.timezone == "Asia/Shanghai"
        assert deployment.parameters["site"] == deployment.name
    with pytest.raises(FlowArgumentError, match="unknown site"):
        site_deployments(["nowhere"], out=str(tmp_path))
