"""The text -> records chain: repair a document's text, split it into articles, read each
article's metadata, and build one `Article` per article.

`clean_document` is pure (no I/O). `govnews clean` calls it on each input document, and HTML
extraction calls it on the text it extracts, with the page chain (`crawler.repair.PAGE_REPAIRS`:
a page's lines are its own, so broken lines are not rejoined), then overrides title,
published_at, authors and source with the page's own metadata where the page has them.

`repairs` on a record holds the names of the repair chain (`crawler.repair.REPAIRS`) that
changed the document's text (the chain runs once over the whole document, so every part of a
split page lists the same chain names), then the structural changes made here:

- `split_articles`: the document held several articles and this record is one of them;
- `byline_moved`: a credit closing the article (a byline, a `(记者 X)` note or a `来源` line)
  left the text for `authors` / `source`.

Taking the headline and dateline lines off the head of the text is not listed: they are the
page's header, not article text, exactly as HTML extraction never puts the `<h1>` into the text.
Trimming layout whitespace (indentation, blank lines between paragraphs) is not listed either:
the record format itself is paragraphs joined by a single newline.
"""

from __future__ import annotations

from typing import Any

from crawler.article import Article, utc_now
from crawler.repair import REPAIRS, Repair, repair_text
from crawler.repair.lines import paragraphs
from crawler.repair.split import split_articles
from crawler.textmeta import TextMeta, extract_metadata

SPLIT_REPAIR = "split_articles"
BYLINE_REPAIR = "byline_moved"


def clean_document(
    text: str,
    *,
    url: str,
    site: str | None = None,
    fields: dict[str, Any] | None = None,
    fetched_at: str | None = None,
    chain: tuple[Repair, ...] = REPAIRS,
) -> list[Article]:
    """The articles in `text`, repaired by the repair `chain`, one per article; [] when nothing
    is left after cleaning (the caller turns that into a reject). `fields` are carried into each
    `Article.extra`."""
    repaired, fired = repair_text(text, chain)
    fetched = fetched_at or utc_now()
    drafts: list[tuple[str, TextMeta]] = []
    segments = split_articles(repaired)
    for segment in segments:
        meta = extract_metadata(paragraphs(segment))
        body = "\n".join(meta.body)
        if body:
            drafts.append((body, meta))
    articles: list[Article] = []
    for part, (body, meta) in enumerate(drafts, start=1):
        repairs = list(fired)
        if len(drafts) > 1:
            repairs.append(SPLIT_REPAIR)
        if meta.byline_moved:
            repairs.append(BYLINE_REPAIR)
        articles.append(
            Article(
                url=url,
                text=body,
                site=site,
                title=meta.title,
                published_at=meta.published_at,
                authors=list(meta.authors),
                source=meta.source,
                repairs=repairs,
                part=part,
                parts=len(drafts),
                fetched_at=fetched,
                extra=dict(fields or {}),
            )
        )
    return articles
