"""Page bytes → `Extraction`: decode once, parse once, select the main text (`body.py`), read
the page metadata, then hand the text to `clean_document` (repairs, splitting, text metadata)
and let the page's metadata win.

NUL bytes are dropped before decoding (as HTML parsers ignore them), and the tree is parsed with
lxml's `huge_tree`, so that long text nodes and deep nesting are read, not silently cut; a page
over `MAX_PAGE_BYTES` is not parsed at all. A page without an article (list, error or login
page) is an `Extraction` with no articles and a `note` saying why. A heuristic that fails on an
odd page costs that heuristic (named in `failures`), and a page that cannot be extracted at all
is an `Extraction` with a note: `extract_page` never raises. No I/O happens here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from lxml import etree, html

from crawler.article import Article
from crawler.clean import SPLIT_REPAIR, clean_document
from crawler.extract import tables
from crawler.extract.body import (
    MIN_BODY_HAN,
    attempt,
    han_count,
    main_body,
    quality,
)
from crawler.extract.decode import CORRECTION_REPAIR, Decoding, decode_html, without_nul
from crawler.extract.evidence import Candidate, Decision
from crawler.extract.meta import PageMeta, clean_space, find_canonical
from crawler.extract.resolve import PageEvidence, TextEvidence, page_title, read_page, resolve
from crawler.extract.rules import ExtractRules
from crawler.repair import PAGE_REPAIRS, REPAIRS, ordered_repairs, run_repairs

MAX_PAGE_BYTES = 8 * 1024 * 1024
"""Pages larger than this are not extracted: the crawler's download cap (`DOWNLOAD_MAXSIZE` in
crawler/settings.py), applied to saved pages too."""
TITLE_ECHO_LINES = 3
"""A variant of the title is looked for in this many lines at the top of the body..."""
TITLE_ECHO_OVERLAP = 0.6
"""...and is one when this share of its character pairs occurs in the title."""

# Repairs that make sense on a single metadata string (title, source, author names).
META_REPAIRS = tuple(r for r in REPAIRS if r.name not in {"boilerplate", "broken_lines"})

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
_PARSER = html.HTMLParser(huge_tree=True)


@dataclass
class Extraction:
    """The records of one page, or none with the reason in `note`; how the bytes were decoded;
    which main-text route was taken (`method`) and why (`body`); the heuristics that failed on
    the page and were skipped (`failures`); the page's metadata (`meta`) and how each field was
    decided (`decisions`: title, published_at, authors, source; the first article's when the
    page holds several)."""

    articles: list[Article]
    note: str | None
    decoding: Decoding
    method: str = ""
    meta: PageMeta = field(default_factory=PageMeta)
    body: Decision | None = None
    failures: list[str] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)


def parse_html(text: str) -> html.HtmlElement | None:
    """The page as an lxml tree, or None when there is no markup to parse. NUL characters are
    dropped first (HTML5 parsers ignore them; libxml2 would end the text there)."""
    text = _XML_DECLARATION.sub("", text.replace("\x00", ""), count=1)
    if not text.strip():
        return None
    try:
        root = html.document_fromstring(text, parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None
    _adopt_stray_roots(root)
    return root


def _adopt_stray_roots(root: html.HtmlElement) -> None:
    """Move what libxml2 put in a second top-level `<html>` (the content after a stray
    `</html>`) into the page's body, where readers see it and every walk of the tree finds it."""
    strays = [node for node in root.itersiblings() if isinstance(node.tag, str)]
    if not strays:
        return
    body = root.find("body")
    target = body if body is not None else root
    for stray in strays:
        for child in list(stray):
            if child.tag in ("head", "body"):
                target.extend(list(child))
            elif isinstance(child.tag, str):
                target.append(child)


def _repaired_meta(value: str | None, fired: list[str]) -> str | None:
    """A metadata string run through the single-string repairs; fired names go to `fired`."""
    if not value:
        return value
    repaired, names = run_repairs(value, META_REPAIRS)
    fired.extend(name for name in names if name not in fired)
    return repaired.strip() or None


def _pairs(text: str) -> set[str]:
    compact = _SPACE.sub("", text)
    return {compact[i:i + 2] for i in range(len(compact) - 1)}


def is_title_echo(line: str, title: str) -> bool:
    """Whether `line` repeats the title: the title itself or a variant (a reworded headline
    sharing most of its character pairs, with no full stop). An `原标题：` note is printed as
    part of the article and is not an echo."""
    line = clean_space(line)
    if line == title:
        return True
    if tables.ORIGINAL_TITLE.match(line):
        return False
    if "。" in line or len(line) > 1.5 * len(title) + 4:
        return False
    pairs = _pairs(line)
    return bool(pairs) and len(pairs & _pairs(title)) >= TITLE_ECHO_OVERLAP * len(pairs)


def _drop_title_line(lines: list[str], title: str | None) -> list[str]:
    """The lines without copies of the page title at their top (titles are not body text)."""
    if not title:
        return lines
    head = [line for line in lines[:TITLE_ECHO_LINES] if not is_title_echo(line, title)]
    return head + lines[TITLE_ECHO_LINES:]


def read_meta(tree: html.HtmlElement, url: str, rules: ExtractRules) -> PageEvidence:
    """The page evidence for the metadata resolver, read before the main text is chosen."""
    return read_page(tree, url, rules)


def _page_meta(decisions: list[Decision], canonical: str) -> PageMeta:
    """The decided values as a `PageMeta`."""
    values = {decision.name: decision.value for decision in decisions}
    title, published_at, source = values.get("title"), values.get("published_at"), \
        values.get("source")
    authors = values.get("authors")
    return PageMeta(
        title=title if isinstance(title, str) else None,
        published_at=published_at if isinstance(published_at, str) else None,
        authors=list(authors) if isinstance(authors, list) else [],
        source=source if isinstance(source, str) else None,
        canonical_url=canonical,
    )


def _merge(article: Article, page: PageEvidence, single: bool, repairs: list[str]
           ) -> tuple[Article, list[Decision]]:
    """The article with its metadata decided by the resolver from page and text evidence."""
    text = TextEvidence(article.title, article.published_at, tuple(article.authors),
                        article.source, article.text)
    decisions = resolve(page, text, single=single)
    meta = _page_meta(decisions, article.url)
    fired = list(repairs)
    title = _repaired_meta(meta.title, fired)
    source = _repaired_meta(meta.source, fired)
    authors = [a for a in (_repaired_meta(n, fired) for n in meta.authors) if a]
    merged = replace(article, title=title, published_at=meta.published_at, authors=authors,
                     source=source, repairs=ordered_repairs(fired, article.repairs))
    return merged, decisions


def extract_page(
    body: bytes, *, url: str, content_type: str | None = None,
    rules: ExtractRules | None = None, site: str | None = None, fetched_at: str | None = None,
    encoding: str | None = None,
) -> Extraction:
    """The records on one page (see the module docstring). `encoding` forces the codec."""
    if len(body) > MAX_PAGE_BYTES:
        return Extraction([], f"page too large: {len(body)} bytes, over the {MAX_PAGE_BYTES}-byte "
                              "cap (the crawler's download limit); not extracted",
                          Decoding("", "not-decoded", reason="over the size cap"), "none")
    body = without_nul(body, content_type)
    try:
        page, decoding = decode_html(body, content_type=content_type,
                                     hint=(rules.encoding if rules else None), force=encoding)
    except (LookupError, ValueError) as error:
        return Extraction([], f"cannot decode the page: {error}",
                          Decoding(encoding or "", "failed", reason=str(error)), "none")
    try:
        return _extract(page, decoding, url=url, rules=rules or ExtractRules(), site=site,
                        fetched_at=fetched_at)
    except Exception as error:  # the last guard: a page that cannot be extracted is a note
        return Extraction([], f"extraction failed: {type(error).__name__}: {error}", decoding,
                          "none")


def _extract(page: str, decoding: Decoding, *, url: str, rules: ExtractRules,
             site: str | None, fetched_at: str | None) -> Extraction:
    """`extract_page` after decoding."""
    tree = parse_html(page)
    if tree is None:
        return Extraction([], "empty page: no HTML to read", decoding, "none")
    failures: list[str] = []
    evidence = attempt("page metadata", lambda: read_meta(tree, url, rules),
                       PageEvidence(url, {}, [], "", "", []), failures)
    decided_title = attempt("title", lambda: page_title(evidence).value, None, failures)
    title = decided_title if isinstance(decided_title, str) else None
    canonical = find_canonical(tree, url)
    found = main_body(tree, url, rules, title, failures)
    method, lines = found.route, found.lines
    page_repairs = [CORRECTION_REPAIR] if decoding.corrected else []
    lines = _drop_title_line(lines, title)
    text = "\n".join(lines)

    def none(note: str) -> Extraction:
        decision = found.decision if found.note else Decision(
            "body", "none", note, (Candidate(found.decision.rule, method),
                                   *found.decision.beaten))
        decisions: list[Decision] = attempt("metadata", lambda: resolve(evidence), [], failures)
        return Extraction([], note, decoding, method, _page_meta(decisions, canonical),
                          decision, failures, decisions)

    if found.note or han_count(text) < MIN_BODY_HAN:
        return none(found.note or f"no article text ({method}: {han_count(text)} Han "
                                  "characters; list, error or login page?)")
    articles = clean_document(text, url=canonical, site=site, fetched_at=fetched_at,
                              chain=REPAIRS if rules.rejoin_lines else PAGE_REPAIRS)
    articles = [a for a in articles if han_count(a.text) >= MIN_BODY_HAN // 2]
    if not articles:
        return none(f"no article left after cleaning ({method})")
    if quality([line for a in articles for line in a.text.split("\n")]) <= 0:
        return none(f"no article: the {method} text has no running sentences (index, "
                    "navigation or list page?)")
    single = len(articles) == 1
    articles = [replace(a, part=index, parts=len(articles),
                        repairs=[n for n in a.repairs if not (single and n == SPLIT_REPAIR)])
                for index, a in enumerate(articles, start=1)]
    merged = [_merge(a, evidence, single, page_repairs) for a in articles]
    first = merged[0][1]
    return Extraction([article for article, _ in merged], None, decoding, method,
                      _page_meta(first, canonical), found.decision, failures, first)
