"""Article splitting: cut a text that holds several articles (an e-paper page) into one segment
per article.

An e-paper article opens with a lead paragraph (`本报讯…`, `本报5月6日讯`, `济源网讯(记者…)`,
`新华社郑州5月7日电`; see `crawler.textmeta.LEAD_MARKERS`). Each lead after the first starts a
new article, together with the headline lines right above it: the title and, when there is one,
the kicker above the title (at most `crawler.textmeta.TITLE_LINES_MAX` lines). Anything above
those headline lines, such as a closing byline (`记者 唐善普` / `通讯员 白博文/图`), still
belongs to the article before. Text before the first article's headline stays with the first
article, so a text with one lead or none is one segment.
"""

from __future__ import annotations

import itertools

from crawler.textmeta import TITLE_LINES_MAX, is_lead, looks_like_headline


def _article_starts(lines: list[str]) -> list[int]:
    """Indexes (into non-blank, stripped `lines`) where the second and later articles begin."""
    starts: list[int] = []
    previous_lead: int | None = None
    for index, line in enumerate(lines):
        if not is_lead(line):
            continue
        if previous_lead is not None:
            start = index
            while (start > previous_lead + 1 and index - start < TITLE_LINES_MAX
                   and looks_like_headline(lines[start - 1])):
                start -= 1
            starts.append(start)
        previous_lead = index
    return starts


def split_articles(text: str) -> list[str]:
    """One segment per article in `text`, each with its lines as in the input (blank lines
    inside a segment kept, those around it dropped). A text with no article in it gives []."""
    raw = text.split("\n")
    positions = [i for i, line in enumerate(raw) if line.strip()]
    if not positions:
        return []
    starts = _article_starts([raw[i].strip() for i in positions])
    bounds = [0, *starts, len(positions)]
    segments: list[str] = []
    for begin, end in itertools.pairwise(bounds):
        first, last = positions[begin], positions[end - 1]
        segments.append("\n".join(raw[first : last + 1]))
    return segments
