"""`ExtractRules`: a site's extraction overrides, in a module light enough for the site
registry and the fetch subprocess to import without loading the extractors."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


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
    rejoin_lines: bool = False
    """Rejoin paragraphs the site's pages cut in mid-sentence (`努力实现</P><P>合作共赢`, an
    e-paper article carried over a column); elsewhere a page's lines are its own."""
