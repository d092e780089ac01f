"""What govnews survives: one test per fault, against real failures where the machine allows.

Hostile HTTP server on 127.0.0.1 (`test_hostile_server.py`, server in `hostile.py`):
- a PDF served as text/html: an extract-stage reject, never an article;
- a gzip bomb and a redirect loop: rejects with one fixed reason each;
- a 503 with `Retry-After`: the retry waits that long (up to a cap);
- a link or redirect to a port the site config does not name: never requested, a reject;
- an exception in a spider callback: a reject with url, stage and reason;
- a site that cannot be reached: the site failed as a whole (named in the manifest).

Storage (`test_storage_faults.py`):
- a record whose `site` is `../../../outside`, `a/b`, …: a store-stage reject; every final path,
  on local and fsspec roots, is checked to lie under the root;
- a deleted, emptied or outdated index: rebuilt from partitions and manifests before any record
  is admitted (0 duplicates); a damaged one is named, and `govnews reindex` rebuilds it;
- a stale temp that cannot be deleted (injected EPERM, and `chattr +i`): logged, the run commits;
- a read-only root, a full disk (small tmpfs), a corrupt index: one line naming the path,
  before any fetch; a disk filling up while storing (tmpfs, and an injected ENOSPC) leaves
  nothing half written and the next run stores everything; a disk filling up during the fetch
  stops the site with one line (`cannot write the raw capture under …`) and no temp left;
- exit status per failure; a traceback never becomes a reject reason;
- a second crawl of a site on the same root is told which process holds it; a killed holder
  leaves no lock.

Command line (`test_cli_faults.py`):
- `clean --out` a FIFO, a symlink, a device: written through (or followed), never replaced;
- stdout closed by its reader (`| head`) or full (/dev/full): exit 141 or 74, no traceback;
- `reprocess` on a damaged WARC: the pages before the damage, and one `read` reject;
- an XPath calling an unknown function: fails when the site file loads, naming file and field;
- `crawl` into a read-only root or onto a corrupt index: exit 5 with one line, nothing fetched;
- every site failing: exit 4, one line per site (slow);
- SIGTERM to `govnews crawl`: exit 143, and Prefect's temporary server stops too (slow).

Kill -9 at any moment of a store or a crawl leaves no partial line and no duplicate:
`tests/test_storage_store.py::test_kill_9_during_write_run_leaves_no_partial_or_duplicate_record`
and `tests/test_flows.py::test_kill_9_mid_crawl_then_resume_gives_the_complete_result`.
"""
