"""What the command line survives: special files as `--out`, a reader that goes away, a full
stdout, a damaged WARC under `reprocess`, a site config whose XPath would fail mid-crawl, an
unusable output root, total failure and SIGTERM."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import orjson
import pytest

from crawler.sites import SEEDS_DIR, SiteConfigError, load_site, load_sites
from flows.cli import main
from flows.reprocess import reextract_site
from storage.warc import WarcWriter, warc_path
from tests.conftest import ROOT
from tests.faults.conftest import Mount
from tests.faults.hostile import free_port, write_site
from tests.test_process import PAGE

SEED_TEXTS = sorted((ROOT / "tests" / "golden" / "seeds").glob("*.txt"))
GOVNEWS = [sys.executable, "-m", "flows.cli"]


def run_govnews(*args: str, stdout: object = subprocess.PIPE,
                timeout: float = 120) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([*GOVNEWS, *args], cwd=ROOT, env=env, stdout=stdout,
                          stderr=subprocess.PIPE, check=False, timeout=timeout)


# -- 5. `clean --out` never replaces a special file ---------------------------------------


def test_clean_writes_through_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "records.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    assert main(["clean", str(SEED_TEXTS[0]), "--out", str(fifo)]) == 0
    reader.join(timeout=30)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert orjson.loads(received[0].splitlines()[0])["text"]


def test_clean_follows_a_symlink_and_keeps_it(tmp_path: Path) -> None:
    target = tmp_path / "real.jsonl"
    target.write_bytes(b"old\n")
    link = tmp_path / "link.jsonl"
    link.symlink_to(target)
    assert main(["clean", str(SEED_TEXTS[0]), "--out", str(link)]) == 0
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert orjson.loads(target.read_bytes().splitlines()[0])["text"]
    assert not list(tmp_path.glob(".*.tmp"))


def test_clean_writes_through_a_device(tmp_path: Path) -> None:
    device = tmp_path / "null"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # the null device's numbers
        device.write_bytes(b"probe")
    except OSError as error:
        pytest.skip(f"cannot make or open a device node here: {error.strerror}")
    assert main(["clean", str(SEED_TEXTS[0]), "--out", str(device)]) == 0
    assert stat.S_ISCHR(device.lstat().st_mode)


def test_clean_refuses_a_directory_as_out(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clean", str(SEED_TEXTS[0]), "--out", str(tmp_path)]) == 2
    assert "is a directory" in capsys.readouterr().err


# -- 15. a closed or full stdout ends the command quietly ---------------------------------


@pytest.mark.parametrize("command", ["extract", "clean"])
def test_a_reader_that_goes_away_ends_the_command_quietly(command: str) -> None:
    inputs = [str(ROOT / "tests/gold/hard_blog_utf8/page.html")] if command == "extract" \
        else list(map(str, SEED_TEXTS))
    process = subprocess.Popen([*GOVNEWS, command, *inputs], cwd=ROOT,
                               env={**os.environ, "PYTHONPATH": str(ROOT)},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # like `| head` having read its fill
    stderr = process.stderr.read()
    assert process.wait(timeout=120) == 141
    assert b"Traceback" not in stderr


@pytest.mark.parametrize("command", ["extract", "clean"])
def test_a_full_stdout_is_one_line_and_exit_74(command: str) -> None:
    inputs = [str(ROOT / "tests/gold/hard_blog_utf8/page.html")] if command == "extract" \
        else [str(SEED_TEXTS[0])]
    with open("/dev/full", "wb") as full:
        done = run_govnews(command, *inputs, stdout=full)
    assert done.returncode == 74
    assert done.stderr.decode().strip() == \
        "govnews: cannot write the output: No space left on device"


# -- 8. reprocess keeps what a damaged WARC holds before the damage -----------------------


def test_reprocess_keeps_the_pages_before_the_damage_and_adds_one_read_reject(
        tmp_path: Path) -> None:
    site = load_sites(SEEDS_DIR)["mengjin"]
    for run, pages in (("run-1", 40), ("run-2", 3)):
        with WarcWriter(warc_path(str(tmp_path), site.name, run)) as writer:
            for number in range(pages):
                writer.write(f"http://www.mengjin.gov.cn/news/{run}-{number}.html", 200,
                             {"Content-Type": "text/html; charset=utf-8"}, PAGE,
                             "2024-01-02T03:04:05+00:00")
    damaged = Path(warc_path(str(tmp_path), site.name, "run-1"))
    data = bytearray(damaged.read_bytes())
    data[len(data) // 2:len(data) // 2 + 200] = bytes(200)
    damaged.write_bytes(bytes(data))
    harvest = reextract_site.fn(site, [str(tmp_path)], None)
    urls = [record["url"] for record in harvest.records]
    assert sum("run-2-" in url for url in urls) == 3  # the sound file is read whole
    assert 5 < sum("run-1-" in url for url in urls) < 40
    (reject,) = harvest.rejects
    assert reject["stage"] == "read" and reject["url"] == str(damaged)
    assert reject["reason"].isprintable()


# -- 7. an XPath that would fail inside the spider fails when the config loads ------------


@pytest.mark.parametrize("xpath", ["//ul[foo(@class)]", "//a[re:test(@href, 'x')]",
                                   "bar(//a)"])
def test_an_xpath_with_an_unknown_function_fails_at_load(tmp_path: Path, xpath: str) -> None:
    path = write_site(tmp_path, "badxpath", "http://127.0.0.1/list.html",
                      article_xpath=xpath.replace('"', "'"))
    with pytest.raises(SiteConfigError, match=r"badxpath/site\.toml: field 'links\.article_xpath'"):
        load_site(path)


# -- 9. an unusable output root is refused before any fetch, in one line ------------------


def test_crawl_into_a_read_only_root_exits_5_before_fetching(tmpfs: Mount) -> None:
    root = tmpfs(64, readonly=True)
    done = run_govnews("crawl", "jynews", "--out", str(root), timeout=120)
    assert done.returncode == 5
    lines = done.stderr.decode().strip().splitlines()
    assert lines == [f"govnews crawl: output root {root} is not writable: Read-only file system"]


def test_crawl_on_a_corrupt_index_exits_5_naming_it(tmp_path: Path) -> None:
    (tmp_path / "_index.sqlite").write_bytes(b"\x01not sqlite" * 300)
    done = run_govnews("crawl", "jynews", "--out", str(tmp_path), timeout=120)
    assert done.returncode == 5
    (line,) = done.stderr.decode().strip().splitlines()
    assert str(tmp_path / "_index.sqlite") in line and "govnews reindex" in line
    assert not (tmp_path / "_raw").exists()


# -- 6 and 15, end to end on Prefect's temporary server -----------------------------------


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
def test_a_crawl_where_every_site_fails_exits_4_with_one_line_per_site(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    write_site(seeds, "unreachable", f"http://127.0.0.1:{free_port()}/list.html")
    env = {key: value for key, value in os.environ.items() if key != "PREFECT_API_URL"}
    done = subprocess.run([*GOVNEWS, "crawl", "--out", str(tmp_path / "out")], cwd=ROOT,
                          env={**env, "PYTHONPATH": str(ROOT), "GOVNEWS_SEEDS": str(seeds)},
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 4, done.stderr[-2000:]
    assert "govnews crawl: site unreachable failed: no page could be fetched (connection " \
        "failed" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.slow
def test_sigterm_stops_the_crawl_and_the_temporary_prefect_server(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if key != "PREFECT_API_URL"}
    crawl = subprocess.Popen([*GOVNEWS, "crawl", "--demo", "--out", str(tmp_path / "out")],
                             cwd=ROOT, env={**env, "PYTHONPATH": str(ROOT)},
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 180
    server = None
    while time.monotonic() < deadline and server is None and crawl.poll() is None:
        for child in _children(crawl.pid):
            cmdline = (Path("/proc") / str(child) / "cmdline").read_bytes()
            if b"uvicorn" in cmdline or b"prefect" in cmdline:
                server = child
        time.sleep(0.2)
    assert server is not None, "Prefect's temporary server never started"
    time.sleep(2.0)
    crawl.send_signal(signal.SIGTERM)
    assert crawl.wait(timeout=60) == 143
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and _alive(server):
        time.sleep(0.2)
    assert not _alive(server), "the temporary Prefect server outlived the crawl"
