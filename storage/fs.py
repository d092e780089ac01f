"""File-system access for storage: any fsspec URL as the root, and atomic writes.

A file becomes visible only when complete. On a local disk a file is written to a hidden temp
name in the same directory, flushed and fsynced, then moved into place with `os.replace` (and the
directory is fsynced). Many files at once (`Root.sync_all`) are made durable with one `syncfs`
per file system on Linux: one flush of the disk instead of one per file and per directory. On
an object store (`s3://`, `memory://`) one PUT is already all-or-nothing, so the temp object
is written whole and then moved.

Every path a file is written to is checked to lie under the root (`OutsideRoot` otherwise):
partition paths are built from record fields, so `..` in a field must not climb out of it.
"""

from __future__ import annotations

import ctypes
import os
import posixpath
import re
import shutil
import socket
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import fsspec
from fsspec import AbstractFileSystem
from fsspec.implementations.local import LocalFileSystem

from storage.errors import OutsideRoot

TEMP_SUFFIX = ".tmp"
SYNC_THREADS = 8
SYNCFS_FROM = 32
"""From this many paths on, `Root.sync_all` flushes each file system they lie on once (Linux
`syncfs`) rather than each path: the flush also writes other processes' pending data, which
costs less than thousands of fsyncs only once there are that many."""


def _load_syncfs() -> Callable[[int], int] | None:
    """The C library's `syncfs(fd)` (Linux), or None where there is none."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None
    function = getattr(libc, "syncfs", None)
    if function is None:
        return None
    function.argtypes = [ctypes.c_int]
    function.restype = ctypes.c_int
    return function


_SYNCFS = _load_syncfs()


@dataclass(frozen=True)
class Root:
    """An output root: the fsspec file system and the root path inside it."""

    fs: AbstractFileSystem
    path: str
    url: str
    _real_dirs: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    """Resolved directories (symbolic links followed), looked up once per directory."""

    @classmethod
    def open(cls, url: str) -> Root:
        """Resolve a local path or fsspec URL (`s3://bucket/prefix`, `memory://x`)."""
        fs, path = fsspec.core.url_to_fs(str(url))
        if isinstance(fs, LocalFileSystem):
            path = os.path.abspath(path)
        return cls(fs=fs, path=path.rstrip("/") or "/", url=str(url))

    @property
    def is_local(self) -> bool:
        return isinstance(self.fs, LocalFileSystem)

    def join(self, *parts: str) -> str:
        """The full path of a file under the root; `OutsideRoot` when it would leave the root."""
        return self.inside(posixpath.join(self.path, *parts))

    def inside(self, path: str) -> str:
        """`path`, checked to lie strictly under the root (also through symlinks on a local
        disk); raises `OutsideRoot` otherwise."""
        normal = posixpath.normpath(path)
        base = self.path.rstrip("/")
        if not normal.startswith(base + "/") or normal == base:
            raise OutsideRoot(f"{path}: outside the output root {self.path}")
        if self.is_local:
            real_base = self._real(base or "/")
            real_dir = self._real(os.path.dirname(normal))
            if real_dir != real_base and not real_dir.startswith(real_base.rstrip("/") + "/"):
                raise OutsideRoot(f"{path}: outside the output root {self.path} (through a "
                                  "symbolic link)")
        return normal

    def _real(self, directory: str) -> str:
        real = self._real_dirs.get(directory)
        if real is None:
            real = self._real_dirs[directory] = os.path.realpath(directory)
        return real

    def relative(self, path: str) -> str:
        """A full path as a path relative to the root."""
        return posixpath.relpath(path, self.path)

    def url_of(self, path: str) -> str:
        """A full path as a path or URL that `Root.open` and fsspec accept on their own."""
        return path if self.is_local else str(self.fs.unstrip_protocol(path))

    def exists(self, path: str) -> bool:
        return bool(self.fs.exists(path))

    def read_bytes(self, path: str) -> bytes:
        return bytes(self.fs.cat_file(path))

    def glob(self, pattern: str) -> list[str]:
        """Paths under the root matching a glob relative to it, sorted."""
        return sorted(self.fs.glob(self.join(pattern)))

    def remove(self, path: str) -> None:
        if self.fs.exists(path):
            self.fs.rm_file(path)

    def temp_path(self, final_path: str, tag: str) -> str:
        """The hidden temp name in the same directory under which `final_path` is prepared."""
        directory, name = posixpath.split(final_path)
        return posixpath.join(directory, f".{name}.{tag}{TEMP_SUFFIX}")

    def write_temp(self, final_path: str, data: bytes, tag: str, *, durable: bool = True) -> str:
        """Write `data` completely (fsynced when `durable`) under a temp name; return it."""
        temp = self.temp_path(self.inside(final_path), tag)
        if self.is_local:
            os.makedirs(os.path.dirname(temp), exist_ok=True)
            with open(temp, "wb") as handle:
                handle.write(data)
                if durable:
                    handle.flush()
                    os.fsync(handle.fileno())
        else:
            self.fs.makedirs(posixpath.dirname(temp), exist_ok=True)
            self.fs.pipe_file(temp, data)
        return temp

    def publish(self, temp_path: str, final_path: str, *, sync: bool = True) -> None:
        """Move a complete temp file to its final name in one step; `sync`: make the rename
        durable now (else the caller calls `sync_all` once for many renames)."""
        self.inside(final_path)
        if self.is_local:
            os.replace(temp_path, final_path)
            if sync:
                fsync_directory(os.path.dirname(final_path))
        else:
            self.fs.mv(temp_path, final_path)

    def put_atomic(self, local_path: str, final_path: str, tag: str) -> None:
        """Copy a complete local file to `final_path` under the root so that readers see
        either nothing or all of it (streamed, never held in memory whole)."""
        temp = self.temp_path(self.inside(final_path), tag)
        if self.is_local:
            os.makedirs(os.path.dirname(temp), exist_ok=True)
            shutil.copyfile(local_path, temp)
            fsync_path(temp)
        else:
            self.fs.makedirs(posixpath.dirname(temp), exist_ok=True)
            self.fs.put_file(local_path, temp)
        self.publish(temp, final_path)

    def sync_all(self, paths: Iterable[str]) -> None:
        """Make many files or directories durable (object stores need nothing): from
        `SYNCFS_FROM` paths on, one `syncfs` per file system; else an fsync of each, several at
        a time (the file system commits concurrent fsyncs together)."""
        if not self.is_local:
            return
        paths = list(paths)
        if _SYNCFS is not None and len(paths) >= SYNCFS_FROM:
            for path in _one_per_device(paths):
                syncfs_path(path)
            return
        with ThreadPoolExecutor(max_workers=SYNC_THREADS) as pool:
            list(pool.map(fsync_path, paths))

    def write_atomic(self, final_path: str, data: bytes, tag: str, *,
                     durable: bool = True) -> None:
        """Write a file so that readers see either nothing or all of it; `durable`: and so
        that it survives a crash once this returns."""
        self.publish(self.write_temp(final_path, data, tag, durable=durable), final_path,
                     sync=durable)


HOST = re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname()) or "host"
"""This machine's name as temp names hold it (no dot, which separates a temp name's parts)."""


def process_tag() -> str:
    """The tag that names this process in its temp files' names: `<pid>@<host>`, so that on a
    root several machines share, no machine takes another's live temp for a dead one's."""
    return f"{os.getpid()}@{HOST}"


def writer_died(tag: str) -> bool:
    """Whether the process a temp name's tag names ran on this machine and has died. A bare
    pid counts as this machine's; another machine's process cannot be checked from here and
    never counts as dead."""
    pid, _, host = tag.partition("@")
    if not pid.isdigit() or host not in ("", HOST):
        return False
    return int(pid) != os.getpid() and not pid_alive(int(pid))


def pid_alive(pid: int) -> bool:
    """Whether a process with this id is running on this machine; one that exited but was
    not reaped yet (a zombie, whose parent was killed too) is not."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    """Whether a process has exited and waits to be reaped (Linux `/proc`; False elsewhere)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            stat = handle.read()
    except OSError:
        return False
    fields = stat.rsplit(b")", 1)[-1].split()
    return bool(fields) and fields[0] == b"Z"


def _one_per_device(paths: list[str]) -> list[str]:
    """One of the paths on each file system the paths lie on."""
    seen: dict[int, str] = {}
    for path in paths:
        seen.setdefault(os.stat(path).st_dev, path)
    return list(seen.values())


def syncfs_path(path: str) -> None:
    """Flush the whole file system `path` lies on to disk (Linux `syncfs`); `OSError` when
    the kernel reports that written data was lost."""
    assert _SYNCFS is not None
    fd = os.open(path, os.O_RDONLY)
    try:
        if _SYNCFS(fd) != 0:
            number = ctypes.get_errno()
            raise OSError(number, f"syncfs failed: {os.strerror(number)}", path)
    finally:
        os.close(fd)


def fsync_path(path: str) -> None:
    """fsync one file or directory by name (a directory that cannot be opened is skipped)."""
    if os.path.isdir(path):
        fsync_directory(path)
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_directory(directory: str) -> None:
    """Make a rename inside `directory` durable (a no-op where directories cannot be opened)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_local_atomic(path: str, data: bytes, *, durable: bool = True) -> None:
    """Atomically write a file on the local disk (used for the index's journal)."""
    Root.open(os.path.dirname(os.path.abspath(path))).write_atomic(
        os.path.abspath(path), data, process_tag(), durable=durable
    )
