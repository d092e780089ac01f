"""HTML extraction: page bytes → decoded text → main text and page metadata → clean records.

`extract_page` is the one entry point (the crawler, `reprocess` and `govnews extract` all call
it); `ExtractRules` carries a site's selector overrides; `Extraction` is its result.
"""

from crawler.extract.decode import Decoding, decode_html
from crawler.extract.page import Extraction, ExtractRules, extract_page

__all__ = ["Decoding", "ExtractRules", "Extraction", "decode_html", "extract_page"]
