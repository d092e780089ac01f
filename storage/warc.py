"""Raw capture: every fetched article response as a WARC `response` record (warcio, gzip).

One file per run and site, `<out>/_raw/site=<site>/<run-id>.warc.gz`. The file is written under a
hidden temp name (`.<run-id>.warc.gz.<pid>.tmp`) and renamed when the writer closes, so a killed
run leaves no half file under the final name. Each record is flushed as it is written, so a
killed fetch leaves every record it wrote, perhaps followed by a torn one. `iter_warc` reads
the responses back, which is how extraction is re-run later without crawling again;
`complete_responses` reads what a killed writer left, and `unfinished_captures` finds those
files (see `crawler.resume`).
"""

from __future__ import annotations

import base64
import hashlib
import os
import posixpath
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from http import HTTPStatus
from io import BytesIO
from types import TracebackType
from typing import IO

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storage.fs import TEMP_SUFFIX, Root, process_tag, writer_died

RAW_DIR = "_raw"
SOFTWARE = "govnews"
# Scrapy hands over decoded bodies, so the headers describing the wire encoding are kept under
# another name: a WARC reader must not try to decode the stored body a second time.
_WIRE_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}
_ORIGINAL_PREFIX = "X-Govnews-Original-"

_TEMP_NAME = re.compile(
    r"^\.(?P<run>.+)\.warc\.gz\.(?P<tag>[^.]+)" + re.escape(TEMP_SUFFIX) + "$")

Headers = Mapping[str, str] | Iterable[tuple[str, str]]


@dataclass
class RawResponse:
    """One fetched HTTP response as captured."""

    url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    fetched_at: str
    extra: dict[str, str] = field(default_factory=dict)

    def header(self, name: str) -> str | None:
        """The first value of a header (case-insensitive), or None."""
        wanted = name.lower()
        for key, value in self.headers:
            if key.lower() == wanted:
                return value
        return None


def warc_path(root: str, site: str, run_id: str) -> str:
    """The WARC file of one run of one site under an output root (path or fsspec URL)."""
    return posixpath.join(root.rstrip("/"), RAW_DIR, f"site={site}", f"{run_id}.warc.gz")


def warc_files(root: str, site: str) -> list[str]:
    """Every complete WARC file of a site, oldest run first (run ids sort by time)."""
    store_root = Root.open(root)
    found = store_root.glob(posixpath.join(RAW_DIR, f"site={site}", "*.warc.gz"))
    return [store_root.url_of(path) for path in found]


def _warc_date(fetched_at: str) -> str:
    moment = datetime.fromisoformat(fetched_at.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _iso_utc(warc_date: str) -> str:
    moment = datetime.fromisoformat(warc_date.replace("Z", "+00:00"))
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def _header_pairs(headers: Headers) -> list[tuple[str, str]]:
    items = headers.items() if isinstance(headers, Mapping) else headers
    pairs: list[tuple[str, str]] = []
    for key, value in items:
        name = str(key)
        if name.lower() in _WIRE_HEADERS:
            name = _ORIGINAL_PREFIX + name
        pairs.append((name, str(value)))
    return pairs


class WarcWriter:
    """Appends responses to one gzip WARC file; visible under its final name only after close.

    Use as a context manager. Leaving the block with an exception discards the file.
    """

    def __init__(self, path: str, *, run_id: str | None = None) -> None:
        self.path = path
        self.run_id = run_id
        self.count = 0
        self._root = Root.open(posixpath.dirname(path) or ".")
        self._final = self._root.join(posixpath.basename(path))
        if self._root.is_local:
            os.makedirs(self._root.path, exist_ok=True)
            self._temp = self._root.temp_path(self._final, process_tag())
        else:
            handle, self._temp = tempfile.mkstemp(suffix=TEMP_SUFFIX, prefix=".warc-")
            os.close(handle)
        self._handle: IO[bytes] | None = open(self._temp, "wb")  # noqa: SIM115 - closed in close()
        self._writer = WARCWriter(self._handle, gzip=True, warc_version="WARC/1.1")
        self._write_warcinfo()

    def _write_warcinfo(self) -> None:
        info: dict[str, str] = {"software": SOFTWARE, "format": "WARC File Format 1.1"}
        if self.run_id:
            info["govnews-run-id"] = self.run_id
        record = self._writer.create_warcinfo_record(posixpath.basename(self._final), info)
        self._writer.write_record(record)

    def write(
        self,
        url: str,
        status: int,
        headers: Headers,
        body: bytes,
        fetched_at: str,
        extra: Mapping[str, str] | None = None,
    ) -> None:
        """Append one response. `fetched_at` is ISO 8601; it becomes the WARC-Date.
        `extra` becomes `WARC-Govnews-<key>` headers (for example the site)."""
        if self._handle is None:
            raise ValueError(f"WARC writer for {self.path} is closed")
        try:
            reason = HTTPStatus(status).phrase
        except ValueError:
            reason = "Unknown"
        pairs = _header_pairs(headers)
        pairs.append(("Content-Length", str(len(body))))
        http_headers = StatusAndHeaders(f"{status} {reason}", pairs, protocol="HTTP/1.1")
        warc_headers = {"WARC-Date": _warc_date(fetched_at)}
        for key, value in (extra or {}).items():
            warc_headers[f"WARC-Govnews-{key}"] = value
        record = self._writer.create_warc_record(
            url,
            "response",
            payload=BytesIO(body),
            length=len(body),
            http_headers=http_headers,
            warc_headers_dict=warc_headers,
        )
        self._writer.write_record(record)
        self._handle.flush()  # a killed process leaves every record written so far on disk
        self.count += 1

    def write_response(self, response: RawResponse) -> None:
        """Append a `RawResponse` (one read back from a WARC file too: the Content-Length
        `write` added is written anew, not kept as a second header)."""
        headers = [(name, value) for name, value in response.headers
                   if name.lower() != "content-length"]
        self.write(response.url, response.status, headers, response.body, response.fetched_at,
                   response.extra)

    def close(self) -> None:
        """Flush, fsync and publish the file under its final name."""
        if self._handle is None:
            return
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._handle.close()
        self._handle = None
        if self._root.is_local:
            self._root.publish(self._temp, self._final)
        else:
            self._root.fs.makedirs(self._root.path, exist_ok=True)
            self._root.fs.put_file(self._temp, self._final)
            os.remove(self._temp)

    def discard(self) -> None:
        """Drop the file being written."""
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        if os.path.exists(self._temp):
            os.remove(self._temp)

    def __enter__(self) -> WarcWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.close()
        else:
            self.discard()


def latest_responses(
    paths: Iterable[str], since: date | None = None, *,
    read: Callable[[str], Iterable[RawResponse]] | None = None,
) -> list[RawResponse]:
    """The newest capture of each URL across WARC files, fetched on or after `since` (UTC
    date), in URL order: what re-extraction works from. `read` reads one file (default
    `iter_warc`; the caller's may stop quietly at damage)."""
    latest: dict[str, RawResponse] = {}
    for path in paths:
        for response in (read or iter_warc)(path):
            if since is not None and response.fetched_at[:10] < since.isoformat():
                continue
            known = latest.get(response.url)
            if known is None or response.fetched_at >= known.fetched_at:
                latest[response.url] = response
    return [latest[url] for url in sorted(latest)]


class CorruptRecord(ValueError):
    """A WARC record whose body is not the body its writer wrote: its SHA-1 is not its
    WARC-Payload-Digest (damage inside a gzip member can decompress to other bytes before the
    member's own checksum is reached)."""


def iter_warc(path: str) -> Iterator[RawResponse]:
    """The response records of a WARC file (local path or fsspec URL), in order; a record whose
    body does not match its payload digest raises CorruptRecord, so damaged bytes never pass
    for a page."""
    for response, digest in _read(path):
        if not _digest_matches(response.body, digest):
            raise CorruptRecord(f"{response.url}: body does not match its payload digest")
        yield response


def complete_responses(path: str) -> Iterator[RawResponse]:
    """The complete response records of a WARC file a killed writer may have left: reading
    stops quietly at the first record that is torn (cut short, its body shorter than its
    Content-Length or its payload digest wrong) or that cannot be parsed at all."""
    try:
        for response, digest in _read(path):
            if not _is_complete(response, digest):
                return
            yield response
    except Exception:  # a torn gzip member fails in many ways inside warcio
        return


def _is_complete(response: RawResponse, digest: str | None) -> bool:
    """Whether a record's body is the whole body its writer wrote (see `WarcWriter.write`,
    which records the body's length; warcio records its SHA-1)."""
    length = response.header("Content-Length")
    if length is None or not length.isdigit() or int(length) != len(response.body):
        return False
    return _digest_matches(response.body, digest)


def _digest_matches(body: bytes, digest: str | None) -> bool:
    """Whether `body` has the SHA-1 payload digest warcio recorded (True when there is none)."""
    if digest is None or not digest.startswith("sha1:"):
        return True
    expected = base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")
    return digest.removeprefix("sha1:") == expected


def _read(path: str) -> Iterator[tuple[RawResponse, str | None]]:
    """The response records of a WARC file with their WARC-Payload-Digest, in order."""
    root = Root.open(posixpath.dirname(path) or ".")
    with root.fs.open(root.join(posixpath.basename(path)), "rb") as handle:
        for record in ArchiveIterator(handle):
            if record.rec_type != "response":
                continue
            http = record.http_headers
            status = int(http.get_statuscode()) if http is not None else 0
            headers = list(http.headers) if http is not None else []
            extra = {
                key[len("WARC-Govnews-"):]: value
                for key, value in record.rec_headers.headers
                if key.startswith("WARC-Govnews-")
            }
            response = RawResponse(
                url=record.rec_headers.get_header("WARC-Target-URI") or "",
                status=status,
                headers=headers,
                body=record.raw_stream.read(),
                fetched_at=_iso_utc(record.rec_headers.get_header("WARC-Date") or ""),
                extra=extra,
            )
            yield response, record.rec_headers.get_header("WARC-Payload-Digest")


def unfinished_captures(root: str, site: str, committed: Callable[[str], bool]) -> list[str]:
    """The raw capture of a site that no committed run extracted, newest first: the temp WARC
    files of fetch processes that died, and the complete WARC files of runs `committed` says
    never committed (a crawl killed between its fetch and its commit). A temp file of a live
    process is not among them; the caller holds the site's crawl lock (`storage.lock`), so no
    other run of the site is live. Paths as `warc_files` gives them."""
    store_root = Root.open(root)
    directory = posixpath.join(RAW_DIR, f"site={site}")
    found: list[str] = []
    for path in store_root.glob(posixpath.join(directory, f".*{TEMP_SUFFIX}")):
        match = _TEMP_NAME.match(posixpath.basename(path))
        if match is None:
            continue
        if writer_died(match["tag"]):
            found.append(path)
    for path in store_root.glob(posixpath.join(directory, "*.warc.gz")):
        if not committed(posixpath.basename(path).removesuffix(".warc.gz")):
            found.append(path)
    found.sort(key=lambda path: store_root.fs.modified(path), reverse=True)
    return [store_root.url_of(path) for path in found]


def remove_capture(path: str) -> None:
    """Delete one raw capture file (local path or fsspec URL)."""
    root = Root.open(posixpath.dirname(path) or ".")
    root.remove(root.join(posixpath.basename(path)))
