"""The generic list → article spider, driven by a site's TOML.

It starts at the site's list pages, requests the article links a list page shows (canonical
URLs, each once, skipping articles already stored and those older than `since`), and follows
pagination until `max_pages` list pages were fetched, a page shows only articles older than
`since`, or a page shows only articles already stored. List pages are always fetched again.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

from scrapy.http import Response

from crawler.spiders.base import REDIRECT_CODES, SiteSpider
from crawler.urls import canonical_url


class NewsSpider(SiteSpider):
    """List pages → article pages, for sites with `layout = "news"`."""

    name = "news"

    async def start(self) -> AsyncIterator[Any]:
        for request in self.refetch_requests():
            yield request
        for url in self.site.start_urls:
            canonical = canonical_url(url)
            if canonical not in self.seen:
                self.list_pages += 1
                yield self.request(canonical, "list", self.parse_list)

    def parse_list(self, response: Response) -> Iterator[Any]:
        if response.status in REDIRECT_CODES:
            yield from self.follow_redirect(response, self.parse_list)
            return
        if (challenge := self.challenged(response, "list")) is not None:
            yield challenge
            return
        yield self.page(response, "list")
        tree = self.tree(response)
        links = self.page_links(tree, response.url, self.site.links.article_xpath)
        articles = [link for link in links if self.is_article(link.canonical)]
        since = self.since
        old = [link for link in articles
               if since is not None and link.day is not None and link.day < since]
        fresh = [link for link in articles if link.canonical not in self.stored
                 and link.canonical not in self.seen and link not in old]
        reached_since = bool(old)
        yield from self.article_requests(links, response.url)
        if articles and not fresh:
            reason = "since date reached" if reached_since else "no new articles on page"
            yield self.event(response.url, "list", "skipped", f"pagination stopped: {reason}")
            return
        if reached_since:
            yield self.event(response.url, "list", "skipped",
                             "pagination stopped: since date reached")
            return
        yield from self.next_pages(tree, response.url)

    def next_pages(self, tree: Any, url: str) -> Iterator[Any]:
        """Requests for the pagination links of a list page, within `max_pages`."""
        region = self.site.links.next_page_xpath or self.site.links.list_xpath
        for link in [item.canonical for item in self.page_links(tree, url, region)]:
            if not self.is_list(link) or link in self.seen or not self.site.allows(link):
                continue
            if self.list_pages >= self.max_pages:
                yield self.event(link, "list", "skipped", f"max_pages ({self.max_pages}) reached")
                return
            self.list_pages += 1
            yield self.request(link, "list", self.parse_list, referer=url)
