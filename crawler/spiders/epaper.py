"""The e-paper spider: dated editions → layout pages (`node_N.htm`) → articles (`content_N.htm`).

With an explicit date range (`since` and `until`) it requests each edition's first layout page
from the site's `edition_url` template. Without `until` it opens the start URL (the e-paper's
home, which leads to the newest edition), reads the newest edition's date from where it lands,
and covers the editions from that date back to `since` (or `days_back` days). Each layout page
links the edition's other layout pages and its articles; `max_pages` bounds the layout pages.
A missing edition (404) is skipped, not a failure: papers do not appear every day.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import date
from typing import Any

from scrapy.http import Response
from twisted.python.failure import Failure

from crawler.spiders.base import REDIRECT_CODES, SiteSpider
from crawler.spiders.items import FetchEvent
from crawler.urls import canonical_url


class EpaperSpider(SiteSpider):
    """Editions of a date range, for sites with `layout = "epaper"`."""

    name = "epaper"

    def __init__(self, *args: Any, until: date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.site.epaper is None:
            raise ValueError(f"{self.site.name} has no [epaper] table")
        self.epaper = self.site.epaper
        self.until = until

    async def start(self) -> AsyncIterator[Any]:
        for request in self.refetch_requests():
            yield request
        if self.until is not None:
            for request in self.edition_requests(self.until, referer=None):
                yield request
            return
        for url in self.site.start_urls:
            self.list_pages += 1
            yield self.request(canonical_url(url), "list", self.parse_layout)

    def edition_requests(self, newest: date, referer: str | None) -> Iterator[Any]:
        """First layout pages of the editions from `newest` back to the range's start."""
        for day in self.epaper.editions(newest, self.since):
            url = canonical_url(self.epaper.url_for(day))
            if url in self.seen:
                continue
            if self.list_pages >= self.max_pages:
                yield self.event(url, "list", "skipped", f"max_pages ({self.max_pages}) reached")
                return
            self.list_pages += 1
            yield self.request(url, "list", self.parse_layout, referer=referer, edition=True)

    def parse_layout(self, response: Response) -> Iterator[Any]:
        if response.status in REDIRECT_CODES:
            yield from self.follow_redirect(response, self.parse_layout)
            return
        if (challenge := self.challenged(response, "list")) is not None:
            yield challenge
            return
        yield self.page(response, "list")
        day = self.epaper.date_of(response.url)
        if day is not None and self.until is None and not response.meta.get("edition"):
            yield from self.edition_requests(day, referer=response.url)
        tree = self.tree(response)
        yield from self.article_requests(
            self.page_links(tree, response.url, self.site.links.article_xpath), response.url
        )
        for link in self.page_links(tree, response.url, self.site.links.list_xpath):
            url = link.canonical
            if (not self.is_list(url) or url in self.seen or not self.site.allows(url)
                    or self.epaper.date_of(url) != day):
                continue
            if self.list_pages >= self.max_pages:
                yield self.event(url, "list", "skipped", f"max_pages ({self.max_pages}) reached")
                return
            self.list_pages += 1
            yield self.request(url, "list", self.parse_layout, referer=response.url,
                               edition=True)

    def on_error(self, failure: Failure) -> Iterator[FetchEvent]:
        request = failure.request  # type: ignore[attr-defined]
        for event in super().on_error(failure):
            if request.meta.get("edition") and event.status == 404:
                yield self.event(event.url, "list", "skipped", "no edition on this date", 404)
            else:
                yield event
