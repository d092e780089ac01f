"""A run's raw capture (WARC files under `_raw/`, fetch logs under `_fetch/`) on the output root.

Fetches write their capture to a local directory, the staging root: the output root itself when
it is a local directory, else a directory on this machine (see `flows.common.Output.raw_root`),
because Scrapy writes files as it goes and a killed fetch must leave them where the next fetch
can take them over (`crawler.resume`). Once a run has committed, `publish_capture` moves its
capture from a local staging root to a remote output root, so that the raw capture and the
fetch logs sit beside the records, as on a local root. Each file is copied whole under a temp
name, then moved into place (one PUT on an object store), and only then deleted locally; a
publish that fails leaves the local files, and the site's next run publishes them. The capture
of runs that never committed stays local: a resumed fetch takes it over.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable
from dataclasses import dataclass

from storage.fs import Root, process_tag
from storage.warc import RAW_DIR

FETCH_DIR = "_fetch"
"""Fetch logs (`<run-id>.ndjson`) and fetch summaries (`<run-id>.summary.json`) per site."""

CAPTURE_SUFFIXES = (".warc.gz", ".summary.json", ".ndjson")
"""How the capture files of a run are named: `<run-id><suffix>`."""


@dataclass(frozen=True)
class Published:
    """What `publish_capture` did: the files moved to the output root, and the files it
    could not move (with the reason), left on the staging root for the next run."""

    moved: tuple[str, ...] = ()
    failed: tuple[tuple[str, str], ...] = ()


def capture_run(name: str) -> str | None:
    """The run id a capture file belongs to, from its name; None for any other file (a
    temp file of a fetch that is still writing or was killed)."""
    if name.startswith("."):
        return None
    for suffix in CAPTURE_SUFFIXES:
        if name.endswith(suffix):
            return name.removesuffix(suffix)
    return None


def publish_capture(staging: str, root: str, site: str,
                    committed: Callable[[str], bool]) -> Published:
    """Move the capture of `site`'s committed runs from the local `staging` root to the
    output `root`; nothing to do when they are the same directory."""
    local, remote = Root.open(staging), Root.open(root)
    if not local.is_local or (remote.is_local and remote.path == local.path):
        return Published()
    moved: list[str] = []
    failed: list[tuple[str, str]] = []
    for directory in (RAW_DIR, FETCH_DIR):
        relative = posixpath.join(directory, f"site={site}")
        for path in local.glob(posixpath.join(relative, "*")):
            name = posixpath.basename(path)
            run_id = capture_run(name)
            if run_id is None or not committed(run_id):
                continue
            final = remote.join(relative, name)
            try:
                remote.put_atomic(path, final, tag=process_tag())
            except Exception as error:  # any backend's error (an object store's too): retried
                failed.append((path, str(error) or type(error).__name__))
                continue
            os.remove(path)
            moved.append(remote.url_of(final))
    return Published(tuple(moved), tuple(failed))
