"""Damaged pages never raise: every gold page and every real saved page (`../shared/realpages`,
when present) mutated the ways saved and served pages break: truncated at a random offset;
comments, processing instructions and CDATA (whole or cut open) inserted at element
boundaries; unbalanced open and close tags; a stray `</html>` early in the page; the charset
declaration swapped for another label; a NUL byte. `extract_page` must return an
`Extraction`, with no heuristic failing (`failures`) and without falling back to its last
guard ("extraction failed")."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks import realpages
from crawler.extract import Extraction, extract_page

GOLD = Path(__file__).parent / "gold"
PAGES: dict[str, Path] = {f"gold/{p.parent.name}": p for p in sorted(GOLD.glob("*/page.html"))}
if realpages.available():
    PAGES.update({f"real/{p.stem}": p
                  for p in sorted((realpages.REALPAGES_DIR / "pages").glob("*.html"))})

INSERTS: tuple[bytes, ...] = (
    b"<!-- note -->", b"<!--", b"-->", b"<?xml-stylesheet href='a.xsl'?>", b"<?php echo 1 ?>",
    b"<?", b"<![CDATA[ a < b && c ]]>", b"<![CDATA[", b"</html>", b"</body></html>",
    b"<div>", b"<table><tr><td>", b"</td></tr></table>", b"</p></div></div>", b"<p><b><i>",
    b"</a>", b"<h1>", b"\x00", b"<br/>" * 3, b"<script>var a = '</div>';",
)
CHARSETS: tuple[bytes, ...] = (b"utf-8", b"gbk", b"gb2312", b"big5", b"iso-8859-1", b"utf-16",
                               b"x-no-such-charset", b"")
_CHARSET = re.compile(rb"charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)


@cache
def _page(name: str) -> tuple[bytes, tuple[int, ...]]:
    """The page's bytes and its element boundaries (offsets of `<`)."""
    body = PAGES[name].read_bytes()
    return body, tuple(m.start() for m in re.finditer(rb"<", body)) or (0,)


@st.composite
def mutated(draw: st.DrawFn, name: str) -> bytes:
    """The page damaged by one to three mutations."""
    body, boundaries = _page(name)
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(("truncate", "insert", "insert", "early-end", "charset")))
        if kind == "truncate":
            body = body[:draw(st.integers(0, len(body)))]
        elif kind in ("insert", "early-end"):
            limit = len(boundaries) - 1 if kind == "insert" else len(boundaries) // 10
            at = min(boundaries[draw(st.integers(0, max(limit, 0)))], len(body))
            piece = draw(st.sampled_from(INSERTS)) if kind == "insert" else b"</body></html>"
            body = body[:at] + piece + body[at:]
        else:
            label = draw(st.sampled_from(CHARSETS))
            body = _CHARSET.sub(b"charset=" + label, body, count=1)
    return body


@pytest.mark.parametrize("name", sorted(PAGES))
@settings(max_examples=3, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_a_damaged_page_never_raises(name: str, data: st.DataObject) -> None:
    body = data.draw(mutated(name))
    extraction = extract_page(body, url="http://www.example.gov.cn/a/1.html")
    assert isinstance(extraction, Extraction)
    assert not (extraction.note or "").startswith("extraction failed"), extraction.note
    assert extraction.failures == []
    for article in extraction.articles:
        assert article.text.strip()


def test_the_fuzz_covers_every_page() -> None:
    assert sum(name.startswith("gold/") for name in PAGES) >= 30
    if realpages.available():
        assert sum(name.startswith("real/") for name in PAGES) >= 70
