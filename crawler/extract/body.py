"""The article's lines on a parsed page, and the `Decision` saying which route found them.

Routes, in order (the first that holds an article wins):

1. **site-selector**: the site's own `content_xpath`/`content_css` (from its TOML).
2. **container**: a known government-CMS body container (`tables.CONTENT_XPATHS`) that holds a
   real body outside any side column.
3. **trafilatura**, the extractor, on the page pruned once of its Chinese boilerplate: scripts,
   navigation, share/print bars, breadcrumbs, comment areas, forum replies after the first
   floor and teaser lists; tables used as page layout are read as blocks.
4. Only when trafilatura's text is *weak by our own evidence* (few Han sentences, mostly link
   text, outside the headline's scope, or plainly less than the article text the page holds)
   do **readability** and the **generic containers** (`#content`, `.article`, `<article>`) run
   on the same pruned tree; one of them replaces trafilatura's text only when it scores
   clearly higher.

Every candidate's lines are cleaned (pager, fold and app prompts, editor and credit lines,
disclaimers; everything after a 相关阅读-style end marker or an editor credit that follows the
article) and kept to the title's scope: the nearest ancestor of the page's headline that holds
a paragraph. A candidate is scored by its Han characters in sentence lines minus those in
other lines (`quality`).

"No article" is decided from the page as a whole: the best text of every route tried is too
short, or it lies in a list of linked items (a list, archive or forum index); `page.py` also
finds none when the repaired text has no running sentences. No I/O happens here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from copy import deepcopy
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

import trafilatura
from lxml import etree, html
from lxml.cssselect import CSSSelector
from readability import Document

from crawler.extract import tables
from crawler.extract.evidence import Candidate, Decision
from crawler.extract.meta import clean_space
from crawler.vocab.chars import HAN

if TYPE_CHECKING:
    from crawler.extract.rules import ExtractRules

MIN_BODY_HAN = 40
"""An article body has at least this many Han characters."""
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
LAYOUT_CELL_HAN = 60
"""A table cell with this many Han characters holds running text: the table is page layout."""
DATA_ROW_DIGITS = 0.3
"""A line with at least this share of figures is a data row (table), neither good nor bad."""
PRUNE_GUARD_SHARE = 0.5
"""A widget match (form, share bar, print link, related box) holding this share of the page's
paragraph text is a wrapper of the article, not a widget: kept."""
WEAK_SENTENCE_HAN = 120
"""trafilatura's text is weak with fewer Han characters than this in sentence lines..."""
WEAK_LINK_SHARE = 0.3
"""...or with this share of its characters in lines that are link texts of the page..."""
WEAK_SCOPE_SHARE = 0.5
"""...or with less than this share of its Han characters in the headline's scope..."""
WEAK_PAGE_FACTOR = 1.6
"""...or when the page (the headline's scope, or the whole pruned page) holds this many times
its sentence text."""
TAIL_MIN_LINES = 3
"""A run of this many lines after the article's last paragraph..."""
TAIL_LINK_SHARE = 0.5
"""...with this share of them link texts is page chrome, not the article's end."""
CHALLENGER_MARGIN = 1.1
"""A fallback replaces trafilatura's text only when it scores this many times higher."""
LIST_MIN_ITEMS = 5
"""Like siblings, this many or more, each holding a distinct linked headline, form a list..."""
LIST_ITEM_SHARE = 0.8
"""...(or this share of the siblings, the others being ads or separators)..."""
LIST_ITEM_MAX_CHARS = 400
"""...when none holds more text than this..."""
LIST_LEAD_CHARS = 20
"""...and each one's headline link starts within this many characters of its text."""
LIST_BODY_SHARE = 0.5
"""A text with this share of its Han characters inside list items, spread over..."""
LIST_BODY_ITEMS = 3
"""...at least this many items, is a list page, not an article."""

_HAN = re.compile(f"[{HAN}]")
_NEWLINES = re.compile(r"\n+")
_SENTENCE_PUNCT = re.compile(r"[。！？；，、：]")
_FULL_STOP = re.compile(r"[。！？；]")
_SPACE = re.compile(r"\s+")
_DIGITS = re.compile(r"[\d.%]")
_TABLE_ROW = re.compile(r"^\|.*\|$")
_TABLE_CELL = re.compile(r"(?<!\\)\|")
_BULLET = re.compile(r"^-\s+")
_ATTACHMENT = re.compile(r"附件|\.(?:pdf|docx?|xlsx?|wps|zip|rar|ofd)\b", re.IGNORECASE)
_RULE = re.compile(r"^[|\-:\s]+$")


_TAG_PATH = re.compile(r"^//([A-Za-z][\w-]*)$")
_TAG_TEST_PATH = re.compile(r"^//([A-Za-z][\w-]*|\*)\[(.*)\]$", re.DOTALL)
_LITERAL = re.compile(r"'([^']+)'")
_ATTRIBUTE = re.compile(r"@([\w-]+)")


class Selector:
    """What a table of XPaths (`//tag`, `//tag[test]`, `//*[test]` on `@class`/`@id`) selects,
    found in one pass: an element is tested with the XPath only when its tag is listed or its
    class and id contain one of the tests' string literals (libxml2's string functions are slow
    on every element of a large page). Tests on other attributes turn that shortcut off."""

    def __init__(self, xpaths: Sequence[str]) -> None:
        self.path = " | ".join(xpaths)
        self.tags: set[str] = set()
        tests: list[str] = []
        for xpath in xpaths:
            if match := _TAG_PATH.match(xpath):
                self.tags.add(match.group(1))
            elif match := _TAG_TEST_PATH.match(xpath):
                tag, test = match.groups()
                tests.append(f"({test})" if tag == "*" else f"(self::{tag} and ({test}))")
            else:
                raise ValueError(f"not a //tag[test] XPath: {xpath}")
        self.test = etree.XPath(f"self::*[{' or '.join(tests)}]") if tests else None
        literals = [[lit.strip() for lit in _LITERAL.findall(test) if lit.strip()]
                    for test in tests]
        only_class_id = all(set(_ATTRIBUTE.findall(test)) <= {"class", "id"} for test in tests)
        self.prefilter = re.compile("|".join(sorted({re.escape(lit) for found in literals
                                                     for lit in found}))) \
            if literals and all(literals) and only_class_id else None
        # With the shortcut, only elements with a class or id, or of a listed tag, can match:
        # libxml2 finds those (in document order) without a Python object per element.
        self._candidates = etree.XPath(" | ".join(
            ["//*[@class or @id]", *(f"//{tag}" for tag in sorted(self.tags))])) \
            if self.prefilter is not None or not tests else None

    def matches(self, element: html.HtmlElement) -> bool:
        """Whether `element` is one the XPaths select."""
        if element.tag in self.tags:
            return True
        if self.test is None:
            return False
        if self.prefilter is not None:
            attributes = f"{element.get('class', '')} {element.get('id', '')}"
            if not self.prefilter.search(attributes):
                return False
        return bool(self.test(element))

    def __call__(self, tree: html.HtmlElement) -> list[html.HtmlElement]:
        """The selected elements of `tree`'s document, in document order."""
        if self._candidates is None:
            return [node for node in tree.iter() if _is_element(node) and self.matches(node)]
        return [node for node in self._candidates(tree) if self.matches(node)]


_CONTENT = tuple(Selector((x,)) for x in tables.CONTENT_XPATHS)
_ANY_CONTENT = Selector(tables.CONTENT_XPATHS)
_GENERIC = tuple(Selector((x,)) for x in tables.GENERIC_CONTENT_XPATHS)
_ANY_GENERIC = Selector(tables.GENERIC_CONTENT_XPATHS)
_WIDGETS = Selector(tables.PRUNE_XPATHS)
_DISCUSSION = Selector(tables.DISCUSSION_XPATHS)
_CODE = ("script", "style", "noscript", "template")
_SIDE_COLUMN = etree.XPath(tables.SIDE_COLUMN_XPATH)
_WITH_ID = etree.XPath("//*[@id]")
_CONTAINS = etree.XPath("//body//*[contains(., $piece)] | /*[not(body)]//*[contains(., $piece)]")
_T = TypeVar("_T")


@dataclass
class Body:
    """The article's lines (empty when the page has none) and how they were chosen."""

    lines: list[str]
    decision: Decision
    note: str | None = None

    @property
    def route(self) -> str:
        return str(self.decision.value)


def attempt(name: str, step: Callable[[], _T], fallback: _T, failures: list[str]) -> _T:
    """`step()`, or `fallback` when it raises: a heuristic failing on an odd page costs that
    heuristic (recorded in `failures`), not the page."""
    try:
        return step()
    except Exception as error:  # any bug or lxml error in one heuristic must not lose the page
        failures.append(f"{name}: {type(error).__name__}: {error}")
        return fallback


def han_count(text: str) -> int:
    """Number of Han characters in `text`."""
    return len(_HAN.findall(text))


def _is_element(node: object) -> bool:
    """True for element nodes; comments, processing instructions and entities are not."""
    return isinstance(node, html.HtmlElement) and isinstance(node.tag, str)


def walk_text(element: html.HtmlElement, parts: list[str],
              skipped: frozenset[str] = frozenset()) -> None:
    """Append the text of `element` to `parts`, newlines around block-level elements; the
    elements whose tags are in `skipped` are left out with their content."""
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in skipped:
        return
    block = tag in tables.BLOCK_TAGS
    if block:
        parts.append("\n")
    if tag and element.text:
        parts.append(element.text)
    for child in element:
        walk_text(child, parts, skipped)
        if child.tail:
            parts.append(child.tail)
    if tag in ("td", "th"):
        parts.append(" ")
    if block:
        parts.append("\n")


def node_lines(element: html.HtmlElement) -> list[str]:
    """The non-empty lines of text under `element`, whitespace collapsed."""
    parts: list[str] = []
    walk_text(element, parts)
    lines = (clean_space(line) for line in _NEWLINES.split("".join(parts)))
    return [line for line in lines if line]


def _compact(text: str) -> str:
    return _SPACE.sub("", text)


def _is_paragraph(line: str) -> bool:
    return han_count(line) >= MIN_PARAGRAPH_HAN and bool(_FULL_STOP.search(line))


def _is_sentence(line: str) -> bool:
    return han_count(line) >= MIN_SENTENCE_HAN and bool(_SENTENCE_PUNCT.search(line))


def sentence_han(lines: list[str]) -> int:
    """Han characters in the sentence lines of `lines`."""
    return sum(han_count(line) for line in lines if _is_sentence(line))


def _prune(element: html.HtmlElement, xpaths: Sequence[str]) -> None:
    """Remove the nodes `xpaths` select below `element`, keeping their tails."""
    for xpath in xpaths:
        try:
            nodes = element.xpath("." + xpath if xpath.startswith("//") else xpath)
        except etree.XPathError:
            continue
        for node in nodes:
            if _is_element(node) and node is not element and node.getparent() is not None:
                node.drop_tree()


def _drop(nodes: list[html.HtmlElement], keep: Callable[[html.HtmlElement], bool]) -> None:
    """Drop every node of `nodes` still in the tree unless `keep` says otherwise."""
    for node in nodes:
        if _is_element(node) and node.getparent() is not None and not keep(node):
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
    credits, disclaimers) dropped. The page's tree is left as it is."""
    node = deepcopy(node)
    node.tail = None
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
            nodes = [n for n in tree.xpath(rules.content_xpath) if _is_element(n)]
        if not nodes and rules.content_css:
            nodes = [n for n in CSSSelector(rules.content_css)(tree) if _is_element(n)]
    except (etree.XPathError, ValueError, SyntaxError):
        return []
    return nodes


def common_ancestor(nodes: list[html.HtmlElement]) -> html.HtmlElement:
    """The nearest element that contains all `nodes` (of one tree; a node contains itself)."""
    chains = [[*reversed(list(node.iterancestors())), node] for node in nodes]
    common = chains[0][0]
    for depth in range(min(len(chain) for chain in chains)):
        if all(chain[depth] is chains[0][depth] for chain in chains):
            common = chains[0][depth]
        else:
            break
    return common


def container_lines(tree: html.HtmlElement, xpaths: Sequence[Selector] = _CONTENT,
                    any_of: Selector = _ANY_CONTENT) -> tuple[list[str], str] | None:
    """The body from the first container XPath that holds a real article (not one in a side
    column), with that XPath (`any_of` selects what any of them does: one pass to see whether
    the page has such a container at all).

    When a container repeats (an e-paper page prints each story in its own `#ozoom`), the
    stories and the headlines between them are read from their nearest common ancestor."""
    candidates = any_of(tree)
    for xpath in xpaths if candidates else ():
        bodies = [node for node in candidates
                  if xpath.matches(node)
                  and han_count(node.text_content()) >= MIN_CONTAINER_HAN
                  and _link_share(node) <= MAX_CONTAINER_LINK_SHARE
                  and not _SIDE_COLUMN(node)]
        inner = {node for node in bodies
                 if any(ancestor in bodies for ancestor in node.iterancestors())}
        outermost = [node for node in bodies if node not in inner]
        if len(outermost) > 1:
            lines = body_lines(common_ancestor(outermost), (), cut_editor=False)
            return lines, xpath.path + " (repeated)"
        for node in outermost:
            lines = body_lines(node, ())
            if han_count("".join(lines)) >= MIN_CONTAINER_HAN:
                return lines, xpath.path
    return None


def find_headline(tree: html.HtmlElement, title: str | None) -> html.HtmlElement | None:
    """The element showing the article's title (an `<h1>`/`<h2>` when one does), not a link;
    failing that, the element showing the title's longest part when the title still carries
    a site or column name (`栏目--标题`)."""
    found = _headline(tree, title)
    if found is None and title:
        parts = sorted(tables.TITLE_SEPARATORS.split(title), key=len, reverse=True)
        if len(parts) > 1 and len(parts[0]) >= TEASER_HEADLINE_CHARS:
            found = _headline(tree, parts[0])
    return found


def _headline(tree: html.HtmlElement, title: str | None) -> html.HtmlElement | None:
    """The element whose whole text is `title` (an `<h1>`/`<h2>` first), not a link."""
    if not title or len(title) < 4:
        return None
    piece = max(title.split(), key=len)
    found = None
    for node in _CONTAINS(tree, piece=piece):
        if not _is_element(node) or node.tag in ("a", "title", "script", "style"):
            continue
        parent = node.getparent()
        if len(node) > 3 or (parent is not None and parent.tag == "a"):
            continue
        if clean_space(node.text_content()) == title:
            if node.tag in ("h1", "h2"):
                return node
            found = found if found is not None else node
    return found


def title_scope(headline: html.HtmlElement | None) -> html.HtmlElement | None:
    """The nearest ancestor of the headline that holds a paragraph: where the article is. None
    without a headline or when that is the whole page."""
    if headline is None:
        return None
    for ancestor in headline.iterancestors():
        if ancestor.tag in ("body", "html"):
            return None
        text = ancestor.text_content()
        if _FULL_STOP.search(text) and han_count(text) >= MIN_PARAGRAPH_HAN \
                and any(_is_paragraph(line) for line in node_lines(ancestor)):
            return ancestor
    return None


def _protected(headline: html.HtmlElement | None) -> set[html.HtmlElement]:
    """The headline and its ancestors: nodes no pruning may remove (held here, so that lxml
    keeps returning these same element objects)."""
    if headline is None:
        return set()
    return {headline, *headline.iterancestors()}


def paragraph_han(element: html.HtmlElement) -> int:
    """Han characters in the paragraph lines under `element`."""
    return sum(han_count(line) for line in node_lines(element) if _is_paragraph(line))


def prune_widgets(tree: html.HtmlElement, headline: html.HtmlElement | None) -> None:
    """Remove scripts and styles, then forms, navigation, share/print bars, related boxes,
    breadcrumbs and pagers from the page; never the headline's ancestors, nor a match that holds
    most of the page's paragraphs (an ASP.NET page inside one `<form>`, an article wrapper whose
    class happens to contain `share` or `print`)."""
    _drop(list(tree.iter(*_CODE)), lambda node: False)
    protected = _protected(headline)
    body = tree.find("body")
    total = paragraph_han(body if body is not None else tree)

    def keep(node: html.HtmlElement) -> bool:
        if node in protected or node.tag in ("head", "body", "html"):
            return True
        least = PRUNE_GUARD_SHARE * total
        return total > 0 and han_count(node.text_content()) >= least \
            and paragraph_han(node) >= least

    _drop(_WIDGETS(tree), keep)


def prune_discussion(tree: html.HtmlElement, headline: html.HtmlElement | None = None) -> None:
    """Remove comment areas and forum replies (every numbered floor after the first) from the
    page, never a node that holds the page's headline (or an `<h1>` when none is known)."""
    anchors = [headline] if headline is not None else list(tree.iter("h1"))
    protected: set[html.HtmlElement] = set()
    for anchor in anchors:
        protected |= _protected(anchor)
    _drop(_DISCUSSION(tree), lambda node: node in protected)
    floors: dict[str, list[html.HtmlElement]] = {}
    for node in _WITH_ID(tree):
        match = tables.FORUM_POST_ID.match(node.get("id", ""))
        if match:
            floors.setdefault(match.group(1).lower(), []).append(node)
    for nodes in floors.values():
        first = {nodes[0], *nodes[0].iterancestors()}
        for node in nodes[1:]:
            if node.getparent() is not None and node not in first:
                node.drop_tree()


def prune_teasers(tree: html.HtmlElement) -> None:
    """Remove teaser lists: three or more like siblings, each a link or led by a linked heading,
    with at most a short summary (related news, recommendations, feeds)."""
    teasers: list[html.HtmlElement] = []
    for parent in tree.iter():
        if not _is_element(parent) or len(parent) < TEASER_MIN:
            continue
        groups: dict[tuple[str, str], list[html.HtmlElement]] = {}
        for child in parent:
            if _is_element(child):
                groups.setdefault((child.tag, child.get("class", "")), []).append(child)
        for members in groups.values():
            if len(members) >= TEASER_MIN and all(_is_teaser(m) for m in members):
                teasers.extend(members)
    _drop(teasers, lambda node: False)


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


def unlayout_tables(tree: html.HtmlElement) -> None:
    """Read tables used as page layout (a cell holds running text, as in old Dreamweaver
    templates) as plain blocks, so that extractors see their cells as paragraphs instead of
    flattening them into table rows. Data tables keep their structure."""
    layout: list[html.HtmlElement] = []
    seen: set[html.HtmlElement] = set()
    for cell in tree.iter("td", "th"):
        if next(cell.iter("table"), None) is not None:
            continue
        text = cell.text_content()
        if han_count(text) < LAYOUT_CELL_HAN or not _FULL_STOP.search(text):
            continue
        for table in cell.iterancestors("table"):
            if table not in seen:
                seen.add(table)
                layout.append(table)
    owned = [node for table in layout
             for node in table.iter("tbody", "thead", "tfoot", "tr", "td", "th")
             if next(node.iterancestors("table"), None) is table]
    for node in [*owned, *layout]:
        node.tag = "div"
        node.attrib.pop("colspan", None)
        node.attrib.pop("rowspan", None)


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
    """trafilatura's main text (it works on its own copy of the tree), without its markdown
    list bullets and table rules."""
    text = trafilatura.extract(
        tree, url=url, include_comments=False, include_tables=True, favor_recall=True,
        deduplicate=False, fast=True,
    )
    lines = (_BULLET.sub("", clean_space(line)) for line in (text or "").split("\n"))
    return [line for line in lines if line and not _RULE.match(line)]


def readability_lines(tree: html.HtmlElement) -> list[str]:
    """readability-lxml's main text (given a copy: it drops hidden nodes from its input)."""
    try:
        summary = Document(deepcopy(tree)).summary(html_partial=True)
        node = html.fragment_fromstring(summary, create_parent="div") if summary.strip() \
            else None
    except Exception:  # readability raises its own Unparseable and lxml errors on odd pages
        return []
    return body_lines(node, ()) if node is not None else []


@dataclass
class PageText:
    """What the pruned page holds, to judge an extractor's text by: the headline's scope (its
    text, whitespace removed), the sentence text of the scope (or of the whole page without
    one), and the page's link texts."""

    scope: str | None
    sentence_han: int
    link_texts: frozenset[str]


def page_text(tree: html.HtmlElement, headline: html.HtmlElement | None) -> PageText:
    """Measure the pruned page (see `PageText`)."""
    scope_node = title_scope(headline)
    body = tree.find("body")
    measured = scope_node if scope_node is not None else (body if body is not None else tree)
    links = frozenset(text for text in (_compact(a.text_content()) for a in tree.iter("a"))
                      if len(text) >= 2)
    return PageText(_compact(scope_node.text_content()) if scope_node is not None else None,
                    sentence_han(node_lines(measured)), links)


def weaknesses(lines: list[str], page: PageText) -> list[str]:
    """Why `lines` (trafilatura's cleaned text) may have missed the article; empty when it
    looks like the article."""
    reasons: list[str] = []
    sentences = sentence_han(lines)
    if sentences < WEAK_SENTENCE_HAN:
        reasons.append(f"{sentences} Han characters in sentences")
    total = sum(len(line) for line in lines)
    linked = sum(len(line) for line in lines if _compact(line) in page.link_texts)
    if total and linked >= WEAK_LINK_SHARE * total:
        reasons.append(f"{linked / total:.0%} link text")
    if page.scope:
        han = han_count("".join(lines))
        scoped = han_count("".join(line for line in lines if _compact(line) in page.scope))
        if han and scoped < WEAK_SCOPE_SHARE * han:
            reasons.append(f"{scoped / han:.0%} of its text under the headline")
    if page.sentence_han >= WEAK_PAGE_FACTOR * max(sentences, 1) and \
            page.sentence_han >= WEAK_SENTENCE_HAN:
        where = "the headline's scope" if page.scope else "the page"
        reasons.append(f"{where} holds {page.sentence_han} Han characters in sentences")
    return reasons


def list_items(tree: html.HtmlElement) -> list[str]:
    """The texts (whitespace removed) of the items of linked lists on the page: five or more
    siblings of one tag, each a short block opening with its own linked headline (thread
    lists, archive pages, ranked headlines, news feeds with summaries)."""
    items: list[str] = []
    for parent in tree.iter():
        if not _is_element(parent) or len(parent) < LIST_MIN_ITEMS:
            continue
        groups: dict[str, list[html.HtmlElement]] = {}
        for child in parent:
            if _is_element(child):
                groups.setdefault(child.tag, []).append(child)
        for members in groups.values():
            found = [item for item in map(_list_item, members) if item]
            hrefs = {href for _, href in found}
            if len(found) >= LIST_MIN_ITEMS and len(found) >= LIST_ITEM_SHARE * len(members) \
                    and len(hrefs) == len(found):
                items.extend(text for text, _ in found)
    return items


def _list_item(node: html.HtmlElement) -> tuple[str, str] | None:
    """(text, link target) when `node` is a list item: short, opening with a linked headline."""
    text = _compact(node.text_content())
    if not text or len(text) > LIST_ITEM_MAX_CHARS:
        return None
    for link in node.iter("a"):
        headline = _compact(link.text_content())
        if len(headline) >= TEASER_HEADLINE_CHARS and han_count(headline) >= 4:
            start = text.find(headline)
            href = link.get("href", "")
            if 0 <= start <= LIST_LEAD_CHARS and href and not href.startswith("javascript"):
                return text, href
            return None
    return None


def list_reason(lines: list[str], items: list[str]) -> str | None:
    """Why `lines` are a list rather than an article (most of their text in several list
    items), or None."""
    if not items:
        return None
    total = han_count("".join(lines))
    found: set[int] = set()
    inside = 0
    for line in lines:
        compact = _compact(line)
        index = next((i for i, item in enumerate(items) if compact in item), None)
        if index is not None:
            found.add(index)
            inside += han_count(line)
    if total and inside >= LIST_BODY_SHARE * total and len(found) >= LIST_BODY_ITEMS:
        return f"{inside / total:.0%} of its text sits in {len(found)} items of a linked list"
    return None


def _scoped(lines: list[str], title: str | None, page: PageText) -> list[str]:
    return trim_tail(in_scope(clean_lines(lines, title), page.scope), page.link_texts)


def _linked(line: str, link_texts: frozenset[str]) -> bool:
    """Whether most of `line` is the text of one of the page's links."""
    compact = _compact(line)
    return any(len(text) * 2 >= len(compact) and text in compact for text in link_texts)


def trim_tail(lines: list[str], link_texts: frozenset[str]) -> list[str]:
    """The lines without the run after the article's last paragraph when most of that run is
    link text (recommendations, channel links, footers a recall-minded extractor took along).
    A run that lists attachments is kept."""
    last = max((index for index, line in enumerate(lines) if _is_paragraph(line)), default=-1)
    tail = lines[last + 1:]
    if last < 0 or len(tail) < TAIL_MIN_LINES or any(_ATTACHMENT.search(line) for line in tail):
        return lines
    linked = sum(_linked(line, link_texts) for line in tail)
    return lines[:last + 1] if linked >= TAIL_LINK_SHARE * len(tail) else lines


def rank(lines: list[str], page: PageText) -> int:
    """A candidate's score: the quality of its lines under the headline when the page has a
    headline scope (text elsewhere is not the article the title names), else of all lines."""
    if page.scope:
        scoped = [line for line in lines if _compact(line) in page.scope]
        if quality(scoped) > 0:
            return quality(scoped)
    return quality(lines)


def main_body(tree: html.HtmlElement, url: str, rules: ExtractRules,
              title: str | None = None, failures: list[str] | None = None) -> Body:
    """The article's lines on the page and the body `Decision` (see the module docstring).
    The tree is pruned in place; heuristics that fail are skipped and named in `failures`."""
    failures = [] if failures is None else failures
    for node in _rule_nodes(tree, rules):
        lines = body_lines(node, rules.remove_xpaths)
        if lines:
            rule = f"the site's content selector matched ({han_count(''.join(lines))} Han)"
            return Body(lines, Decision("body", "site-selector", rule))
    skipped_rule = (Candidate("matched nothing", "site-selector"),) \
        if rules.content_xpath or rules.content_css else ()
    if rules.remove_xpaths:
        _prune(tree, rules.remove_xpaths)
    found = container_lines(tree)
    if found:
        rule = f"known CMS container {found[1]} holds {han_count(''.join(found[0]))} Han"
        return Body(found[0], Decision("body", "container", rule, skipped_rule))
    headline = attempt("headline", lambda: find_headline(tree, title), None, failures)
    attempt("prune widgets", lambda: prune_widgets(tree, headline), None, failures)
    attempt("prune discussion", lambda: prune_discussion(tree, headline), None, failures)
    attempt("prune teasers", lambda: prune_teasers(tree), None, failures)
    attempt("layout tables", lambda: unlayout_tables(tree), None, failures)
    page = attempt("page text", lambda: page_text(tree, headline),
                   PageText(None, 0, frozenset()), failures)
    lines = _scoped(attempt("trafilatura", lambda: trafilatura_lines(tree, url), [], failures),
                    title, page)
    score = rank(lines, page)
    reasons = weaknesses(lines, page)
    beaten = [*skipped_rule, Candidate("no known CMS container", "container")]
    route = "trafilatura"
    rule = f"trafilatura on the pruned page scored {score}; its text is not weak"
    if reasons:
        rule = f"trafilatura on the pruned page scored {score} (weak: {'; '.join(reasons)})"
        challengers: list[tuple[str, list[str]]] = [("readability", readability_lines(tree))]
        generic = attempt("generic containers",
                          lambda: container_lines(tree, _GENERIC, _ANY_GENERIC), None, failures)
        if generic:
            challengers.append(("generic-container", generic[0]))
        best_score = score
        for name, found_lines in challengers:
            cleaned = _scoped(found_lines, title, page)
            challenger = rank(cleaned, page)
            if challenger > best_score * CHALLENGER_MARGIN and challenger > 0:
                beaten.append(Candidate(f"quality {best_score}", route))
                route, lines, best_score = name, cleaned, challenger
                rule = (f"{name} scored {challenger}, above trafilatura's weak text "
                        f"({'; '.join(reasons)})")
            else:
                beaten.append(Candidate(f"quality {challenger}", name))
    else:
        beaten.extend(Candidate("not run: trafilatura's text is not weak", name)
                      for name in ("readability", "generic-container"))
    decision = Decision("body", route, rule, tuple(beaten))
    han = han_count("".join(lines))
    if han < MIN_BODY_HAN:
        note = (f"no article text (best: {route}, {han} Han characters; "
                "list, error or login page?)")
        return Body([], Decision("body", "none", note, (Candidate(rule, route), *beaten)), note)
    listed = attempt("list check", lambda: list_reason(lines, list_items(tree)), None, failures)
    if listed:
        note = f"no article: a list page ({route}: {listed})"
        return Body([], Decision("body", "none", note, (Candidate(rule, route), *beaten)), note)
    return Body(lines, decision)
