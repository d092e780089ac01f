"""Hive-style JSONL partitions: `site=<site>/date=<YYYY-MM-DD>/part-<run-id>.jsonl[.gz]`.

One JSON object per line, UTF-8 with non-ASCII characters as they are (orjson), in a stable
order (by record id). The date is the publication date, or the fetch date when the article has
none, both in China Standard Time. Files are written atomically by `storage.store`.

A line is a record (`storage/schema.json`), or a tombstone (`tombstone_line`): the same id at
its next revision with `deleted_at` set, saying the page is gone from the site.
"""

from __future__ import annotations

import gzip
import hashlib
import posixpath
import re
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import orjson

CHINA_TIME = timezone(timedelta(hours=8))
UNKNOWN_SITE = "_unknown"
SITE_NAME_PATTERN = r"^[a-z][a-z0-9_]*$"
"""What a registry site name looks like (`seeds/<site>.toml`): it becomes a directory name."""
_SITE_NAME = re.compile(SITE_NAME_PATTERN)
Record = dict[str, Any]
SCHEMA_VERSION = "3"
"""The version of the record contract, `storage/schema.json`."""
LANG = "zh-Hans"


def record_id(canonical_url: str, part: int = 1) -> str:
    """A stable record id: derived from the canonical URL and the part number only."""
    digest = hashlib.sha256(f"{canonical_url}#{part}".encode()).hexdigest()
    return digest[:24]


def tombstone_line(url: str, part: int, parts: int, site: str | None, content_sha256: str,
                   revision: int, deleted_at: str) -> Record:
    """The line that deletes a record: its id, URL, site and part at the next `revision`,
    `deleted_at` (when the page answered 404 or 410) also as `fetched_at`, the deleted
    content's `content_sha256`, and no text, title, date or names (`storage/schema.json`)."""
    return {"id": record_id(url, part), "url": url, "site": site, "title": None,
            "published_at": None, "published_precision": None, "authors": [], "source": None,
            "text": None, "lang": LANG, "repairs": [], "part": part, "parts": parts,
            "fetched_at": deleted_at, "content_sha256": content_sha256,
            "schema_version": SCHEMA_VERSION, "revision": revision, "deleted_at": deleted_at}


def partition_date(record: Record) -> str:
    """The partition date of a record: its publication date, else its fetch date (UTC+8)."""
    for key in ("published_at", "fetched_at"):
        value = record.get(key)
        if not isinstance(value, str) or not value:
            continue
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            continue
        if moment.tzinfo is not None:
            moment = moment.astimezone(CHINA_TIME)
        return moment.date().isoformat()
    raise ValueError("record has neither a valid published_at nor fetched_at")


def is_site_name(value: object) -> bool:
    """Whether `value` is shaped like a registry site name (safe as a directory name)."""
    return isinstance(value, str) and _SITE_NAME.fullmatch(value) is not None


def partition_site(record: Record) -> str:
    """The partition site name: records of no site, or of a value that is no registry name,
    go to `site=_unknown` (storage rejects the latter before writing them)."""
    site = record.get("site")
    return site if isinstance(site, str) and is_site_name(site) else UNKNOWN_SITE


def partition_file(site: str, date: str, run_id: str, *, compress: bool = False) -> str:
    """A part file's path relative to the output root."""
    suffix = ".jsonl.gz" if compress else ".jsonl"
    return posixpath.join(f"site={site}", f"date={date}", f"part-{run_id}{suffix}")


def encode_line(record: Record) -> bytes:
    """One record as one line of UTF-8 JSON (no ASCII escaping)."""
    return orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE)


def encode_lines(records: Iterable[Record], *, compress: bool = False) -> bytes:
    """The bytes of a JSONL file (gzip with a fixed mtime when `compress`: reproducible)."""
    data = b"".join(encode_line(record) for record in records)
    return gzip.compress(data, mtime=0) if compress else data


def decode_lines(data: bytes, *, compressed: bool | None = None) -> Iterator[Record]:
    """The records in the bytes of a JSONL file (gzip detected by its magic bytes)."""
    if compressed or (compressed is None and data[:2] == b"\x1f\x8b"):
        data = gzip.decompress(data)
    for line in data.splitlines():
        if line.strip():
            yield orjson.loads(line)
