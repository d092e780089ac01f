"""One crawl at a time per output root and site: an advisory lock file per site.

`site_lock(index_path, site, run_id)` takes `<index dir>/_locks/site=<site>.lock` with
`flock` and writes who holds it (pid, host, run id, since when). A second crawl of the same site
on the same root does not wait: it gets `SiteLocked` saying who holds the lock. The kernel
drops the lock when its holder exits, a killed one included, so a lock never outlives a crawl.
"""

from __future__ import annotations

import fcntl
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import orjson

from storage.errors import SiteLocked, StorageError

LOCKS_DIR = "_locks"


def lock_path(index_path: str, site: str) -> str:
    """The lock file of a site, beside the root's index."""
    return os.path.join(os.path.dirname(os.path.abspath(index_path)), LOCKS_DIR,
                        f"site={site}.lock")


def _holder(path: str) -> str:
    try:
        with open(path, "rb") as handle:
            info = orjson.loads(handle.read() or b"{}")
    except (OSError, orjson.JSONDecodeError):
        return "another process"
    return (f"pid {info.get('pid', '?')} on {info.get('host', '?')} "
            f"(run {info.get('run_id', '?')}, since {info.get('since', '?')})")


@contextmanager
def site_lock(index_path: str, site: str, run_id: str) -> Iterator[str]:
    """Hold the crawl lock of `site` for the block; `SiteLocked` when another process has it."""
    path = lock_path(index_path, site)
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise StorageError(f"lock {path}: {error.strerror or error}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SiteLocked(f"site {site} is being crawled into this root by {_holder(path)}; "
                             f"lock {path}") from None
        info = {"pid": os.getpid(), "host": socket.gethostname(), "run_id": run_id,
                "since": datetime.now(UTC).replace(microsecond=0).isoformat()}
        os.ftruncate(fd, 0)
        os.pwrite(fd, orjson.dumps(info), 0)
        yield path
    finally:
        os.close(fd)
