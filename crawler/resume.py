"""Resuming a fetch: what an unfinished run captured is taken over, not fetched again.

A fetch that is killed (its process, the whole crawl, or a try that failed and is retried)
leaves its WARC file: every article response it wrote, perhaps followed by a torn record. A
crawl killed after its fetch but before its commit leaves a complete WARC file of a run that
never committed. The next fetch of the site with `resume` (the crawl flows, which hold the
site's crawl lock) finds these files (`storage.warc.unfinished_captures`), copies their complete
records into its own WARC file and does not request their articles again, so that extraction
sees one capture of every article, as after an undisturbed run. The old files are deleted once
the new file is complete (`crawler.spiders.pipelines`); until then a kill leaves both, and the
next fetch takes each URL once.

List pages are fetched again (they change, they are few, and they lead to the articles that
were not captured yet); pages that failed or were rejected in the unfinished run are not in its
capture, so they are requested again too. Articles the index has stored since are left out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from storage.warc import RawResponse, complete_responses, unfinished_captures

RESUMED_FROM = "Resumed-From"
"""The extra WARC header (`WARC-Govnews-Resumed-From`) naming the file a record came from."""


@dataclass(frozen=True)
class Leftovers:
    """The capture unfinished runs of one site left: its files, newest first, and the
    canonical article URLs they hold (each record's URL, and the URL first requested when a
    redirect led to it)."""

    files: tuple[str, ...] = ()
    urls: frozenset[str] = field(default_factory=frozenset)

    def responses(self) -> Iterator[RawResponse]:
        """The complete records whose URL is among `urls`, each URL once (its newest
        capture), each tagged with the file it came from."""
        taken: set[str] = set()
        for path in self.files:
            for response in complete_responses(path):
                if response.url in taken or response.url not in self.urls:
                    continue
                taken.add(response.url)
                response.extra[RESUMED_FROM] = path.rsplit("/", 1)[-1]
                yield response


def find_leftovers(out: str, site: str, *, committed: Callable[[str], bool],
                   skip: set[str] | frozenset[str] = frozenset()) -> Leftovers:
    """The leftover capture of `site` under the raw root `out`; articles in `skip` (stored
    since) are left out."""
    files = tuple(unfinished_captures(out, site, committed))
    urls: set[str] = set()
    for path in files:
        for response in complete_responses(path):
            if response.url in skip:
                continue
            urls.add(response.url)
            requested = response.extra.get("Requested-URL")
            if requested and requested not in skip:
                urls.add(requested)
    return Leftovers(files, frozenset(urls))
