"""`govnews new-site`: a site folder proposed from one saved list page and one saved article page.

`propose(...)` reads the two pages and proposes the site's rules: the article-link regex (the
article URL's shape, checked against the links of the list page) and the XPath of the region
holding those links, the pagination (the "next page" link and the list URL shape), the content,
title, date and author selectors (the page elements that hold what the generic extractor finds),
and the encoding the decoder settled on. Every rule is checked on the pages it came from; what
could not be found is reported and marked UNVERIFIED in the TOML.

`write_site(...)` writes `seeds/<name>/`: `site.toml`; `replica/` made from the two pages (their
markup as Jinja2 templates, the sample article as the content list, generated articles beside
it); and `golden/<name>_sample/` holding the saved article page with the records the proposed
rules extract, flagged for review: a maintainer reads them against the page, corrects them and
removes the flag (`tests/test_registry_coverage.py` fails while a flag is left).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html

from crawler.extract import ExtractRules, decode_html, extract_page
from crawler.extract.body import common_ancestor
from crawler.extract.meta import find_canonical
from crawler.sites import SITE_FILE, Site, SiteConfigError, load_site
from crawler.urls import canonical_url

REVIEW_FLAG = "review"
NEXT_TEXTS = ("下一页", "下页", "下一頁", "后页", "Next", "next", ">", "›", "»")
DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y年%m月%d日 %H:%M", "%Y年%m月%d日",
                "%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d")
_DATE_IN_PATH = re.compile(r"(20\d{2})([-/]?)(\d{2})([-/]?)(\d{2})(?!\d)")
_DIGITS = re.compile(r"\d+")
_CONTAINER_TAGS = ("div", "td", "article", "section", "founder-content", "cms-content", "span",
                   "font", "ul", "table", "tbody", "p")
# Marks put into the saved markup where the templates' expressions go (plain ASCII, so that
# lxml's serialiser leaves them as they are, attribute values included).
_CONTENT_MARK, _TITLE_MARK, _DATE_MARK = "__govnews_content__", "__govnews_title__", "__gn_date__"
_ITEMS_MARK, _PAGER_MARK = "__govnews_items__", "__govnews_pager__"
_HREF_MARK, _TEXT_MARK, _LINKDATE_MARK = "__govnews_href__", "__govnews_text__", "__gn_linkdate__"


class NewSiteError(ValueError):
    """The pages cannot give a site: no article found, no URL known, a folder already there."""


@dataclass
class Page:
    """A saved page: its bytes, text, tree and URL."""

    body: bytes
    text: str
    tree: Any
    url: str
    encoding: str


@dataclass
class Proposal:
    """The proposed rules of a site and what could not be verified on the pages."""

    name: str
    article: Page
    listing: Page
    list_url: str
    article_regex: str
    article_xpath: str | None
    list_regex: str
    next_page_xpath: str | None
    next_text: str | None
    next_url: str | None
    content_xpath: str | None
    title_xpath: str | None
    date_xpath: str | None
    author_xpath: str | None
    article_links: list[str] = field(default_factory=list)
    unverified: list[str] = field(default_factory=list)

    @property
    def host(self) -> str:
        return urlsplit(self.article.url).hostname or ""

    @property
    def scheme(self) -> str:
        return urlsplit(self.article.url).scheme

    def rules(self) -> ExtractRules:
        return ExtractRules(content_xpath=self.content_xpath, title_xpath=self.title_xpath,
                            date_xpath=self.date_xpath, author_xpath=self.author_xpath,
                            encoding=self.article.encoding)


# ---------------------------------------------------------------------------------------------
# Reading the pages
# ---------------------------------------------------------------------------------------------


def read_page(path: Path, url: str | None) -> Page:
    """A saved page decoded and parsed; its URL from `url`, else from the page itself."""
    try:
        body = path.read_bytes()
    except OSError as error:
        raise NewSiteError(f"{path}: cannot read: {error.strerror or error}") from None
    text, decoding = decode_html(body)
    try:
        tree = lxml_html.document_fromstring(text)
    except (ValueError, etree.ParserError):
        raise NewSiteError(f"{path}: not an HTML page") from None
    found = url or _stated_url(tree)
    if not found:
        raise NewSiteError(f"{path}: the page states no URL of its own (canonical, og:url, "
                           "meta url): give it with --url / --list-url")
    return Page(body, text, tree, canonical_url(found), decoding.encoding)


def _stated_url(tree: Any) -> str | None:
    for xpath in ("//link[@rel='canonical']/@href", "//meta[@property='og:url']/@content",
                  "//meta[@name='url']/@content"):
        values = [str(value).strip() for value in tree.xpath(xpath)]
        absolute = [value for value in values if urlsplit(value).scheme in ("http", "https")]
        if absolute:
            return find_canonical(tree, absolute[0])
    return None


def _clean(text: str) -> str:
    return " ".join(text.split())


def _anchors(page: Page) -> list[tuple[Any, str]]:
    """The page's links: (anchor element, absolute canonical URL)."""
    found = []
    for anchor in page.tree.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "mailto:", "#")):
            continue
        url = urljoin(page.url, href)
        if urlsplit(url).scheme in ("http", "https"):
            found.append((anchor, canonical_url(url)))
    return found


# ---------------------------------------------------------------------------------------------
# URL shapes
# ---------------------------------------------------------------------------------------------


def _generalise(text: str) -> str:
    """`text` as a regex with each digit run generalised to one or more digits."""
    out, cursor = [], 0
    for match in _DIGITS.finditer(text):
        out.append(re.escape(text[cursor:match.start()]) + r"\d+")
        cursor = match.end()
    return "".join(out) + re.escape(text[cursor:])


def url_regex(path: str) -> str:
    """A regex for paths shaped like `path`: its dated part and digit runs generalised."""
    date = _DATE_IN_PATH.search(path)
    if date is None:
        return _generalise(path) + "$"
    dated = r"\d{4}" + re.escape(date[2]) + r"\d{2}" + re.escape(date[4]) + r"\d{2}"
    return _generalise(path[:date.start()]) + dated + _generalise(path[date.end():]) + "$"


def path_template(path: str) -> tuple[str, int]:
    """The replica's `article_path` for paths shaped like `path` and the id it holds: the
    dated part becomes `{day:…}`, the last digit run `{id}` (zero-padded when it is)."""
    date = _DATE_IN_PATH.search(path)
    start = date.end() if date else 0
    runs = list(_DIGITS.finditer(path, start))
    if not runs:
        raise NewSiteError(f"the article path {path!r} holds no number to vary")
    last = runs[-1]
    width = len(last[0])
    ident = f"{{id:0{width}d}}" if last[0].startswith("0") else "{id}"

    def literal(text: str) -> str:
        return text.replace("{", "{{").replace("}", "}}")

    if date:
        spec = f"{{day:%Y{date[2]}%m{date[4]}%d}}"
        template = (literal(path[:date.start()]) + spec + literal(path[date.end():last.start()])
                    + ident + literal(path[last.end():]))
    else:
        template = literal(path[:last.start()]) + ident + literal(path[last.end():])
    return template, int(last[0])


def _list_regex(first: str, other: str | None) -> str:
    """A regex for the list pages: the first page's path, and the next page's when known."""
    if other is None or other == first:
        return re.escape(first) + "$"
    prefix = 0
    while prefix < min(len(first), len(other)) and first[prefix] == other[prefix]:
        prefix += 1
    suffix = 0
    while (suffix < min(len(first), len(other)) - prefix
           and first[-1 - suffix] == other[-1 - suffix]):
        suffix += 1
    head, tail = first[:prefix], first[len(first) - suffix:]
    middles = [part for part in (first[prefix:len(first) - suffix],
                                 other[prefix:len(other) - suffix]) if part]
    shapes = sorted({_DIGITS.sub("NUMBER", re.escape(part)).replace("NUMBER", r"\d+")
                     for part in middles})
    optional = len(middles) < 2
    group = "|".join(shapes)
    return (re.escape(head) + f"({group}){'?' if optional else ''}" + re.escape(tail) + "$")


# ---------------------------------------------------------------------------------------------
# Selectors
# ---------------------------------------------------------------------------------------------


def element_xpath(element: Any) -> str | None:
    """An XPath for `element` by its id or class, or by the nearest ancestor that has one."""
    steps: list[str] = []
    node = element
    while node is not None and isinstance(node.tag, str):
        if node.get("id"):
            steps.insert(0, f"//{node.tag}[@id='{node.get('id')}']")
            break
        if node.get("class") and "'" not in node.get("class"):
            steps.insert(0, f"//{node.tag}[@class='{node.get('class')}']")
            break
        steps.insert(0, f"/{node.tag}")
        node = node.getparent()
    else:
        return None
    xpath = steps[0] + "".join(steps[1:])
    return xpath if element in element.getroottree().xpath(xpath) else None


def _grams(text: str) -> Counter[str]:
    compact = re.sub(r"\s+", "", text)
    return Counter(compact[i:i + 3] for i in range(max(len(compact) - 2, 0)))


def _content_element(tree: Any, text: str) -> Any | None:
    """The smallest element holding nearly all of `text` (the generic extractor's body)."""
    truth = _grams(text)
    total = sum(truth.values())
    if not total:
        return None
    best, best_size = None, None
    for element in tree.iter(*_CONTAINER_TAGS):
        inner = _grams(element.text_content())
        if sum((inner & truth).values()) < 0.95 * total:
            continue
        size = sum(inner.values())
        if best_size is None or size < best_size:
            best, best_size = element, size
    return best


def _text_element(tree: Any, wanted: str) -> Any | None:
    """The smallest element whose whole text is `wanted`, else the smallest holding it."""
    if not wanted:
        return None
    exact = [element for element in tree.iter() if isinstance(element.tag, str)
             and element.tag not in ("title", "head", "html", "script", "style")
             and _clean(element.text_content()) == wanted]
    if exact:
        return exact[-1]
    holding = [element for element in tree.iter() if isinstance(element.tag, str)
               and element.tag not in ("title", "head", "html", "script", "style", "body")
               and wanted in _clean(element.text_content())]
    return min(holding, key=lambda element: len(element.text_content()), default=None)


def _printed_date(page_text: str, published: str | None) -> tuple[str, str] | None:
    """The sample's publication time as printed on the page, and its strftime format."""
    if not published:
        return None
    moment = datetime.fromisoformat(published).replace(tzinfo=None)
    for fmt in DATE_FORMATS:
        printed = moment.strftime(fmt)
        if printed in page_text:
            return printed, fmt
    return None


def _meta_xpath(tree: Any, names: tuple[str, ...], value: str) -> str | None:
    for name in names:
        for attribute in ("name", "property"):
            xpath = f"//meta[@{attribute}='{name}']/@content"
            if any(_clean(str(found)).startswith(value) for found in tree.xpath(xpath)):
                return xpath
    return None


# ---------------------------------------------------------------------------------------------
# The proposal
# ---------------------------------------------------------------------------------------------


def propose(name: str, list_path: Path, article_path: Path, *, url: str | None = None,
            list_url: str | None = None) -> Proposal:
    """Propose a site's rules from its two saved pages (see the module docstring)."""
    article = read_page(article_path, url)
    generic = extract_page(article.body, url=article.url)
    if not generic.articles:
        raise NewSiteError(f"{article_path}: the extractor finds no article on this page "
                           f"({generic.note})")
    sample = generic.articles[0]
    stated = _stated_url_of(list_path)
    listing_url = list_url or (stated if stated != article.url else None) or _column_url(article)
    unverified: list[str] = []
    if listing_url is None:
        listing_url = f"{urlsplit(article.url).scheme}://{urlsplit(article.url).netloc}/"
        unverified.append("the list page's URL (none given, none stated): pass --list-url")
    listing = read_page(list_path, listing_url)

    article_regex = url_regex(urlsplit(article.url).path)
    rule = re.compile(article_regex)
    host = urlsplit(article.url).hostname
    matched = [(anchor, link) for anchor, link in _anchors(listing)
               if urlsplit(link).hostname == host and rule.search(urlsplit(link).path)]
    article_xpath = None
    if matched:
        # the list region: the nearest element holding every matched link
        container = common_ancestor([anchor.getparent() for anchor, _ in matched])
        article_xpath = element_xpath(container)
    else:
        unverified.append("article links: no link on the list page has the article URL's "
                          "shape; the regex comes from the article URL alone")
    if matched and article_xpath is None:
        unverified.append("article_xpath: the links' common container has no id or class")

    next_anchor = next((anchor for anchor, _ in _anchors(listing)
                        if _clean(anchor.text_content()) in NEXT_TEXTS), None)
    next_text = _clean(next_anchor.text_content()) if next_anchor is not None else None
    next_url = canonical_url(urljoin(listing.url, next_anchor.get("href"))) if (
        next_anchor is not None) else None
    next_page_xpath = f"//a[normalize-space()='{next_text}']" if next_text else None
    if next_text is None:
        unverified.append("pagination: no next-page link on the list page")
    list_regex = _list_regex(urlsplit(listing.url).path,
                             urlsplit(next_url).path if next_url else None)

    content = _content_element(article.tree, sample.text)
    content_xpath = element_xpath(content) if content is not None else None
    if content_xpath is None:
        unverified.append("content_xpath: no element with an id or class holds the body")
    title_xpath = (_meta_xpath(article.tree, ("ArticleTitle", "og:title"), sample.title or "")
                   if sample.title else None)
    if title_xpath is None and sample.title:
        element = _text_element(article.tree, sample.title)
        title_xpath = element_xpath(element) if element is not None else None
    printed = _printed_date(article.text, sample.published_at)
    date_xpath = None
    if sample.published_at:
        date_xpath = _meta_xpath(article.tree, ("PubDate", "publishdate",
                                                "article:published_time"),
                                 sample.published_at[:10])
    if date_xpath is None and printed:
        element = _text_element(article.tree, printed[0])
        date_xpath = element_xpath(element) if element is not None else None
    author_xpath = None
    if sample.authors:
        element = _text_element(article.tree, sample.authors[0])
        author_xpath = element_xpath(element) if element is not None else None
    for label, value in (("title_xpath", title_xpath), ("date_xpath", date_xpath)):
        if value is None:
            unverified.append(f"{label}: no element found; the generic rules apply")
    return Proposal(name, article, listing, listing.url, article_regex, article_xpath,
                    list_regex, next_page_xpath, next_text, next_url, content_xpath, title_xpath,
                    date_xpath, author_xpath, [link for _, link in matched], unverified)


def _stated_url_of(path: Path) -> str | None:
    try:
        found = _stated_url(lxml_html.document_fromstring(decode_html(path.read_bytes())[0]))
    except (OSError, ValueError, etree.ParserError):
        return None
    return canonical_url(found) if found else None


def _column_url(article: Page) -> str | None:
    """The article's column (list) page: the link named like its `ColumnName` meta."""
    names = [_clean(str(value)) for value in
             article.tree.xpath("//meta[@name='ColumnName']/@content")]
    for anchor, link in _anchors(article):
        if names and _clean(anchor.text_content()) == names[0]:
            return link
    return None


# ---------------------------------------------------------------------------------------------
# Writing the folder
# ---------------------------------------------------------------------------------------------


def _toml(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def site_toml(proposal: Proposal, list_file: Path, article_file: Path) -> str:
    """The proposed `site.toml`, every claim marked (nothing is checked against the live site)."""
    origin = (f"# Proposed by `govnews new-site` from {list_file.name} and {article_file.name};"
              " every claim is checked only on those saved pages.")
    mark = "# UNVERIFIED (proposed from the saved pages):"
    lines = [f"# {proposal.name}: {proposal.host}", "#", origin,
             "# Not found on the pages:" if proposal.unverified else "#"]
    lines += [f"#   - {item}" for item in proposal.unverified]
    lines += [
        "", f"title = {_toml(proposal.host)}",
        f"{mark} host and scheme", f"allowed_domains = {_toml([proposal.host])}",
        f"{mark} the list page", f"start_urls = {_toml([proposal.list_url])}",
        'layout = "news"',
        f"{mark} the decoder's reading of the sample bytes",
        f"encoding = {_toml(proposal.article.encoding)}", 'schedule = "0 7 * * *"', "",
        "[links]", f"{mark} the list URL shape", f"list_url = [{_toml(proposal.list_regex)}]",
    ]
    if proposal.next_page_xpath:
        lines += [f"{mark} the next-page link",
                  f"next_page_xpath = {_toml(proposal.next_page_xpath)}"]
    count = len(proposal.article_links)
    lines += [f"{mark} the article URL shape ({count} links on the list page)",
              f"article_url = [{_toml(proposal.article_regex)}]"]
    if proposal.article_xpath:
        lines += [f"{mark} where the article links are",
                  f"article_xpath = {_toml(proposal.article_xpath)}"]
    lines += ["", "[extract]"]
    for key in ("content_xpath", "title_xpath", "date_xpath", "author_xpath"):
        value = getattr(proposal, key)
        if value:
            lines += [f"{mark} {key.removesuffix('_xpath')}", f"{key} = {_toml(value)}"]
    lines += ["", "[politeness]", "delay = 3.0", "concurrency = 1", "", "[limits]",
              "max_pages = 10", "max_depth = 12", ""]
    return "\n".join(lines)


def _jinja(markup: str, marks: dict[str, str]) -> str:
    """Saved markup as a Jinja2 template: static text in raw blocks, marks replaced."""
    pattern = re.compile("|".join(re.escape(mark) for mark in marks))
    out, cursor = [], 0
    for match in pattern.finditer(markup):
        static = markup[cursor:match.start()]
        if static:
            out.append("{% raw %}" + static + "{% endraw %}")
        out.append(marks[match[0]])
        cursor = match.end()
    if markup[cursor:]:
        out.append("{% raw %}" + markup[cursor:] + "{% endraw %}")
    return "".join(out)


def _serialise(tree: Any) -> str:
    return str(lxml_html.tostring(tree, encoding="unicode", doctype="<!DOCTYPE html>"))


def _replace_text(markup: str, value: str, mark: str) -> str:
    for spelling in {value, escape(value, quote=False), escape(value)}:
        markup = markup.replace(spelling, mark)
    return markup


def article_template(proposal: Proposal) -> str:
    """The article page as a template: the body, title and printed date become the article's."""
    tree = lxml_html.document_fromstring(proposal.article.text)
    nodes = tree.xpath(proposal.content_xpath) if proposal.content_xpath else []
    if not nodes:
        raise NewSiteError("no content element to turn into the replica's article template")
    node = nodes[0]
    for child in list(node):
        node.remove(child)
    node.text = _CONTENT_MARK
    markup = _serialise(tree)
    sample = extract_page(proposal.article.body, url=proposal.article.url,
                          rules=proposal.rules()).articles[0]
    marks = {_CONTENT_MARK: "{% for story in article.stories %}{% for line in story.lines %}"
                            "<p>{{ line }}</p>\n{% endfor %}{% endfor %}"}
    if sample.title:
        markup = _replace_text(markup, sample.title, _TITLE_MARK)
        marks[_TITLE_MARK] = "{{ article.title }}"
    printed = _printed_date(proposal.article.text, sample.published_at)
    if printed:
        markup = markup.replace(printed[0], _DATE_MARK)
        marks[_DATE_MARK] = f'{{{{ article.published_at.strftime("{printed[1]}") }}}}'
    return _jinja(markup, marks)


def list_template(proposal: Proposal) -> str:
    """The list page as a template: its article list and its pager become the replica's."""
    tree = lxml_html.document_fromstring(proposal.listing.text)
    item_markup = f'<li><a href="{_HREF_MARK}">{_TEXT_MARK}</a><span>{_LINKDATE_MARK}</span></li>'
    containers = tree.xpath(proposal.article_xpath) if proposal.article_xpath else []
    if containers:
        container = containers[0]
        rule = re.compile(proposal.article_regex)
        first = next((anchor for anchor in container.iter("a")
                      if rule.search(urlsplit(urljoin(proposal.listing.url,
                                                      anchor.get("href") or "")).path)), None)
        if first is not None:
            item = first
            while item.getparent() is not None and item.getparent() is not container:
                item = item.getparent()
            item_markup = _item_markup(item, first)
        for child in list(container):
            container.remove(child)
        container.text = _ITEMS_MARK
    else:
        body = tree.find("body")
        holder = etree.SubElement(body if body is not None else tree, "ul")
        holder.set("class", "govnews-replica-list")
        holder.text = _ITEMS_MARK
    pager_html = ""
    if proposal.next_text:
        anchor = next((a for a in tree.iter("a") if _clean(a.text_content())
                       == proposal.next_text), None)
        if anchor is not None and anchor.getparent() is not None:
            parent = anchor.getparent()
            for child in list(parent):
                parent.remove(child)
            parent.text = _PAGER_MARK
            pager_html = ("{% for link in pager %}{% if link.href is none %}<span>{{ link.text }}"
                          "</span>{% else %}<a href=\"{{ link.href }}\">{% if link.rel == 'next' %}"
                          + proposal.next_text.replace("{", "") +
                          "{% else %}{{ link.text }}{% endif %}</a>{% endif %}\n{% endfor %}")
    item_jinja = _jinja(item_markup, {_HREF_MARK: "{{ link.href }}", _TEXT_MARK: "{{ link.text }}",
                                      _LINKDATE_MARK: "{{ link.date or '' }}"})
    marks = {_ITEMS_MARK: "{% for link in entries %}" + item_jinja + "\n{% endfor %}",
             _PAGER_MARK: pager_html}
    return _jinja(_serialise(tree), marks)


def _item_markup(item: Any, anchor: Any) -> str:
    """One list entry's markup with its link, text and date as marks."""
    anchor.set("href", _HREF_MARK)
    for child in list(anchor):
        anchor.remove(child)
    anchor.text = _TEXT_MARK
    markup = str(lxml_html.tostring(item, encoding="unicode", with_tail=False))
    return re.sub(r"20\d{2}[-/.年]\d{1,2}[-/.月]\d{1,2}日?", _LINKDATE_MARK, markup, count=1)


def replica_files(proposal: Proposal) -> dict[str, str]:
    """The replica folder's files: serving rules, content list and the two templates."""
    path = urlsplit(proposal.article.url).path
    template, ident = path_template(path)
    sample = extract_page(proposal.article.body, url=proposal.article.url,
                          rules=proposal.rules()).articles[0]
    published = (datetime.fromisoformat(sample.published_at).replace(tzinfo=None)
                 if sample.published_at else datetime(2024, 1, 1, 9, 0))
    first_list = urlsplit(proposal.list_url).path or "/"
    next_path = urlsplit(proposal.next_url).path if proposal.next_url else None
    page_template = _page_template(first_list, next_path)
    preview = "/preview" + template.format(day=published, id=ident + 99_999)
    serving = [
        "# How the replica serves this site: made by `govnews new-site` from the saved pages.",
        f"host = {_toml(proposal.host)}", f"scheme = {_toml(proposal.scheme)}",
        f"name = {_toml(proposal.host)}", f"encoding = {_toml(proposal.article.encoding)}",
        f"article_path = {_toml(template)}", f"id_base = {ident}",
        f"article_dir = {_toml(path.rsplit('/', 1)[0] + '/')}",
        f"preview_path = {_toml(preview)}", "", "[lists]", f"first = {_toml(first_list)}",
        f"page = {_toml(page_template)}",
        f"per_page = {10 if proposal.next_text else 40}", "",
    ]
    story_lines = [line for line in sample.text.split("\n") if line.strip()]
    content = [
        "# The articles the replica serves: the sample article as saved, and generated news.",
        "", "[generated]", f"source = {_toml(sample.source)}" if sample.source else "",
        f"newest = {published.isoformat(timespec='seconds')}", "", "[[article]]", "number = 0",
        f"published_at = {published.isoformat(timespec='seconds')}",
        f"authors = {_toml(list(sample.authors))}",
    ]
    if sample.source:
        content.append(f"source = {_toml(sample.source)}")
    content += ["", "[[article.stories]]", f"title = {_toml(sample.title or proposal.host)}",
                "lines = [", *[f"    {_toml(line)}," for line in story_lines], "]", ""]
    return {"replica.toml": "\n".join(serving), "content.toml": "\n".join(content),
            "article.html": article_template(proposal), "list.html": list_template(proposal)}


def _page_template(first: str, next_path: str | None) -> str:
    """The replica's path of list page N, from the next-page link's path."""
    if not next_path:
        return first + "?page={page}"
    numbers = list(_DIGITS.finditer(next_path))
    if not numbers:
        return first + "?page={page}"
    last = numbers[-1]
    placeholder = "{index}" if last[0] == "1" else "{page}"
    return next_path[:last.start()] + placeholder + next_path[last.end():]


def write_site(proposal: Proposal, seeds: Path, list_file: Path, article_file: Path,
               *, force: bool = False) -> tuple[Path, Site, list[dict[str, Any]]]:
    """Write `seeds/<name>/` (see the module docstring); the folder, the loaded site and the
    sample article's records under the proposed rules."""
    folder = seeds / proposal.name
    if folder.exists() and not force:
        raise NewSiteError(f"{folder} already exists (use --force to replace it)")
    (folder / "replica").mkdir(parents=True, exist_ok=True)
    (folder / SITE_FILE).write_text(site_toml(proposal, list_file, article_file),
                                    encoding="utf-8")
    try:
        site = load_site(folder / SITE_FILE)
    except SiteConfigError as error:
        raise NewSiteError(f"the proposed file does not validate: {error}") from None
    extraction = extract_page(proposal.article.body, url=proposal.article.url,
                              rules=site.extract_rules(), site=site.name)
    records = [article.to_record() for article in extraction.articles]
    for name, text in replica_files(proposal).items():
        (folder / "replica" / name).write_text(text, encoding="utf-8")
    golden = folder / "golden" / f"{proposal.name}_sample"
    golden.mkdir(parents=True, exist_ok=True)
    (golden / "page.html").write_bytes(proposal.article.body)
    meta = {"url": proposal.article.url, "charset": None, "served": "file (no HTTP header)",
            "family": f"replica:{proposal.name}", "encoding": proposal.article.encoding,
            "encoding_case": "as saved", "bom": False, "mojibake": False,
            REVIEW_FLAG: "expected.jsonl was written from the proposed rules' extraction: read "
                         "it against the page, correct it, then delete this field"}
    (golden / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n",
                                      encoding="utf-8")
    expected = [{key: record[key] for key in ("url", "title", "published_at", "authors",
                                              "source", "text", "part", "parts")}
                for record in records]
    (golden / "expected.jsonl").write_text(
        "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in expected),
        encoding="utf-8")
    return folder, site, records
