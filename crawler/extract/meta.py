"""Page metadata helpers: the evidence readers the resolver (`crawler.extract.resolve`) uses.

Meta tags, site XPaths, `<title>` with its site suffix removed, dates in page text, URLs and
htmldate's guess, person names in a byline value, and the canonical URL. Dates come out as
ISO 8601 in China Standard Time (`+08:00`). `PageMeta` holds what was decided for a page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from lxml import html

from crawler.extract import tables
from crawler.urls import canonical_url
from crawler.vocab.chars import HAN
from crawler.vocab.dates import PAGE_DATETIME, URL_DATES, match_iso
from crawler.vocab.labels import BYLINE_ROLES, NOT_NAMES

_DATE = re.compile(PAGE_DATETIME)
_URL_DATES = tuple(re.compile(pattern) for pattern in URL_DATES)
_SPACES = re.compile(r"\s+")
_NAME_SPLIT = re.compile(r"[\s、,，;；/]+")
_NAME = re.compile(rf"^[{HAN}·]{{2,5}}$")
_ROLE_WORDS = re.compile(rf"{BYLINE_ROLES}|作者")


@dataclass
class PageMeta:
    """What the page says about its article, outside the article text."""

    title: str | None = None
    published_at: str | None = None
    authors: list[str] = field(default_factory=list)
    source: str | None = None
    canonical_url: str | None = None


def clean_space(text: str) -> str:
    """Collapse whitespace (including full-width and no-break spaces) to single spaces."""
    return _SPACES.sub(" ", text.replace("\u3000", " ").replace("\xa0", " ")).strip()


def parse_date(text: str) -> str | None:
    """The first date (with its time when given) in `text` as ISO 8601 +08:00."""
    for match in _DATE.finditer(text):
        if iso := match_iso(match):
            return iso
    return None


def meta_values(tree: html.HtmlElement) -> dict[str, str]:
    """Lower-cased meta name/property/itemprop → first non-empty content."""
    values: dict[str, str] = {}
    for element in tree.iter("meta"):
        key = element.get("name") or element.get("property") or element.get("itemprop")
        content = element.get("content")
        if key and content and content.strip():
            values.setdefault(key.strip().lower(), content.strip())
    return values


def xpath_text(tree: html.HtmlElement, xpath: str | None) -> str | None:
    """The text of the first node `xpath` selects (or the string it returns), cleaned."""
    if not xpath:
        return None
    try:
        found = tree.xpath(xpath)
    except Exception:  # lxml raises several error types for a bad expression
        return None
    if isinstance(found, str):
        return clean_space(found) or None
    for node in found if isinstance(found, list) else []:
        text = node if isinstance(node, str) else node.text_content()
        if clean_space(str(text)):
            return clean_space(str(text))
    return None


def strip_title_suffix(title: str, suffixes: tuple[str, ...] = ()) -> str:
    """`title` without trailing site or column names (`_济源网`, `-大河网`, `--郑州晚报`)."""
    title = clean_space(title)
    for suffix in suffixes:
        if suffix and title.endswith(suffix) and len(title) > len(suffix):
            title = title[: -len(suffix)].rstrip(" _-|｜—－")
    while True:
        separators = list(tables.TITLE_SEPARATORS.finditer(title))
        if not separators:
            return title
        last = separators[-1]
        head, tail = title[: last.start()], title[last.end():]
        if len(tail) > tables.TITLE_SUFFIX_MAX or len(head) < 4:
            return title
        title = head


def url_date(url: str) -> str | None:
    """A date in the URL path (`t20230101_123.html`, `/html/2023-08/24/`), as midnight CST."""
    for pattern in _URL_DATES:
        match = pattern.search(url)
        if match and (iso := match_iso(match)):
            return iso
    return None


def htmldate_day(tree: html.HtmlElement, url: str) -> str | None:
    """htmldate's guess of the original publication date, as midnight CST."""
    from htmldate import find_date

    try:
        found = find_date(tree, original_date=True, url=url)
    except Exception:  # htmldate is a heuristic; any failure means "no date"
        return None
    return parse_date(found) if found else None


def split_names(value: str) -> list[str]:
    """Person names in a byline value (`陈锋 孙亚文`, `张三、李四`); organisations dropped."""
    value = _ROLE_WORDS.sub(" ", value)
    names = [name for name in _NAME_SPLIT.split(value) if name]
    return [name for name in names
            if _NAME.match(name) and not tables.NOT_AUTHOR.search(name)
            and name not in NOT_NAMES]


def find_canonical(tree: html.HtmlElement, url: str) -> str:
    """The page's `<link rel=canonical>` (resolved against `url`), else `url`; canonicalised.

    Many CMS templates print the home page, or another host, as the canonical URL of every
    page; such a link would give every article one id, so it is trusted only when it names a
    page below the root on the same host.
    """
    own = urlsplit(canonical_url(url))
    for link in tree.iter("link"):
        if (link.get("rel") or "").lower() == "canonical" and link.get("href"):
            href = link.get("href", "").strip()
            if href and not href.startswith(("javascript:", "#")):
                candidate = canonical_url(urljoin(url, href))
                parts = urlsplit(candidate)
                if parts.netloc == own.netloc and parts.path.strip("/"):
                    return candidate
    return canonical_url(url)
