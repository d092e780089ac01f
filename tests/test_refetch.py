"""Revisions that happen: real crawls over HTTP of the jynews replica with a refetch policy.

The site's copy refetches articles of the last 3650 days (the replica's dates are years old)
on every second run. Run 1 stores edition 1. The replica then serves its second edition
(`[second_edition]` of jynews's content.toml: article 5 corrected, article 6 withdrawn, 410).
Run 2 is due: the stored articles are asked for again with their validators, the corrected
one becomes revision 2, the withdrawn one a tombstone, the rest answer 304 or the same bytes
and write nothing. Run 3 is not due: no stored article is requested. (A withdrawn page that
comes back, and one still gone on the next refetch, are in `tests/test_refetch_policy.py`.)
"""

from __future__ import annotations

import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from crawler.replica.server import RecordedRequest, ReplicaServer
from crawler.sites import load_site
from storage.index import Index
from storage.jsonl import decode_lines
from tests.conftest import ROOT, validate_record

SITE = "jynews"
POLICY = "\n[refetch]\ndays = 3650\nevery = 2\n"

pytestmark = pytest.mark.slow


@dataclass
class Run:
    manifest: dict[str, Any]
    requests: list[RecordedRequest]
    lines: list[dict[str, Any]]
    """The record and tombstone lines this run wrote."""

    @property
    def stats(self) -> dict[str, Any]:
        return dict(self.manifest["sites"][SITE])


@dataclass
class History:
    out: Path
    runs: list[Run]
    corrected: str
    withdrawn: str
    stored: set[str]
    """The article URLs run 1 stored."""
    correction: str


def run_lines(out: Path, run_id: str) -> list[dict[str, Any]]:
    return [line for path in sorted(out.glob(f"site=*/date=*/part-{run_id}.jsonl"))
            for line in decode_lines(path.read_bytes())]


@pytest.fixture(scope="module")
def history(prefect_api: str, tmp_path_factory: pytest.TempPathFactory) -> History:
    from flows.crawl import crawl_all

    tmp = tmp_path_factory.mktemp("refetch")
    seeds = tmp / "seeds"
    shutil.copytree(ROOT / "seeds" / SITE, seeds / SITE)
    with open(seeds / SITE / "site.toml", "a", encoding="utf-8") as site_file:
        site_file.write(POLICY)
    assert load_site(seeds / SITE / "site.toml").refetch.every == 2
    out = tmp / "data"
    runs = []
    # The slow fault answers at once here (a stored stand-in page without validators): four
    # runs stay short, and the refetch meets one more page that comes back with the same text.
    with ReplicaServer(seeds=seeds, slow_seconds=0.0, per_site=10) as server:
        site_map = server.sites[SITE]
        by_number = {article.number: url for url, article in site_map.articles.items()}
        changes = site_map.replica.content.second_edition
        for edition in (1, 2, 2):
            server.replica.edition = edition
            seen = len(server.requests)
            manifest = crawl_all(sites=[SITE], out=str(out), proxy=server.proxy, loopback=True,
                                 seeds=str(seeds))
            runs.append(Run(manifest, server.requests[seen:],
                            run_lines(out, manifest["run_id"])))
    with Index(str(out / "_index.sqlite"), readonly=True) as index:
        assert index.count(SITE) > 0
    first = runs[0].lines
    return History(out, runs, by_number[changes.corrected[0]], by_number[changes.withdrawn[0]],
                   {line["url"] for line in first}, changes.correction)


def article_requests(run: Run, urls: set[str]) -> list[RecordedRequest]:
    return [request for request in run.requests if request.url in urls]


def test_first_run_stores_every_article_once(history: History) -> None:
    first = history.runs[0]
    assert first.stats["records_written"] == len(first.lines) >= 10
    assert {history.corrected, history.withdrawn} <= history.stored
    assert all(line["revision"] == 1 for line in first.lines)
    assert not any(request.conditions for request in first.requests)


def test_a_due_refetch_asks_again_with_the_validators(history: History) -> None:
    second = history.runs[1]
    asked = article_requests(second, history.stored)
    assert Counter(request.url for request in asked) == Counter(history.stored)
    conditional = {request.url: dict(request.conditions) for request in asked
                   if request.conditions}
    assert len(conditional) >= len(history.stored) - 3  # the fault pages give no validators
    assert {history.corrected, history.withdrawn} <= set(conditional)
    for headers in conditional.values():
        assert headers["If-None-Match"].startswith('"') and headers["If-Modified-Since"]


def test_a_changed_article_gives_revision_2(history: History) -> None:
    second = history.runs[1]
    (line,) = [line for line in second.lines if line["url"] == history.corrected]
    validate_record(line)
    assert line["revision"] == 2 and line.get("deleted_at") is None
    assert line["text"].endswith(history.correction)
    (original,) = [line for line in history.runs[0].lines if line["url"] == history.corrected]
    assert line["id"] == original["id"]
    assert line["text"].removesuffix(history.correction).strip() == original["text"]


def test_a_vanished_article_gives_a_tombstone(history: History) -> None:
    second = history.runs[1]
    (line,) = [line for line in second.lines if line["url"] == history.withdrawn]
    validate_record(line)
    (original,) = [line for line in history.runs[0].lines if line["url"] == history.withdrawn]
    assert line["deleted_at"] and line["text"] is None
    assert (line["id"], line["site"], line["part"], line["revision"]) == \
        (original["id"], SITE, 1, 2)
    assert line["content_sha256"] == original["content_sha256"]
    assert second.stats["skipped"]["deleted (http 410)"] == 1
    assert second.stats["tombstones_written"] == 1
    assert not any("410" in reason for reason in second.stats["failures"])


def test_unchanged_articles_write_nothing(history: History) -> None:
    second = history.runs[1]
    assert {line["url"] for line in second.lines} == {history.corrected, history.withdrawn}
    assert second.stats["records_written"] == 1
    not_modified = second.stats["skipped"]["not modified"]
    same_bytes = second.stats["duplicates_skipped"]
    assert not_modified >= len(history.stored) - 5
    assert same_bytes >= 1  # pages without validators come back whole, with the same text
    assert not_modified + same_bytes + 2 == len(history.stored)


def test_a_run_where_refetch_is_not_due_does_not_refetch(history: History) -> None:
    third = history.runs[2]
    assert not article_requests(third, history.stored)
    assert third.lines == []
    assert "not modified" not in third.stats["skipped"]
    assert third.stats["skipped"]["already stored"] >= 1
