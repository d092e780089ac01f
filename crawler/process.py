"""Extraction downstream of the fetch: WARC raw capture → Articles and Rejects.

The crawl and `reprocess` share this path. `extract_warc` reads the article responses of a WARC
file and runs `crawler.extract.extract_page` on each with the site's rules: in this process, or
in an `ExtractionPool` that the sites of a run share once a capture is large enough to pay for
starting its processes. A page without an article
(error page, wrong status, empty body, binary data such as a PDF served as text/html) becomes a
`Reject` at stage "extract", and so does a page the extractor fails on: one bad page never ends
a run. A capture that cannot be read to its end
gives one `Reject` at stage "read" after the pages read before the damage.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from itertools import chain, islice
from types import TracebackType
from typing import Any

from crawler.article import Article, Reject
from crawler.extract import ExtractRules, extract_page
from crawler.extract.cli import is_binary
from crawler.sites import Site
from storage.warc import RawResponse, iter_warc

STAGE = "extract"
CHUNK = 16
WINDOW_PER_WORKER = 2
"""Chunks in flight per worker: bounds memory on large captures while keeping workers busy."""
IN_PROCESS_FIRST = 200
"""Responses of a capture extracted in this process before the pool's processes are used: a
capture no larger never starts them (starting a worker and loading its repair models costs
about as much as extracting a few hundred pages)."""


class ExtractionPool:
    """Extraction processes shared by the sites of a run, so that each starts and loads the
    repair models once. The processes start on the first capture that needs them; with one
    worker there are none and every page is extracted in the calling process.

    The processes come from a fork server, which forks them from a process with no threads
    (the flow's process runs Prefect's and the fetches' threads)."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._executor: ProcessPoolExecutor | None = None

    def __enter__(self) -> ExtractionPool:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    @property
    def started(self) -> bool:
        """Whether the processes have started."""
        return self._executor is not None

    def executor(self) -> ProcessPoolExecutor:
        """The pool's processes, started on first use."""
        if self._executor is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload([__name__])
            self._executor = ProcessPoolExecutor(max_workers=self.workers, mp_context=context)
        return self._executor

    def close(self) -> None:
        """Stop the processes, if any were started."""
        if self._executor is not None:
            self._executor.shutdown()
            self._executor = None


@dataclass(frozen=True)
class _Job:
    url: str
    status: int
    content_type: str | None
    body: bytes
    fetched_at: str


def _extract(job: _Job, site: str, rules: ExtractRules) -> list[Article] | Reject:
    """Extract one response; a page with no article becomes a Reject with the reason."""
    if not 200 <= job.status < 300:
        return Reject(job.url, STAGE, f"http {job.status}", site)
    if not job.body:
        return Reject(job.url, STAGE, "empty body", site)
    if is_binary(job.body):  # a PDF or image served as text/html is no page to extract
        return Reject(job.url, STAGE, "not an HTML page (binary data)", site)
    try:
        extraction = extract_page(job.body, url=job.url, content_type=job.content_type,
                                  rules=rules, site=site, fetched_at=job.fetched_at)
    except Exception as error:  # the per-page boundary: a bad page is a reject, not a dead run
        return Reject(job.url, STAGE, f"extraction failed: {type(error).__name__}: {error}",
                      site)
    if not extraction.articles:
        return Reject(job.url, STAGE, extraction.note or "no article on the page", site)
    return extraction.articles


Outcome = list[Article] | Reject


def _extract_chunk(jobs: list[_Job], site: str, rules: ExtractRules) -> list[Outcome]:
    return [_extract(job, site, rules) for job in jobs]


def _jobs(responses: Iterable[RawResponse]) -> Iterator[_Job]:
    for response in responses:
        yield _Job(response.url, response.status, response.header("Content-Type"), response.body,
                   response.fetched_at)


def _chunks(jobs: Iterator[_Job], size: int) -> Iterator[list[_Job]]:
    chunk: list[_Job] = []
    for job in jobs:
        chunk.append(job)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def extract_responses(responses: Iterable[RawResponse], site: Site, *,
                      pool: ExtractionPool | None = None) -> Iterator[Article | Reject]:
    """Articles and Rejects of fetched responses, in response order. With a `pool` of more than
    one worker, the responses after the first IN_PROCESS_FIRST go to its processes (all of them
    once its processes have started)."""
    rules = site.extract_rules()
    jobs = _jobs(responses)
    if pool is None or pool.workers <= 1:
        in_process: Iterator[_Job] = jobs
    else:
        in_process = islice(jobs, 0 if pool.started else IN_PROCESS_FIRST)
    for job in in_process:
        yield from _flatten([_extract(job, site.name, rules)])
    chunks = _chunks(jobs, CHUNK)
    first = next(chunks, None)
    if pool is None or first is None:
        return
    executor, window = pool.executor(), WINDOW_PER_WORKER * pool.workers
    pending: deque[Future[list[Outcome]]] = deque()
    for chunk in chain([first], chunks):
        pending.append(executor.submit(_extract_chunk, chunk, site.name, rules))
        if len(pending) >= window:
            yield from _flatten(pending.popleft().result())
    while pending:
        yield from _flatten(pending.popleft().result())


def _flatten(outcomes: list[Outcome]) -> Iterator[Article | Reject]:
    for outcome in outcomes:
        yield from outcome if isinstance(outcome, list) else [outcome]


def split_outcomes(outcomes: Iterable[Article | Reject]
                   ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Records and reject lines of a stream of outcomes, each in stream order."""
    records: list[dict[str, Any]] = []
    rejects: list[dict[str, Any]] = []
    for outcome in outcomes:
        (records if isinstance(outcome, Article) else rejects).append(outcome.to_record())
    return records, rejects


def readable_responses(path: str, site: Site, damage: list[Reject]) -> Iterator[RawResponse]:
    """The responses of a WARC file up to any damage; damage adds one `read` Reject (with a
    one-line reason: the error's type, never the bytes it choked on) to `damage`."""
    count = 0
    try:
        for response in iter_warc(path):
            count += 1
            yield response
    except Exception as error:  # a corrupt capture: keep what was read before the damage
        damage.append(Reject(path, "read", f"unreadable raw capture after {count} "
                                           f"responses: {type(error).__name__}", site.name))


def extract_warc(path: str, site: Site, *,
                 pool: ExtractionPool | None = None) -> Iterator[Article | Reject]:
    """Articles and Rejects of every response in a WARC file."""
    damage: list[Reject] = []
    yield from extract_responses(readable_responses(path, site, damage), site, pool=pool)
    yield from damage
