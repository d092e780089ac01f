"""Live fetch progress: the child streams updates while it runs; displays and logs read them."""

from __future__ import annotations

import io
import time
from contextlib import redirect_stderr
from pathlib import Path
from typing import Any

import pytest

from crawler.fetch import FetchOptions, run_fetch_subprocess
from crawler.progress import EveryPages, listen, parse_line, publish
from crawler.replica.server import ReplicaServer
from flows.display import ProgressTable, crawl_progress

SLOW_SECONDS = 8.0


def test_progress_lines_are_told_from_other_output() -> None:
    line = '{"progress": {"site": "a", "pages": 3, "articles": 2, "failures": 0, "done": false}}'
    assert parse_line(line) == {"site": "a", "pages": 3, "articles": 2, "failures": 0,
                                "done": False}
    assert parse_line('{"run_id": "r", "sites": {}}') is None
    assert parse_line('{"progress": broken') is None


def test_every_pages_writes_one_line_per_step_and_at_the_end() -> None:
    lines: list[str] = []
    log = EveryPages(lines.append, 10)
    for pages in (1, 5, 10, 12, 19, 20, 31):
        log({"site": "a", "pages": pages, "articles": pages - 1, "failures": 0})
    log({"site": "b", "pages": 3, "articles": 1, "failures": 2, "done": True})
    assert lines == ["a: 10 pages fetched, 9 article pages, 0 failures",
                     "a: 20 pages fetched, 19 article pages, 0 failures",
                     "a: 31 pages fetched, 30 article pages, 0 failures",
                     "b: done: 3 pages fetched, 1 article pages, 2 failures"]


def test_crawl_progress_prints_lines_without_a_terminal_and_a_table_with_one() -> None:
    err = io.StringIO()
    with redirect_stderr(err), crawl_progress(["a"], terminal=False):
        publish({"site": "a", "pages": 10, "articles": 8, "failures": 1})
    assert err.getvalue() == "progress: a: 10 pages fetched, 8 article pages, 1 failures\n"
    table = ProgressTable(["a", "b"])
    table.update({"site": "a", "pages": 4, "articles": 3, "failures": 0, "done": True})
    rendered = table.render()
    assert rendered.row_count == 2
    assert [cell for cell in rendered.columns[4].cells] == ["fetched", "fetching"]


@pytest.mark.slow
def test_progress_arrives_while_a_slow_fetch_is_still_running(tmp_path: Path) -> None:
    updates: list[tuple[float, dict[str, Any]]] = []
    heard: list[dict[str, Any]] = []
    with ReplicaServer(slow_seconds=SLOW_SECONDS) as server, listen(heard.append):
        options = FetchOptions(out=str(tmp_path), run_id="progress-1", proxy=server.proxy,
                               loopback=True, timeout=SLOW_SECONDS * 3, max_pages=1)
        summaries = run_fetch_subprocess(
            ["jynews"], options,
            on_progress=lambda update: updates.append((time.monotonic(), dict(update))))
        ended = time.monotonic()
    assert updates, "no progress line arrived"
    early = [update for at, update in updates if update["pages"] > 0
             and ended - at > SLOW_SECONDS / 2]
    assert early, "progress arrived only at the end, not while the slow page was pending"
    last = updates[-1][1]
    summary = summaries["jynews"]
    assert last["done"] is True
    assert last["pages"] == summary["articles_fetched"] + summary["lists_fetched"]
    assert last["failures"] == sum(summary["failed"].values())
    assert [update for _, update in updates] == heard, "listeners hear the same updates"

