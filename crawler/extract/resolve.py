"""Metadata decided once, with its evidence: title, published_at, authors and source.

Two kinds of evidence meet here:

- page evidence, read by `read_page` before the main text is chosen: the site's XPaths, meta
  tags (the government `ArticleTitle`/`PubDate`/`ContentSource`, Open Graph), headings `h1`–`h5`
  and `<title>`, and the lines printed around the headline (`发布时间：…`, `来源：…`, bylines such
  as `作者：…`, `记者 …`, `文/…`, `采写：…`), page-wide labels, the URL and htmldate's guess;
- text evidence: what `crawler.textmeta` read in the article's own paragraphs (headline, meta
  lines, bylines in the lead or closing the text), carried on the `Article`.

Each field has one ordered list of rules, most trusted first (`TITLE_RULES`; the date, author
and source lists are built per page by `_date_rules`, `_author_rules` and `_source_rules`); the
first rule with a usable value decides, and every other value found is kept as a `Candidate` it
beat (htmldate, the costly last guess, runs only when nothing else dated the page). The title
is decided from page evidence alone (`page_title`), because choosing the main text needs it;
`resolve` then decides all four fields for one article. On a page that holds several
articles, each article's own text evidence comes first.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Protocol

from lxml import html

from crawler.extract import tables
from crawler.extract.body import walk_text
from crawler.extract.evidence import Candidate, Decision
from crawler.extract.meta import (
    clean_space,
    htmldate_day,
    meta_values,
    parse_date,
    split_names,
    strip_title_suffix,
    url_date,
    xpath_text,
)
from crawler.textmeta import parse_byline, parse_meta_line
from crawler.vocab.chars import HAN, han_count
from crawler.vocab.dates import (
    BARE_YEAR,
    MONTH_DAY_TIME,
    PAGE_DATETIME,
    SHORT_YEAR_DATETIME,
    match_iso,
)
from crawler.vocab.labels import (
    AFFILIATION,
    BYLINE_ROLES,
    CREDIT_SUFFIXES,
    EDITOR_LABELS,
    FILLER_WORDS,
    NAME,
    NOT_NAMES,
    ORGANISATION_END,
    SOURCE_LABELS,
)

HEADINGS = ("h1", "h2", "h3", "h4", "h5")
"""Elements a headline is printed in."""

LINES_AFTER_HEADLINE = 16
"""Datelines, sources and bylines are looked for in this many lines under the headline..."""

PARAGRAPHS_UNDER_HEADLINE = 3
"""...and up to its third paragraph (teasers and prompts may come first)..."""

LINES_BEFORE_HEADLINE = 2
"""...and in this many above it (some templates print the info bar first)."""

DATELINE_GAP_MAX = 5
"""A heading is taken for the headline above a dateline at most this many lines above it."""

HEADLINES_TRIED = 3
"""The title may be printed several times (header, body, share box); this many are tried."""

MIN_TITLE = 4
"""A title has at least this many characters."""

TITLE_LINE_SHARE = 0.5
"""A heading or page line inside `<title>` is the printed headline only when it is at least
this share of `<title>` (a shorter one is the site or column name)."""

BYLINE_LINE_MAX = 80
"""A line holding a byline or an info bar is short; longer lines are prose."""

PARAGRAPH_HAN = 25
"""A line with this many Han characters and a full stop is a paragraph: the info bar is over."""

META_AUTHOR_MAX = 20
"""A meta author is checked against the page only when it is this short."""

CREDIT_LINES_MAX = 400
"""A labelled credit after the article (`采写：…`) is looked for in this many lines after the
headline."""

LEAD_BYLINE_START = 30
"""A byline in parentheses opens a lead paragraph within this many characters."""

SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template", "head"})
"""Elements whose text a reader never sees."""


class Rules(Protocol):
    """The site overrides the resolver reads (`ExtractRules` has them)."""

    title_xpath: str | None
    date_xpath: str | None
    author_xpath: str | None
    source_xpath: str | None
    title_suffixes: Sequence[str]


@dataclass
class PageEvidence:
    """What the page says about its article outside the article text, read once."""

    url: str
    metas: dict[str, str]
    lines: list[str]
    page_title: str
    stripped_title: str
    headings: list[tuple[str, str]]
    site_title: str | None = None
    site_date: str | None = None
    site_authors: str | None = None
    site_source: str | None = None
    site_names: set[str] = field(default_factory=set)
    tree: html.HtmlElement | None = None
    positions: dict[str, list[int]] = field(default_factory=dict)
    guessed: str | None = None

    def __post_init__(self) -> None:
        for index, line in enumerate(self.lines):
            self.positions.setdefault(line, []).append(index)


@dataclass(frozen=True)
class TextEvidence:
    """What the article's own paragraphs said (see `crawler.textmeta`), and its text."""

    title: str | None = None
    published_at: str | None = None
    authors: tuple[str, ...] = ()
    source: str | None = None
    text: str = ""


_SEGMENT_SPLIT = re.compile(r"\s*[|｜丨]\s*|\s{2,}|[【】\[\]]")
_NAME_SPLIT = re.compile(r"[\s、，,;；&＆/／]+")
_NAME_RE = re.compile(rf"(?P<name>{NAME}){CREDIT_SUFFIXES}?")
_ORGANISATION = re.compile(ORGANISATION_END)
_LABELLED_BYLINE = re.compile(
    r"(?:(?:^|(?<=[\s》」』)）:：]))(?P<label>作者|記者|记者|撰稿|采写|执笔|撰文|文字)\s*"
    r"(?P<sep>[:：/／]|\s)?"
    r"|(?:作者|記者|记者|撰稿|采写|执笔|撰文)\s*(?P<colon>[:：])"
    r"|(?:^|(?<=[\s》」』)）:：]))文\s*(?P<slash>[:：/／]))\s*(?P<rest>.+)$"
)
_ROLE_PREFIX = re.compile(
    rf"^(?:{AFFILIATION})?(?:专栏作者|特约作者|作者|{BYLINE_ROLES})\s*[:：]?\s*")
_ROLE = re.compile(BYLINE_ROLES)
_PHOTO_CREDIT = re.compile(
    rf"(?:^|(?<=[\s|｜丨]))(?:摄影|摄像|图片|图)\s*[:：/／]\s*{NAME}(?:[\s、，,]+{NAME})*")
_OPENING_BRACKET = re.compile(r"[(（\[【]")
_BAR_LABEL = re.compile(r"(?:^|(?<=\s))(?P<label>文|作者|撰文|采写|记者|記者)\s*[|｜丨]\s*")
_NAME_OUTLET = re.compile(rf"^(?P<name>{NAME})\s*[/／]\s*[{HAN}]{{2,12}}$")
_EDITOR_START = re.compile(rf"^[(（【\[]?\s*{EDITOR_LABELS}")
_SOURCE_IN_LINE = re.compile(
    rf"(?:^|(?<=[\s|｜]))(?:{SOURCE_LABELS})\s*[:：]?\s*(?P<value>[^\s|｜:：]{{2,30}})")
_SIGNATURE = rf"[{HAN}]{{2,3}}"
_CLOSING_NAME = re.compile(
    rf"[。！？!?”」]\s*[(（](?P<names>{_SIGNATURE}(?:[\s、，,]{_SIGNATURE})*)[)）]\s*$")
_GLUED_LONG = re.compile(rf"(?:作者|记者|記者|撰稿)[{HAN}]{{4,}}")
_LEAD_PAREN = re.compile(r"[(（](?P<inner>[^()（）]{2,40})[)）]")
_SHORT_YEAR = re.compile(SHORT_YEAR_DATETIME)
_MONTH_DAY = re.compile(MONTH_DAY_TIME)
_BARE_YEAR = re.compile(BARE_YEAR)
_OPENING_DATE = re.compile(r"\s*[【\[(（]?\s*" + PAGE_DATETIME)
_FULL_STOP = re.compile(r"[。！？；]")
_LABEL = re.compile(rf"[{HAN}]{{1,4}}")
_CLAUSE = re.compile(r"[，,。！？；]")
_NEWLINES = re.compile(r"\n\s*")
_DATE_LINE_MAX = 60
SPLIT_DATE_LINE = 12
"""A dateline set over several lines has short pieces (`09/07`, `19:02`)."""


def _is_name(token: str) -> bool:
    """Whether `token` is a person's name as a byline prints it."""
    return (bool(re.fullmatch(NAME, token)) and token not in NOT_NAMES
            and not _ORGANISATION.search(token) and not _ROLE.search(token))


def _names_from(rest: str, longest: int) -> list[str]:
    """The names at the start of a byline value, up to the first token that is none."""
    names: list[str] = []
    rest = _OPENING_BRACKET.split(rest, maxsplit=1)[0]
    for token in _NAME_SPLIT.split(_ROLE_PREFIX.sub("", rest.strip(), count=1)):
        if not token or _ROLE.fullmatch(token):
            continue
        match = _NAME_RE.fullmatch(token)
        if match is None or len(match["name"]) > longest or not _is_name(match["name"]):
            break
        names.append(match["name"])
    return names


def read_byline(line: str, outlet_form: bool = True) -> list[str]:
    """The writers a short page line credits: a byline (`澎湃新闻记者 段彦超 廖艳`), a labelled
    credit with or without a colon (`作者：…`, `作者魏星`, `文/…`, `采写：南都记者 …`, `执笔/…`), a
    meta-line `作者` field, or (with `outlet_form`) `name/outlet` (`石佳/中国青年报`). Editors and
    photographers credited alone (`摄影：…`) are no authors; words that stand where a name goes
    (整合, 未知) are passed over."""
    if len(line) > BYLINE_LINE_MAX:
        return []
    line = _PHOTO_CREDIT.sub(" ", _BAR_LABEL.sub(r"\g<label>/", line))
    for segment in _SEGMENT_SPLIT.split(line):
        segment = segment.strip(" ()（）")
        if not segment or _EDITOR_START.match(segment):
            continue
        if _GLUED_LONG.search(segment):
            continue
        names = parse_byline(" ".join(token for token in segment.split()
                                      if token not in FILLER_WORDS))
        if names:
            return [n for n in names if _is_name(n)]
        meta = parse_meta_line(segment)
        if meta is not None and meta.authors:
            return [n for n in meta.authors if _is_name(n)]
        labelled = _LABELLED_BYLINE.search(segment)
        if labelled is not None:
            spaced = labelled["slash"] or labelled["sep"] or labelled["colon"]
            names = _names_from(labelled["rest"], 4 if spaced else 3)
            glued_prose = not spaced and _CLAUSE.search(labelled["rest"])
            if names and not glued_prose:
                return names
        outlet = _NAME_OUTLET.match(segment) if outlet_form else None
        if outlet is not None and _is_name(outlet["name"]) and _ORGANISATION.search(segment):
            return [outlet["name"]]
    return []


def _is_paragraph(line: str) -> bool:
    return han_count(line) >= PARAGRAPH_HAN and bool(_FULL_STOP.search(line))


def page_lines(tree: html.HtmlElement) -> list[str]:
    """The lines a reader sees on the page (scripts and styles skipped), whitespace collapsed."""
    body = tree.find("body")
    parts: list[str] = []
    walk_text(body if body is not None else tree, parts, SKIPPED_TAGS)
    return [line for line in (clean_space(raw) for raw in _NEWLINES.split("".join(parts)))
            if line]


def read_page(tree: html.HtmlElement, url: str, rules: Rules) -> PageEvidence:
    """The page evidence of `tree`."""
    metas = meta_values(tree)
    lines = page_lines(tree)
    page_title = next((clean_space(t.text_content()) for t in tree.iter("title")
                       if clean_space(t.text_content())), "")
    stripped = strip_title_suffix(page_title, tuple(rules.title_suffixes)) if page_title else ""
    headings = [(node.tag, text) for node in tree.iter(*HEADINGS)
                if len(text := clean_space(node.text_content())) >= MIN_TITLE]
    site_names = {clean_space(v) for k, v in metas.items()
                  if k in ("og:site_name", "application-name", "copyright") and v}
    if page_title and stripped != page_title:
        site_names.add(page_title[len(stripped):].strip(" _-|｜—－"))
    return PageEvidence(
        url=url, metas=metas, lines=lines, page_title=page_title, stripped_title=stripped,
        headings=headings, site_title=xpath_text(tree, rules.title_xpath),
        site_date=xpath_text(tree, rules.date_xpath),
        site_authors=xpath_text(tree, rules.author_xpath),
        site_source=xpath_text(tree, rules.source_xpath), site_names=site_names, tree=tree,
    )


# --- title -----------------------------------------------------------------------------------

def _title_site(page: PageEvidence, text: TextEvidence) -> str | None:
    return page.site_title


def _title_meta(name: str) -> Callable[[PageEvidence, TextEvidence], str | None]:
    def rule(page: PageEvidence, text: TextEvidence) -> str | None:
        value = page.metas.get(name)
        return strip_title_suffix(value) if value else None
    return rule


def _title_heading(page: PageEvidence, text: TextEvidence) -> str | None:
    """A heading that `<title>` or a title meta tag prints too (the longest one)."""
    if not page.page_title:
        return None
    titles = [t for t in (page.stripped_title, page.metas.get("og:title")) if t]
    exact = [h for _, h in page.headings if h in titles]
    if exact:
        return exact[0]
    inside = [h for _, h in page.headings
              if h in page.page_title and len(h) >= TITLE_LINE_SHARE * len(page.page_title)]
    if inside:
        return max(inside, key=len)
    extended = [h for _, h in page.headings
                if any(h.startswith(t) and len(t) >= MIN_TITLE for t in titles)]
    return extended[0] if extended else None


def _title_in_heading(page: PageEvidence, text: TextEvidence) -> str | None:
    """`<title>` without its suffix when a heading prints it after a short label (`原创…`)."""
    title = page.stripped_title
    if len(title) < MIN_TITLE:
        return None
    labelled = any(h.endswith(title) and _LABEL.fullmatch(h[: -len(title)])
                   for _, h in page.headings)
    return title if labelled else None


def _title_line(page: PageEvidence, text: TextEvidence) -> str | None:
    """The longest page line that `<title>` holds (a headline printed outside a heading)."""
    if len(page.stripped_title) < MIN_TITLE:
        return None
    shortest = max(MIN_TITLE, TITLE_LINE_SHARE * len(page.page_title))
    inside = [line for line in page.lines
              if len(line) >= shortest and line in page.page_title and han_count(line)]
    return max(inside, key=len) if inside else None


def _title_above_dateline(page: PageEvidence, text: TextEvidence) -> str | None:
    """The heading closest above a dateline or info bar (within a few lines)."""
    best: tuple[int, str] | None = None
    for _, heading in page.headings:
        for at in _line_indexes(page, heading):
            window = page.lines[at + 1: at + 1 + DATELINE_GAP_MAX]
            gap = next((i for i, line in enumerate(window)
                        if len(line) <= _DATE_LINE_MAX and parse_date(line)), None)
            if gap is not None and (best is None or gap < best[0]):
                best = (gap, heading)
    return best[1] if best else None


def _title_tag(page: PageEvidence, text: TextEvidence) -> str | None:
    return page.stripped_title if len(page.stripped_title) >= MIN_TITLE else None


def _title_text(page: PageEvidence, text: TextEvidence) -> str | None:
    return text.title


def _title_first_heading(page: PageEvidence, text: TextEvidence) -> str | None:
    first = next((h for tag, h in page.headings if tag in ("h1", "h2")), None)
    return first or page.stripped_title or None


TITLE_RULES: tuple[tuple[str, Callable[[PageEvidence, TextEvidence], str | None]], ...] = (
    ("site title_xpath", _title_site),
    ("meta ArticleTitle", _title_meta("articletitle")),
    ("heading matching <title>", _title_heading),
    ("<title> printed in a heading after a label", _title_in_heading),
    ("page line matching <title>", _title_line),
    ("meta og:title", _title_meta("og:title")),
    ("meta twitter:title", _title_meta("twitter:title")),
    ("heading above a dateline", _title_above_dateline),
    ("<title> without site suffix", _title_tag),
    ("headline in the text", _title_text),
    ("first heading", _title_first_heading),
)
"""Title rules, most trusted first."""


# --- lines around the headline ---------------------------------------------------------------

def _line_indexes(page: PageEvidence, title: str | None) -> list[int]:
    """Where the headline is printed among the page lines: the lines equal to it, else the
    lines holding it with little more."""
    if not title:
        return []
    equal = page.positions.get(title)
    if equal:
        return equal[:HEADLINES_TRIED]
    holding = (i for i, line in enumerate(page.lines)
               if title in line and len(line) <= len(title) + 12)
    return [i for i, _ in zip(holding, range(HEADLINES_TRIED), strict=False)]


def _headline_at(page: PageEvidence, title: str | None) -> list[int]:
    """Where the headline is printed: where the decided title is, else where `<title>`, the
    og:title or the first `h1` is (a title taken from a meta tag may be worded otherwise)."""
    anchors = [title, page.stripped_title, page.metas.get("og:title"),
               next((h for tag, h in page.headings if tag == "h1"), None)]
    for anchor in anchors:
        if anchor and len(anchor) >= MIN_TITLE and (found := _line_indexes(page, anchor)):
            return found
    return []


def _under(page: PageEvidence, title: str | None) -> list[list[str]]:
    """For each place the headline is printed: the lines under it, up to its third paragraph
    (where bylines are printed)."""
    windows: list[list[str]] = []
    for at in _headline_at(page, title):
        after: list[str] = []
        paragraphs = 0
        for line in page.lines[at + 1: at + 1 + LINES_AFTER_HEADLINE]:
            after.append(line)
            paragraphs += _is_paragraph(line)
            if paragraphs >= PARAGRAPHS_UNDER_HEADLINE:
                break
        windows.append(after)
    return windows


def _around(page: PageEvidence, title: str | None) -> list[list[str]]:
    """For each place the headline is printed: the lines under it, then the few lines above
    it (where some templates print the info bar)."""
    return [under + page.lines[max(at - LINES_BEFORE_HEADLINE, 0): at]
            for at, under in zip(_headline_at(page, title), _under(page, title), strict=True)]


# --- published_at ----------------------------------------------------------------------------

def _labelled_date(line: str) -> str | None:
    """The date after a dateline label in `line` (`发布时间：2023-01-01`, `时间：18-03-08`)."""
    for match in tables.DATE_LABEL.finditer(line):
        after = line[match.end(): match.end() + 40]
        iso = parse_date(after)
        if iso is None and (short := _SHORT_YEAR.match(after)) is not None:
            iso = match_iso(short)
        if iso:
            return iso
    return None


def _bare_date(line: str) -> str | None:
    """The date of a short dateline, or of a longer info bar that opens with it."""
    if len(line) <= _DATE_LINE_MAX:
        return parse_date(line)
    opening = _OPENING_DATE.match(line)
    return match_iso(opening) if opening else None


@dataclass
class _Dates:
    """The date candidates under one page's headline, read once."""

    page: PageEvidence
    title: str | None
    labelled_near: str | None = None
    bare_near: str | None = None
    month_day_near: re.Match[str] | None = None
    year_near: int | None = None

    def __post_init__(self) -> None:
        for window in _around(self.page, self.title):
            for index, line in enumerate(window):
                if self.labelled_near is None and (iso := _labelled_date(line)):
                    self.labelled_near = iso
                if self.bare_near is None and not _is_paragraph(line):
                    self.bare_near = _bare_date(line)
                if self.month_day_near is None and len(line) <= _DATE_LINE_MAX:
                    self._month_day(window, index)
            if self.labelled_near or self.bare_near:
                break

    def _month_day(self, window: list[str], index: int) -> None:
        """A year-less date at `window[index]` (its clock time may be on the next line), and a
        year printed alone on the line before it."""
        line = window[index]
        following = window[index + 1] if index + 1 < len(window) else ""
        for text in (line, f"{line} {following}" if len(following) <= SPLIT_DATE_LINE else ""):
            if text and (match := _MONTH_DAY.search(text)):
                self.month_day_near = match
                before = _BARE_YEAR.fullmatch(window[index - 1]) if index else None
                self.year_near = int(before["year"]) if before else None
                return


def _date_rules(dates: _Dates, text: TextEvidence) -> list[tuple[str, Callable[[], str | None]]]:
    page = dates.page
    rules: list[tuple[str, Callable[[], str | None]]] = [
        ("site date_xpath", lambda: parse_date(page.site_date) if page.site_date else None),
        ("labelled dateline under the headline", lambda: dates.labelled_near),
        ("date under the headline", lambda: dates.bare_near),
    ]
    rules += [(f"meta {name}", partial(_meta_date, page, name)) for name in tables.DATE_META]
    rules += [
        ("labelled dateline in the page", lambda: _labelled_date("\n".join(page.lines))),
        ("dateline in the text", lambda: text.published_at),
        ("month and day under the headline, year beside it", partial(_month_day, dates, False)),
        ("date in the URL", lambda: url_date(page.url)),
        ("month and day under the headline, year from htmldate",
         partial(_month_day, dates, True)),
        ("htmldate", partial(_htmldate, page)),
    ]
    return rules


def _htmldate(page: PageEvidence) -> str | None:
    if page.tree is None:
        return None
    if page.guessed is None:
        page.guessed = htmldate_day(page.tree, page.url) or ""
    return page.guessed or None


def _meta_date(page: PageEvidence, name: str) -> str | None:
    value = page.metas.get(name)
    return parse_date(value) if value else None


def _month_day(dates: _Dates, guess: bool) -> str | None:
    """A year-less date under the headline (`09-07 15:10`), dated with the year printed beside
    it or in the URL, or (with `guess`) with the year of htmldate's guess."""
    if dates.month_day_near is None:
        return None
    year = dates.year_near
    if year is None and (from_url := url_date(dates.page.url)):
        year = int(from_url[:4])
    if year is None and guess and (guessed := _htmldate(dates.page)):
        year = int(guessed[:4])
    if year is None or (guess and dates.year_near is not None):
        return None
    return match_iso(dates.month_day_near, year)


# --- authors ---------------------------------------------------------------------------------

def _closing_names(text: str) -> list[str]:
    """Names in parentheses after the last sentence of a paragraph (`…换新iPhone。(李楠)`): the
    reporter's signature, two or three characters a name (a longer one is an agency: 视觉中国).
    The last such paragraph counts (page chrome may follow it)."""
    for line in reversed(text.splitlines()):
        match = _CLOSING_NAME.search(line)
        if match is not None:
            names = [n for n in _NAME_SPLIT.split(match["names"]) if n]
            return names if all(_is_name(n) for n in names) else []
    return []


def _author_rules(page: PageEvidence, title: str | None, text: TextEvidence
                  ) -> list[tuple[str, Callable[[], list[str]]]]:
    windows = _under(page, title)

    def near() -> list[str]:
        for window in windows:
            for line in window:
                if names := read_byline(line):
                    return names
        return []

    def lead() -> list[str]:
        for window in windows:
            for line in filter(_is_paragraph, window):
                paren = _LEAD_PAREN.search(line[:LEAD_BYLINE_START + 60])
                if (paren is not None and paren.start() <= LEAD_BYLINE_START
                        and (names := read_byline(paren["inner"], outlet_form=False))):
                    return names
        return []

    def credit_after() -> list[str]:
        for at in _headline_at(page, title)[:1]:
            for line in page.lines[at + 1: at + 1 + CREDIT_LINES_MAX]:
                if names := read_byline(line, outlet_form=False):
                    return names
        return []

    def meta_author() -> list[str]:
        value = clean_space(page.metas.get("author", ""))
        if not value or len(value) > META_AUTHOR_MAX or value in page.site_names or any(
                value in name for name in page.site_names):
            return []
        printed = any(value in line for window in windows for line in window)
        return [n for n in split_names(value) if _is_name(n)] if printed else []

    return [
        ("site author_xpath",
         lambda: split_names(tables.AUTHOR_LABEL.sub("", page.site_authors or ""))),
        ("byline under the headline", near),
        ("byline in the text", lambda: [n for n in text.authors if _is_name(n)]),
        ("byline in the lead paragraph", lead),
        ("name closing the text", lambda: _closing_names(text.text)),
        ("labelled credit after the headline", credit_after),
        ("meta author printed by the headline", meta_author),
    ]


# --- source ----------------------------------------------------------------------------------

def _source_value(value: str) -> str | None:
    end = tables.INFO_FIELD_END.search(value)
    value = (value[: end.start()] if end else value).strip(" ：:|｜，,。()（）")
    return value or None


def _source_near(page: PageEvidence, title: str | None) -> str | None:
    for window in _around(page, title):
        for line in window:
            if len(line) <= BYLINE_LINE_MAX and (match := _SOURCE_IN_LINE.search(line)):
                return _source_value(match["value"])
    return None


def _source_in_page(page: PageEvidence) -> str | None:
    text = "\n".join(page.lines)
    match = tables.SOURCE_LABEL.search(text)
    return _source_value(text[match.end(): match.end() + 60]) if match else None


def _source_rules(page: PageEvidence, title: str | None, text: TextEvidence
                  ) -> list[tuple[str, Callable[[], str | None]]]:
    return [
        ("site source_xpath",
         lambda: tables.SOURCE_LABEL.sub("", page.site_source or "").strip() or None),
        ("meta ContentSource", lambda: clean_space(page.metas.get("contentsource", "")) or None),
        ("labelled source under the headline", lambda: _source_near(page, title)),
        ("source in the text", lambda: text.source),
        ("labelled source in the page", lambda: _source_in_page(page)),
        ("meta source", lambda: clean_space(page.metas.get("source", "")) or None),
    ]


# --- deciding --------------------------------------------------------------------------------

def _decide(name: str, rules: Sequence[tuple[str, Callable[[], object]]],
            lazy_last: int = 0) -> Decision:
    """The first rule with a value decides; the others' values are the candidates it beat.
    The last `lazy_last` rules (costly guesses) run only when nothing before them decided."""
    winner: Candidate | None = None
    beaten: list[Candidate] = []
    for index, (rule, read) in enumerate(rules):
        if winner is not None and index >= len(rules) - lazy_last:
            break
        value = read()
        if not value:
            continue
        if winner is None:
            winner = Candidate(value, rule)
        elif value != winner.value and all(value != c.value for c in beaten):
            beaten.append(Candidate(value, rule))
    if winner is None:
        return Decision(name, None, "none", tuple(beaten))
    return Decision(name, winner.value, winner.rule, tuple(beaten))


def _refine_time(decision: Decision) -> Decision:
    """A date decided without its clock time (or seconds) takes them from a beaten candidate
    naming the same day (to the minute), when one has them."""
    value = decision.value
    if not isinstance(value, str):
        return decision
    for candidate in decision.beaten:
        other = candidate.value
        if not isinstance(other, str) or other[:10] != value[:10] or candidate.rule == "htmldate":
            continue
        midnight = value[11:19] == "00:00:00" and other[11:19] != "00:00:00"
        seconds = value[11:16] == other[11:16] and value[17:19] == "00" and other[17:19] != "00"
        if midnight or seconds:
            return Decision(decision.name, other, f"{decision.rule}, time from {candidate.rule}",
                            decision.beaten)
    return decision


def page_title(page: PageEvidence) -> Decision:
    """The title from page evidence alone (what the main-text selection is told)."""
    return _decide("title", [(rule, partial(read, page, TextEvidence()))
                             for rule, read in TITLE_RULES])


def _clean_title(read: Callable[[PageEvidence, TextEvidence], str | None], page: PageEvidence,
                 text: TextEvidence) -> str | None:
    value = read(page, text)
    return clean_space(value) if value else None


def resolve(page: PageEvidence, text: TextEvidence | None = None, *,
            single: bool = True) -> list[Decision]:
    """The decisions for title, published_at, authors and source of one article (`text` is
    its text evidence; None when the page gave no article). With `single` False the page holds
    several articles, and each one's text evidence comes before the page's."""
    text = text or TextEvidence()
    title_rules: list[tuple[str, Callable[[], object]]] = [
        (rule, partial(_clean_title, read, page, text)) for rule, read in TITLE_RULES]
    if not single:
        title_rules.insert(0, ("headline of this article", lambda: text.title))
    title = _decide("title", title_rules)
    shown = title.value if isinstance(title.value, str) else None
    dates = _Dates(page, shown)
    date_rules = _date_rules(dates, text)
    author_rules = _author_rules(page, shown, text)
    source_rules = _source_rules(page, shown, text)
    if not single:
        date_rules.insert(0, ("dateline of this article", lambda: text.published_at))
        author_rules = [("byline of this article", lambda: list(text.authors))]
        source_rules.insert(0, ("source of this article", lambda: text.source))
    return [
        title,
        _refine_time(_decide("published_at", date_rules, lazy_last=2)),
        _decide("authors", author_rules),
        _decide("source", source_rules),
    ]
