"""Page metadata: title, published_at, authors, source and canonical URL from a parsed page.

Each field walks its evidence from the most to the least specific: the site's own XPath, the
government meta tags (`ArticleTitle`, `PubDate`, `ContentSource`), Open Graph, the labelled
info bar (`发布时间：… 来源：…`), then the page's headings and `<title>` with the site suffix
removed. Dates come out as ISO 8601 in China Standard Time (`+08:00`); htmldate is the last resort.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from lxml import html

from crawler.extract import tables
from crawler.textmeta import to_iso
from crawler.urls import canonical_url

_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)\s*日?"
    r"(?:\s*T?\s*(\d{1,2})\s*[:：时]\s*(\d{1,2})(?:\s*[:：分]\s*(\d{1,2}))?"
    r"(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?)?"
)
_URL_DATE = re.compile(
    r"(?<!\d)(20\d{2})[-/_]?(0[1-9]|1[0-2])[-/_]?(0[1-9]|[12]\d|3[01])(?!\d)"
)
_URL_DATE_T = re.compile(r"/t(20\d{2})(\d{2})(\d{2})_\d+")
_SPACES = re.compile(r"\s+")
_NAME_SPLIT = re.compile(r"[\s、,，;；/]+")
_NAME = re.compile(r"^[\u4e00-\u9fff·]{2,5}$")


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
        year, month, day, hour, minute, second, offset = match.groups()
        iso = to_iso(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                     int(second or 0), offset)
        if iso is not None:
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


def _xpath_text(tree: html.HtmlElement, xpath: str | None) -> str | None:
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


def find_title(tree: html.HtmlElement, metas: dict[str, str], xpath: str | None,
               suffixes: tuple[str, ...]) -> str | None:
    """The article title (see the module docstring for the order of evidence)."""
    from_rule = _xpath_text(tree, xpath)
    if from_rule:
        return from_rule
    for name in tables.TITLE_META[:3]:
        if metas.get(name):
            return strip_title_suffix(metas[name], suffixes)
    page_title = next((clean_space(t.text_content()) for t in tree.iter("title")), "")
    stripped = strip_title_suffix(page_title, suffixes) if page_title else ""
    headings = [clean_space(h.text_content()) for h in tree.iter("h1", "h2")]
    headings = [h for h in headings if len(h) >= 4]
    for heading in headings:
        if stripped and stripped in heading:
            return heading
    for heading in headings:
        if stripped and heading in page_title:
            return heading
    if stripped and len(stripped) >= 4:
        return stripped
    return headings[0] if headings else (stripped or None)


def _labelled(text: str, label: re.Pattern[str]) -> str | None:
    """The value after the first `label` in `text`, up to the next field of the info bar."""
    match = label.search(text)
    if not match:
        return None
    rest = text[match.end():match.end() + 120]
    end = tables.INFO_FIELD_END.search(rest)
    value = rest[: end.start()] if end else rest
    value = value.strip(" ：:|｜，,。")
    return value or None


def _url_date(url: str) -> str | None:
    """A date in the URL path (`t20230101_123.html`, `/html/2023-08/24/`), as midnight CST."""
    match = _URL_DATE_T.search(url) or _URL_DATE.search(url)
    if not match:
        epaper = re.search(r"/(20\d{2})-(\d{2})/(\d{2})/", url)
        if not epaper:
            return None
        match = epaper
    return to_iso(int(match.group(1)), int(match.group(2)), int(match.group(3)))


def find_published_at(tree: html.HtmlElement, metas: dict[str, str], page_text: str,
                      url: str, xpath: str | None) -> tuple[str | None, bool]:
    """The publication time as ISO 8601 +08:00, and whether it is strong evidence (site XPath,
    meta tag, labelled info bar, a date right under the headline) rather than a guess from the
    URL or htmldate. A labelled date that agrees with the meta tag to the minute wins, as it
    often adds the seconds."""
    from_rule = _xpath_text(tree, xpath)
    if from_rule and (iso := parse_date(from_rule)):
        return iso, True
    labelled = next((iso for match in tables.DATE_LABEL.finditer(page_text)
                     if (iso := parse_date(page_text[match.end():match.end() + 40]))), None)
    for name in tables.DATE_META:
        if metas.get(name) and (iso := parse_date(metas[name])):
            if labelled and labelled[:16] == iso[:16]:
                return labelled, True
            return iso, True
    if labelled:
        return labelled, True
    heading = next(iter(tree.iter("h1")), None)
    if heading is not None and (iso := parse_date(_text_after(heading, 200))):
        return iso, True
    if iso := _url_date(url):
        return iso, False
    return _htmldate(tree, url), False


def _text_after(element: html.HtmlElement, limit: int) -> str:
    """Up to `limit` characters of page text following `element` in document order."""
    pieces: list[str] = []
    size = 0
    for node in element.itersiblings():
        text = node.text_content() if isinstance(node.tag, str) else ""
        pieces.append(text + " " + (node.tail or ""))
        size += len(pieces[-1])
        if size >= limit:
            break
    if size < limit and element.getparent() is not None:
        parent = element.getparent()
        for node in parent.itersiblings():
            if not isinstance(node.tag, str):
                continue
            pieces.append(node.text_content())
            size += len(pieces[-1])
            if size >= limit:
                break
    return " ".join(pieces)[:limit]


def _htmldate(tree: html.HtmlElement, url: str) -> str | None:
    """htmldate's guess of the original publication date, as midnight CST."""
    from htmldate import find_date

    try:
        found = find_date(tree, extensive_search=False, original_date=True, url=url)
    except Exception:  # htmldate is a heuristic; any failure means "no date"
        return None
    return parse_date(found) if found else None


def split_names(value: str) -> list[str]:
    """Person names in a byline value (`陈锋 孙亚文`, `张三、李四`); organisations dropped."""
    value = re.sub(r"(?:本报|见习|見習|特约|實習|实习)?(?:记者|記者|通讯员|通訊員|摄影|攝影|作者)",
                   " ", value)
    names = [name for name in _NAME_SPLIT.split(value) if name]
    return [name for name in names
            if _NAME.match(name) and not tables.NOT_AUTHOR.search(name)]


def find_authors(tree: html.HtmlElement, metas: dict[str, str], info_text: str,
                 xpath: str | None) -> list[str]:
    """Authors named by the site's XPath, the info bar (`作者：…`) or a person-like meta author."""
    from_rule = _xpath_text(tree, xpath)
    if from_rule:
        return split_names(tables.AUTHOR_LABEL.sub("", from_rule))
    labelled = _labelled(info_text, tables.AUTHOR_LABEL)
    if labelled:
        return split_names(labelled)
    for name in tables.AUTHOR_META:
        if metas.get(name):
            names = split_names(metas[name])
            if names:
                return names
    return []


def find_source(tree: html.HtmlElement, metas: dict[str, str], info_text: str,
                xpath: str | None) -> str | None:
    """The publisher as printed: site XPath, `ContentSource` meta, or `来源：…`."""
    from_rule = _xpath_text(tree, xpath)
    if from_rule:
        return tables.SOURCE_LABEL.sub("", from_rule).strip() or None
    for name in tables.SOURCE_META[:1]:
        if metas.get(name):
            return clean_space(metas[name])
    labelled = _labelled(info_text, tables.SOURCE_LABEL)
    if labelled:
        return labelled
    if metas.get("source"):
        return clean_space(metas["source"])
    return None


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
