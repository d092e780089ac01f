"""Parquet export: the stored JSONL partitions as Hive-partitioned Parquet with the record schema.

Every `site=<site>/date=<day>/part-<run-id>.jsonl[.gz]` under the root becomes
`site=<site>/date=<day>/part-<run-id>.parquet` under the target, holding the same records in the
same order, typed by `storage.typed.arrow_schema` (fields outside the contract are left out).
Each file is written whole under a temp name and renamed, so a killed export leaves no partial
file, and exporting again rewrites the same files with the same contents.
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass

from storage.fs import Root
from storage.jsonl import decode_lines
from storage.typed import arrow_schema

PARQUET_SUFFIX = ".parquet"


class ExportError(ValueError):
    """A partition that cannot be exported (a record that breaks the schema)."""


@dataclass(frozen=True)
class ExportedFile:
    """One Parquet file written: its path relative to the target and its record count."""

    path: str
    records: int


def parquet_path(part_path: str) -> str:
    """The Parquet file of a JSONL partition (paths relative to their roots)."""
    directory, name = posixpath.split(part_path)
    stem = name.removesuffix(".gz").removesuffix(".jsonl")
    return posixpath.join(directory, stem + PARQUET_SUFFIX)


def partition_files(root: Root) -> list[str]:
    """The complete JSONL partitions under a root, relative to it."""
    found = root.glob("site=*/date=*/part-*.jsonl") + root.glob("site=*/date=*/part-*.jsonl.gz")
    return sorted(root.relative(path) for path in found)


def export_parquet(source: str, target: str) -> list[ExportedFile]:
    """Write every partition under `source` as Parquet under `target` (paths or fsspec URLs)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = arrow_schema()
    source_root, target_root = Root.open(source), Root.open(target)
    written = []
    for part in partition_files(source_root):
        records = list(decode_lines(source_root.read_bytes(source_root.join(part))))
        try:
            table = pa.Table.from_pylist(records, schema=schema)
        except (pa.ArrowInvalid, pa.ArrowTypeError) as error:
            raise ExportError(f"{source_root.url_of(source_root.join(part))}: {error}") from None
        missing = [field.name for field in schema
                   if not field.nullable and table.column(field.name).null_count]
        if missing:
            raise ExportError(f"{source_root.url_of(source_root.join(part))}: records without "
                              f"{', '.join(missing)}")
        sink = pa.BufferOutputStream()
        pq.write_table(table, sink, compression="zstd")
        path = parquet_path(part)
        target_root.write_atomic(target_root.join(path), sink.getvalue().to_pybytes(),
                                 f"export.{os.getpid()}")
        written.append(ExportedFile(path, table.num_rows))
    return written
