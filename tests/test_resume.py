"""A killed fetch resumes: what it captured is taken over, not fetched again.

The end-to-end tests crawl a replica site whose article pages are served one at a time, slowly,
kill the fetch (the fetch process, or the whole crawl) once some articles are in its WARC file,
and run again: the replica's request record shows the captured articles were not requested a
second time, and the stored records equal those of an undisturbed crawl, each once.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

import pytest

from crawler.fetch import fetch_events
from crawler.replica.server import ReplicaServer, Reply
from crawler.resume import find_leftovers
from crawler.spiders.items import FetchedPage
from crawler.spiders.pipelines import RawCapturePipeline, summary_path
from storage.fs import HOST, pid_alive
from storage.warc import (
    RawResponse,
    WarcWriter,
    complete_responses,
    iter_warc,
    unfinished_captures,
    warc_path,
)
from tests.conftest import ROOT
from tests.test_flows import comparable, record_lines

SITE = "mengjin"
PER_SITE = 8
ARTICLE_SECONDS = 0.1
"""Each article response takes this long, one at a time: the kill lands mid-fetch."""
KILL_AFTER = 3
"""Complete articles in the WARC file when the fetch is killed."""
LIST_KINDS = frozenset({"list", "edition", "robots", "moved"})


def _body(number: int) -> bytes:
    return f"<html><body><p>第{number}条新闻。</p></body></html>".encode()


def _write(path: str, count: int) -> WarcWriter:
    writer = WarcWriter(path, run_id="run-1")
    for number in range(count):
        writer.write(f"http://www.example.gov.cn/a/{number}.html", 200,
                     [("Content-Type", "text/html; charset=utf-8")], _body(number),
                     "2024-05-01T08:00:00+00:00", {"Site": SITE})
    return writer


# -- reading what a killed writer left ---------------------------------------------------


def test_a_torn_tail_is_left_out_wherever_the_file_was_cut(tmp_path: Path) -> None:
    path = warc_path(str(tmp_path), SITE, "run-1")
    _write(path, 3).close()
    data = Path(path).read_bytes()
    whole = [(r.url, r.body) for r in iter_warc(path)]
    cut_file = tmp_path / "cut.warc.gz"
    counts: dict[int, int] = {}
    for cut in sorted({*range(0, len(data), 3), len(data) - 40, len(data)}):
        cut_file.write_bytes(data[:cut])
        read = [(r.url, r.body) for r in complete_responses(str(cut_file))]
        assert read == whole[:len(read)], f"cut at {cut}: a record came back torn"
        counts[cut] = len(read)
    assert list(counts.values()) == sorted(counts.values()), "a longer file never reads less"
    assert counts[len(data)] == 3
    assert counts[len(data) - 40] == 2, "a cut inside the last record drops it"
    assert set(counts.values()) == {0, 1, 2, 3}


def test_a_writer_killed_before_close_leaves_every_record_it_wrote(tmp_path: Path) -> None:
    path = warc_path(str(tmp_path), SITE, "run-1")
    writer = _write(path, 2)  # never closed: the process "dies" here
    (temp,) = Path(path).parent.glob(".*.tmp")
    assert [r.url for r in complete_responses(str(temp))] == [
        "http://www.example.gov.cn/a/0.html", "http://www.example.gov.cn/a/1.html"]
    writer.discard()


def test_the_capture_of_committed_or_live_runs_is_not_taken(tmp_path: Path) -> None:
    out = str(tmp_path)
    _write(warc_path(out, SITE, "committed"), 1).close()
    _write(warc_path(out, SITE, "uncommitted"), 1).close()
    directory = Path(out) / "_raw" / f"site={SITE}"
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    try:
        sample = (directory / "committed.warc.gz").read_bytes()
        dead_pid = dead.stdout.strip()
        (directory / f".running.warc.gz.{live.pid}@{HOST}.tmp").write_bytes(sample)
        (directory / f".killed.warc.gz.{dead_pid}@{HOST}.tmp").write_bytes(sample)
        (directory / f".older.warc.gz.{dead_pid}.tmp").write_bytes(sample)
        # A pid of another machine on a shared root says nothing about this machine's processes.
        (directory / f".elsewhere.warc.gz.{dead_pid}@other-machine.tmp").write_bytes(sample)
        found = unfinished_captures(out, SITE, committed=lambda run: run == "committed")
    finally:
        live.kill()
        live.wait()
    assert sorted(Path(path).name for path in found) == [
        f".killed.warc.gz.{dead_pid}@{HOST}.tmp", f".older.warc.gz.{dead_pid}.tmp",
        "uncommitted.warc.gz"]


def test_leftovers_leave_out_stored_articles_and_know_redirect_origins(tmp_path: Path) -> None:
    out = str(tmp_path)
    writer = WarcWriter(warc_path(out, SITE, "run-1"))
    for name, origin in (("a", None), ("b", "http://x.gov.cn/old/b"), ("c", None)):
        writer.write_response(RawResponse(
            f"http://x.gov.cn/{name}", 200, [("Content-Type", "text/html")], name.encode(),
            "2024-05-01T08:00:00+00:00", {"Requested-URL": origin} if origin else {}))
    writer.close()
    leftovers = find_leftovers(out, SITE, committed=lambda run: False,
                               skip={"http://x.gov.cn/c"})
    assert leftovers.urls == {"http://x.gov.cn/a", "http://x.gov.cn/b", "http://x.gov.cn/old/b"}
    taken = list(leftovers.responses())
    assert [r.url for r in taken] == ["http://x.gov.cn/a", "http://x.gov.cn/b"]
    assert {r.extra["Resumed-From"] for r in taken} == {"run-1.warc.gz"}
    assert [r.header("content-length") for r in taken] == ["1", "1"]


def test_the_pipeline_copies_the_leftovers_and_deletes_them_once_its_file_is_complete(
        tmp_path: Path) -> None:
    out = str(tmp_path)
    _write(warc_path(out, SITE, "run-1"), 2).close()  # an earlier try of this run
    killed = WarcWriter(warc_path(out, SITE, "run-0"))
    killed.write("http://www.example.gov.cn/a/9.html", 200, [], _body(9),
                 "2024-05-01T08:00:00+00:00")
    temp = next(Path(out, "_raw", f"site={SITE}").glob(".run-0.*.tmp"))
    temp.rename(temp.with_name(".run-0.warc.gz.999999999.tmp"))  # its process is gone
    with open(temp.with_name(".run-0.warc.gz.999999999.tmp"), "ab") as handle:
        handle.write(b"\x1f\x8b\x08\x00torn")
    leftovers = find_leftovers(out, SITE, committed=lambda run: False)
    assert len(leftovers.files) == 2 and len(leftovers.urls) == 3

    pipeline = RawCapturePipeline(out, "run-1")
    pipeline.open_spider(SimpleNamespace(name=SITE, leftovers=leftovers))
    pipeline.process_item(FetchedPage(SITE, "http://www.example.gov.cn/a/new.html", "article",
                                      200, [], b"new"))
    pipeline.close_spider()
    summary = json.loads(summary_path(out, SITE, "run-1").read_text())
    assert (summary["articles_fetched"], summary["articles_resumed"]) == (4, 3)
    assert sorted(r.url for r in iter_warc(summary["warc"])) == [
        "http://www.example.gov.cn/a/0.html", "http://www.example.gov.cn/a/1.html",
        "http://www.example.gov.cn/a/9.html", "http://www.example.gov.cn/a/new.html"]
    assert [p.name for p in Path(out, "_raw", f"site={SITE}").iterdir()] == ["run-1.warc.gz"]
    killed.discard()


# -- a killed fetch, end to end ----------------------------------------------------------


@pytest.fixture
def serial_replica() -> Iterator[ReplicaServer]:
    """The replica, serving article pages one at a time, `ARTICLE_SECONDS` each."""
    with ReplicaServer(per_site=PER_SITE, slow_seconds=0.2) as server:
        replica = server.replica
        original = replica.reply
        one_at_a_time = threading.Lock()

        def reply(host: str, target: str,
                  conditions: Mapping[str, str] | None = None) -> Reply:
            site_map = replica.by_host.get(host)
            route = site_map.routes.get(urlsplit(target).path) if site_map else None
            if route is not None and route.kind not in LIST_KINDS:
                with one_at_a_time:
                    time.sleep(ARTICLE_SECONDS)
            return original(host, target, conditions)

        replica.reply = reply  # type: ignore[method-assign]
        yield server


def _temp_warc(out: Path) -> Path | None:
    found = list((out / "_raw" / f"site={SITE}").glob(".*.warc.gz.*.tmp"))
    return found[0] if found else None


def _kill_after_captures(out: Path, target: subprocess.Popen[Any] | None = None,
                         timeout: float = 60) -> list[str]:
    """Wait for `KILL_AFTER` complete articles in the fetch's WARC, SIGKILL the fetch process
    (named in the temp file; or `target`'s process group), and return the captured URLs."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        temp = _temp_warc(out)
        if temp is not None and len(list(complete_responses(str(temp)))) >= KILL_AFTER:
            break
        time.sleep(0.02)
    else:
        raise AssertionError("the fetch captured too little before the deadline")
    fetch_pid = int(temp.name.removesuffix(".tmp").rsplit(".", 1)[-1].split("@")[0])
    if target is None:
        os.kill(fetch_pid, signal.SIGKILL)
    else:
        os.killpg(target.pid, signal.SIGKILL)
        target.wait()
    while pid_alive(fetch_pid):  # once it is dead its file is what the next try finds
        time.sleep(0.01)
    captured = [response.url for response in complete_responses(str(temp))]
    assert 0 < KILL_AFTER <= len(captured)
    return captured


def _article_gets(server: ReplicaServer) -> Counter[str]:
    return Counter(request.url for request in server.requests if request.method == "GET")


# -- a killed crawl, end to end ----------------------------------------------------------


@pytest.fixture(scope="module")
def undisturbed(prefect_api: str, tmp_path_factory: pytest.TempPathFactory
                ) -> list[dict[str, Any]]:
    """The records of an undisturbed crawl of the site."""
    from flows.crawl import crawl_site

    out = tmp_path_factory.mktemp("undisturbed") / "data"
    with ReplicaServer(per_site=PER_SITE, slow_seconds=0.2) as server:
        crawl_site(SITE, out=str(out), proxy=server.proxy, loopback=True)
    return comparable(record_lines(out))


def _assert_resumed(out: Path, server: ReplicaServer, captured: list[str],
                    gets_before: Counter[str], undisturbed: list[dict[str, Any]]) -> None:
    gets = _article_gets(server)
    assert [url for url in captured if gets[url] != gets_before[url]] == [], \
        "captured articles were requested again"
    assert all(gets[url] == 1 for url in captured)
    lines = comparable(record_lines(out))
    assert len({(line["url"], line["part"]) for line in lines}) == len(lines), "each once"
    assert lines == undisturbed
    assert _temp_warc(out) is None
    assert [path.name for path in (out / "_raw" / f"site={SITE}").iterdir()] == \
        [f"{manifest.stem}.warc.gz" for manifest in (out / "_manifests").glob("*.json")]


def test_a_crawl_killed_mid_fetch_reruns_to_an_undisturbed_crawls_records(
        serial_replica: ReplicaServer, undisturbed: list[dict[str, Any]], prefect_api: str,
        tmp_path: Path) -> None:
    from flows.crawl import crawl_site

    out = tmp_path / "data"
    code = ("import sys; from flows.crawl import crawl_site; "
            "crawl_site(sys.argv[1], out=sys.argv[2], proxy=sys.argv[3], loopback=True)")
    env = {**os.environ, "PREFECT_API_URL": prefect_api, "PYTHONPATH": str(ROOT)}
    crawl = subprocess.Popen([sys.executable, "-c", code, SITE, str(out), serial_replica.proxy],
                             cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        captured = _kill_after_captures(out, crawl)
    finally:
        if crawl.poll() is None:
            os.killpg(crawl.pid, signal.SIGKILL)
            crawl.wait()
    assert not list((out / "_manifests").glob("*.json")), "the killed crawl never committed"
    gets_before = _article_gets(serial_replica)
    manifest = crawl_site(SITE, out=str(out), proxy=serial_replica.proxy, loopback=True)
    assert manifest["sites"][SITE]["records_written"] == len(undisturbed)
    _assert_resumed(out, serial_replica, captured, gets_before, undisturbed)


def test_a_fetch_killed_in_a_crawl_resumes_in_the_tasks_retry(
        serial_replica: ReplicaServer, undisturbed: list[dict[str, Any]], prefect_api: str,
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import flows.crawl
    from flows.crawl import crawl_site

    monkeypatch.setattr(flows.crawl, "fetch_site",
                        flows.crawl.fetch_site.with_options(retry_delay_seconds=0))
    out = tmp_path / "data"
    gets_before: Counter[str] = Counter()
    captured: list[str] = []

    def kill_the_fetch() -> None:
        captured.extend(_kill_after_captures(out))
        gets_before.update(_article_gets(serial_replica))

    killer = threading.Thread(target=kill_the_fetch)
    killer.start()
    manifest = crawl_site(SITE, out=str(out), proxy=serial_replica.proxy, loopback=True)
    killer.join()
    assert captured, "the fetch was not killed"
    assert manifest["sites"][SITE]["site_failure"] is None
    _assert_resumed(out, serial_replica, captured, gets_before, undisturbed)
    run_id = manifest["run_id"]
    summary = json.loads(summary_path(str(out), SITE, run_id).read_text())
    assert summary["articles_resumed"] == len(captured)
    resumed = [event for event in fetch_events(summary) if event.get("resumed")]
    assert sorted(event["url"] for event in resumed) == sorted(captured)
    assert all(event["resumed"].startswith(f".{run_id}.warc.gz.")
               and event["resumed"].endswith(".tmp") for event in resumed), \
        "taken over from the killed try's file"
