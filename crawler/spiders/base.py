"""What both spiders share: link rules from the site config, URL canonicalisation, redirects
handled by hand (so no redirect leaves `allowed_domains` and no stored article is fetched
again), the incremental skip of stored articles and of articles an unfinished run captured
(`crawler.resume`), the conditional refetch of the stored articles the site's refetch policy
names (`crawler.refetch`), and failure reasons for the fetch log.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
from lxml import etree
from lxml import html as lxml_html
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.antibot import challenge_reason
from crawler.extract import decode_html
from crawler.refetch import DELETED_STATUSES, NOT_MODIFIED, deleted_reason
from crawler.resume import Leftovers
from crawler.sites import Site
from crawler.spiders.items import FetchedPage, FetchEvent
from crawler.urls import canonical_url
from crawler.vocab.dates import LIST_DATE, LIST_URL_DATE
from storage.index_api import Validators

REDIRECT_CODES = (301, 302, 303, 307, 308)
MAX_REDIRECTS = 5
ATTACHMENT_EXTENSIONS = frozenset({
    "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "wps", "et", "zip", "rar", "7z",
    "jpg", "jpeg", "png", "gif", "mp4", "mp3", "avi", "txt", "csv", "ofd",
})
DATE_IN_TEXT = re.compile(LIST_DATE)
DATE_IN_URL = re.compile(LIST_URL_DATE)


def link_text(anchor: Any) -> str:
    """The text shown with one link of a list: its whole list item when the item holds only
    this link, else the anchor with its tail and the element after it (flat lists print
    `<a>title</a><span>date</span>` side by side, so the parent's text would mix every date)."""
    item = anchor.getparent()
    if item is not None and sum(1 for _ in item.iter("a")) == 1:
        return str(item.text_content())
    following = anchor.getnext()
    beside = following.text_content() if following is not None and following.tag != "a" else ""
    return " ".join(filter(None, [anchor.text_content(), anchor.tail, beside]))


@dataclass(frozen=True)
class PageLink:
    """A link found on a page: absolute URL, canonical URL and the date shown beside it."""

    url: str
    canonical: str
    day: date | None


def _date(match: re.Match[str] | None) -> date | None:
    if match is None:
        return None
    try:
        return date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        return None


def attachment_extension(url: str) -> str | None:
    """The file extension when a URL names a document or media file, else None."""
    name = urlsplit(url).path.rsplit("/", 1)[-1]
    if "." not in name:
        return None
    extension = name.rsplit(".", 1)[-1].lower()
    return extension if extension in ATTACHMENT_EXTENSIONS else None


def failure_reason(failure: Failure) -> tuple[str, int | None, bool]:
    """(reason, HTTP status, skipped) for a failed request; `skipped` when policy (robots.txt)
    and not an error stopped it."""
    error = failure.value
    if isinstance(error, HttpError):
        status = error.response.status
        return challenge_reason(status, error.response.body) or f"http {status}", status, False
    if isinstance(error, IgnoreRequest):
        message = str(error) or "ignored"
        if "robots" in message.lower():
            return "robots.txt", None, True
        return message, None, True
    name = type(error).__name__
    text = f"{name}: {error}".lower()
    if "dataloss" in text or "data loss" in text or "partial" in text:
        return "truncated body", None, False
    if "timeout" in text or "timed out" in text:
        return "timeout", None, False
    if "cancel" in text and "maxsize" in text.replace(" ", ""):
        return "too large", None, False
    if "cancel" in text:
        return "too large or cancelled", None, False
    if "refused" in text or "connect" in text:
        return f"connection failed ({name})", None, False
    return f"{name}: {error}".strip(": "), None, False


class SiteSpider(scrapy.Spider):
    """Base of the site spiders: configured by a `Site`, never leaves its domains."""

    name = "site"
    site: Site

    def __init__(self, site: Site, *, stored: set[str] | None = None,
                 refetch: Mapping[str, Validators] | None = None,
                 since: date | None = None, max_pages: int | None = None,
                 leftovers: Leftovers | None = None, **kwargs: Any) -> None:
        super().__init__(name=site.name, **kwargs)
        self.site = site
        self.allowed_domains = list(site.allowed_domains)
        self.stored = set(stored or ())
        self.refetch = dict(refetch or {})
        # Captured by an unfinished run: the pipeline copies them, the spider never asks.
        self.leftovers = leftovers or Leftovers()
        self.since = since if since is not None else site.limits.since
        self.max_pages = max_pages if max_pages is not None else site.limits.max_pages
        self.seen: set[str] = set()
        self.list_pages = 0
        self._article_rules = [re.compile(rule) for rule in site.links.article_url]
        self._list_rules = [re.compile(rule) for rule in site.links.list_url]

    # -- links ----------------------------------------------------------------------------

    def is_article(self, url: str) -> bool:
        return any(rule.search(url) for rule in self._article_rules)

    def is_list(self, url: str) -> bool:
        return any(rule.search(url) for rule in self._list_rules)

    def tree(self, response: Response) -> Any:
        """The page parsed from its bytes, decoded by the extraction decoder (header as
        evidence, checked against the bytes), not by Scrapy's `response.text`."""
        content_type = response.headers.get("Content-Type")
        text, _ = decode_html(
            response.body,
            content_type=content_type.decode("latin-1") if content_type else None,
            hint=self.site.encoding,
        )
        try:
            return lxml_html.document_fromstring(text)
        except (ValueError, etree.ParserError):
            return None

    def page_links(self, tree: Any, base_url: str, region: str | None) -> list[PageLink]:
        """Links inside `region` (an XPath; the whole page when None), in page order: anchors,
        and the `<area>` hot spots of an e-paper's page image (their `title` is the headline).
        A region may select the anchors themselves (`//div[@class='page']//a[text()='下一页']`)."""
        if tree is None:
            return []
        roots = tree.xpath(region) if region else [tree]
        links: list[PageLink] = []
        for root in roots:
            if not hasattr(root, "iter"):
                continue
            for anchor in root.iter("a", "area"):
                href = (anchor.get("href") or "").strip()
                if not href or href.startswith(("javascript:", "mailto:", "#")):
                    continue
                url = urljoin(base_url, href)
                if urlsplit(url).scheme not in ("http", "https"):
                    continue
                text = link_text(anchor) if anchor.tag == "a" else anchor.get("title", "")
                day = _date(DATE_IN_TEXT.search(text)) or _date(DATE_IN_URL.search(url))
                links.append(PageLink(url, canonical_url(url), day))
        return links

    # -- requests -------------------------------------------------------------------------

    def request(self, url: str, kind: str, callback: Any, *, referer: str | None = None,
                hops: int = 0, **meta: Any) -> Request:
        """A request for a canonical URL that handles its own redirects."""
        self.seen.add(url)
        return Request(
            url, callback=callback, errback=self.on_error, dont_filter=hops > 0,
            meta={"kind": kind, "referer": referer, "hops": hops, "dont_redirect": True,
                  "handle_httpstatus_list": list(REDIRECT_CODES), **meta},
            headers={"Referer": referer} if referer else None,
        )

    def refetch_requests(self) -> Iterator[Request]:
        """Conditional requests for the stored articles due for a refetch, in URL order (but
        those an unfinished run of this refetch already captured)."""
        for url, validators in sorted(self.refetch.items()):
            if url in self.leftovers.urls:
                continue
            headers = {"If-None-Match": validators.etag,
                       "If-Modified-Since": validators.last_modified}
            request = self.request(url, "article", self.parse_article, refetch=True)
            request.meta["handle_httpstatus_list"] += [304, *DELETED_STATUSES]
            for name, value in headers.items():
                if value:
                    request.headers[name] = value
            yield request

    def event(self, url: str, kind: str, event: str, reason: str,
              status: int | None = None) -> FetchEvent:
        return FetchEvent(self.site.name, url, kind, event, reason, status)  # type: ignore[arg-type]

    def article_requests(self, links: list[PageLink], referer: str) -> Iterator[Any]:
        """Requests for the new articles among `links`, events for the others."""
        for link in links:
            extension = attachment_extension(link.canonical)
            if extension is not None:
                if link.canonical not in self.seen:
                    self.seen.add(link.canonical)
                    yield self.event(link.url, "attachment", "skipped",
                                     f"attachment (.{extension})")
                continue
            if not self.is_article(link.canonical) or not self.site.allows(link.canonical):
                continue
            if link.canonical in self.seen:
                if link.url != link.canonical:
                    yield self.event(link.url, "article", "skipped",
                                     "duplicate URL (tracking parameters)")
                continue
            if self.since is not None and link.day is not None and link.day < self.since:
                self.seen.add(link.canonical)
                yield self.event(link.canonical, "article", "skipped", f"before {self.since}")
                continue
            if link.canonical in self.stored:
                self.seen.add(link.canonical)
                yield self.event(link.canonical, "article", "skipped", "already stored")
                continue
            if link.canonical in self.leftovers.urls:  # logged as fetched by the pipeline
                self.seen.add(link.canonical)
                continue
            yield self.request(link.canonical, "article", self.parse_article, referer=referer)

    def challenged(self, response: Response, kind: str) -> FetchEvent | None:
        """A failed event when the response is an anti-bot challenge page (never answered)."""
        reason = challenge_reason(response.status, response.body)
        return None if reason is None else self.event(response.url, kind, "failed", reason,
                                                      response.status)

    def parse_article(self, response: Response) -> Iterator[Any]:
        if response.status in REDIRECT_CODES:
            yield from self.follow_redirect(response, self.parse_article)
            return
        if response.meta.get("refetch") and response.status == 304:
            yield self.event(response.url, "article", "skipped", NOT_MODIFIED, 304)
            return
        if response.meta.get("refetch") and response.status in DELETED_STATUSES:
            yield self.event(response.url, "article", "skipped",
                             deleted_reason(response.status), response.status)
            return
        if (challenge := self.challenged(response, "article")) is not None:
            yield challenge
            return
        yield self.page(response, "article")

    def page(self, response: Response, kind: str) -> FetchedPage:
        headers = [
            (name.decode("latin-1"), value.decode("latin-1"))
            for name, values in response.headers.items() for value in values
        ]
        return FetchedPage(
            site=self.site.name, url=response.url, kind=kind,  # type: ignore[arg-type]
            status=response.status, headers=headers, body=response.body,
            referer=response.meta.get("referer"),
            requested_url=response.meta.get("redirected_from"),
        )

    def follow_redirect(self, response: Response, callback: Any) -> Iterator[Any]:
        """Follow a redirect by hand: only inside the site, never to a stored article."""
        kind = response.meta.get("kind", "article")
        location = response.headers.get("Location")
        origin = response.meta.get("redirected_from") or response.url
        if not location:
            yield self.event(origin, kind, "failed", f"http {response.status} without Location",
                             response.status)
            return
        target = canonical_url(urljoin(response.url, location.decode("latin-1")))
        hops = response.meta.get("hops", 0) + 1
        if not self.site.allows(target):
            host = urlsplit(target).hostname or target
            yield self.event(origin, kind, "failed", f"offsite redirect to {host}",
                             response.status)
            return
        if hops > MAX_REDIRECTS:
            yield self.event(origin, kind, "failed", "too many redirects", response.status)
            return
        if kind == "article" and target in self.stored:
            yield self.event(target, kind, "skipped", "already stored")
            return
        if kind == "article" and target in self.leftovers.urls:
            return
        chain = [*response.meta.get("redirect_chain", [origin]), response.url]
        if target in chain:
            yield self.event(origin, kind, "failed", "redirect loop", response.status)
            return
        if target in self.seen and target != response.url:
            yield self.event(origin, kind, "skipped", "redirect to a URL already fetched")
            return
        yield self.request(target, kind, callback, referer=response.meta.get("referer"),
                           hops=hops, redirected_from=origin, redirect_chain=chain)

    def on_error(self, failure: Failure) -> Iterator[FetchEvent]:
        request = failure.request  # type: ignore[attr-defined]
        reason, status, skipped = failure_reason(failure)
        kind = request.meta.get("kind", "page")
        url = request.meta.get("redirected_from") or request.url
        yield self.event(url, kind, "skipped" if skipped else "failed", reason, status)
