"""Date shapes as Chinese news pages print them, and `to_iso` for the fields they capture.

Named groups (`year`, `month`, `day`, `hour`, `minute`, `second`, `offset`) let every reader
build a timestamp the same way; `unnamed` strips them where a shape is embedded in a larger
pattern.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

DATE = (
    r"(?P<year>(?:19|20)\d{2})\s*[-/.年]\s*(?P<month>\d{1,2})\s*[-/.月]\s*"
    r"(?P<day>\d{1,2})\s*日?"
)
"""A full date: 2023-01-01, 2023/1/1, 2023.01.01, 2023年1月1日."""

TIME = (
    r"(?P<hour>\d{1,2})\s*[:：时]\s*(?P<minute>\d{2})"
    r"(?:\s*[:：分]\s*(?P<second>\d{2})\s*秒?)?分?"
)
"""A clock time: 18:30, 18:30:45, 18时30分."""

DATETIME = rf"{DATE}(?:\s*{TIME})?"
"""A date with an optional time, as in a dateline."""

PAGE_DATETIME = (
    r"(?<!\d)(?P<year>(?:19|20)\d{2})\s*[-/.年]\s*(?P<month>\d{1,2})\s*[-/.月]\s*"
    r"(?P<day>\d{1,2})(?!\d)\s*日?"
    r"(?:\s*T?\s*(?P<hour>\d{1,2})\s*[:：时]\s*(?P<minute>\d{1,2})"
    r"(?:\s*[:：分]\s*(?P<second>\d{1,2}))?(?:\.\d+)?\s*(?P<offset>Z|[+-]\d{2}:?\d{2})?)?"
)
"""A date anywhere in page text or a meta tag, with its time and zone when given
(2023-01-01T18:30:00+08:00, 2023年1月1日 18:30)."""

SHORT_YEAR_DATETIME = (
    r"(?<![\d\-/.])(?P<year>\d{2})-(?P<month>[01]\d)-(?P<day>[0-3]\d)"
    r"\s*(?:(?P<hour>[0-2]\d):(?P<minute>[0-5]\d)(?::(?P<second>[0-5]\d))?)?(?![\d\-/.])"
)
"""A date with a two-digit year, as some portals print it after a label (18-03-08 23:16)."""

MONTH_DAY_TIME = (
    r"(?<![\d\-/.年])(?P<month>[01]?\d)\s*[-/月]\s*(?P<day>[0-3]?\d)\s*日?\s*"
    r"(?P<hour>[0-2]?\d)[:：](?P<minute>[0-5]\d)(?::(?P<second>[0-5]\d))?(?![\d\-/.])"
)
"""A month and day with a clock time and no year (09-07 15:10, 9月7日 15:10, 10-0812:00): the
year comes from other evidence."""

BARE_YEAR = r"(?P<year>(?:19|20)\d{2})\s*年?"
"""A year printed on its own (a dateline set over several lines: 2019 / 09/07 / 19:02)."""

ISO_DATE = r"(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}"
"""A numeric date, the shape teaser lists print."""

CJK_DATE = r"(?:19|20)\d{2}年\d{1,2}月\d{1,2}日"
"""A date written out with 年月日, the shape notices sign with and some teaser lists print."""

TEASER_DATE = (
    r"[\[【(（]?(?:" + ISO_DATE + "|" + CJK_DATE + r"|(?<![\d\-/.])\d{2}[-/]\d{2})"
    r"(?:\s+\d{1,2}:\d{2})?[\]】)）]?"
)
"""A date closing a related-article teaser: 2025-06-26, [2025-06-26], (06-26), 2025/6/26,
2025年6月26日."""

LIST_DATE = r"(?P<year>20\d{2})[-/.年](?P<month>\d{1,2})[-/.月](?P<day>\d{1,2})"
"""The date a list page prints beside a link (2025-06-26, 2025年6月26日)."""

URL_DATES = (
    r"/t(?P<year>20\d{2})(?P<month>\d{2})(?P<day>\d{2})_\d+",
    r"(?<!\d)(?P<year>20\d{2})[-/_]?(?P<month>0[1-9]|1[0-2])[-/_]?(?P<day>0[1-9]|[12]\d|3[01])"
    r"(?!\d)",
    r"/(?P<year>20\d{2})-(?P<month>\d{2})/(?P<day>\d{2})/",
)
"""Dates in URL paths, most specific first: TRS `t20230101_123.html`, `/2023/01/01/`,
`20230101`, and the e-paper `/html/2023-08/24/`."""

LIST_URL_DATE = r"(?P<year>20\d{2})[-/]?(?P<month>\d{2})[-/]?(?P<day>\d{2})"
"""A date in a linked URL, as list pages are read (looser than `URL_DATES`)."""

CST = timezone(timedelta(hours=8))
"""China Standard Time: datelines on these sites are in it, and every `published_at` is."""


def unnamed(pattern: str) -> str:
    """`pattern` with its named groups made plain non-capturing groups."""
    return re.sub(r"\(\?P<\w+>", "(?:", pattern)


def to_iso(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0,
           offset: str | None = None) -> str | None:
    """ISO 8601 in +08:00 for the given fields (converted when `offset` names another zone,
    `Z` or `±hh:mm`), or None when the fields are no valid date."""
    try:
        moment = datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None
    if offset:
        if offset == "Z":
            zone = UTC
        else:
            sign = 1 if offset[0] == "+" else -1
            digits = offset[1:].replace(":", "")
            zone = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
        moment = moment.replace(tzinfo=zone).astimezone(CST).replace(tzinfo=None)
    return moment.replace(tzinfo=CST).isoformat()


def match_iso(match: re.Match[str], year: int | None = None) -> str | None:
    """ISO 8601 (+08:00) from a match of one of these shapes; `year` fills a shape without
    one, and a two-digit year is taken as 20YY."""
    fields = match.groupdict()
    if fields.get("year"):
        year = int(fields["year"])
        year = year + 2000 if year < 100 else year
    if year is None:
        return None
    return to_iso(year, int(fields["month"]), int(fields["day"]), int(fields.get("hour") or 0),
                  int(fields.get("minute") or 0), int(fields.get("second") or 0),
                  fields.get("offset"))
