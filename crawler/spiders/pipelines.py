"""The item pipeline of a fetch run: raw capture to WARC and the JSONL fetch log.

Article responses go into the run's WARC file (`storage.warc`, under `<out>/_raw/site=<site>/`);
every page and every skip or failure becomes one line of the fetch log
`<out>/_fetch/site=<site>/<run-id>.ndjson` (a fetched article's line keeps its `etag` and
`last_modified`, which storage keeps for the next conditional refetch). At close the pipeline
writes the site's fetch summary (counts, reasons, file paths) next to the log, and keeps a copy
in the crawler's stats (`SUMMARY_STAT`) for when the disk is full. A raw capture that cannot be
written (full disk) stops the site's crawl, and its summary carries the one-line `error`.

A resuming fetch (`crawler.resume`) starts by copying the capture unfinished runs left into the
new WARC file: each copied article is logged as fetched, with `"resumed"` naming the file it
came from, and counted in `articles_fetched` and `articles_resumed`. The old files are deleted
once the new WARC file is complete under its final name, so no later run takes them again; a
fetch that fails or is killed before that leaves them for the next one.
"""

from __future__ import annotations

import logging
import os
import posixpath
from collections import Counter
from pathlib import Path
from typing import IO, Any

import orjson
from scrapy.crawler import Crawler
from scrapy.utils.defer import deferred_from_coro

from crawler.progress import Reporter
from crawler.resume import RESUMED_FROM, Leftovers
from crawler.spiders.items import FetchedPage, FetchEvent
from storage.capture import FETCH_DIR
from storage.warc import WarcWriter, remove_capture, warc_path

SUMMARY_STAT = "govnews/summary"
_log = logging.getLogger(__name__)


def fetch_log_path(out: str, site: str, run_id: str) -> Path:
    """The fetch log of one run of one site."""
    # JSON Lines under another extension: a `**/*.jsonl` glob over the output root reads
    # article partitions only (DuckDB's hive_partitioning needs one layout).
    return Path(out) / FETCH_DIR / f"site={site}" / f"{run_id}.ndjson"


def summary_path(out: str, site: str, run_id: str) -> Path:
    """The fetch summary of one run of one site."""
    return Path(out) / FETCH_DIR / f"site={site}" / f"{run_id}.summary.json"


def validators(page: FetchedPage) -> dict[str, str]:
    """The `etag` and `last_modified` an article response carried, for its next refetch."""
    if page.kind != "article":
        return {}
    wanted = {"etag": "etag", "last-modified": "last_modified"}
    return {wanted[name.lower()]: value for name, value in page.headers
            if name.lower() in wanted}


class RawCapturePipeline:
    """Writes article responses to WARC and every fetch event to the JSONL log."""

    def __init__(self, out: str, run_id: str, crawler: Crawler | None = None) -> None:
        self.crawler = crawler
        self.out = out
        self.run_id = run_id
        self.site = ""
        self.warc: WarcWriter | None = None
        self.log: IO[bytes] | None = None
        self.counts: Counter[str] = Counter()
        self.reasons: dict[str, Counter[str]] = {"skipped": Counter(), "failed": Counter()}
        self.error: str | None = None
        self.reporter: Reporter | None = None
        self.taken_over: tuple[str, ...] = ()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RawCapturePipeline:
        out = crawler.settings.get("GOVNEWS_OUT")
        run_id = crawler.settings.get("GOVNEWS_RUN_ID")
        if not out or not run_id:
            raise ValueError("GOVNEWS_OUT and GOVNEWS_RUN_ID must be set for a fetch run")
        return cls(str(out), str(run_id), crawler)

    def open_spider(self, spider: Any = None) -> None:
        if spider is None and self.crawler is not None:
            spider = self.crawler.spider
        self.site = str(spider.name)
        self.reporter = Reporter(self.site)
        path = fetch_log_path(self.out, self.site, self.run_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.log = open(path, "wb")  # noqa: SIM115 - closed in close_spider
        self.warc = WarcWriter(warc_path(self.out, self.site, self.run_id), run_id=self.run_id)
        leftovers = getattr(spider, "leftovers", None)
        if leftovers is not None and leftovers.files:
            try:
                self._take_over(leftovers)
            except OSError as error:
                self._fail(error)

    def _take_over(self, leftovers: Leftovers) -> None:
        """Copy the capture unfinished runs left into this run's WARC (deleted at close)."""
        if self.warc is None:
            return
        self.taken_over = leftovers.files
        for response in leftovers.responses():
            self.warc.write_response(response)
            self.counts["article_fetched"] += 1
            self.counts["article_resumed"] += 1
            self._write({"event": "fetched", "site": self.site, "kind": "article",
                         "url": response.url, "status": response.status,
                         "bytes": len(response.body), "at": response.fetched_at,
                         "resumed": response.extra[RESUMED_FROM]})
        self._report()

    def _remove_taken_over(self) -> None:
        """Delete the files taken over, now that this run's WARC file holds their records (a
        file of an earlier try of this run had this run's name, which the new file now has)."""
        own = posixpath.basename(warc_path(self.out, self.site, self.run_id))
        for path in self.taken_over:
            if posixpath.basename(path) == own:
                continue
            try:
                remove_capture(path)
            except OSError as error:  # its copies are in this run's file; the index dedups
                _log.warning("cannot remove the resumed capture %s: %s", path,
                             error.strerror or error)

    def _write(self, record: dict[str, Any]) -> None:
        if self.log is not None:
            self.log.write(orjson.dumps(record) + b"\n")

    def process_item(self, item: Any, spider: Any = None) -> Any:
        try:
            self._record(item)
        except OSError as error:  # a full disk: there is no point fetching on
            self._fail(error)
        self._report()
        return item

    def _report(self, *, final: bool = False) -> None:
        """A progress line for the parent process (see `crawler.progress`)."""
        if self.reporter is not None:
            self.reporter.update({"pages": self.counts["article_fetched"]
                                  + self.counts["list_fetched"],
                                  "articles": self.counts["article_fetched"],
                                  "failures": self.counts["failed"]}, final=final)

    def _fail(self, error: OSError) -> None:
        if self.error is None:
            self.error = f"cannot write the raw capture under {self.out}: " \
                         f"{error.strerror or error}"
            if self.crawler is not None and self.crawler.engine is not None:
                deferred_from_coro(self.crawler.engine.close_spider_async(
                    reason="raw capture failed"))

    def _record(self, item: Any) -> None:
        if isinstance(item, FetchedPage):
            if item.kind == "article" and self.warc is not None:
                extra = {"Site": item.site}
                if item.referer:
                    extra["Referer"] = item.referer
                if item.requested_url:
                    extra["Requested-URL"] = item.requested_url
                self.warc.write(item.url, item.status, item.headers, item.body, item.fetched_at,
                                extra)
            self.counts[f"{item.kind}_fetched"] += 1
            self._write({"event": "fetched", "site": item.site, "kind": item.kind,
                         "url": item.url, "status": item.status, "bytes": len(item.body),
                         "at": item.fetched_at, **validators(item)})
        elif isinstance(item, FetchEvent):
            self.counts[item.event] += 1
            self.reasons[item.event][item.reason] += 1
            self._write(item.to_record())

    def close_spider(self, spider: Any = None) -> None:
        warc_file = None
        if self.warc is not None:
            try:
                if self.warc.count and self.error is None:
                    self.warc.close()
                    warc_file = self.warc.path
                else:
                    self.warc.discard()
                if self.error is None:
                    self._remove_taken_over()
            except OSError as error:
                self._fail(error)
                self.warc.discard()
        if self.log is not None:
            try:
                self.log.flush()
                os.fsync(self.log.fileno())
            except OSError as error:
                self._fail(error)
            finally:
                self.log.close()
        summary: dict[str, Any] = {
            "site": self.site,
            "run_id": self.run_id,
            "articles_fetched": self.counts["article_fetched"],
            "articles_resumed": self.counts["article_resumed"],
            "lists_fetched": self.counts["list_fetched"],
            "skipped": dict(self.reasons["skipped"]),
            "failed": dict(self.reasons["failed"]),
            "warc": warc_file,
            "log": str(fetch_log_path(self.out, self.site, self.run_id)),
        }
        if self.error is not None:
            summary["error"] = self.error
        if self.crawler is not None and self.crawler.stats is not None:
            self.crawler.stats.set_value(SUMMARY_STAT, summary)
        path = summary_path(self.out, self.site, self.run_id)
        try:
            path.write_bytes(orjson.dumps(summary, option=orjson.OPT_INDENT_2))
        except OSError:
            path.unlink(missing_ok=True)  # the copy in the stats is the summary
        self._report(final=True)
