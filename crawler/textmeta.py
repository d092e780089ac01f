"""Metadata found in article text: headline, dateline, bylines, source and lead markers.

The words and date shapes it reads come from `crawler.vocab`; this module holds the line
patterns built from them, used by the repairs (`crawler.repair`), the article splitter,
`crawler.clean` and the metadata resolver (`crawler.extract.resolve`):

- meta lines (`发布时间：…  来源：…  浏览次数：…`): `parse_meta_line`, `parse_dateline`;
- bylines (`正观新闻·郑州晚报记者 陈锋 孙亚文`, `通讯员 白博文/图`): `parse_byline`;
- `LEAD_MARKERS`: how a news body opens (`本报讯`, `济源网讯`, `新华社郑州5月7日电`).

`extract_metadata` reads one article's paragraphs: the headline lines and meta lines at the head
become `title`, `published_at`, `source` and `authors`; a byline or source line closing the
article moves out of the body. Bylines inside the lead (`济源网讯(记者 郑海波)5月7日`) stay in
the text, and their names go to `authors`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from crawler.vocab.chars import HAN
from crawler.vocab.dates import DATETIME, match_iso, unnamed
from crawler.vocab.labels import (
    AFFILIATION,
    AUTHOR_LABELS,
    BYLINE_ROLES,
    COUNTER_LABELS,
    CREDIT_SUFFIXES,
    DATELINE_LABELS,
    EDITOR_LABELS,
    NAME,
    NOT_NAMES,
    PHOTO_CREDIT,
    SOURCE_LABELS,
)

_DATETIME_UNNAMED = unnamed(DATETIME)
_LABEL_SEP = r"\s*[:：]\s*"
_FIELD_VALUE = r"[^\s|｜:：]+"
_META_FIELD = re.compile(
    rf"{DATELINE_LABELS}{_LABEL_SEP}(?P<labelled_date>{_DATETIME_UNNAMED})"
    rf"|(?P<bare_date>{_DATETIME_UNNAMED})"
    rf"|{SOURCE_LABELS}{_LABEL_SEP}(?P<source>{_FIELD_VALUE})"
    rf"|{AUTHOR_LABELS}{_LABEL_SEP}(?P<author>[{HAN}·]{{2,8}}(?:[ 、，,][{HAN}]{{2,4}})*)"
    rf"|{COUNTER_LABELS}{_LABEL_SEP}\d*\s*次?"
    rf"|{EDITOR_LABELS}{_LABEL_SEP}{_FIELD_VALUE}"
    r"|[【\[]?\s*(?:字号|字体)\s*[:：]?\s*(?:[【\[]?[大中小][】\]]?\s*)*[】\]]?"
    r"|[【\[]\s*(?:打印|关闭|收藏|打印本页|关闭窗口)\s*[】\]]"
)
_META_GAP_CHARS = frozenset(" \t\u3000\xa0|｜/·•")
META_LINE_MAX = 160
"""A page's meta line is short; longer lines are prose."""

# --- bylines ---------------------------------------------------------------------------------

_ROLE_TOKEN = re.compile(
    rf"(?:(?:{AFFILIATION})?{BYLINE_ROLES}|作者|撰稿)[:：]?"
    rf"(?P<name>{NAME})?{CREDIT_SUFFIXES}?"
)
_CREDIT_TOKEN = re.compile(r"(?:文/图|图/文|文|图|摄|摄影|文字|图片)[:：]?")
_NAME_TOKEN = re.compile(rf"(?P<name>{NAME}){CREDIT_SUFFIXES}?")
_BYLINE_SPLIT = re.compile(r"[\s、，,；;]+")
BYLINE_MAX = 60
"""A byline is short; longer text is prose."""

# --- leads and headlines ----------------------------------------------------------------------

LEAD_MARKERS = re.compile(
    rf"(?:本报[^\s，,。；;：:]{{0,12}}?讯"
    rf"|[{HAN}·]{{1,14}}?(?:网|台|社|报|新闻|客户端|融媒|号)[{HAN}\d]{{0,6}}?(?<![通资喜简电])讯"
    rf"|(?:新华社|中新社|中新网|人民网|央视网|[{HAN}]{{2,6}}社)[{HAN}]{{0,8}}"
    r"\d{1,2}月\d{1,2}日电)"
)
"""How a news body opens: 本报讯, 本报5月6日讯, 济源网讯, 正观新闻讯, 新华社郑州5月7日电."""

HEADLINE_MAX = 80
"""Longest line taken as a headline (a kicker and title printed on one line fit)."""

COMMA_HEADLINE_MAX = 30
"""Headlines with a comma in them (守正创新，奋力谱写新篇章) are short; longer lines with one are
prose."""

PROSE_OPENING = re.compile(
    rf"(?:(?:\d{{1,2}}月)?\d{{1,2}}日|[{HAN}]{{1,12}}?(?:强调|指出|要求|表示|认为|介绍|提出|说|称)"
    r"|近日|日前|昨日|今天|今年以来|目前|当前|同时|此外)(?:[上下中]午|晚间|晚上|凌晨|早上|傍晚|[上下晚])?"
    r"[，,：:]"
)
"""How a news sentence opens and a headline does not: a date (`11月6日下午`, `25日晚间`) or a
speaker, then a comma."""

_HEADLINE_BAD_END = frozenset("。！？!?…，,；;：:、")
_ENUMERATED = re.compile(
    r"(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d{1,2}[.．、](?!\d))"
)
_HAS_HAN = re.compile(rf"[{HAN}]")
_LEAD_PAREN = re.compile(r"[(（](?P<inner>[^()（）]{2,60})[)）]")
_TAIL_PAREN = re.compile(r"\s*[(（](?P<inner>[^()（）]{2,60})[)）]\s*$")


_DATETIME_RE = re.compile(DATETIME)
_CAPTION_END = re.compile(f"{PHOTO_CREDIT}$")


@dataclass
class MetaLine:
    """The fields of a page's meta line (`发布时间：2023-01-01 18:30 来源：X`)."""

    published_at: str | None = None
    source: str | None = None
    authors: list[str] = field(default_factory=list)


def parse_meta_line(line: str) -> MetaLine | None:
    """The fields of `line` when it consists of meta fields only (dateline, 来源, 作者, counters,
    editor credits, font-size tools); None for any other line."""
    line = line.strip()
    if not line or len(line) > META_LINE_MAX:
        return None
    meta = MetaLine()
    pos = 0
    found = False
    while pos < len(line):
        while pos < len(line) and line[pos] in _META_GAP_CHARS:
            pos += 1
        if pos >= len(line):
            break
        match = _META_FIELD.match(line, pos)
        if match is None or match.end() == pos:
            return None
        found = True
        date_text = match["labelled_date"] or match["bare_date"]
        if date_text and meta.published_at is None:
            date_match = _DATETIME_RE.fullmatch(date_text)
            meta.published_at = match_iso(date_match) if date_match else None
        if match["source"] and meta.source is None:
            meta.source = match["source"]
        if match["author"]:
            meta.authors.extend(n for n in _BYLINE_SPLIT.split(match["author"])
                                if n and n not in NOT_NAMES)
        pos = match.end()
    return meta if found else None


def parse_dateline(line: str) -> str | None:
    """`published_at` (ISO 8601, +08:00) from a dateline or meta line; None if `line` is none."""
    meta = parse_meta_line(line)
    return meta.published_at if meta else None


def parse_byline(text: str) -> list[str] | None:
    """The names in `text` when all of it is a byline (roles, affiliations, names, credit
    suffixes), else None. `记者 唐善普 通讯员 白博文/图` -> ['唐善普', '白博文']."""
    text = text.strip()
    if not text or len(text) > BYLINE_MAX:
        return None
    names: list[str] = []
    has_role = False
    for token in _BYLINE_SPLIT.split(text):
        if not token:
            continue
        role = _ROLE_TOKEN.fullmatch(token)
        if role is not None:
            has_role = True
            if role["name"] and role["name"] not in NOT_NAMES:
                names.append(role["name"])
            continue
        if _CREDIT_TOKEN.fullmatch(token):
            has_role = True
            continue
        name = _NAME_TOKEN.fullmatch(token)
        if name is None or name["name"] in NOT_NAMES:
            return None
        names.append(name["name"])
    return names if has_role and names else None


def lead_authors(paragraph: str) -> list[str]:
    """Names from a byline in parentheses near the start of a lead paragraph
    (`本报讯(正观新闻·郑州晚报记者 陈锋 孙亚文) 8月23日…`)."""
    match = _LEAD_PAREN.search(paragraph, 0, 80)
    if match is None or match.start() > 24:
        return []
    return parse_byline(match["inner"]) or []


def split_tail_byline(paragraph: str) -> tuple[str, list[str]] | None:
    """(paragraph without it, names) when a parenthesised byline closes `paragraph`
    (`…运输保障。(记者 张恒)`), else None."""
    match = _TAIL_PAREN.search(paragraph)
    if match is None:
        return None
    names = parse_byline(match["inner"])
    if not names:
        return None
    return paragraph[: match.start()], names


def is_caption(line: str) -> bool:
    """Whether `line` is a photo caption: it ends with the photo's credit (`…开心。周斌 摄`)."""
    return _CAPTION_END.search(line.strip()) is not None


def is_lead(line: str) -> bool:
    """Whether `line` opens a news body with a lead marker (本报讯, 济源网讯 …)."""
    return LEAD_MARKERS.match(line.strip()) is not None


def is_bare_lead(line: str) -> bool:
    """Whether `line` is a lead marker alone, with at most its byline in parentheses
    (`本报讯(正观新闻·郑州晚报记者 陈锋 孙亚文)`): the opening of a body cut off from its text."""
    line = line.strip()
    lead = LEAD_MARKERS.match(line)
    if lead is None:
        return False
    rest = line[lead.end():].strip()
    return not rest or _LEAD_PAREN.fullmatch(rest) is not None


def is_enumerated(line: str) -> bool:
    """Whether `line` starts with a list or section number (一、 (二) 3.)."""
    return _ENUMERATED.match(line.strip()) is not None


def looks_like_prose(line: str) -> bool:
    """Whether `line` reads as the start of body prose rather than a headline, even when it
    has no sentence end: it opens like a news sentence (`11月6日下午,` `安伟要求,`) or holds a
    comma and is longer than a headline with a comma ever is."""
    line = line.strip()
    if PROSE_OPENING.match(line):
        return True
    return len(line) > COMMA_HEADLINE_MAX and any(mark in line for mark in "，,")


def looks_like_headline(line: str) -> bool:
    """Whether `line` can be a headline or kicker: short, Han text, no sentence end inside, no
    terminal or clause punctuation at its end, not prose-like, and not a byline, meta line or
    lead."""
    line = line.strip()
    if not 2 <= len(line) <= HEADLINE_MAX or line[-1] in _HEADLINE_BAD_END or "。" in line:
        return False
    if not _HAS_HAN.search(line) or looks_like_prose(line):
        return False
    return not (is_lead(line) or parse_byline(line) is not None
                or parse_meta_line(line) is not None)


@dataclass
class TextMeta:
    """Metadata read from one article's paragraphs, and the body left once it is taken out."""

    title: str | None
    published_at: str | None
    authors: list[str]
    source: str | None
    body: list[str]
    byline_moved: bool


HEAD_LINES_MAX = 6
"""Headline and meta lines are looked for among this many leading paragraphs."""

TITLE_LINES_MAX = 3
"""Kicker, title and subtitle at most."""


def _add_names(authors: list[str], names: list[str]) -> None:
    for name in names:
        if name not in authors:
            authors.append(name)


def _read_head(paragraphs: list[str], meta: TextMeta) -> int:
    """Take the headline and meta lines at the head into `meta`; return where the body starts."""
    kinds: list[str] = []
    led = False
    for line in paragraphs[:HEAD_LINES_MAX]:
        if is_lead(line):
            led = True
            break
        if parse_meta_line(line) is not None:
            kinds.append("meta")
        elif parse_byline(line) is not None:
            kinds.append("byline")
        elif looks_like_headline(line) and kinds.count("headline") < TITLE_LINES_MAX:
            kinds.append("headline")
        else:
            break
    # Several headline lines make a kicker/title/subtitle only when a lead follows them (the
    # e-paper layout); otherwise the second one is more likely a section heading of the body.
    if not led and kinds.count("headline") > 1:
        second = [i for i, kind in enumerate(kinds) if kind == "headline"][1]
        kinds = kinds[:second]
    while len(kinds) >= len(paragraphs):
        kinds.pop()
    title_lines: list[str] = []
    for line, kind in zip(paragraphs, kinds, strict=False):
        if kind == "headline":
            title_lines.append(line)
        elif kind == "byline":
            _add_names(meta.authors, parse_byline(line) or [])
        elif (fields := parse_meta_line(line)) is not None:
            meta.published_at = meta.published_at or fields.published_at
            meta.source = meta.source or fields.source
            _add_names(meta.authors, fields.authors)
    if title_lines:
        meta.title = " ".join(title_lines)
    return len(kinds)


def _read_tail(body: list[str], meta: TextMeta) -> None:
    """Move the byline and source lines closing the article out of `body` into `meta`."""
    credits: list[list[str]] = []
    while body:
        last = body[-1]
        names = parse_byline(last)
        if names is None and (paren := _TAIL_PAREN.fullmatch(last)) is not None:
            names = parse_byline(paren["inner"])
        fields = parse_meta_line(last) if names is None else None
        if len(body) > 1 and names is not None:
            credits.append(names)
        elif len(body) > 1 and fields is not None and fields.source and not fields.published_at:
            meta.source = meta.source or fields.source
            credits.append(fields.authors)
        elif (closing := split_tail_byline(last)) is not None and closing[0].strip():
            credits.append(closing[1])
            body[-1] = closing[0].rstrip()
            meta.byline_moved = True
            continue
        else:
            break
        body.pop()
        meta.byline_moved = True
    for names in reversed(credits):
        _add_names(meta.authors, names)


def extract_metadata(paragraphs: list[str]) -> TextMeta:
    """Read title, dateline, source and bylines from one article's non-blank, stripped
    paragraphs; the returned `body` holds the paragraphs that remain article text."""
    meta = TextMeta(title=None, published_at=None, authors=[], source=None, body=[],
                    byline_moved=False)
    start = _read_head(paragraphs, meta)
    body = list(paragraphs[start:])
    head_authors = list(meta.authors)
    meta.authors = []
    if body:
        _add_names(meta.authors, lead_authors(body[0]))
    _add_names(meta.authors, head_authors)
    _read_tail(body, meta)
    meta.body = body
    return meta
