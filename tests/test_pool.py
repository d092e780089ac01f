"""Work pools, for real: a Prefect server, one process work pool, two workers in separate
processes and working directories, the replica sites, one shared output root and a PostgreSQL
index. Deploy-and-trigger crawls every site with every article stored once; a worker killed
with SIGKILL mid-run, then the retry, gives the same record set as the undisturbed run."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from crawler.replica.server import ReplicaServer
from crawler.sites import load_sites
from tests.conftest import ROOT
from tests.test_flows import comparable, record_lines

POOL = "govnews-test-pool"
BIN = Path(sys.executable).parent
FINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}
HEARTBEAT_SECONDS = 30
"""The shortest heartbeat Prefect allows: a killed run is marked Crashed after 90 s."""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture(scope="module")
def prefect_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """`prefect server start` on 127.0.0.1 with its own PREFECT_HOME; the environment that
    points a process at it."""
    home = tmp_path_factory.mktemp("prefect-home")
    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_API_URL": api,
           "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PYTHONPATH": str(ROOT)}
    log = (home / "server.log").open("wb")
    server = subprocess.Popen([str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1",
                               "--port", str(port)], env={**env, "PREFECT_API_URL": ""},
                              stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{api}/health", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if server.poll() is not None:
            pytest.fail(f"prefect server exited: {(home / 'server.log').read_text()[-2000:]}")
        time.sleep(1)
    else:
        _stop(server)
        pytest.fail("prefect server did not answer within 180 s")
    yield env
    _stop(server)
    log.close()


def _worker(env: dict[str, str], directory: Path) -> subprocess.Popen[bytes]:
    """A worker taking one flow run at a time, asking the server for due runs every second
    (Prefect's default is every 10 s, idle time that adds up over a test's twenty runs)."""
    directory.mkdir(parents=True, exist_ok=True)
    log = (directory / "worker.log").open("wb")
    return subprocess.Popen([str(BIN / "prefect"), "worker", "start", "--pool", POOL,
                             "--limit", "1"], cwd=directory,
                            env={**env, "PREFECT_WORKER_QUERY_SECONDS": "1"}, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)


def _deploy(env: dict[str, str], out: Path, index: str, proxy: str) -> dict[str, str]:
    """Deploy (in a child process, as `govnews deploy` would) and return ids by site."""
    script = ("import json, sys\nfrom flows.deploy import deploy_sites\n"
              "ids = deploy_sites(sys.argv[1], out=sys.argv[2], index=sys.argv[3],"
              f" heartbeat_seconds={HEARTBEAT_SECONDS},"
              " extra={'proxy': sys.argv[4], 'loopback': True})\n"
              "print(json.dumps({k: str(v) for k, v in ids.items()}))\n")
    done = subprocess.run([sys.executable, "-c", script, POOL, str(out), index, proxy],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _call(method: str, url: str, body: dict[str, Any] | None = None) -> Any:
    """One Prefect API call, tried again on the server's transient errors (its own SQLite
    database is busy under load: 503), as Prefect's own client does."""
    for attempt in range(10):
        try:
            response = httpx.request(method, url, json=body, timeout=30)
        except httpx.TransportError:
            response = None
        if response is not None and response.status_code < 500:
            response.raise_for_status()
            return response.json()
        time.sleep(1 + attempt)
    pytest.fail(f"Prefect API {method} {url} kept failing")


def _trigger(api: str, deployment_id: str) -> str:
    return str(_call("POST", f"{api}/deployments/{deployment_id}/create_flow_run", {})["id"])


def _state(api: str, run_id: str) -> str:
    return str(_call("GET", f"{api}/flow_runs/{run_id}")["state"]["type"])


def _wait(api: str, runs: list[str], seconds: float) -> dict[str, str]:
    deadline = time.monotonic() + seconds
    states: dict[str, str] = {}
    while time.monotonic() < deadline:
        states = {run: _state(api, run) for run in runs}
        if set(states.values()) <= FINAL:
            return states
        time.sleep(2)
    return states


def _crawl_all(env: dict[str, str], out: Path, index: str, proxy: str,
               workers: list[Path]) -> dict[str, Any]:
    ids = _deploy(env, out, index, proxy)
    processes = [_worker(env, directory) for directory in workers]
    try:
        runs = [_trigger(env["PREFECT_API_URL"], ids[site]) for site in sorted(ids)]
        return {"ids": ids, "runs": runs, "processes": processes}
    except BaseException:
        for process in processes:
            _stop(process)
        raise


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_two_workers_crawl_every_site_once_and_a_killed_worker_is_redone(
    prefect_server: dict[str, str], pg_database: str, tmp_path: Path
) -> None:
    api = prefect_server["PREFECT_API_URL"]
    sites = sorted(load_sites())
    with ReplicaServer() as replica:
        # 1. undisturbed: deploy, two workers, trigger every site
        out = tmp_path / "shared"
        started = _crawl_all(prefect_server, out, pg_database, replica.proxy,
                             [tmp_path / "machine-a", tmp_path / "machine-b"])
        try:
            states = _wait(api, started["runs"], 900)
        finally:
            for process in started["processes"]:
                _stop(process)
        assert set(states.values()) == {"COMPLETED"}, states
        lines = record_lines(out)
        assert {line["site"] for line in lines} == set(sites)
        keys = [(line["url"], line["part"]) for line in lines]
        assert len(keys) == len(set(keys)), "every article stored exactly once"
        logs = {path.parent.name for path in out.glob("_fetch/site=*/*.ndjson")}
        warcs = {path.parent.name for path in out.glob("_raw/site=*/*.warc.gz")}
        assert logs == warcs == {f"site={site}" for site in sites}, \
            "raw capture and fetch logs of every site are in the shared output root"
        workers_used = {path.parent.name for path in tmp_path.glob("machine-*/worker.log")
                        if "crawl-site" in path.read_text(errors="replace")}
        assert workers_used == {"machine-a", "machine-b"}, "both workers ran flow runs"

        # 2. a worker killed mid-run; the operator's retry, on the surviving worker or the
        #    machine brought back
        import psycopg

        with psycopg.connect(pg_database, autocommit=True) as db:
            db.execute("TRUNCATE records, runs")
        out2 = tmp_path / "shared-2"
        started = _crawl_all(prefect_server, out2, pg_database, replica.proxy,
                             [tmp_path / "machine-c", tmp_path / "machine-d"])
        victim, _ = started["processes"]
        try:
            deadline = time.monotonic() + 300
            owned: dict[str, int] = {}
            while time.monotonic() < deadline and not owned:
                owned = _runs_of(api, started["runs"], victim)
                time.sleep(0.5)
            time.sleep(2.0)  # mid-run: the fetch is under way
            os.killpg(victim.pid, signal.SIGKILL)  # the machine dies: worker and its runs
            for pid in owned.values():
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(os.getpgid(pid), signal.SIGKILL)
            victim.wait()
            # the machine comes back: a new worker beside the survivor takes runs again
            started["processes"].append(_worker(prefect_server, tmp_path / "machine-e"))
            stuck = list(owned)
            # The operator's retry waits for the site's concurrency slot, which Prefect frees
            # once its crash automation has marked the silent run Crashed.
            retries = [_trigger(api, _deployment_of(api, run)) for run in stuck]
            states = _wait(api, started["runs"] + retries, 900)
        finally:
            for process in started["processes"]:
                _stop(process)
    assert stuck, "the killed worker was running a crawl"
    assert {states.pop(run) for run in stuck} == {"CRASHED"}, "Prefect marked it Crashed"
    assert set(states.values()) == {"COMPLETED"}, states
    assert comparable(record_lines(out2)) == comparable(lines), "same record set, once each"
    assert not [p for p in out2.rglob("*") if p.name.endswith(".tmp")
                and "site=" in str(p.parent) and "_raw" not in str(p)]


def _deployment_of(api: str, run_id: str) -> str:
    return str(_call("GET", f"{api}/flow_runs/{run_id}")["deployment_id"])


def _parent(pid: int) -> int:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return -1
    return int(stat.rsplit(")", 1)[1].split()[1])


def _runs_of(api: str, runs: list[str], worker: subprocess.Popen[bytes]) -> dict[str, int]:
    """The running flow runs whose process this worker started: run id → pid."""
    owned = {}
    for run in runs:
        body = _call("GET", f"{api}/flow_runs/{run}")
        pid = str(body.get("infrastructure_pid") or "").rsplit(":", 1)[-1]
        if body["state"]["type"] == "RUNNING" and pid.isdigit() and \
                _parent(int(pid)) == worker.pid:
            owned[run] = int(pid)
    return owned


def test_deploy_command_needs_a_server_and_known_sites(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from flows.cli import main

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    assert main(["deploy", "--pool", POOL, "--out", str(tmp_path)]) == 2
    assert "PREFECT_API_URL is not set" in capsys.readouterr().err
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:9/api")
    assert main(["deploy", "nowhere", "--pool", POOL, "--out", str(tmp_path)]) == 2
    assert "unknown site 'nowhere'" in capsys.readouterr().err


def test_deploy_keeps_one_crash_automation_that_marks_silent_govnews_runs_crashed(
    prefect_api: str,
) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.objects import StateType

    from flows.deploy import CRASH_AUTOMATION, TAG, ensure_crash_automation

    first = ensure_crash_automation(30)
    assert ensure_crash_automation(45) == first, "a second deploy updates, never adds"
    with get_client(sync_client=True) as client:
        (automation,) = client.read_automations_by_name(CRASH_AUTOMATION)
    trigger = automation.trigger
    assert trigger.posture == "Proactive"
    assert trigger.after == {"prefect.flow-run.heartbeat"}
    assert "prefect.flow-run.Completed" in trigger.expect
    assert trigger.within.total_seconds() == 135, "three heartbeats of 45 s missed"
    assert trigger.for_each == {"prefect.resource.id"}
    related = trigger.match_related
    assert related.model_dump() == {
        "prefect.resource.role": "tag", "prefect.resource.id": f"prefect.tag.{TAG}"}, \
        "only govnews runs: other teams' flows on the server are left alone"
    (action,) = automation.actions
    assert action.state == StateType.CRASHED
