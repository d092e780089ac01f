"""Broken-lines repair: rejoin a paragraph that page layout cut in the middle of a sentence, and
the layout helpers that turn text into clean paragraphs.

E-paper and print layouts end lines at the column edge (`…努力实现` / blank line /
`合作共赢、一举多赢。`). A line is a cut fragment, to be joined with the next non-blank line,
when all of these hold:

- it does not end with terminal punctuation (`TERMINAL`: 。！？!?…”」』）):：;；);
- it is body prose: it holds a comma, 顿号 or sentence end (`PROSE_MARKS`); or the next line
  opens with a mark no paragraph can open with (`NO_START`: ，、。 …) or with a one-character
  clause (`作。为把好…`, `式,以项目…`), the tail of a word cut at the line end;
- it is not a section heading (一、 (二) 3.), a byline or a meta line (dateline, 来源);
- the first line of the text joins only on the next-line signals above, or when it reads as
  prose: a sentence end, a lead marker, a comma at its end, a news-sentence opening
  (`11月6日下午,` `安伟要求,`) or a comma in a line longer than a headline; otherwise it is a
  headline, which may hold a comma (`守正创新,奋力谱写新篇章`);
- the next line is not a headline or kicker, a byline, a meta line, a lead (本报讯…) or a
  numbered heading.

Everything else, paragraph breaks included, stays as it is. The joined text keeps every
character of both lines; only the break and the indentation around it go.
"""

from __future__ import annotations

import re

from crawler.textmeta import (
    HAN,
    is_enumerated,
    is_lead,
    looks_like_headline,
    looks_like_prose,
    parse_byline,
    parse_meta_line,
)

TERMINAL = frozenset("。！？!?…”」』）)：:；;\"]】")
"""Marks a paragraph can end with; a line ending in one is never a cut fragment."""

PROSE_MARKS = frozenset("，,、。；;")
"""Marks that show a line is body prose rather than a headline."""

CLAUSE_END = frozenset("，,、")
"""A line ending in one of these was cut: no headline ends with a comma."""

NO_START = frozenset("，,、。．；;：:！？!?）)》」』”…%％")
"""Marks no paragraph opens with: a line starting with one continues the line before."""

_ONE_CHAR_CLAUSE = re.compile(rf"[{HAN}][，,、。；;]")
"""A line opening with a one-character clause (`式,以项目…`, `作。为把好…`) is the tail of a
word cut at the line end: paragraphs open with longer clauses (近日，同时，)."""

_ASCII_WORD = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _is_fragment(line: str) -> bool:
    """Whether `line` (stripped, non-blank) may be the first part of a cut paragraph."""
    if line[-1] in TERMINAL or is_enumerated(line):
        return False
    return parse_byline(line) is None and parse_meta_line(line) is None


def _reads_as_prose(line: str) -> bool:
    """Whether a first line is body prose rather than a headline (which may hold a comma)."""
    return (is_lead(line) or line[-1] in CLAUSE_END or looks_like_prose(line)
            or any(mark in line for mark in "。！？"))


def _continues(fragment: str, following: str, first: bool) -> bool:
    """Whether stripped `following` continues stripped `fragment` across a layout break."""
    if following[0] in NO_START:
        return True
    if _ONE_CHAR_CLAUSE.match(following) and not is_enumerated(following):
        return True
    if not any(mark in fragment for mark in PROSE_MARKS):
        return False
    if first and not _reads_as_prose(fragment):
        return False
    return not (
        looks_like_headline(following)
        or is_lead(following)
        or is_enumerated(following)
        or parse_byline(following) is not None
        or parse_meta_line(following) is not None
    )


def _join(fragment: str, following: str) -> str:
    left, right = fragment.rstrip(), following.lstrip()
    gap = " " if left[-1] in _ASCII_WORD and right[0] in _ASCII_WORD else ""
    return left + gap + right


def _rejoin_once(lines: list[str]) -> list[str]:
    """One pass over `lines`, joining each fragment with the next non-blank line."""
    out: list[str] = []
    blanks: list[str] = []
    text_lines = 0
    for line in lines:
        stripped = line.strip()
        if not stripped:
            blanks.append(line)
            continue
        if text_lines:
            previous = out[-1].strip()
            if _is_fragment(previous) and _continues(previous, stripped, text_lines == 1):
                out[-1] = _join(out[-1], line)
                blanks = []
                continue
        out.extend(blanks)
        blanks = []
        out.append(line)
        text_lines += 1
    out.extend(blanks)
    return out


def rejoin_broken_lines(text: str) -> str:
    """`text` with paragraphs cut by layout joined again; other lines are untouched."""
    lines = text.split("\n")
    while True:
        joined = _rejoin_once(lines)
        if len(joined) == len(lines):
            break
        lines = joined
    if len(lines) == text.count("\n") + 1:
        return text
    return "\n".join(lines)


def paragraphs(text: str) -> list[str]:
    """The non-blank lines of `text` with layout whitespace (spaces, U+3000 indentation) trimmed
    from both ends; nothing inside a line changes."""
    return [stripped for line in text.splitlines() if (stripped := line.strip())]
