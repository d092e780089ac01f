"""Spools: a run's records kept on local disk, not in memory, until the store writes them.

A `Spool` is an append-only file of JSON lines in the system's temp directory, unlinked as soon
as it is opened, so it never outlives its process (a killed run leaves nothing behind). Lines are
written through a small buffer and read back in order, any number of times. A run of any size
thus holds a bounded number of records in memory: extraction appends, the store iterates.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO, Any

import orjson

Record = dict[str, Any]
_READ_SIZE = 1 << 20


class Spool:
    """An on-disk sequence of records (JSON objects), appended to and iterated in order."""

    def __init__(self, records: Iterable[Record] = ()) -> None:
        self._file: IO[bytes] = tempfile.TemporaryFile(prefix="govnews-spool-")  # noqa: SIM115
        self._count = 0
        self.extend(records)

    def append(self, record: Record) -> None:
        self._file.write(orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE))
        self._count += 1

    def extend(self, records: Iterable[Record]) -> None:
        for record in records:
            self.append(record)

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Record]:
        """The records in the order they were appended when iteration started."""
        self._file.flush()
        fd, offset, end, rest = self._file.fileno(), 0, self._file.tell(), b""
        while offset < end:  # pread leaves the append position where it is
            chunk = os.pread(fd, min(_READ_SIZE, end - offset), offset)
            offset += len(chunk)
            lines = (rest + chunk).split(b"\n")
            rest = lines.pop()
            for line in lines:
                yield orjson.loads(line)

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Spool({self._count} records)"


class Chain:
    """Several record iterables read one after another, as often as wanted (a retried store
    reads the same spools again)."""

    def __init__(self, parts: Iterable[Iterable[Record]]) -> None:
        self.parts = list(parts)

    def __iter__(self) -> Iterator[Record]:
        for part in self.parts:
            yield from part

    def __repr__(self) -> str:
        return f"Chain({self.parts!r})"
