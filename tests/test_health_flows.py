"""Health in real flow runs against the replica: a healthy first run and rerun, a template
change, a host that fails DNS; the named Failed state, the artifact and the CLI exit status."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from statistics import median
from typing import Any

import httpx
import pytest

from crawler.replica.server import ReplicaServer
from flows.cli import EXIT_UNHEALTHY
from storage.jsonl import decode_lines
from tests.conftest import ROOT

SITE = "jynews"
BROKEN_LIST = "article_xpath = \"//ul[@class='newslist-v2']\""
"""The list selector of a site whose template changed: it matches nothing on the replica."""


def seeds_with(tmp: Path, name: str, source: str, *changes: tuple[str, str]) -> Path:
    """A seeds directory holding one site folder, a copy of `source`'s (replica included) whose
    `site.toml` has `changes` applied."""
    directory = tmp / f"seeds-{name}"
    shutil.copytree(ROOT / "seeds" / source, directory / name)
    site_file = directory / name / "site.toml"
    text = site_file.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text
        text = text.replace(old, new)
    site_file.write_text(text, encoding="utf-8")
    return directory


def broken_template(tmp: Path) -> Path:
    return seeds_with(tmp, SITE, SITE, ("article_xpath = \"//ul[@class='newslist']\"",
                                        BROKEN_LIST))


def crawl_state(out: Path, seeds: str, proxy: str | None, site: str = SITE) -> Any:
    from flows.crawl import crawl_all

    return crawl_all(sites=[site], out=str(out), proxy=proxy, loopback=True, seeds=seeds,
                     return_state=True)


def artifact_markdown(api: str, run_id: str) -> str:
    response = httpx.post(f"{api}/artifacts/filter", json={
        "artifacts": {"key": {"any_": ["crawl-all"]}}, "limit": 50, "offset": 0,
        "sort": "CREATED_DESC"})
    response.raise_for_status()
    (artifact,) = [a for a in response.json() if run_id in str(a["data"])]
    return str(artifact["data"])


@pytest.fixture(scope="module")
def history(prefect_api: str, tmp_path_factory: pytest.TempPathFactory
            ) -> tuple[Path, list[Any]]:
    """Two healthy runs of the site, then one after its list template changed."""
    tmp = tmp_path_factory.mktemp("health")
    out = tmp / "data"
    states = []
    with ReplicaServer() as server:
        for seeds in (str(ROOT / "seeds"), str(ROOT / "seeds"), str(broken_template(tmp))):
            states.append(crawl_state(out, seeds, server.proxy))
    return out, states


@pytest.mark.slow
def test_first_run_and_rerun_are_healthy_with_the_challenge_page_named(
        history: tuple[Path, list[Any]]) -> None:
    out, (first, rerun, _) = history
    for state in (first, rerun):
        assert state.is_completed(), state.message
        flags = state.result()["sites"][SITE]["health"]
        assert [(flag["code"], flag["severity"]) for flag in flags] == [("anti_bot", "warning")]
    assert rerun.result()["sites"][SITE]["records_written"] == 0
    rejects = [line for path in sorted((out / "_rejects").glob("*.ndjson"))
               for line in decode_lines(path.read_bytes())]
    challenged = [line for line in rejects if "anti-bot challenge" in line["reason"]]
    assert challenged and all(line["reason"] == "anti-bot challenge (cookie script, http 200)"
                              and line["stage"] == "fetch" for line in challenged)
    assert not any(line["reason"].startswith("no article") for line in challenged)


@pytest.mark.slow
def test_a_template_change_ends_the_run_unhealthy_with_the_reason_in_the_artifact(
        history: tuple[Path, list[Any]], prefect_api: str) -> None:
    from flows.common import UnhealthyRun

    _, (first, rerun, broken) = history
    assert broken.is_failed() and broken.name == "Unhealthy"
    unhealthy = broken.result(raise_on_failure=False)
    assert isinstance(unhealthy, UnhealthyRun)
    stats = unhealthy.manifest["sites"][SITE]
    assert stats["lists_fetched"] >= 1 and stats["article_links"] == 0
    pages = f"no article link on {stats['lists_fetched']} list pages"
    assert pages in broken.message
    (flag,) = stats["health"]
    assert flag["code"] == "no_articles" and flag["severity"] == "unhealthy"
    per_page = [run.result()["sites"][SITE]["article_links"]
                / run.result()["sites"][SITE]["lists_fetched"] for run in (first, rerun)]
    assert f"the last 2 runs found {median(per_page):.1f} per page" in flag["message"]
    markdown = artifact_markdown(prefect_api, unhealthy.manifest["run_id"])
    assert f"| {SITE} | NO_ARTICLES |" in markdown
    assert f"| jynews | unhealthy | no_articles | {pages}" in markdown
    first_markdown = artifact_markdown(prefect_api, first.result()["run_id"])
    assert "skipped: robots.txt" in first_markdown, "skips by reason beside failures"


@pytest.mark.slow
def test_a_host_that_fails_dns_ends_the_run_unhealthy(prefect_api: str, tmp_path: Path) -> None:
    seeds = seeds_with(tmp_path, "gone", SITE, ("www.jynews.cn", "www.jynews.invalid"))
    state = crawl_state(tmp_path / "data", str(seeds), proxy=None, site="gone")
    assert state.is_failed() and state.name == "Unhealthy"
    flags = state.result(raise_on_failure=False).manifest["sites"]["gone"]["health"]
    assert [flag["code"] for flag in flags] == ["all_fetches_failed"]
    assert "every fetch failed" in flags[0]["message"]
    assert "DNS lookup failed" in flags[0]["message"]


@pytest.mark.slow
def test_the_crawl_command_exits_unhealthy_unless_allowed(
        history: tuple[Path, list[Any]], prefect_api: str, tmp_path: Path) -> None:
    out, _ = history
    env = {**os.environ, "GOVNEWS_SEEDS": str(broken_template(tmp_path)),
           "PREFECT_API_URL": prefect_api, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    command = [sys.executable, "-m", "flows.cli", "crawl", "--demo", SITE, "--out", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600,
                          check=False, cwd=ROOT)
    assert done.returncode == EXIT_UNHEALTHY, done.stderr[-2000:]
    assert f"health:   {SITE}: unhealthy: no_articles: no article link" in done.stdout
    assert "--allow-unhealthy" in done.stderr
    allowed = subprocess.run([*command, "--allow-unhealthy"], capture_output=True, text=True,
                             env=env, timeout=600, check=False, cwd=ROOT)
    assert allowed.returncode == 0, allowed.stderr[-2000:]
    assert f"health:   {SITE}: unhealthy: no_articles" in allowed.stdout
