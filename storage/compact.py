"""`compact`: merge a site's partition files, so that small runs do not leave a thousand tiny files.

Every run writes one file per (site, date) it touched. For each date directory of a site that
holds `min_files` or more part files, `compact_site` writes one merged file
`part-<compaction-id>.jsonl[.gz]` with every line of the old files (in record-id order; the
revisions of one record in the order the runs wrote them), and deletes the old files. It is
a run like any other, under `Store.exclusive_run`:

- the merged files are written under temp names, then a journal names them, the files they
  replace and the manifest; renames and deletions follow, then the index records the run;
- a compaction killed before its journal leaves the old files as they were (its temps are
  deleted by the next run); one killed after it is completed by the next run (roll forward);
- the manifest `_manifests/<compaction-id>.json` lists the merged files (lines, sha256) and,
  under `replaced`, the files they replace. Index rows do not change: no record changes.

Globs such as `site=*/date=*/part-*.jsonl` read the same records before and after. A reader that
lists a directory in the instant between a merged file's rename and the old files' deletion
can see that date's lines twice; readers that want a consistent view read the manifests.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from dataclasses import dataclass

from storage.batch import RunFiles
from storage.jsonl import decode_lines, partition_file
from storage.manifest import Manifest, SiteStats
from storage.store import Store, new_run_id

DEFAULT_MIN_FILES = 2


@dataclass(frozen=True)
class Compaction:
    """What a compaction did: its manifest (None when nothing needed merging)."""

    site: str
    manifest: Manifest | None

    @property
    def files_replaced(self) -> int:
        return len(self.manifest.replaced) if self.manifest else 0

    @property
    def files_written(self) -> int:
        return len(self.manifest.files) if self.manifest else 0

    @property
    def lines(self) -> int:
        return sum(entry.lines for entry in self.manifest.files) if self.manifest else 0

    def summary(self) -> str:
        if self.manifest is None:
            return f"{self.site}: nothing to compact"
        return (f"{self.site}: {self.files_replaced} files merged into {self.files_written} "
                f"({self.lines} lines), run {self.manifest.run_id}")


def _date_groups(store: Store, site: str, min_files: int) -> dict[str, list[str]]:
    """The site's part files by date directory, for directories holding at least min_files."""
    groups: dict[str, list[str]] = defaultdict(list)
    for path in store.part_files(site):
        groups[posixpath.dirname(path)].append(path)
    return {directory: paths for directory, paths in sorted(groups.items())
            if len(paths) >= min_files}


def compact_site(store: Store, site: str, *, min_files: int = DEFAULT_MIN_FILES,
                 run_id: str | None = None) -> Compaction:
    """Merge each date directory of `site` that holds at least `min_files` part files."""
    if min_files < 2:
        raise ValueError(f"min_files must be at least 2, got {min_files}")
    run_id = run_id or new_run_id()
    with store.exclusive_run(run_id):
        groups = _date_groups(store, site, min_files)
        if not groups:
            return Compaction(site, None)
        replaced: list[str] = []
        with RunFiles(compress=store.compress, limit_bytes=store.batch_bytes) as files:
            for directory, paths in groups.items():
                date = directory.rsplit("date=", 1)[-1]
                merged = partition_file(site, date, run_id, compress=store.compress)
                for path in paths:
                    for line in decode_lines(store.root.read_bytes(store.root.join(path))):
                        files.add(merged, line)
                replaced.extend(paths)
            manifest = store.commit_files(run_id, files, {site: SiteStats()},
                                          replaced=replaced)
    return Compaction(site, manifest)
