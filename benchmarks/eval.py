"""Extraction quality over the gold set (`make eval`): ours beside plain `trafilatura.extract`.

Body text is scored with character-4-gram F1 (whitespace ignored, each page weighing the same;
a page without an article scores 1 when nothing is extracted, else 0). Title and published_at
are exact matches per expected record; authors are scored with set F1. trafilatura gets the raw
bytes and its default options (`output_format="json", with_metadata=True` only to read its
title, date and author beside the same text); its date is a day, so a "published day" row
compares days for both.

`--pages` adds per-page body F1 for two more references: trafilatura given our decoded text
(default options) and readability-lxml given our decoded text. `--split dev|held-back` scores
only the cases tuned on or only the held-back ones (`"held_back": true` in meta.json).

When `../shared/realpages` (real saved pages nobody here wrote) is beside the project, the same
run then scores govnews, trafilatura and readability-lxml on them (`benchmarks/realpages.py`);
without it that part says it is skipped.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parent.parent
GOLD_DIR = ROOT / "tests" / "gold"
SITE_GOLDEN = ROOT / "seeds"
"""The registry: each site's own golden pages are in `seeds/<site>/golden/<case>/`."""
_SPACE = re.compile(r"\s+")


@dataclass
class GoldPage:
    """One gold case: its bytes, how they were served, and the expected records."""

    name: str
    body: bytes
    url: str
    content_type: str | None
    expected: list[dict[str, Any]]
    family: str = ""
    held_back: bool = False


@dataclass
class PageScore:
    """The scores of one extractor on one page (None where the page has no record to compare)."""

    body_f1: float
    title: list[bool] = field(default_factory=list)
    published_at: list[bool] = field(default_factory=list)
    published_day: list[bool] = field(default_factory=list)
    authors_f1: list[float] = field(default_factory=list)


def gold_cases(gold_dir: Path = GOLD_DIR, seeds: Path | None = SITE_GOLDEN) -> list[Path]:
    """The case folders: those of `gold_dir` and every site's `golden/` under `seeds`."""
    folders = [p for p in gold_dir.iterdir() if (p / "page.html").is_file()]
    if seeds is not None:
        folders += [p.parent for p in seeds.glob("*/golden/*/page.html")]
    return sorted(folders, key=lambda folder: folder.name)


def load_gold(gold_dir: Path = GOLD_DIR, seeds: Path | None = SITE_GOLDEN) -> list[GoldPage]:
    """Every case under `gold_dir` and the sites' golden folders, sorted by name."""
    pages: list[GoldPage] = []
    for case in gold_cases(gold_dir, seeds):
        meta = json.loads((case / "meta.json").read_text(encoding="utf-8"))
        expected = [orjson.loads(line) for line in
                    (case / "expected.jsonl").read_bytes().splitlines() if line.strip()]
        pages.append(GoldPage(case.name, (case / "page.html").read_bytes(), meta["url"],
                              meta.get("charset"), expected, meta.get("family", ""),
                              bool(meta.get("held_back"))))
    return pages


def ngrams(text: str, n: int = 4) -> Counter[str]:
    """Character n-grams of `text` with whitespace removed."""
    compact = _SPACE.sub("", text)
    return Counter(compact[i:i + n] for i in range(max(len(compact) - n + 1, 0)))


def f1(found: Counter[str], truth: Counter[str]) -> float:
    """F1 of two multisets; two empty ones agree perfectly."""
    if not found and not truth:
        return 1.0
    overlap = sum((found & truth).values())
    if not overlap:
        return 0.0
    precision = overlap / sum(found.values())
    recall = overlap / sum(truth.values())
    return 2 * precision * recall / (precision + recall)


def set_f1(found: list[str], truth: list[str]) -> float:
    """F1 of two name lists as sets."""
    return f1(Counter(set(found)), Counter(set(truth)))


def score_page(page: GoldPage, records: list[dict[str, Any]]) -> PageScore:
    """Compare an extractor's records with the page's expected records (matched by order)."""
    found = "\n".join(r.get("text") or "" for r in records)
    truth = "\n".join(r["text"] for r in page.expected)
    if not page.expected:
        return PageScore(1.0 if not found.strip() else 0.0)
    score = PageScore(f1(ngrams(found), ngrams(truth)))
    for index, expected in enumerate(page.expected):
        got = records[index] if index < len(records) else {}
        score.title.append(got.get("title") == expected["title"])
        score.published_at.append(got.get("published_at") == expected["published_at"])
        day = (got.get("published_at") or "")[:10]
        score.published_day.append(day == (expected["published_at"] or "")[:10])
        score.authors_f1.append(set_f1(got.get("authors") or [], expected["authors"]))
    return score


def ours(page: GoldPage) -> list[dict[str, Any]]:
    """govnews' records for the page; a registry site's golden page (family `replica:<site>`)
    is extracted with that site's rules, as the crawler extracts it."""
    from crawler.extract import extract_page

    rules = _site_rules(page.family.removeprefix("replica:")) if page.family.startswith(
        "replica:") else None
    extraction = extract_page(page.body, url=page.url, content_type=page.content_type,
                              rules=rules)
    return [article.to_record() for article in extraction.articles]


@cache
def _site_rules(name: str) -> Any:
    from crawler.sites import load_sites

    site = load_sites(SITE_GOLDEN).get(name)
    return site.extract_rules() if site is not None else None


def trafilatura_records(page: GoldPage) -> list[dict[str, Any]]:
    """Plain trafilatura on the raw bytes, as one record."""
    import trafilatura

    result = trafilatura.extract(page.body, url=page.url, output_format="json",
                                 with_metadata=True)
    if not result:
        return []
    data = json.loads(result)
    date = data.get("date")
    authors = [a.strip() for a in re.split(r"[;,，、]", data.get("author") or "") if a.strip()]
    return [{"text": data.get("text") or "", "title": data.get("title"),
             "published_at": f"{date}T00:00:00+08:00" if date else None, "authors": authors}]


def _decoded(page: GoldPage) -> str:
    """The page as text, decoded by our decoder (what the decoded-text references get)."""
    from crawler.extract.decode import decode_html

    return decode_html(page.body, content_type=page.content_type)[0]


def trafilatura_decoded_records(page: GoldPage) -> list[dict[str, Any]]:
    """Plain trafilatura (default options) on our decoded text; body only."""
    import trafilatura

    text = trafilatura.extract(_decoded(page), url=page.url)
    return [{"text": text}] if text else []


def readability_records(page: GoldPage) -> list[dict[str, Any]]:
    """readability-lxml on our decoded text, its summary flattened to text; body only."""
    from lxml import html
    from readability import Document

    try:
        summary = Document(_decoded(page)).summary(html_partial=True)
    except Exception:  # readability raises its own Unparseable and lxml errors on odd pages
        return []
    text = html.fromstring(summary).text_content() if summary.strip() else ""
    return [{"text": text}] if text.strip() else []


REFERENCES: dict[str, Callable[[GoldPage], list[dict[str, Any]]]] = {
    "traf-raw": trafilatura_records,
    "traf-dec": trafilatura_decoded_records,
    "readability": readability_records,
}


@dataclass
class Summary:
    """Averages over the gold set for one extractor."""

    pages: int
    body_f1: float
    title_em: float
    published_at_em: float
    published_day_em: float
    authors_f1: float
    per_page: dict[str, float]


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 1.0


def summarize(scores: dict[str, PageScore]) -> Summary:
    """Page-weighted body F1 and record-weighted metadata rates."""
    every = list(scores.values())
    return Summary(
        pages=len(every),
        body_f1=_mean([s.body_f1 for s in every]),
        title_em=_mean([float(x) for s in every for x in s.title]),
        published_at_em=_mean([float(x) for s in every for x in s.published_at]),
        published_day_em=_mean([float(x) for s in every for x in s.published_day]),
        authors_f1=_mean([x for s in every for x in s.authors_f1]),
        per_page={name: s.body_f1 for name, s in scores.items()},
    )


def evaluate(pages: list[GoldPage], *, baseline: bool = True) -> tuple[Summary, Summary | None]:
    """Our summary and (optionally) trafilatura's over `pages`."""
    mine = summarize({p.name: score_page(p, ours(p)) for p in pages})
    if not baseline:
        return mine, None
    theirs = summarize({p.name: score_page(p, trafilatura_records(p)) for p in pages})
    return mine, theirs


def table(mine: Summary, theirs: Summary | None) -> Iterator[str]:
    """The printed comparison table."""
    yield f"gold pages: {mine.pages}"
    yield f"{'metric':<28}{'govnews':>10}{'trafilatura':>13}"
    rows = (("body F1 (char 4-grams)", "body_f1"), ("title exact match", "title_em"),
            ("published_at exact match", "published_at_em"),
            ("published day match", "published_day_em"), ("authors F1", "authors_f1"))
    for label, attr in rows:
        other = f"{getattr(theirs, attr):>13.3f}" if theirs else f"{'-':>13}"
        yield f"{label:<28}{getattr(mine, attr):>10.3f}{other}"


def select(pages: list[GoldPage], split: str) -> list[GoldPage]:
    """The pages of one split: `all`, `dev` (tuned on) or `held-back`."""
    if split == "dev":
        return [p for p in pages if not p.held_back]
    if split == "held-back":
        return [p for p in pages if p.held_back]
    return pages


def page_table(pages: list[GoldPage], mine: Summary) -> Iterator[str]:
    """Per-page body F1: ours beside the three references, then their means."""
    columns = {name: summarize({p.name: score_page(p, run(p)) for p in pages})
               for name, run in REFERENCES.items()}
    yield f"  {'page':<40}{'govnews':>9}" + "".join(f"{name:>13}" for name in columns)
    for page in pages:
        cells = "".join(f"{columns[name].per_page[page.name]:>13.3f}" for name in columns)
        yield f"  {page.name:<40}{mine.per_page[page.name]:>9.3f}{cells}"
    means = "".join(f"{columns[name].body_f1:>13.3f}" for name in columns)
    yield f"  {'mean':<40}{mine.body_f1:>9.3f}{means}"


def main(argv: list[str] | None = None) -> int:
    """Print the table; `--pages` adds per-page body F1 with the decoded-text references."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.eval", description=__doc__)
    parser.add_argument("--pages", action="store_true", help="print per-page body F1")
    parser.add_argument("--no-baseline", action="store_true", help="skip trafilatura")
    parser.add_argument("--split", choices=("all", "dev", "held-back"), default="all",
                        help="score all cases, only the tuned-on ones, or only the held-back")
    parser.add_argument("--realpages", type=Path, default=None,
                        help="folder of real pages (default: ../shared/realpages)")
    parser.add_argument("--only-realpages", action="store_true", help="skip the gold set")
    args = parser.parse_args(argv)
    if not args.only_realpages:
        pages = select(load_gold(), args.split)
        mine, theirs = evaluate(pages, baseline=not args.no_baseline)
        for line in table(mine, theirs):
            print(line)
        if args.pages:
            for line in page_table(pages, mine):
                print(line)
    print_realpages(args.realpages, per_page=args.pages)
    return 0


def print_realpages(root: Path | None, *, per_page: bool) -> None:
    """The real-page table, or one line saying why it is skipped."""
    from benchmarks import realpages

    root = root or realpages.REALPAGES_DIR
    print()
    if not realpages.available(root):
        print(f"real pages: skipped ({root} not found; it sits beside the project in CI)")
        return
    pages = realpages.load_realpages(root)
    scores = realpages.evaluate(pages)
    for line in realpages.table(pages, scores):
        print(line)
    if per_page:
        for line in realpages.page_table(scores):
            print(line)


if __name__ == "__main__":
    raise SystemExit(main())
