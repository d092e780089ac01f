"""Live progress of a fetch: the child process reports, the parent listens.

The fetch child prints one JSON line per update on stdout while it runs
(`{"progress": {"site": …, "pages": …, "articles": …, "failures": …}}`, at most one per site
every `INTERVAL` seconds, and a last one when the site closes); its final summary line follows
at exit. `stream_process` runs a command and hands each progress line to a callback as it
arrives, so a caller can show a live display or log a line every N pages. Listeners registered
with `listen` get every update of fetches run in this process (the `govnews crawl` display).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

PREFIX = '{"progress":'
INTERVAL = 0.5
"""Seconds between two progress lines of one site."""

Listener = Callable[[Mapping[str, Any]], None]
_listeners: list[Listener] = []
_lock = threading.Lock()


@dataclass
class Reporter:
    """The child's side: counts of one site and when they were last printed."""

    site: str
    last: float = 0.0

    def update(self, counts: Mapping[str, int], *, final: bool = False) -> None:
        """Print the counts when `INTERVAL` has passed since the last line (always if final)."""
        now = time.monotonic()
        if not final and now - self.last < INTERVAL:
            return
        self.last = now
        line = {"progress": {"site": self.site, "pages": int(counts.get("pages", 0)),
                             "articles": int(counts.get("articles", 0)),
                             "failures": int(counts.get("failures", 0)), "done": final}}
        sys.stdout.write(json.dumps(line) + "\n")
        sys.stdout.flush()


def parse_line(line: str) -> dict[str, Any] | None:
    """The progress update in a line of the child's stdout, or None."""
    if not line.startswith(PREFIX):
        return None
    try:
        update = json.loads(line)["progress"]
    except (ValueError, KeyError, TypeError):
        return None
    return update if isinstance(update, dict) else None


@contextmanager
def listen(listener: Listener) -> Iterator[None]:
    """Give `listener` every progress update of fetches run in this process while inside."""
    with _lock:
        _listeners.append(listener)
    try:
        yield
    finally:
        with _lock:
            _listeners.remove(listener)


def publish(update: Mapping[str, Any]) -> None:
    """Hand one update to every registered listener (a failing listener is dropped silently:
    a display must never end a fetch)."""
    with _lock:
        listeners = list(_listeners)
    for listener in listeners:
        try:
            listener(update)
        except Exception:
            with _lock:
                if listener in _listeners:
                    _listeners.remove(listener)


class EveryPages:
    """A listener that writes one line per site every `pages` fetched pages, and at the end."""

    def __init__(self, write: Callable[[str], object], pages: int) -> None:
        self.write = write
        self.pages = pages
        self._next: dict[str, int] = {}

    def __call__(self, update: Mapping[str, Any]) -> None:
        site, pages = str(update.get("site")), int(update.get("pages", 0))
        if pages < self._next.get(site, self.pages) and not update.get("done"):
            return
        self._next[site] = pages + self.pages
        state = "done: " if update.get("done") else ""
        self.write(f"{site}: {state}{pages} pages fetched, {update.get('articles', 0)} "
                   f"article pages, {update.get('failures', 0)} failures")


@dataclass(frozen=True)
class Finished:
    """A streamed process that ended: exit status, its other stdout lines, its stderr."""

    returncode: int
    stdout: list[str]
    stderr: str


class StreamTimeout(Exception):
    """The process ran longer than its wall timeout and was killed."""


def stream_process(command: list[str], *, env: Mapping[str, str], timeout: float,
                   on_progress: Listener | None = None,
                   started: Callable[[subprocess.Popen[str]], None] | None = None,
                   ended: Callable[[subprocess.Popen[str]], None] | None = None) -> Finished:
    """Run `command`, handing each progress line of its stdout to `on_progress` and to the
    listeners as it arrives; kill it after `timeout` seconds (`StreamTimeout`), or when the
    caller is interrupted. `started` and `ended` see the child process (to track it)."""
    other: list[str] = []
    with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as errors:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors, text=True,
                                   env=dict(env), bufsize=1)
        if started is not None:
            started(process)
        timed_out = threading.Event()

        def kill() -> None:
            timed_out.set()
            process.kill()

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            assert process.stdout is not None
            for line in process.stdout:
                update = parse_line(line)
                if update is None:
                    other.append(line.rstrip("\n"))
                    continue
                if on_progress is not None:
                    on_progress(update)
                publish(update)
            returncode = process.wait()
        finally:
            timer.cancel()
            if process.poll() is None:  # interrupted while reading: the child goes too
                process.kill()
                process.wait()
            if ended is not None:
                ended(process)
        errors.seek(0)
        stderr = errors.read()
    if timed_out.is_set():
        raise StreamTimeout(f"timed out after {timeout}s")
    return Finished(returncode, other, stderr)
