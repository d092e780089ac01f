"""The files of one run, built in bounded memory: lines are buffered per file and spilled.

`RunFiles` takes a run's lines one at a time, keyed by the file they belong to (a partition or
the rejects file). Encoded lines wait in memory until the buffers hold `limit_bytes`; then every
buffer is appended to one spill file (a private temp file, its extents noted per output file)
and memory is free again: a run of thousands of small partitions makes one spill file, not one
per partition. `files()` hands back one file at a time, complete, its lines in record-id order for a
partition (the order `storage.jsonl` promises) and in arrival order for the rejects. So a run's
memory is bounded by one buffer plus its largest file, whatever the run's size.
"""

from __future__ import annotations

import gzip
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

import orjson

from storage.jsonl import Record, encode_line

DEFAULT_LIMIT_BYTES = 1 << 20
RECORDS = "records"


@dataclass(frozen=True)
class BuiltFile:
    """One file of the run, complete: its path under the root, bytes and line count."""

    path: str
    kind: str
    data: bytes
    lines: int


def _record_order(line: bytes) -> tuple[str, int]:
    record = orjson.loads(line)
    return str(record["id"]), int(record["part"])


class RunFiles:
    """A run's output files, line by line, with at most `limit_bytes` of lines in memory."""

    def __init__(self, *, compress: bool = False, limit_bytes: int = DEFAULT_LIMIT_BYTES) -> None:
        self.compress = compress
        self.limit_bytes = limit_bytes
        self._buffers: dict[str, list[bytes]] = {}
        self._buffered = 0
        self._kinds: dict[str, str] = {}
        self._counts: dict[str, int] = {}
        self._extents: dict[str, list[tuple[int, int]]] = {}
        """Per file: where its spilled lines lie in the spill file (offset, length)."""
        self._spill_file: IO[bytes] | None = None
        self.spills = 0

    def add(self, path: str, line: Record, *, kind: str = RECORDS) -> None:
        """Add a line to a file of this kind (`records`: a partition, `rejects`)."""
        encoded = encode_line(line)
        self._buffers.setdefault(path, []).append(encoded)
        self._kinds.setdefault(path, kind)
        self._counts[path] = self._counts.get(path, 0) + 1
        self._buffered += len(encoded)
        if self._buffered >= self.limit_bytes:
            self._spill()

    @property
    def paths(self) -> list[str]:
        """Every file that has lines: the partitions in path order, then the rejects."""
        return sorted(self._counts, key=lambda path: (self._kinds[path] != RECORDS, path))

    def _spill(self) -> None:
        if self._spill_file is None:  # unlinked at once: a killed run leaves no spill behind
            self._spill_file = tempfile.TemporaryFile(prefix="govnews-run-")  # noqa: SIM115
        for path, lines in self._buffers.items():
            data = b"".join(lines)
            self._extents.setdefault(path, []).append((self._spill_file.tell(), len(data)))
            self._spill_file.write(data)
        self._spill_file.flush()
        self._buffers.clear()
        self._buffered = 0
        self.spills += 1

    def _lines(self, path: str) -> list[bytes]:
        lines: list[bytes] = []
        for offset, length in self._extents.pop(path, []):
            assert self._spill_file is not None
            lines.extend(os.pread(self._spill_file.fileno(), length, offset)
                         .splitlines(keepends=True))
        lines.extend(self._buffers.pop(path, []))
        return lines

    def files(self) -> Iterator[BuiltFile]:
        """Each file, complete, in `paths` order; a file is handed out once."""
        for path in self.paths:
            kind, lines = self._kinds[path], self._lines(path)
            if kind == RECORDS:
                lines.sort(key=_record_order)
            data = b"".join(lines)
            if kind == RECORDS and self.compress:
                data = gzip.compress(data, mtime=0)
            yield BuiltFile(path, kind, data, len(lines))

    def close(self) -> None:
        """Delete the spill file."""
        if self._spill_file is not None:
            self._spill_file.close()
            self._spill_file = None

    def __enter__(self) -> RunFiles:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
