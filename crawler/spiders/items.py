"""What the spiders yield: raw pages and fetch events (dataclass items, Scrapy-template style).

Spiders only fetch. A `FetchedPage` carries the response bytes and headers untouched (no
decoding here: extraction decodes from bytes and headers downstream); a `FetchEvent` tells the
fetch log what happened to a URL that produced no page: skipped or failed, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from crawler.article import utc_now

PageKind = Literal["article", "list"]
EventKind = Literal["fetched", "skipped", "failed"]


@dataclass
class FetchedPage:
    """One fetched response, as received."""

    site: str
    url: str
    kind: PageKind
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    fetched_at: str = field(default_factory=utc_now)
    referer: str | None = None
    requested_url: str | None = None


@dataclass
class FetchEvent:
    """A URL that was skipped or failed, with the reason (`robots.txt`, `http 404`, …)."""

    site: str
    url: str
    kind: str
    event: EventKind
    reason: str
    status: int | None = None
    at: str = field(default_factory=utc_now)

    def to_record(self) -> dict[str, Any]:
        return {"event": self.event, "site": self.site, "kind": self.kind, "url": self.url,
                "reason": self.reason, "status": self.status, "at": self.at}
