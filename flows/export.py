"""`govnews export --parquet OUT`: the stored JSONL partitions as Hive-partitioned Parquet."""

from __future__ import annotations

import argparse
import sys

DEFAULT_OUT = "data"


def add_export_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--parquet", required=True, metavar="OUT",
                        help="target root (directory or fsspec URL) for the Parquet files")
    parser.add_argument("--out", default=DEFAULT_OUT,
                        help=f"the output root holding the JSONL dump (default: {DEFAULT_OUT})")


def run_export(args: argparse.Namespace) -> int:
    """Export every partition; one line with the counts, or an error naming the bad file."""
    from storage.export import ExportError, export_parquet

    try:
        written = export_parquet(args.out, args.parquet)
    except ExportError as error:
        print(f"govnews export: {error}", file=sys.stderr)
        return 1
    if not written:
        print(f"govnews export: no partitions under {args.out}", file=sys.stderr)
        return 1
    records = sum(entry.records for entry in written)
    print(f"govnews export: {records} records in {len(written)} Parquet files under "
          f"{args.parquet}")
    return 0
