"""Extraction quality on real saved pages nobody here wrote (`../shared/realpages`, beside the
project): govnews beside trafilatura and readability-lxml, on the same pages in the same run.

The pages are third-party content: they are read from the shared folder, never copied into the
repository. Each page `pages/<name>.html` has a hand-written truth `truth/<name>.json` (title,
published, authors, body); `list-*` pages have none and must give no record.

Every extractor gets the page's raw bytes through the same door a user has: govnews
`extract_page(bytes)`; trafilatura and readability get the text govnews' decoder makes of the
bytes (`decode_html`, no charset hint), since neither weighs Chinese declarations against the
bytes itself. trafilatura runs with its default options plus `output_format="json",
with_metadata=True` so that its title, date and author come with the same text; readability's
title is `Document.short_title()` and it has no date or authors. The URL given to all three is
the file's `file://` URI, as `govnews extract FILE` does.

Scores, per extractor:

* body F1: character 4-grams of the text with all whitespace removed, precision and recall on
  the multisets, F1 per article page, mean over article pages (each weighs the same); a page
  with no output scores 0;
* pages below 0.5 body F1, and list pages that gave a record;
* paragraphs kept whole: per article page, the share of its true paragraphs that come out as a
  line of their own (whitespace aside), mean over article pages; joining two paragraphs or
  cutting one loses them;
* title exact match (whitespace runs collapsed) over article pages;
* published day match over the pages that print a date;
* authors F1 (names as a set) over the pages that name an author.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.eval import f1, ngrams, set_f1

REALPAGES_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "realpages"
LOW_F1 = 0.5
"""An article page scoring below this has lost its article (or mostly returned chrome)."""
_SPACE = re.compile(r"\s+")


@dataclass
class RealPage:
    """One saved page: its bytes, its `file://` URL and its truth (None for a list page)."""

    name: str
    body: bytes
    url: str
    truth: dict[str, Any] | None

    @property
    def is_list(self) -> bool:
        return self.name.startswith("list-")

    @property
    def is_article(self) -> bool:
        return self.truth is not None and self.truth.get("kind") in ("article", "video") \
            and bool(self.truth.get("body"))


@dataclass
class Output:
    """What an extractor gave for one page (all records' texts joined; the first record's
    metadata)."""

    text: str = ""
    records: int = 0
    title: str | None = None
    published: str | None = None
    authors: list[str] = field(default_factory=list)
    has_meta: bool = True
    failures: list[str] = field(default_factory=list)


def available(root: Path | None = None) -> bool:
    """Whether the shared real-page set is beside the project (or at `root`)."""
    root = root or REALPAGES_DIR
    return (root / "pages").is_dir() and (root / "truth").is_dir()


def load_realpages(root: Path | None = None) -> list[RealPage]:
    """Every saved page under `root/pages`, sorted by name, with its truth when it has one."""
    root = root or REALPAGES_DIR
    pages: list[RealPage] = []
    for path in sorted((root / "pages").glob("*.html")):
        truth_path = root / "truth" / f"{path.stem}.json"
        truth = json.loads(truth_path.read_text(encoding="utf-8")) if truth_path.is_file() \
            else None
        pages.append(RealPage(path.stem, path.read_bytes(), path.resolve().as_uri(), truth))
    return pages


def _decoded(page: RealPage) -> str:
    from crawler.extract.decode import decode_html

    return decode_html(page.body)[0]


def govnews_output(page: RealPage) -> Output:
    """govnews `extract_page` on the raw bytes."""
    from crawler.extract import extract_page

    extraction = extract_page(page.body, url=page.url)
    records = [article.to_record() for article in extraction.articles]
    if not records:
        return Output(failures=extraction.failures)
    first = records[0]
    return Output("\n".join(r["text"] for r in records), len(records), first.get("title"),
                  first.get("published_at"), list(first.get("authors") or []),
                  failures=extraction.failures)


def trafilatura_output(page: RealPage) -> Output:
    """trafilatura.extract (default options, JSON with metadata) on the decoded text."""
    import trafilatura

    result = trafilatura.extract(_decoded(page), url=page.url, output_format="json",
                                 with_metadata=True)
    if not result:
        return Output()
    data = json.loads(result)
    authors = [a.strip() for a in re.split(r"[;,，、]", data.get("author") or "") if a.strip()]
    return Output(data.get("text") or "", 1, data.get("title"), data.get("date"), authors)


def readability_output(page: RealPage) -> Output:
    """readability-lxml on the decoded text: its summary flattened to text, its short title."""
    from lxml import html
    from readability import Document

    try:
        document = Document(_decoded(page))
        summary = document.summary(html_partial=True)
        title = document.short_title()
    except Exception:  # readability raises its own Unparseable and lxml errors on odd pages
        return Output(has_meta=False)
    text = html.fromstring(summary).text_content() if summary.strip() else ""
    if not text.strip():
        return Output(has_meta=False)
    return Output(text, 1, title, None, [], has_meta=False)


EXTRACTORS: dict[str, Callable[[RealPage], Output]] = {
    "govnews": govnews_output,
    "trafilatura": trafilatura_output,
    "readability": readability_output,
}


@dataclass
class RealScore:
    """One extractor's scores over the set, with the per-page body F1."""

    body_f1: float
    low_pages: list[str]
    list_records: list[str]
    title_em: float
    day_em: float
    day_pages: int
    authors_f1: float
    author_pages: int
    has_meta: bool
    per_page: dict[str, float]
    crashed: dict[str, str]
    failures: dict[str, list[str]]
    paragraphs: float = 0.0
    """Mean per article page of the share of its true paragraphs that come out as a line of
    their own (spaces aside): two paragraphs joined, or one cut, lose theirs."""


def _same_title(found: str | None, truth: str | None) -> bool:
    return bool(found) and _SPACE.sub(" ", found or "").strip() == \
        _SPACE.sub(" ", truth or "").strip()


def _paragraphs_kept(text: str, body: str) -> float:
    """The share of the paragraphs of `body` that are lines of `text`, spaces aside."""
    lines = {_SPACE.sub("", line) for line in text.split("\n")}
    wanted = [key for paragraph in body.split("\n") if (key := _SPACE.sub("", paragraph))]
    return sum(key in lines for key in wanted) / len(wanted) if wanted else 1.0


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def score(pages: list[RealPage], run: Callable[[RealPage], Output]) -> RealScore:
    """Score `run` over `pages` (an exception counts as no output and is recorded)."""
    per_page: dict[str, float] = {}
    crashed: dict[str, str] = {}
    failures: dict[str, list[str]] = {}
    list_records: list[str] = []
    titles: list[bool] = []
    days: list[bool] = []
    authors: list[float] = []
    kept: list[float] = []
    has_meta = True
    for page in pages:
        try:
            out = run(page)
        except Exception as error:  # a crash is scored as no output and reported
            crashed[page.name] = f"{type(error).__name__}: {error}"
            out = Output()
        has_meta = has_meta and out.has_meta
        if out.failures:
            failures[page.name] = out.failures
        if page.is_list:
            if out.records:
                list_records.append(page.name)
            continue
        if not page.is_article or page.truth is None:
            continue
        truth = page.truth
        per_page[page.name] = f1(ngrams(out.text), ngrams(truth["body"])) if out.text else 0.0
        kept.append(_paragraphs_kept(out.text, truth["body"]))
        titles.append(_same_title(out.title, truth["title"]))
        if truth.get("published"):
            days.append((out.published or "")[:10] == truth["published"][:10])
        if truth.get("authors"):
            authors.append(set_f1(out.authors, truth["authors"]))
    return RealScore(
        body_f1=_mean(list(per_page.values())),
        low_pages=sorted(name for name, value in per_page.items() if value < LOW_F1),
        list_records=list_records,
        title_em=_mean([float(t) for t in titles]),
        day_em=_mean([float(d) for d in days]), day_pages=len(days),
        authors_f1=_mean(authors), author_pages=len(authors),
        has_meta=has_meta, per_page=per_page, crashed=crashed, failures=failures,
        paragraphs=_mean(kept),
    )


def evaluate(pages: list[RealPage], names: tuple[str, ...] = tuple(EXTRACTORS)
             ) -> dict[str, RealScore]:
    """Every named extractor's scores over the same pages."""
    return {name: score(pages, EXTRACTORS[name]) for name in names}


def table(pages: list[RealPage], scores: dict[str, RealScore]) -> Iterator[str]:
    """The printed comparison."""
    articles = sum(p.is_article for p in pages)
    lists = sum(p.is_list for p in pages)
    yield (f"real pages: {len(pages)} ({articles} articles, {lists} list pages, "
           f"{len(pages) - articles - lists} other)")
    yield f"{'metric':<34}" + "".join(f"{name:>13}" for name in scores)

    def row(label: str, cell: Callable[[RealScore], str]) -> str:
        return f"{label:<34}" + "".join(f"{cell(s):>13}" for s in scores.values())

    yield row("body F1 (char 4-grams)", lambda s: f"{s.body_f1:.3f}")
    yield row(f"article pages below {LOW_F1}", lambda s: str(len(s.low_pages)))
    yield row("paragraphs kept whole", lambda s: f"{s.paragraphs:.3f}")
    yield row(f"list pages with a record (of {lists})", lambda s: str(len(s.list_records)))
    yield row("title exact match", lambda s: f"{s.title_em:.3f}")
    any_score = next(iter(scores.values()))
    yield row(f"published day match ({any_score.day_pages})",
              lambda s: f"{s.day_em:.3f}" if s.has_meta else "-")
    yield row(f"authors F1 ({any_score.author_pages} naming one)",
              lambda s: f"{s.authors_f1:.3f}" if s.has_meta else "-")
    yield row("pages that raised", lambda s: str(len(s.crashed)))
    yield row("pages where a heuristic failed", lambda s: str(len(s.failures)))


def page_table(scores: dict[str, RealScore]) -> Iterator[str]:
    """Per-page body F1 of every extractor, then the best-of-all mean."""
    names = list(scores)
    pages = list(next(iter(scores.values())).per_page)
    yield f"  {'page':<28}" + "".join(f"{name:>13}" for name in names)
    for page in pages:
        yield f"  {page:<28}" + "".join(f"{scores[n].per_page[page]:>13.3f}" for n in names)
    best = _mean([max(scores[n].per_page[p] for n in names) for p in pages])
    yield f"  {'best of all, per page':<28}{best:>13.3f}"
    for name, value in scores.items():
        for page, error in value.crashed.items():
            yield f"  {name} raised on {page}: {error}"
        if value.list_records:
            yield f"  {name} gave records on: {', '.join(value.list_records)}"
