"""`govnews check-site` crawls each replica and reports its articles and every failure."""

from __future__ import annotations

import json

import pytest

from crawler.sites import SEEDS_DIR, load_sites
from flows.cli import main

SITES = sorted(load_sites(SEEDS_DIR))


@pytest.mark.slow
@pytest.mark.parametrize("name", SITES)
def test_check_site_succeeds_with_articles_and_reasons(
        name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-site", name, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["counts"]["articles"] >= 20
    reasons = {failure["reason"] for failure in report["failures"]}
    assert {"http 404", "timeout", "truncated body"} <= reasons
    assert all(failure["url"] and failure["stage"] for failure in report["failures"])
    assert "robots.txt" in {item["reason"] for item in report["skipped"]}


def test_check_site_names_an_unknown_site(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-site", "nosuch"]) == 2
    assert "unknown site 'nosuch'" in capsys.readouterr().err
