"""Page bytes → `Extraction`: decode, select the main text, read the page metadata, then hand the
text to `clean_document` (repairs, splitting, text metadata) and let the page's metadata win.

Main text, in order: the site's own selectors; the known government-CMS containers
(`tables.CONTENT_XPATHS`) when one holds a real body; otherwise the best of several candidates
— readability-lxml, trafilatura and the generic containers (`#content`, `.article`,
`<article>`). Before the candidates run, discussion is pruned from the page (comment areas,
forum replies after the first floor) and teaser lists (cards led by a linked headline). Each
candidate's lines are cleaned (pager, fold and app prompts, editor and credit lines,
disclaimers; everything after a 相关阅读-style end marker or an editor credit that follows the
article) and kept to the title's scope: the nearest ancestor of the page's headline that holds
a paragraph, so a side column with more text than a short article does not count. The
candidates are then scored by their Han characters in sentence lines minus those in non-
sentence lines; readability wins ties (it measured better on real Chinese pages). Copies and
variants of the title at the top of the text go. A page without an article (list, error or
login page) is an `Extraction` with no articles and a `note` saying why; it is not an error.
No I/O happens here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import trafilatura
from lxml import etree, html
from lxml.cssselect import CSSSelector
from readability import Document

from crawler.article import Article
from crawler.clean import SPLIT_REPAIR, clean_document
from crawler.extract import tables
from crawler.extract.decode import CORRECTION_REPAIR, Decoding, decode_html
from crawler.extract.meta import (
    PageMeta,
    clean_space,
    find_authors,
    find_canonical,
    find_published_at,
    find_source,
    find_title,
    meta_values,
    parse_date,
)
from crawler.repair import REPAIRS, ordered_repairs, run_repairs
from crawler.textmeta import HAN

MIN_BODY_HAN = 40
"""An article body has at least this many Han characters; less means no article on the page."""
MIN_CONTAINER_HAN = 60
"""A CMS container is taken as the body only with this many Han characters outside links..."""
MAX_CONTAINER_LINK_SHARE = 0.3
"""...and at most this share of its text inside links."""
MIN_SENTENCE_HAN = 8
"""A line with this many Han characters and sentence punctuation counts as a sentence line."""
MIN_PARAGRAPH_HAN = 25
"""A line with this many Han characters and a full stop is a paragraph (anchors the title scope)."""
TEASER_MIN = 3
"""This many like siblings that are links or led by a linked heading form a teaser list..."""
TEASER_MAX_CHARS = 160
"""...when none holds more text than this..."""
TEASER_HEADLINE_CHARS = 6
"""...and each opens with a linked headline of at least this many characters (or is a link)..."""
TEASER_TAIL_CHARS = 24
"""...on a line of its own, or followed by at most this many characters (a date, a source)."""
TITLE_ECHO_LINES = 3
"""A variant of the title is looked for in this many lines at the top of the body..."""
TITLE_ECHO_OVERLAP = 0.6
"""...and is one when this share of its character pairs occurs in the title."""
HEADLINE_DATE_CHARS = 200
"""A dateline is looked for in this many characters after the headline."""
LAYOUT_CELL_HAN = 60
"""A table cell with this many Han characters holds running text: the table is page layout."""
DATA_ROW_DIGITS = 0.3
"""A line with at least this share of figures is a data row (table), neither good nor bad."""
CHALLENGER_MARGIN = 1.1
"""Another candidate replaces readability's text only when it scores this many times higher."""

# Repairs that make sense on a single metadata string (title, source, author names).
META_REPAIRS = tuple(r for r in REPAIRS if r.name not in {"boilerplate", "broken_lines"})

_HAN = re.compile(f"[{HAN}]")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_NEWLINES = re.compile(r"\n+")
_SENTENCE_PUNCT = re.compile(r"[。！？；，、：]")
_FULL_STOP = re.compile(r"[。！？；]")
_SPACE = re.compile(r"\s+")
_DIGITS = re.compile(r"[\d.%]")
_TABLE_ROW = re.compile(r"^\|.*\|$")
_TABLE_CELL = re.compile(r"(?<!\\)\|")


@dataclass
class ExtractRules:
    """A site's extraction overrides (from its `seeds/<site>.toml`); all optional."""

    content_xpath: str | None = None
    content_css: str | None = None
    remove_xpaths: Sequence[str] = ()
    title_xpath: str | None = None
    date_xpath: str | None = None
    author_xpath: str | None = None
    source_xpath: str | None = None
    encoding: str | None = None
    title_suffixes: Sequence[str] = ()


@dataclass
class Extraction:
    """The records of one page, or none with the reason in `note`; how the bytes were decoded;
    and which main-text route was taken (`method`)."""

    articles: list[Article]
    note: str | None
    decoding: Decoding
    method: str = ""
    meta: PageMeta = field(default_factory=PageMeta)


def han_count(text: str) -> int:
    """Number of Han characters in `text`."""
    return len(_HAN.findall(text))


def parse_html(text: str) -> html.HtmlElement | None:
    """The page as an lxml tree, or None when there is no markup to parse."""
    text = _XML_DECLARATION.sub("", text, count=1)
    if not text.strip():
        return None
    try:
        return html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return None


def _walk(element: html.HtmlElement, parts: list[str]) -> None:
    """Append the text of `element` to `parts`, newlines around block-level elements."""
    tag = element.tag if isinstance(element.tag, str) else ""
    block = tag in tables.BLOCK_TAGS
    if block:
        parts.append("\n")
    if tag and element.text:
        parts.append(element.text)
    for child in element:
        _walk(child, parts)
        if child.tail:
            parts.append(child.tail)
    if tag in ("td", "th"):
        parts.append(" ")
    if block:
        parts.append("\n")


def node_lines(element: html.HtmlElement) -> list[str]:
    """The non-empty lines of text under `element`, whitespace collapsed."""
    parts: list[str] = []
    _walk(element, parts)
    lines = (clean_space(line) for line in _NEWLINES.split("".join(parts)))
    return [line for line in lines if line]


def _prune(element: html.HtmlElement, xpaths: Sequence[str]) -> None:
    """Remove the nodes `xpaths` select below `element`, keeping their tails."""
    for xpath in xpaths:
        try:
            nodes = element.xpath("." + xpath if xpath.startswith("//") else xpath)
        except etree.XPathError:
            continue
        for node in nodes:
            if isinstance(node, html.HtmlElement) and node is not element:
                node.drop_tree()


def _link_share(element: html.HtmlElement) -> float:
    """Share of the element's text that sits inside links."""
    total = len(clean_space(element.text_content()))
    if not total:
        return 1.0
    linked = sum(len(clean_space(a.text_content())) for a in element.iter("a"))
    return linked / total


def cut_at_editor(lines: list[str]) -> list[str]:
    """The lines up to an editor credit (责任编辑：…) that follows a paragraph: what comes after
    it is the page's tail (teasers, recommendations), not the article."""
    seen_paragraph = False
    for index, line in enumerate(lines):
        if seen_paragraph and tables.EDITOR_LINE.match(line):
            return lines[:index]
        seen_paragraph = seen_paragraph or _is_paragraph(line)
    return lines


def body_lines(node: html.HtmlElement, remove_xpaths: Sequence[str],
               cut_editor: bool = True) -> list[str]:
    """The article lines of a body container: chrome pruned, the tail after an editor credit
    cut (unless the container holds several stories), info-bar and chrome lines (pager,
    credits, disclaimers) dropped."""
    node = html.fromstring(html.tostring(node, encoding="unicode"))
    _prune(node, (*tables.PRUNE_XPATHS, *tables.DISCUSSION_XPATHS, *remove_xpaths))
    lines = node_lines(node)
    if cut_editor:
        lines = cut_at_editor(lines)
    return [line for line in lines
            if not tables.INFO_LINE.match(line) and not tables.CHROME_LINE.match(line)]


def _rule_nodes(tree: html.HtmlElement, rules: ExtractRules) -> list[html.HtmlElement]:
    """The nodes the site's content selector picks, if it has one."""
    nodes: list[html.HtmlElement] = []
    try:
        if rules.content_xpath:
            nodes = [n for n in tree.xpath(rules.content_xpath)
                     if isinstance(n, html.HtmlElement)]
        if not nodes and rules.content_css:
            nodes = CSSSelector(rules.content_css)(tree)
    except (etree.XPathError, ValueError, SyntaxError):
        return []
    return nodes


def _common_ancestor(nodes: list[html.HtmlElement]) -> html.HtmlElement:
    """The nearest element that contains all `nodes`."""
    chains = [list(node.iterancestors())[::-1] for node in nodes]
    common = chains[0][0]
    for depth in range(min(len(chain) for chain in chains)):
        if all(chain[depth] is chains[0][depth] for chain in chains):
            common = chains[0][depth]
        else:
            break
    return common


def container_lines(tree: html.HtmlElement,
                    xpaths: Sequence[str] = tables.CONTENT_XPATHS) -> tuple[list[str], str] | None:
    """The body from the first known CMS container that holds a real article (not one in a
    side column), with its XPath.

    When a container repeats (an e-paper page prints each story in its own `#ozoom`), the
    stories and the headlines between them are read from their nearest common ancestor."""
    for xpath in xpaths:
        bodies = [node for node in tree.xpath(xpath)
                  if _link_share(node) <= MAX_CONTAINER_LINK_SHARE
                  and han_count(node.text_content()) >= MIN_CONTAINER_HAN
                  and not node.xpath(tables.SIDE_COLUMN_XPATH)]
        outermost = [node for node in bodies
                     if not any(other is not node and node in other.iterdescendants()
                                for other in bodies)]
        if len(outermost) > 1:
            lines = body_lines(_common_ancestor(outermost), (), cut_editor=False)
            return lines, xpath + " (repeated)"
        for node in outermost:
            lines = body_lines(node, ())
            if han_count("".join(lines)) >= MIN_CONTAINER_HAN:
                return lines, xpath
    return None


def prune_discussion(tree: html.HtmlElement) -> None:
    """Remove comment areas and forum replies (every numbered floor after the first) from the
    page, never a node that holds the page's headline."""
    headlines = list(tree.iter("h1"))
    for xpath in tables.DISCUSSION_XPATHS:
        for node in tree.xpath(xpath):
            if node.getparent() is not None and not any(
                    node is h or h in node.iterdescendants() for h in headlines):
                node.drop_tree()
    floors: dict[str, list[html.HtmlElement]] = {}
    for node in tree.xpath("//*[@id]"):
        match = tables.FORUM_POST_ID.match(node.get("id", ""))
        if match:
            floors.setdefault(match.group(1).lower(), []).append(node)
    for nodes in floors.values():
        for node in nodes[1:] if len(nodes) > 1 else ():
            if node.getparent() is not None and nodes[0] not in node.iterdescendants():
                node.drop_tree()


def _compact(text: str) -> str:
    return _SPACE.sub("", text)


def _is_paragraph(line: str) -> bool:
    return han_count(line) >= MIN_PARAGRAPH_HAN and bool(_FULL_STOP.search(line))


def find_headline(tree: html.HtmlElement, title: str | None) -> html.HtmlElement | None:
    """The element showing the article's title (an `<h1>`/`<h2>` when one does), not a link."""
    if not title or len(title) < 4:
        return None
    body = tree.find("body")
    found = None
    for node in (body if body is not None else tree).iter():
        if not isinstance(node.tag, str) or node.tag in ("a", "title", "script", "style"):
            continue
        parent = node.getparent()
        if len(node) > 3 or (parent is not None and parent.tag == "a"):
            continue
        if clean_space(node.text_content()) == title:
            if node.tag in ("h1", "h2"):
                return node
            found = found if found is not None else node
    return found


def title_scope(tree: html.HtmlElement, headline: html.HtmlElement | None) -> str | None:
    """The text (whitespace removed) of the nearest ancestor of the headline that holds a
    paragraph: where the article is. None without a headline or when that is the whole page."""
    if headline is None:
        return None
    for ancestor in headline.iterancestors():
        if ancestor.tag in ("body", "html"):
            return None
        if any(_is_paragraph(line) for line in node_lines(ancestor)):
            return _compact(ancestor.text_content())
    return None


def headline_date(headline: html.HtmlElement | None) -> str | None:
    """A date in the lines right after the headline (the dateline under a title)."""
    if headline is None:
        return None
    text = ""
    for sibling in headline.itersiblings():
        if not isinstance(sibling.tag, str):
            continue
        text += " " + sibling.text_content()
        if len(text) > HEADLINE_DATE_CHARS:
            break
    return parse_date(text[:HEADLINE_DATE_CHARS])


def prune_teasers(tree: html.HtmlElement) -> None:
    """Remove teaser lists: three or more like siblings, each a link or led by a linked heading,
    with at most a short summary (related news, recommendations, feeds)."""
    teasers: list[html.HtmlElement] = []
    for parent in tree.iter():
        groups: dict[tuple[str, str], list[html.HtmlElement]] = {}
        for child in parent:
            if isinstance(child.tag, str):
                groups.setdefault((child.tag, child.get("class", "")), []).append(child)
        for members in groups.values():
            if len(members) >= TEASER_MIN and all(_is_teaser(m) for m in members):
                teasers.extend(members)
    for teaser in teasers:
        teaser.drop_tree()


def _is_teaser(node: html.HtmlElement) -> bool:
    """A link (a teaser card), or a short block whose text opens with a linked headline (an
    image link before it aside) that stands on its own line or is followed by little more
    than a date: a summary, source or date may follow, a sentence running on may not."""
    text = clean_space(node.text_content())
    if len(text) > TEASER_MAX_CHARS or not text:
        return False
    if node.tag == "a":
        return True
    link = next((a for a in node.iter("a") if clean_space(a.text_content())), None)
    if link is None:
        return False
    headline = clean_space(link.text_content())
    if len(headline) < TEASER_HEADLINE_CHARS or not text.startswith(headline):
        return False
    if len(text) - len(headline) <= TEASER_TAIL_CHARS:
        return True
    block = next((ancestor for ancestor in link.iterancestors()
                  if ancestor.tag in tables.BLOCK_TAGS or ancestor is node), node)
    return block is not node and clean_space(block.text_content()) == headline


def _is_sentence(line: str) -> bool:
    return han_count(line) >= MIN_SENTENCE_HAN and bool(_SENTENCE_PUNCT.search(line))


def clean_lines(lines: list[str], title: str | None = None) -> list[str]:
    """A candidate's lines without chrome: markdown table rows become space-separated cells;
    the headline, pager/fold/app/editor lines and the lines before the first sentence (title
    block, info bar, user panel) go; an end marker (相关阅读…) or an editor credit after a
    paragraph ends the text. A table row with a paragraph in a cell means the candidate read a
    layout table as data: no lines at all."""
    kept: list[str] = []
    for raw in cut_at_editor(lines):
        line = raw
        if _TABLE_ROW.match(line):
            cells = [clean_space(c.replace("\\|", "|")) for c in _TABLE_CELL.split(line)]
            if any(han_count(cell) >= LAYOUT_CELL_HAN for cell in cells):
                return []
            line = " ".join(c for c in cells if c)
            if not line:
                continue
        if tables.END_MARKER.match(line) and han_count("".join(kept)) >= MIN_BODY_HAN:
            break
        if tables.CHROME_LINE.match(line) or tables.INFO_LINE.match(line) or line == title:
            continue
        kept.append(line)
    first = next((index for index, line in enumerate(kept)
                  if _is_sentence(line) or han_count(line) >= MIN_PARAGRAPH_HAN), 0)
    return kept[first:]


def in_scope(lines: list[str], scope: str | None) -> list[str]:
    """The lines found in the title's scope; all of them when too little would be left."""
    if not scope:
        return lines
    kept = [line for line in lines if _compact(line) in scope]
    return kept if han_count("".join(kept)) >= MIN_BODY_HAN else lines


def quality(lines: list[str]) -> int:
    """Han characters in sentence lines minus those in the other lines (data rows, mostly
    figures, count neither way)."""
    score = 0
    for line in lines:
        count = han_count(line)
        if _is_sentence(line):
            score += count
        elif len(_DIGITS.findall(line)) < DATA_ROW_DIGITS * len(_compact(line)):
            score -= count
    return score


def trafilatura_lines(tree: html.HtmlElement, url: str) -> list[str]:
    """trafilatura's main text (it prunes `tree` in place, so it runs last on the tree)."""
    text = trafilatura.extract(
        tree, url=url, include_comments=False, include_tables=True, favor_recall=True,
        deduplicate=False, fast=True,
    )
    return [line for line in (clean_space(t) for t in (text or "").split("\n")) if line]


def readability_lines(page: str | html.HtmlElement) -> list[str]:
    """readability-lxml's main text (it works on its own copy of a tree)."""
    try:
        summary = Document(page).summary(html_partial=True)
    except Exception:  # readability raises its own Unparseable and lxml errors on odd pages
        return []
    node = parse_html(summary)
    return body_lines(node, ()) if node is not None else []


def main_lines(tree: html.HtmlElement, url: str, rules: ExtractRules,
               title: str | None = None) -> tuple[list[str], str]:
    """The article's lines and the route that found them."""
    for node in _rule_nodes(tree, rules):
        lines = body_lines(node, rules.remove_xpaths)
        if lines:
            return lines, "site-selector"
    if rules.remove_xpaths:
        _prune(tree, rules.remove_xpaths)
    found = container_lines(tree)
    if found:
        return found[0], "container"
    prune_discussion(tree)
    prune_teasers(tree)
    scope = title_scope(tree, find_headline(tree, title))
    candidates: list[tuple[str, list[str]]] = [("readability", readability_lines(tree))]
    generic = container_lines(tree, tables.GENERIC_CONTENT_XPATHS)
    if generic:
        candidates.append(("generic-container", generic[0]))
    candidates.append(("trafilatura", trafilatura_lines(tree, url)))
    best_score, best_method = 0.0, "readability"
    best_lines: list[str] = []
    for method, lines in candidates:
        cleaned = in_scope(clean_lines(lines, title), scope)
        score = quality(cleaned) * (CHALLENGER_MARGIN if method == "readability" else 1.0)
        if not best_lines or score > best_score:
            best_score, best_method, best_lines = score, method, cleaned
    return best_lines, best_method


def _repaired_meta(value: str | None, fired: list[str]) -> str | None:
    """A metadata string run through the single-string repairs; fired names go to `fired`."""
    if not value:
        return value
    repaired, names = run_repairs(value, META_REPAIRS)
    fired.extend(name for name in names if name not in fired)
    return repaired.strip() or None


def _pairs(text: str) -> set[str]:
    compact = _compact(text)
    return {compact[i:i + 2] for i in range(len(compact) - 1)}


def is_title_echo(line: str, title: str) -> bool:
    """Whether `line` repeats the title: the title itself, an `原标题：` note, or a variant
    (a reworded headline sharing most of its character pairs, with no full stop)."""
    line = clean_space(line)
    if line == title or tables.ORIGINAL_TITLE.match(line):
        return True
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


def read_meta(tree: html.HtmlElement, url: str, rules: ExtractRules) -> tuple[PageMeta, bool]:
    """The page's metadata; the flag says whether its date is strong evidence (meta, label,
    heading) rather than a guess from the URL or htmldate."""
    metas = meta_values(tree)
    body = tree.find("body")
    lines = node_lines(body if body is not None else tree)
    page_text = "\n".join(lines)
    published_at, strong = find_published_at(tree, metas, page_text, url, rules.date_xpath)
    title = find_title(tree, metas, rules.title_xpath, tuple(rules.title_suffixes))
    if not strong and (dateline := headline_date(find_headline(tree, title))):
        published_at, strong = dateline, True
    meta = PageMeta(
        title=title,
        published_at=published_at,
        authors=find_authors(tree, metas, page_text, rules.author_xpath),
        source=find_source(tree, metas, page_text, rules.source_xpath),
        canonical_url=find_canonical(tree, url),
    )
    return meta, strong


def _merge(article: Article, meta: PageMeta, strong_date: bool, single: bool,
           repairs: list[str]) -> Article:
    """The article with the page's metadata laid over what the text said."""
    published_at = article.published_at
    if meta.published_at and (strong_date or not published_at):
        published_at = meta.published_at
    title = (meta.title or article.title) if single else (article.title or meta.title)
    authors = (meta.authors or article.authors) if single else article.authors
    fired = ordered_repairs(repairs, article.repairs)
    return replace(
        article, title=title, published_at=published_at, authors=list(authors),
        source=meta.source or article.source, repairs=fired,
    )


def extract_page(
    body: bytes, *, url: str, content_type: str | None = None,
    rules: ExtractRules | None = None, site: str | None = None, fetched_at: str | None = None,
    encoding: str | None = None,
) -> Extraction:
    """The records on one page (see the module docstring). `encoding` forces the codec."""
    rules = rules or ExtractRules()
    page, decoding = decode_html(body, content_type=content_type, hint=rules.encoding,
                                 force=encoding)
    tree = parse_html(page)
    if tree is None:
        return Extraction([], "empty page: no HTML to read", decoding)
    meta, strong_date = read_meta(tree, url, rules)
    lines, method = main_lines(tree, url, rules, meta.title)
    page_repairs = [CORRECTION_REPAIR] if decoding.corrected else []
    lines = _drop_title_line(lines, meta.title)
    meta.title = _repaired_meta(meta.title, page_repairs)
    meta.source = _repaired_meta(meta.source, page_repairs)
    meta.authors = [a for a in (_repaired_meta(n, page_repairs) for n in meta.authors) if a]
    text = "\n".join(lines)
    if han_count(text) < MIN_BODY_HAN:
        return Extraction([], f"no article text ({method}: {han_count(text)} Han characters; "
                              "list, error or login page?)", decoding, method, meta)
    canonical = meta.canonical_url or url
    articles = clean_document(text, url=canonical, site=site, fetched_at=fetched_at)
    articles = [a for a in articles if han_count(a.text) >= MIN_BODY_HAN // 2]
    if not articles:
        return Extraction([], f"no article left after cleaning ({method})", decoding, method,
                          meta)
    single = len(articles) == 1
    articles = [replace(a, part=index, parts=len(articles),
                        repairs=[n for n in a.repairs if not (single and n == SPLIT_REPAIR)])
                for index, a in enumerate(articles, start=1)]
    merged = [_merge(a, meta, strong_date, single, page_repairs) for a in articles]
    return Extraction(merged, None, decoding, method, meta)
