"""Metadata on the real-page dev set (`../shared/realpages`, loaded by `benchmarks.realpages`):
title exact match (whitespace collapsed), published day match (`YYYY-MM-DD`), authors right (the
set of names equals the truth set) on the pages that name an author, and the pages that name none
but get one anyway. `python -m benchmarks.eval_meta` prints them for govnews beside htmldate
(dates) and trafilatura (title, date, authors), in the same run; it skips when the folder is
absent.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from benchmarks.realpages import REALPAGES_DIR, RealPage, available, load_realpages

_SPACE = re.compile(r"\s+")


def same_title(found: str | None, truth: str | None) -> bool:
    """Whether a title equals the truth, whitespace collapsed."""
    if not truth:
        return not found
    return _SPACE.sub(" ", found or "").strip() == _SPACE.sub(" ", truth).strip()


def same_day(found: str | None, truth: str | None) -> bool:
    """Whether an ISO timestamp names the truth's day (`YYYY-MM-DD…`)."""
    return bool(found) and bool(truth) and (found or "")[:10] == (truth or "")[:10]


def same_authors(found: list[str], truth: list[str]) -> bool:
    """Whether the names found are exactly the truth's names (order aside)."""
    return set(found) == set(truth)


@dataclass
class MetaFound:
    """An extractor's metadata for one page."""

    title: str | None = None
    published_at: str | None = None
    authors: tuple[str, ...] = ()


@dataclass
class MetaSummary:
    """Metadata hits of one extractor over the article pages."""

    title: int = 0
    titled: int = 0
    day: int = 0
    dated: int = 0
    authors: int = 0
    credited: int = 0
    false_authors: int = 0
    uncredited: int = 0


def govnews_meta(page: RealPage) -> MetaFound:
    """govnews' metadata: the first record's, or the page metadata when there is no record."""
    from crawler.extract import extract_page

    try:
        extraction = extract_page(page.body, url=page.url)
    except Exception:  # a crash costs the page: it scores as no metadata
        return MetaFound()
    if extraction.articles:
        first = extraction.articles[0]
        return MetaFound(first.title, first.published_at, tuple(first.authors))
    return MetaFound(extraction.meta.title, extraction.meta.published_at,
                     tuple(extraction.meta.authors))


def htmldate_meta(page: RealPage) -> MetaFound:
    """htmldate's date alone (its default search, original date)."""
    from htmldate import find_date

    from crawler.extract.decode import decode_html

    text, _ = decode_html(page.body)
    try:
        day = find_date(text, original_date=True, url=page.url)
    except Exception:  # htmldate is a heuristic baseline; a failure counts as no date
        day = None
    return MetaFound(published_at=day)


def trafilatura_meta(page: RealPage) -> MetaFound:
    """trafilatura's metadata on the decoded page."""
    import trafilatura

    from crawler.extract.decode import decode_html

    text, _ = decode_html(page.body)
    meta = trafilatura.extract_metadata(text, default_url=page.url)
    if meta is None:
        return MetaFound()
    authors = tuple(a.strip() for a in re.split(r"[;,，、]", meta.author or "") if a.strip())
    return MetaFound(meta.title, meta.date, authors)


def score(pages: list[RealPage], extractor: Callable[[RealPage], MetaFound],
          misses: list[str] | None = None) -> MetaSummary:
    """Hits of `extractor` on the article pages; `misses` collects one line per miss."""
    summary = MetaSummary()
    for page in pages:
        truth = page.truth
        if truth is None or truth.get("kind") == "list":
            continue
        found = extractor(page)
        if truth.get("title"):
            summary.titled += 1
            hit = same_title(found.title, truth["title"])
            summary.title += hit
            if not hit and misses is not None:
                misses.append(f"{page.name}\ttitle\t{found.title!r}\t{truth['title']!r}")
        if truth.get("published"):
            summary.dated += 1
            hit = same_day(found.published_at, truth["published"])
            summary.day += hit
            if not hit and misses is not None:
                misses.append(f"{page.name}\tdate\t{found.published_at}\t{truth['published']}")
        if truth.get("authors"):
            summary.credited += 1
            hit = same_authors(list(found.authors), truth["authors"])
            summary.authors += hit
        else:
            summary.uncredited += 1
            hit = not found.authors
            summary.false_authors += not hit
        if not hit and misses is not None:
            misses.append(f"{page.name}\tauthors\t{list(found.authors)}\t{truth['authors']}")
    return summary


def _ratio(hits: int, total: int) -> str:
    return f"{hits}/{total} ({hits / total:.0%})" if total else "-"


def table(rows: dict[str, MetaSummary]) -> Iterator[str]:
    """The metadata table, one row per extractor."""
    yield f"{'extractor':<12} {'title exact':>14} {'published day':>14} {'authors':>14} " \
          f"{'false authors':>14}"
    for name, s in rows.items():
        yield (f"{name:<12} {_ratio(s.title, s.titled):>14} {_ratio(s.day, s.dated):>14} "
               f"{_ratio(s.authors, s.credited):>14} {_ratio(s.false_authors, s.uncredited):>14}")


def main(argv: list[str] | None = None) -> int:
    """Print the metadata table on the real pages (`--misses` lists govnews' misses)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.eval_meta")
    parser.add_argument("--dir", type=Path, default=REALPAGES_DIR)
    parser.add_argument("--misses", action="store_true", help="list govnews' misses")
    args = parser.parse_args(argv)
    if not available(args.dir):
        print(f"metadata on real pages: skipped (no real pages under {args.dir})")
        return 0
    pages = load_realpages(args.dir)
    misses: list[str] = []
    rows = {"govnews": score(pages, govnews_meta, misses),
            "htmldate": score(pages, htmldate_meta),
            "trafilatura": score(pages, trafilatura_meta)}
    print(f"metadata on {len(pages)} real pages ({args.dir})")
    for line in table(rows):
        print(line)
    if args.misses:
        print("\n".join(misses))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
