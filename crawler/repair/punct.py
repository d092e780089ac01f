"""Stray punctuation: drop the comma that damaged pages insert before a real punctuation mark.

The damage puts a comma in front of the mark that belongs there: `召开,。` `新信息,、谋划`
`人心,,目标` (and in full width, `，。` `，、` `，，`, or mixed `,，`). The repair drops the
inserted comma(s) and keeps the following mark exactly as written; no width is ever folded.

- Commas before `、` or `。` always go: those marks occur only in CJK text, and nothing written
  puts a comma in front of them.
- A run of two or more commas collapses to its last comma when the run holds a full-width comma
  or touches CJK text (a Han character or CJK punctuation on either side). ASCII runs between
  digits, Latin letters or symbols (`1,,000`, CSV `a,,b`, URLs, code) are left alone.
- A comma after `、` or `。` (`、,` `。,`) is not touched: which of the two marks is the real one
  cannot be told, and the observed damage never has that order.
"""

from __future__ import annotations

import re

from crawler.repair.script import HAN_CLASS

_COMMAS = ",，"
_CJK_CONTEXT = re.compile(f"[{HAN_CLASS}\u3000-\u303f\uff01-\uff65\u2018-\u201f\u2026\u2014]")
_CANDIDATE = re.compile(f"[{_COMMAS}](?=[{_COMMAS}、。])")
_STRAY = re.compile(f"(?P<before_mark>[{_COMMAS}]+(?=[、。]))|(?P<run>[{_COMMAS}]{{2,}})")


def _in_cjk_context(text: str, start: int, end: int) -> bool:
    """True when the character just before `start` or just at `end` is CJK text."""
    neighbours = (text[start - 1 : start], text[end : end + 1])
    return any(_CJK_CONTEXT.match(neighbour) for neighbour in neighbours)


def fix_stray_punctuation(text: str) -> str:
    """Drop stray commas before `、` `。` and in comma runs, keeping the real mark as written."""
    if _CANDIDATE.search(text) is None:
        return text

    def mend(match: re.Match[str]) -> str:
        if match.lastgroup == "before_mark":
            return ""
        run = match.group()
        if "，" in run or _in_cjk_context(text, match.start(), match.end()):
            return run[-1]
        return run

    return _STRAY.sub(mend, text)
