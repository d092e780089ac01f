"""Anti-bot challenge pages: recognised and named, never answered.

Many government portals sit behind a web application firewall that answers a crawler with a
challenge instead of the page: HTTP 412, or a page (often 200, sometimes 202, 403, 503 or 521)
whose body is only a script that sets a cookie and reloads. Such a response is no article and
no error page; `challenge_reason` names it so that rejects and health say "anti-bot challenge"
instead of "no article". The crawler does not run the script or retry around the wall.
"""

from __future__ import annotations

import re

from storage.health import CHALLENGE

CHALLENGE_STATUS = 412
"""Precondition Failed: what the common WAFs answer to a client without their cookie."""
MAX_CHALLENGE_BYTES = 32_768
MAX_VISIBLE_CHARS = 40
"""A challenge page shows at most a short "please wait" line."""

_SCRIPT = re.compile(rb"<script\b[^>]*>(.*?)</script\s*>", re.I | re.S)
_STYLE = re.compile(rb"<(style|noscript|head)\b[^>]*>.*?</\1\s*>", re.I | re.S)
_TAG = re.compile(rb"<[^>]+>")
_COOKIE = re.compile(rb"cookie", re.I)
_NAVIGATE = re.compile(rb"location|reload|refresh|submit\(", re.I)
_ENTITY = re.compile(rb"&[#\w]+;")


def visible_text(body: bytes) -> str:
    """The text a browser would show without running scripts (roughly: tags removed)."""
    text = _TAG.sub(b" ", _STYLE.sub(b" ", _SCRIPT.sub(b" ", body)))
    return " ".join(_ENTITY.sub(b" ", text).decode("utf-8", "replace").split())


def challenge_reason(status: int, body: bytes) -> str | None:
    """`anti-bot challenge (...)` when a response is a challenge page, else None."""
    if status == CHALLENGE_STATUS:
        return f"{CHALLENGE} (http {status})"
    if not body or len(body) > MAX_CHALLENGE_BYTES:
        return None
    scripts = b"\n".join(_SCRIPT.findall(body))
    if not _COOKIE.search(scripts) or not _NAVIGATE.search(scripts):
        return None
    if len(visible_text(body).replace(" ", "")) > MAX_VISIBLE_CHARS:
        return None
    return f"{CHALLENGE} (cookie script, http {status})"
