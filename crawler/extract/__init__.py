"""HTML extraction: page bytes → decoded text → main text and page metadata → clean records.

`extract_page` is the one entry point (the crawler, `reprocess` and `govnews extract` all call
it); `ExtractRules` carries a site's selector overrides; `Extraction` is its result.

The names load on first use, so that importing `ExtractRules` or `decode_html` (the site
registry, the fetch subprocess) does not load trafilatura and the repair chain.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from crawler.extract.rules import ExtractRules

if TYPE_CHECKING:
    from crawler.extract.decode import Decoding, decode_html
    from crawler.extract.page import Extraction, extract_page

_HOMES = {"Decoding": "crawler.extract.decode", "decode_html": "crawler.extract.decode",
          "Extraction": "crawler.extract.page", "extract_page": "crawler.extract.page"}

__all__ = ["Decoding", "ExtractRules", "Extraction", "decode_html", "extract_page"]


def __getattr__(name: str) -> Any:
    """Import `name` from its module on first use."""
    if name in _HOMES:
        return getattr(import_module(_HOMES[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
