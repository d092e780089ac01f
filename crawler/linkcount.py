"""What a site's list pages pointed at, counted from its fetch log (for `storage.health`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


def article_links(events: Iterable[Mapping[str, Any]]) -> int:
    """Distinct article URLs in a fetch log: fetched, failed or skipped (already stored and
    older than `since` included), so that a rerun counts what the first run counted."""
    return len({event["url"] for event in events if event.get("kind") == "article"})
