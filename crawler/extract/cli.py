"""`govnews extract [--url URL] [--site NAME] [--encoding ENC] [--explain] FILE...`: saved
pages → JSONL.

Records go to stdout, one JSON object per line (UTF-8, no ASCII escaping). With `--explain`
stdout gets, instead, how each page was read: per metadata field the value, the rule that chose
it and the candidates it beat, then the body route. A page without an article gets a one-line
note on stderr and is not an error; a file that cannot be read, or is larger than the page cap
(`MAX_PAGE_BYTES`, the crawler's download limit; only that much is read), gets an error line on
stderr and makes the exit status 1. The flow wires `add_extract_arguments` and `run_extract` into
the `govnews` command.
"""

from __future__ import annotations

import argparse
import codecs
import sys
from pathlib import Path
from typing import BinaryIO, TextIO

import orjson

from crawler.extract.evidence import Decision
from crawler.extract.page import MAX_PAGE_BYTES, Extraction, extract_page
from crawler.extract.rules import ExtractRules

EXPLAIN_VALUE_MAX = 120
"""Longer values are cut when explained."""


def add_extract_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the `extract` subcommand's arguments on `parser`."""
    parser.add_argument("files", nargs="+", metavar="FILE", help="saved HTML pages")
    parser.add_argument("--url", help="the pages' URL (default: each file's file:// URI)")
    parser.add_argument("--site", help="registry name: use that site's extraction rules")
    parser.add_argument("--encoding", help="decode the pages with this codec, no detection")
    parser.add_argument("--seeds", help="directory of site files (default: the project's seeds/)")
    parser.add_argument("--explain", action="store_true",
                        help="print how each field and the body were decided, not records")


def _site_rules(name: str, sites_dir: str | None) -> ExtractRules:
    """The extraction rules of registry site `name` (raises ValueError with the reason)."""
    from crawler.sites import SEEDS_DIR, load_sites

    sites_dir = sites_dir or str(SEEDS_DIR)
    try:
        sites = load_sites(Path(sites_dir))
    except Exception as error:  # SiteConfigError and I/O errors both end the command cleanly
        raise ValueError(f"cannot load the site registry from {sites_dir}: {error}") from error
    if name not in sites:
        known = ", ".join(sorted(sites)) or "none"
        raise ValueError(f"unknown site {name!r} (known: {known})")
    rules: ExtractRules = sites[name].extract_rules()
    return rules


BINARY_SIGNATURES = (b"%PDF-", b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"\xff\xd8\xff",
                     b"GIF8", b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf")
"""Magic bytes of files a server may send as text/html: PDF, ZIP/OOXML, OLE (doc, xls), PNG,
JPEG, GIF, gzip, RAR, 7z."""


def is_binary(body: bytes) -> bool:
    """True for bytes that are no text page: a document or image signature at the start, or
    NUL bytes in the head of a non-UTF-16 file. The crawl's extraction uses it too."""
    head = body[:4096]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    return head.lstrip().startswith(BINARY_SIGNATURES) or b"\x00" in head


def _shown(value: object) -> str:
    """A decided or beaten value on one line."""
    if value is None or value == [] or value == "":
        return "-"
    text = "、".join(map(str, value)) if isinstance(value, list) else str(value)
    text = " ".join(text.split())
    return text if len(text) <= EXPLAIN_VALUE_MAX else text[:EXPLAIN_VALUE_MAX] + "…"


def _body_route(extraction: Extraction) -> Decision:
    """The body route's decision (a page refused before any route ran has none)."""
    return extraction.body or Decision("body", None, extraction.note or "no route ran")


def explain(name: str, extraction: Extraction) -> str:
    """How `extraction` decided: one block per field (value, rule, beaten candidates), then
    the body route and the page's note."""
    lines = [f"{name}: {len(extraction.articles)} record(s), "
             f"decoded as {extraction.decoding.encoding}"]
    for decision in [*extraction.decisions, _body_route(extraction)]:
        lines.append(f"  {decision.name:<13}{_shown(decision.value)}")
        lines.append(f"  {'':<13}rule: {decision.rule}")
        for candidate in decision.beaten:
            lines.append(f"  {'':<13}beat: {_shown(candidate.value)}  ({candidate.rule})")
    if extraction.note:
        lines.append(f"  note         {extraction.note}")
    return "\n".join(lines) + "\n"


def run_extract(args: argparse.Namespace, *, stdout: BinaryIO | None = None,
                stderr: TextIO | None = None) -> int:
    """Extract every FILE; return 0, or 1 when any file could not be read (or 2 on bad
    arguments)."""
    out = stdout or sys.stdout.buffer
    err = stderr or sys.stderr
    rules: ExtractRules | None = None
    if args.site:
        try:
            rules = _site_rules(args.site, args.seeds)
        except ValueError as error:
            print(f"govnews extract: {error}", file=err)
            return 2
    if args.encoding:
        try:
            codecs.lookup(args.encoding)
        except LookupError:
            print(f"govnews extract: unknown encoding {args.encoding!r}", file=err)
            return 2
    failed = 0
    for name in args.files:
        path = Path(name)
        try:
            with path.open("rb") as handle:
                body = handle.read(MAX_PAGE_BYTES + 1)
        except OSError as error:
            print(f"govnews extract: {name}: cannot read: {error.strerror or error}", file=err)
            failed += 1
            continue
        if len(body) > MAX_PAGE_BYTES:
            print(f"govnews extract: {name}: not extracted: larger than the "
                  f"{MAX_PAGE_BYTES // (1024 * 1024)} MB page cap (the crawler's download "
                  "limit)", file=err)
            failed += 1
            continue
        if not body.strip():
            print(f"govnews extract: {name}: empty file", file=err)
            failed += 1
            continue
        if is_binary(body):
            print(f"govnews extract: {name}: not an HTML page (binary data)", file=err)
            failed += 1
            continue
        url = args.url or path.resolve().as_uri()
        try:
            extraction = extract_page(body, url=url, rules=rules, site=args.site,
                                      encoding=args.encoding)
        except Exception as error:  # one bad page must not end a run over hundreds
            print(f"govnews extract: {name}: extraction failed: {type(error).__name__}: {error}",
                  file=err)
            failed += 1
            continue
        if args.explain:
            out.write(explain(name, extraction).encode("utf-8"))
            continue
        if not extraction.articles:
            print(f"govnews extract: {name}: no article: {extraction.note}", file=err)
            continue
        out.write(b"".join(orjson.dumps(a.to_record()) + b"\n" for a in extraction.articles))
    out.flush()
    return 1 if failed else 0
