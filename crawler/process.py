"""Extraction downstream of the fetch: WARC raw capture → Articles and Rejects.

The crawl and `reprocess` share this path. `extract_warc` reads the article responses of a WARC
file and runs `crawler.extract.extract_page` on each with the site's rules, in a process pool
when `workers > 1`, so extraction never holds up the download loop. A page without an article
(error page, wrong status, empty body, binary data such as a PDF served as text/html) becomes a
`Reject` at stage "extract", and so does a page the extractor fails on: one bad page never ends
a run. A capture that cannot be read to its end
gives one `Reject` at stage "read" after the pages read before the damage.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
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
                      workers: int = 1) -> Iterator[Article | Reject]:
    """Articles and Rejects of fetched responses, in response order."""
    rules = site.extract_rules()
    if workers <= 1:
        for job in _jobs(responses):
            yield from _flatten([_extract(job, site.name, rules)])
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pending: deque[Future[list[Outcome]]] = deque()
        for chunk in _chunks(_jobs(responses), CHUNK):
            pending.append(pool.submit(_extract_chunk, chunk, site.name, rules))
            if len(pending) >= WINDOW_PER_WORKER * workers:
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


def extract_warc(path: str, site: Site, *, workers: int = 1) -> Iterator[Article | Reject]:
    """Articles and Rejects of every response in a WARC file."""
    damage: list[Reject] = []
    yield from extract_responses(readable_responses(path, site, damage), site, workers=workers)
    yield from damage
