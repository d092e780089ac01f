"""Boilerplate repair: remove page furniture that a naive scrape leaves among the article lines.

The work is line-based. A line goes only as a whole, except for a bar of bracketed page tools
(`【打印】【关闭】`) glued to the start or end of a line, which is cut off. Text inside a sentence
is never edited. Four rules, in this order:

1. `BOILERPLATE_LINES`: a line that is all boilerplate (back-to-top, previous/next links,
   follow-us prompts, tool and share bars, standalone editor credits, copyright and ICP footers,
   breadcrumbs, page counters) goes wherever it stands. A line ending like a sentence (。！？)
   is article text and never matches.
2. `TAIL_FOOTER_LINES`: site-footer lines that a real article can also hold (主办单位：…,
   承办单位：…) go only from the end of the text, where the page footer sits.
3. `RELATED_HEADER`: a related-articles header (【相关阅读】, 相关新闻) goes with the list under
   it: dated teasers and short headline lines.
4. Related-article lists without a header: runs of teaser lines carrying their dates
   (`…眼前一亮。 2025-06-26`). Scraped sidebars also put a teaser's date on the next line, alone
   or glued to the front of the next teaser (`2025-06-25日前,记者…`); those count too. A run
   goes when it holds two or more teasers, or when it closes the text and its one teaser
   carries its own numeric date (a line closing on 2023年9月20日 alone is a notice's signature).
   Real paragraphs never end on a bare date, so a date inside a sentence keeps its line, and a
   headline over its dateline (one teaser-like pair) stays.

The rules repeat until nothing changes, so the repair is idempotent.
"""

from __future__ import annotations

import re

from crawler.textmeta import parse_meta_line
from crawler.vocab.chars import HAN
from crawler.vocab.dates import CJK_DATE, ISO_DATE, TEASER_DATE
from crawler.vocab.labels import (
    COUNTER_LABELS,
    EDITOR_LABELS,
    LOCATION_LABELS,
    RELATED_HEADERS,
    alternation,
)

_TOOL_WORDS = (
    r"(?:打印本页|打印此页|打印文章|我要打印|打印|关闭本页|关闭窗口|关闭|加入收藏|收藏本页|收藏"
    r"|复制链接|复制网址|我要纠错|纠错|分享|推荐|字号|字体|默认|背景色|保护视力色|返回顶部)"
)
_TOOL_TOKEN = (
    r"[【\[]\s*(?:" + _TOOL_WORDS + r"|(?:字号|字体)?\s*[:：]?\s*大\s*中\s*小)"
    r"(?:\s*[:：]?\s*(?:[【\[]?\s*[大中小]\s*[】\]]?\s*)*)[】\]]"
)
"""One bracketed page tool: 【打印】, [关闭], 【字号 大 中 小】, 【字体：大 中 小】."""

_LEAD_SEP = r"[\s|｜/·•]*"
_CREDIT_NAME = r"[^\s:：()（）【】、，,/]{1,12}"
_CREDIT_SEP = r"[\s、，,/]+"

BOILERPLATE_LINES: tuple[tuple[str, str], ...] = (
    ("back_to_top",
     r"[【\[]?\s*[↑▲^]?\s*(?:(?:返回|回到)\s*(?:顶部|页首|页顶|TOP|Top|top)(?:小火箭)?|TOP|Top)"
     r"\s*[↑▲^]?\s*[】\]]?"),
    ("previous_next", r"(?:上一篇|下一篇|上一条|下一条|上篇|下篇)(?:\s*[:：>].*|\s+.*)?"),
    ("follow_prompt",
     r"(?:请|欢迎|敬请)?(?:关注|订阅).{0,16}(?:微信|公众号|微博|抖音|头条号|快手|视频号|客户端"
     r"|APP|App|app).{0,16}"),
    ("scan_prompt",
     r"(?:用|使用|打开)?(?:微信|手机)?(?:扫一扫|扫码|扫描二维码).{0,24}|长按.{0,8}二维码.{0,24}"),
    ("follow_us", r"关注我们.{0,12}"),
    ("download_app", r"(?:点击)?下载.{0,12}(?:客户端|APP|App|app).{0,16}"),
    ("tool_bar",
     r"(?=.{0,80}$)(?=.*(?:打印|关闭|收藏|字号|字体|纠错))"
     r"(?:[【\[]?(?:" + _TOOL_WORDS + r"|[大中小])[:：]?[】\]]?|[\s|｜/·•:：])+"),
    ("share_bar", r"(?:一键)?分享(?:到|至)?\s*[:：].{0,40}|分享到.{0,30}"),
    ("editor_credit",
     r"(?=.{0,80}$)[(（【\[]?(?:" + EDITOR_LABELS
     + rf"(?:\s*[:：]\s*{_CREDIT_NAME}(?:{_CREDIT_SEP}{_CREDIT_NAME})*?"
     + rf"|\s+[{HAN}]{{2,4}}(?:{_CREDIT_SEP}[{HAN}]{{2,4}})*)\s*)+[)）】\]]?"),
    ("copyright_footer",
     r"(?=.{0,200}$).*(?:版权所有|Copyright|COPYRIGHT|copyright|©|ICP备|ICP证"
     r"|公网安备|网站标识码|网站识别码|技术支持\s*[:：]).*"),
    ("breadcrumb",
     alternation(LOCATION_LABELS) + r"\s*[:：].{0,80}"
     r"|(?:网站)?首页\s*(?:[>＞›»→]+|/)\s*.{0,80}"),
    ("page_counter",
     COUNTER_LABELS + r"\s*[:：]\s*\d+\s*次?|(?:浏览|点击|阅读|访问)(?:次数|量|数)\s*[:：]"),
)
"""Lines that are boilerplate wherever they stand, as (kind, full-line regex) pairs."""

TAIL_FOOTER_LINES: tuple[tuple[str, str], ...] = (
    ("host_footer", r"(?:主办|承办|协办|运营|运维)(?:单位)?\s*[:：].{0,120}"),
    ("site_links",
     r"(?:联系我们|网站地图|设为首页|加入收藏|网站声明|关于我们|手机版)(?:[\s|｜/·]+.{0,60})?"),
    ("contact_footer", r"(?:地址|邮编|联系电话|电话|传真|邮箱)\s*[:：][^。！？]{0,120}"),
)
"""Site-footer lines that go only from the end of the text."""

RELATED_HEADER = r"[【\[]?\s*" + alternation(RELATED_HEADERS) + r"\s*[】\]]?\s*[:：>]*"
"""A related-articles header line."""

TEASER_MAX = 220
"""Longest line taken as a related-article teaser."""

RELATED_TITLE_MAX = 50
"""Longest undated headline line taken as part of a list under a related-articles header."""

_NOT_A_SENTENCE = r"(?!.*[。！？]$)"
"""Boilerplate lines never end like a sentence; a line that does is article text."""

_BOILERPLATE = re.compile(
    _NOT_A_SENTENCE + "(?:" + "|".join(f"(?:{pattern})" for _, pattern in BOILERPLATE_LINES) + ")"
)
_TAIL_FOOTER = re.compile(
    _NOT_A_SENTENCE + "(?:" + "|".join(f"(?:{pattern})" for _, pattern in TAIL_FOOTER_LINES) + ")"
)
_RELATED_HEADER = re.compile(RELATED_HEADER)
_TOOL_PREFIX = re.compile(rf"(?:{_TOOL_TOKEN}{_LEAD_SEP})+")
_TOOL_SUFFIX = re.compile(rf"(?:{_LEAD_SEP}{_TOOL_TOKEN})+\s*$")
_ENDS_WITH_DATE = re.compile(rf"\s*{TEASER_DATE}$")
_HAS_HAN = re.compile(rf"[{HAN}]")
_GLUED_DATE = re.compile(
    rf"[\[【(（]?(?:{ISO_DATE}|\d{{2}}[-/]\d{{2}}(?![\d\-/.]))[\]】)）]?\s*(?=[{HAN}【“\"《])")
_BARE_DATE = re.compile(TEASER_DATE)
_SIGNATURE_DATE = re.compile(rf"\s*{CJK_DATE}$")
_DATE_START = frozenset("0123456789[【(（")
_DATE_END = frozenset("0123456789]】)）日")
_DATE_SPAN = 32
"""A teaser date with its brackets and time is never longer than this."""
_BULLETS = "·•●◆■□▪▶>-"
_BULLET = re.compile(rf"[{_BULLETS}]\s*")
_SENTENCE_END = frozenset("。！？!?")
_TERMINAL = frozenset("。！？!?…”」』）)：:；;")
def _is_boilerplate(line: str) -> bool:
    return _BOILERPLATE.fullmatch(line) is not None


def _strip_tools(line: str) -> str:
    """`line` without a bar of bracketed page tools at its start or end."""
    stripped = line.strip()
    cut = _TOOL_SUFFIX.search(stripped) if stripped.endswith(("】", "]")) else None
    if cut is not None and cut.start() > 0:
        stripped = stripped[: cut.start()]
    lead = _TOOL_PREFIX.match(stripped)
    if lead is not None and lead.end() < len(stripped):
        stripped = stripped[lead.end():]
    if stripped == line.strip():
        return line
    return stripped


def _teaser_date(line: str) -> str:
    """How `line` carries a teaser date: 'end' (teaser then date; 'signed' when the date is
    written out with 年月日), 'glued' (a date in front of a teaser: the list prints it there, or
    a scrape glued the date of the teaser above to it), 'bare' (a date alone) or '' (none)."""
    line = _BULLET.sub("", line, count=1) if line[0] in _BULLETS else line
    if not line:
        return ""
    if len(line) > TEASER_MAX or not (line[0] in _DATE_START or line[-1] in _DATE_END):
        return ""
    if _BARE_DATE.fullmatch(line):
        return "bare"
    if parse_meta_line(line) is not None:
        return ""
    tail = _ENDS_WITH_DATE.search(line, max(0, len(line) - _DATE_SPAN))
    if tail is not None and _HAS_HAN.search(line, 0, tail.start()):
        return "signed" if _SIGNATURE_DATE.search(line, tail.start()) else "end"
    if _GLUED_DATE.match(line):
        return "glued"
    return ""


def _related_runs(lines: list[str]) -> set[int]:
    """Indexes of the lines in related-article teaser runs (rule 4)."""
    marks = [_teaser_date(line) for line in lines]
    count = len(lines)
    # Teasers whose date sits on the next line: alone ('bare') or glued to the next teaser.
    above_date = [
        not mark and i + 1 < count and marks[i + 1] in ("bare", "glued")
        and len(lines[i]) <= TEASER_MAX and _HAS_HAN.search(lines[i]) is not None
        and parse_meta_line(lines[i]) is None
        for i, mark in enumerate(marks)
    ]
    own_date = [mark in ("end", "glued", "signed") for mark in marks]
    drop: set[int] = set()
    index = 0
    while index < count:
        if not (marks[index] or above_date[index]):
            index += 1
            continue
        end = index
        while end < count and (marks[end] or above_date[end]):
            end += 1
        # A run opens with a teaser, not with a stray date line nor with a sentence above a
        # list that prints its dates first.
        start = index
        while start < end and not (own_date[start] or (
                above_date[start] and lines[start][-1] not in _SENTENCE_END)):
            start += 1
        dated = sum(1 for i in range(start, end) if own_date[i])
        teasers = dated + sum(1 for i in range(start, end) if above_date[i] and not own_date[i])
        lone_teaser = dated == 1 and end == count and "signed" not in marks[start:end]
        if teasers >= 2 or lone_teaser:
            drop.update(range(start, end))
        index = end
    return drop


def _related_lists(lines: list[str]) -> set[int]:
    """Indexes of related-article headers and the lists under them (rule 3)."""
    drop: set[int] = set()
    index = 0
    while index < len(lines):
        if not _RELATED_HEADER.fullmatch(lines[index]):
            index += 1
            continue
        drop.add(index)
        index += 1
        while index < len(lines):
            item = _BULLET.sub("", lines[index], count=1)
            if not item:
                drop.add(index)
                index += 1
                continue
            short_title = len(item) <= RELATED_TITLE_MAX and item[-1] not in _TERMINAL
            if not (short_title or _teaser_date(item)):
                break
            drop.add(index)
            index += 1
    return drop


def _strip_once(lines: list[str]) -> list[int]:
    """One round of the four rules over non-blank, stripped `lines`; the indexes kept."""
    kept = [i for i, line in enumerate(lines) if not _is_boilerplate(line)]
    while kept and _TAIL_FOOTER.fullmatch(lines[kept[-1]]):
        kept.pop()
    for rule in (_related_lists, _related_runs):
        dropped = rule([lines[i] for i in kept])
        if dropped:
            kept = [index for position, index in enumerate(kept) if position not in dropped]
    return kept


def strip_boilerplate(text: str) -> str:
    """`text` without boilerplate lines; lines that stay keep their exact characters, except a
    page-tool bar cut off their start or end. Blank lines before a removed line go with it."""
    raw = text.split("\n")
    current = [_strip_tools(line) for line in raw]
    positions = [i for i, line in enumerate(current) if line.strip()]
    while True:
        kept = _strip_once([current[i].strip() for i in positions])
        if len(kept) == len(positions):
            break
        positions = [positions[i] for i in kept]
    if current == raw and len(positions) == sum(1 for line in raw if line.strip()):
        return text
    keep = set(positions)
    out: list[str] = []
    blanks: list[str] = []
    for index, line in enumerate(current):
        if not line.strip():
            blanks.append(line)
        elif index in keep:
            out.extend(blanks)
            out.append(line)
            blanks = []
        else:
            blanks = []
    out.extend(blanks)
    return "\n".join(out)
