"""Input documents for `govnews clean`: `.txt` files (one document each) and `.jsonl` dumps.

Reading never raises on bad input: each problem becomes a `DocumentError` naming the file (and
line) and the reason, so the caller can report it and carry on with the other documents.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from crawler.article import Article, Reject
from crawler.clean import clean_document
from crawler.extract.decode import decode_html

TEXT_FIELDS = ("text", "content")
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


@dataclass
class Document:
    """One input document: its text, where it came from and the fields to carry into its records."""

    name: str
    url: str
    text: str
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass
class DocumentError:
    """An input that could not be read as a document."""

    name: str
    reason: str


def decode_text_file(data: bytes) -> str | None:
    """Decode a text file's bytes with the page decoder's evidence rules (BOM, strict UTF-8, then
    the most plausible Chinese encoding). Returns None for binary data (NUL or many control
    bytes) or when no encoding gives readable text."""
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if not utf16 and (b"\x00" in data
                      or sum(data.count(b) for b in _CONTROL_BYTES) > len(data) // 100 + 2):
        return None
    text, _ = decode_html(data)
    noise = text.count("\ufffd") + sum(text.count(chr(b)) for b in _CONTROL_BYTES)
    if "\x00" in text or noise > len(text) // 100 + 2:
        return None
    return text


def read_documents(path: Path) -> Iterator[Document | DocumentError]:
    """Yield the documents in `path` (`.jsonl` → one per line, anything else → one document)."""
    name = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield DocumentError(name, f"cannot read: {exc.strerror or exc}")
        return
    if not data.strip():
        yield DocumentError(name, "empty file")
        return
    if path.suffix == ".jsonl":
        yield from _jsonl_documents(path, data)
        return
    text = decode_text_file(data)
    if text is None:
        yield DocumentError(name, "binary or undecodable content (not a text file)")
        return
    yield Document(name=name, url=path.resolve().as_uri(), text=text)


def _jsonl_documents(path: Path, data: bytes) -> Iterator[Document | DocumentError]:
    base_url = path.resolve().as_uri()
    for number, line in enumerate(data.splitlines(), start=1):
        name = f"{path}:{number}"
        if not line.strip():
            continue
        try:
            obj = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            yield DocumentError(name, f"malformed JSON: {exc}")
            continue
        if not isinstance(obj, dict):
            yield DocumentError(name, f"expected a JSON object, got {type(obj).__name__}")
            continue
        key = next((k for k in TEXT_FIELDS if k in obj), None)
        if key is None:
            yield DocumentError(name, "no 'text' or 'content' field")
            continue
        text = obj.pop(key)
        if not isinstance(text, str) or not text.strip():
            yield DocumentError(name, f"field '{key}' is empty or not a string")
            continue
        carried_url = obj.get("url")
        url = carried_url if isinstance(carried_url, str) else f"{base_url}#L{number}"
        yield Document(name=name, url=url, text=text, fields=obj)


def clean_path(path: Path, *, site: str | None = None,
               fetched_at: str | None = None) -> Iterator[Article | Reject]:
    """Every document in `path` through the repair chain: its Articles, or one Reject naming
    the document (stage `read` when it could not be read, `clean` when no text was left)."""
    for document in read_documents(path):
        if isinstance(document, DocumentError):
            yield Reject(url=path.resolve().as_uri(), site=site, stage="read",
                         reason=document.reason, details={"document": document.name})
            continue
        articles = clean_document(document.text, url=document.url, site=site,
                                  fields=document.fields, fetched_at=fetched_at)
        if not articles:
            yield Reject(url=document.url, site=site, stage="clean",
                         reason="no article text left after cleaning",
                         details={"document": document.name})
        yield from articles
