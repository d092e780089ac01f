"""The record contract: `Article` (one clean news article) and `Reject` (one failed page or record).

Downstream teams read these as JSON lines; `storage/schema.json` is the written-down contract and
`SCHEMA_VERSION` names its version (both, and `record_id`, live in `storage.jsonl`, which also
writes the tombstone of a deleted record).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from storage.jsonl import LANG as LANG
from storage.jsonl import SCHEMA_VERSION as SCHEMA_VERSION
from storage.jsonl import record_id as record_id

ISO_CST = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00")


def _names(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(n, str) and n for n in value)


FILLABLE: dict[str, Callable[[Any], bool]] = {
    "title": lambda v: isinstance(v, str) and bool(v.strip()),
    "source": lambda v: isinstance(v, str) and bool(v.strip()),
    "site": lambda v: isinstance(v, str) and bool(v.strip()),
    "authors": _names,
    "published_at": lambda v: isinstance(v, str) and ISO_CST.fullmatch(v) is not None,
}
"""Contract fields a carried input field may fill when the text gave none, with its check."""


def published_precision(published_at: str | None) -> str | None:
    """The finest unit a `published_at` states: `day` when its time is 00:00:00 (a date-only
    dateline), `minute` when its seconds are 0, else `second`; None without a date."""
    if not isinstance(published_at, str) or ISO_CST.fullmatch(published_at) is None:
        return None
    clock = published_at[11:19]
    if clock == "00:00:00":
        return "day"
    return "minute" if clock.endswith(":00") else "second"


def utc_now() -> str:
    """The current time as ISO 8601 in UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def text_sha256(text: str) -> str:
    """The sha256 of the article text as UTF-8; dedup compares this per URL."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Article:
    """One clean article. `to_record` turns it into the JSON object of the contract."""

    url: str
    text: str
    site: str | None = None
    title: str | None = None
    published_at: str | None = None
    authors: list[str] = field(default_factory=list)
    source: str | None = None
    repairs: list[str] = field(default_factory=list)
    part: int = 1
    parts: int = 1
    fetched_at: str = field(default_factory=utc_now)
    extra: dict[str, Any] = field(default_factory=dict)

    def to_record(self) -> dict[str, Any]:
        """The record as written to JSONL, with the fields carried from the input (`extra`).

        A carried `id` replaces the derived one (with a `#part` suffix on multi-part documents);
        a carried `title`, `source`, `site`, `authors` or `published_at` only fills a value the
        text did not give (a date only in the contract's form); every other contract field is
        computed here and never overridden; `published_precision` follows the final
        `published_at`. Fields outside the contract are carried unchanged.
        """
        record: dict[str, Any] = {
            "id": record_id(self.url, self.part),
            "url": self.url,
            "site": self.site,
            "title": self.title,
            "published_at": self.published_at,
            "published_precision": None,
            "authors": list(self.authors),
            "source": self.source,
            "text": self.text,
            "lang": LANG,
            "repairs": list(self.repairs),
            "part": self.part,
            "parts": self.parts,
            "fetched_at": self.fetched_at,
            "content_sha256": text_sha256(self.text),
            "schema_version": SCHEMA_VERSION,
        }
        for key, value in self.extra.items():
            if key == "id":
                record["id"] = f"{value}#{self.part}" if self.parts > 1 else value
            elif key not in record or (key in FILLABLE and not record[key]
                                       and FILLABLE[key](value)):
                record[key] = value
        record["published_precision"] = published_precision(record["published_at"])
        return record


@dataclass
class Reject:
    """A page or document that yielded no record, with the pipeline stage and the reason."""

    url: str
    stage: str
    reason: str
    site: str | None = None
    at: str = field(default_factory=utc_now)
    details: dict[str, Any] = field(default_factory=dict)

    def to_record(self) -> dict[str, Any]:
        """The reject line: url, site, stage, reason, at, then any details (e.g. HTTP status)."""
        return {"url": self.url, "site": self.site, "stage": self.stage, "reason": self.reason,
                "at": self.at, **self.details}
