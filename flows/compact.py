"""`govnews compact`: merge each site's partition files per date (see `storage.compact`).

Run it now and then, or after a backfill of many small runs; it is safe beside running crawls
(it takes the index's write lock like a run) and a killed compaction leaves the old files.
"""

from __future__ import annotations

import argparse
import sys

from flows.commands import DEFAULT_OUT


def add_compact_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("sites", nargs="*", metavar="SITE",
                        help="sites to compact (default: every site under --out)")
    parser.add_argument("--out", default=DEFAULT_OUT,
                        help=f"output root: a directory or fsspec URL (default: {DEFAULT_OUT})")
    parser.add_argument("--index", help="index: a SQLite file (default: <out>/_index.sqlite) "
                                        "or a postgresql:// URL")
    parser.add_argument("--gzip", action="store_true", help="write the merged files gzipped")
    parser.add_argument("--min-files", type=int, default=2,
                        help="merge a date directory holding at least this many files "
                             "(default: 2)")


def run_compact(args: argparse.Namespace) -> int:
    """Compact the sites and print one line per site."""
    from storage.compact import compact_site
    from storage.fs import Root
    from storage.store import StorageError, Store

    if args.min_files < 2:
        print(f"govnews compact: --min-files must be at least 2, got {args.min_files}",
              file=sys.stderr)
        return 2
    try:
        store = Store(args.out, args.index, compress=args.gzip)
    except StorageError as error:
        print(f"govnews compact: {error}", file=sys.stderr)
        return 2
    with store:
        root = Root.open(args.out)
        sites = args.sites or sorted(root.relative(path).removeprefix("site=")
                                     for path in root.glob("site=*"))
        if not sites:
            print(f"govnews compact: no partitions under {args.out}", file=sys.stderr)
            return 1
        for site in sites:
            print(compact_site(store, site, min_files=args.min_files).summary())
    return 0
