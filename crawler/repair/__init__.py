"""Text repairs: small, pure, named `str -> str` functions composed once, in a fixed order.

`repair_text` runs them and reports which ones changed the text; those names go into the
record's `repairs` field, and `unrepaired_damage` when a U+FFFD survives them. The order
matters: byte-level damage (mojibake, shifted GBK) is undone before pinyin notes are read,
script conversion sees clean characters, and line-level clean-up (boilerplate, broken lines)
comes last.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Repair:
    """One named repair step."""

    name: str
    apply: Callable[[str], str]


def run_repairs(text: str, repairs: tuple[Repair, ...]) -> tuple[str, list[str]]:
    """Apply `repairs` in order; return the text and the names of the repairs that changed it."""
    fired: list[str] = []
    for repair in repairs:
        repaired = repair.apply(text)
        if repaired != text:
            fired.append(repair.name)
            text = repaired
    return text, fired


from crawler.repair.boilerplate import strip_boilerplate  # noqa: E402
from crawler.repair.lines import rejoin_broken_lines  # noqa: E402
from crawler.repair.mojibake import (  # noqa: E402
    fix_gbk_as_latin1,
    fix_shifted_gbk,
    fix_utf8_as_cp1252,
    fix_utf8_as_gbk,
)
from crawler.repair.pinyin import fix_broken_pinyin, strip_pinyin_notes  # noqa: E402
from crawler.repair.punct import fix_stray_punctuation  # noqa: E402
from crawler.repair.script import to_simplified  # noqa: E402

REPAIRS: tuple[Repair, ...] = (
    Repair("mojibake_utf8_as_gbk", fix_utf8_as_gbk),
    Repair("mojibake_gbk_as_latin1", fix_gbk_as_latin1),
    Repair("mojibake_utf8_as_cp1252", fix_utf8_as_cp1252),
    Repair("shifted_gbk", fix_shifted_gbk),
    Repair("broken_pinyin", fix_broken_pinyin),
    Repair("pinyin_notes", strip_pinyin_notes),
    Repair("traditional_to_simplified", to_simplified),
    Repair("stray_punctuation", fix_stray_punctuation),
    Repair("boilerplate", strip_boilerplate),
    Repair("broken_lines", rejoin_broken_lines),
)


UNREPAIRED_DAMAGE = "unrepaired_damage"
"""Named in `repairs` when the text still holds U+FFFD after the chain: damage that no repair
could undo is reported, never passed off as clean."""


PAGE_REPAIRS: tuple[Repair, ...] = tuple(r for r in REPAIRS if r.name != "broken_lines")
"""The chain for the text of an HTML page, unless its site says its pages cut paragraphs
(`rejoin_lines` in the site's `[extract]` table). A page's lines are its own block elements and
line breaks, which the page's authors set, not a print layout: a line without terminal
punctuation there is a caption, a list item or a paragraph as the page printed it (`周斌 摄`,
`…分别是——`), and rejoining it would merge two paragraphs. On the real pages of
`../shared/realpages`, the broken-lines repair joined 92 of their 1,614 paragraph breaks."""


def repair_text(text: str, repairs: tuple[Repair, ...] = REPAIRS) -> tuple[str, list[str]]:
    """Run the repair chain (the whole of it unless `repairs` says otherwise) on `text`; return
    the repaired text and the repairs that fired, with UNREPAIRED_DAMAGE last when a U+FFFD is
    left."""
    repaired, fired = run_repairs(text, repairs)
    if "\ufffd" in repaired:
        fired.append(UNREPAIRED_DAMAGE)
    return repaired, fired


def ordered_repairs(first: list[str], *more: list[str]) -> list[str]:
    """The union of repair-name lists, chain repairs in chain order.

    Names outside the chain (a decoding correction, splitting, a moved byline) keep their
    first-seen order: those in `first` before the chain's names, the others after.
    """
    position = {repair.name: index for index, repair in enumerate(REPAIRS)}
    names = list(dict.fromkeys([*first, *(name for group in more for name in group)]))
    chain = sorted((n for n in names if n in position), key=position.__getitem__)
    before = [n for n in first if n not in position]
    after = [n for n in names if n not in position and n not in before]
    return [*before, *chain, *after]
