"""Page bytes → text, by weighing the declarations against the bytes themselves.

Evidence, in order: a byte-order mark (it is in the bytes, so it wins, as in browsers); the HTTP
`Content-Type` charset; `<meta charset>` / `http-equiv`; an encoding hint from the site's config;
and, when nothing is declared, detection (the Chinese candidates by plausibility, with
charset-normalizer's guess among them). Each declaration is checked against the bytes before it
is believed:

* bytes that decode strictly as UTF-8 and contain non-ASCII are UTF-8, whatever is claimed;
* gb18030 decodes almost any byte string, so a decode without errors proves nothing: the text
  must also be *plausible Chinese* — mostly the common Han characters of GB2312 level 1 and the
  Big5 frequent set, hardly any private-use, C1-control or Latin-1 letter characters.

The result carries the route taken and why; `corrected` is true when the bytes overruled a
declaration, and the extraction then records `decode_charset_corrected` in `repairs`.
Mojibake that survived inside correctly decoded bytes (a UTF-8 page whose text was once GBK read
wrongly) is the repair chain's job, not this module's.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from functools import lru_cache

from charset_normalizer import from_bytes

CORRECTION_REPAIR = "decode_charset_corrected"

# Labels browsers treat as one encoding (WHATWG): gb2312 and gbk pages decode as gb18030, and
# latin-1 / ascii labels mean windows-1252.
LABEL_ALIASES: dict[str, str] = {
    "gb2312": "gb18030",
    "gb_2312": "gb18030",
    "gb_2312-80": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "ms936": "gb18030",
    "windows-936": "gb18030",
    "csgb2312": "gb18030",
    "chinese": "gb18030",
    "iso-ir-58": "gb18030",
    "euc-cn": "gb18030",
    "gb18030": "gb18030",
    "big5": "big5hkscs",
    "big5-hkscs": "big5hkscs",
    "x-x-big5": "big5hkscs",
    "cn-big5": "big5hkscs",
    "utf8": "utf-8",
    "utf-8": "utf-8",
    "unicode-1-1-utf-8": "utf-8",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "windows-1252": "cp1252",
    "cp1252": "cp1252",
}

BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# The Chinese candidates tried when declarations fail or are missing.
CHINESE_CANDIDATES: tuple[str, ...] = ("gb18030", "big5hkscs")

PLAUSIBLE = 0.8
"""Minimum plausibility score for a decoding of Chinese text to be believed."""
UTF8_ERROR_TOLERANCE = 0.002
"""Share of non-ASCII characters that may be undecodable (a truncated body, one stray byte) for
bytes to still count as UTF-8."""
SAMPLE_CHARS = 30000
"""Plausibility reads at most this many non-ASCII characters."""

_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_NON_ASCII_BYTES = re.compile(rb"[\x80-\xff]")


@dataclass(frozen=True)
class Decoding:
    """How the bytes became text: the codec, the evidence that chose it, whether the bytes
    overruled a declaration, and a short human-readable reason."""

    encoding: str
    route: str
    corrected: bool = False
    reason: str = ""


def normalize_label(label: str | None) -> str | None:
    """The codec name for a declared charset label, or None when Python does not know it."""
    if not label:
        return None
    lowered = label.strip().strip("\"'").lower()
    if lowered in LABEL_ALIASES:
        return LABEL_ALIASES[lowered]
    try:
        name = codecs.lookup(lowered).name
    except LookupError:
        return None
    return LABEL_ALIASES.get(name, name)


def header_charset(content_type: str | None) -> str | None:
    """The charset label in an HTTP `Content-Type` value, if any."""
    if not content_type:
        return None
    match = _HEADER_CHARSET.search(content_type)
    return match.group(1) if match else None


def meta_charset(body: bytes) -> str | None:
    """The charset label of the first `<meta charset>` / `http-equiv` in the page's head."""
    match = _META_CHARSET.search(body, 0, 16384)
    return match.group(1).decode("ascii", "replace") if match else None


@lru_cache(maxsize=1)
def common_han() -> frozenset[str]:
    """The common Han characters: GB2312 level 1 (3755 most used simplified characters) and the
    Big5 frequent set (5401 traditional characters), read from the code tables themselves."""
    chars: set[str] = set()
    for lead in range(0xB0, 0xD8):
        for trail in range(0xA1, 0xFF):
            try:
                chars.add(bytes((lead, trail)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    for lead in range(0xA4, 0xC7):
        for trail in (*range(0x40, 0x7F), *range(0xA1, 0xFF)):
            if lead == 0xC6 and trail > 0x7E:
                break
            try:
                chars.add(bytes((lead, trail)).decode("big5"))
            except UnicodeDecodeError:
                continue
    return frozenset(chars)


def _char_weight(char: str, common: frozenset[str]) -> float:
    """How much one non-ASCII character looks like it belongs in Chinese news text (0..1)."""
    if char in common:
        return 1.0
    code = ord(char)
    if 0x4E00 <= code <= 0x9FFF:
        return 0.35
    if 0x3000 <= code <= 0x303F or 0xFF00 <= code <= 0xFFEF or 0x2010 <= code <= 0x206F:
        return 0.0 if code == 0xFFFD else 1.0
    if char in "·×÷°±§№℃※→←↑↓■□●○◆◇★☆▲△▼▽":
        return 1.0
    if 0x3400 <= code <= 0x4DBF or code >= 0x20000:
        return 0.05
    return 0.0


def plausibility(text: str) -> float:
    """Share (0..1) of the non-ASCII characters that look like Chinese news text; 1.0 when the
    text has no non-ASCII characters at all."""
    common = common_han()
    total = 0
    score = 0.0
    for match in _NON_ASCII.finditer(text):
        score += _char_weight(match.group(), common)
        total += 1
        if total >= SAMPLE_CHARS:
            break
    return score / total if total else 1.0


def _utf8_text(body: bytes) -> str | None:
    """`body` as UTF-8 when it is UTF-8 (tolerating a truncated tail or a stray byte), else None."""
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = body.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    non_ascii = len(_NON_ASCII_BYTES.findall(body)) // 3 or 1
    return text if bad <= max(1, non_ascii * UTF8_ERROR_TOLERANCE) else None


def _strict(body: bytes, encoding: str) -> str | None:
    """`body` decoded strictly as `encoding`, or None when it does not decode."""
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _detected(body: bytes) -> tuple[str, str, str]:
    """(encoding, text, reason) for bytes whose declarations are missing or failed: the most
    plausible of the Chinese candidates and charset-normalizer's guess."""
    scored: list[tuple[float, str, str]] = []
    for encoding in CHINESE_CANDIDATES:
        text = _strict(body, encoding)
        if text is not None:
            scored.append((plausibility(text), encoding, text))
    best_score = max((score for score, _, _ in scored), default=0.0)
    if best_score < PLAUSIBLE:
        guess = from_bytes(body[:65536]).best()
        if guess is not None:
            encoding = normalize_label(guess.encoding) or guess.encoding
            text = body.decode(encoding, errors="replace")
            scored.append((plausibility(text), encoding, text))
    if not scored:
        text = body.decode("gb18030", errors="replace")
        return "gb18030", text, "no candidate decodes; gb18030 with replacement"
    score, encoding, text = max(scored, key=lambda item: item[0])
    return encoding, text, f"{encoding} most plausible ({score:.2f})"


def without_nul(body: bytes, content_type: str | None = None) -> bytes:
    """`body` without NUL bytes, unless it is UTF-16/32 (a BOM or a declared label), where
    they are part of the characters. In the other encodings a NUL byte is never part of a
    character: HTML parsers ignore it, and a stray one inside a multi-byte sequence would
    otherwise turn a character into U+FFFD."""
    if b"\x00" not in body or body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return body
    for label in (header_charset(content_type), meta_charset(body)):
        if label and label.strip().lower().startswith(("utf-16", "utf-32", "ucs")):
            return body
    return body.replace(b"\x00", b"")


def decode_html(
    body: bytes, *, content_type: str | None = None, hint: str | None = None,
    force: str | None = None,
) -> tuple[str, Decoding]:
    """Decode page bytes; return the text and how it was decoded.

    `content_type` is the HTTP header value, `hint` the site config's encoding (checked like any
    declaration), `force` an operator's explicit choice (believed without checks)."""
    if force:
        encoding = normalize_label(force) or force
        return body.decode(encoding, errors="replace"), Decoding(encoding, "forced", False,
                                                                 "--encoding given")
    declared: list[tuple[str, str]] = []
    for label, route in ((header_charset(content_type), "http-header"),
                         (meta_charset(body), "meta"), (hint, "site-hint")):
        codec = normalize_label(label)
        if codec and all(codec != seen for seen, _ in declared):
            declared.append((codec, route))
    first = declared[0][0] if declared else None

    for bom, encoding in BOMS:
        if body.startswith(bom):
            text = body[len(bom):].decode(encoding, errors="replace")
            corrected = first is not None and first != encoding
            return text, Decoding(encoding, "bom", corrected, f"byte-order mark for {encoding}")

    if not _NON_ASCII_BYTES.search(body):
        encoding, route = declared[0] if declared else ("utf-8", "ascii")
        if encoding not in ("utf-8", "cp1252", "gb18030", "big5hkscs"):
            encoding = "utf-8"
        return body.decode(encoding, errors="replace"), Decoding(encoding, route, False,
                                                                 "ASCII bytes")

    utf8 = _utf8_text(body)
    if utf8 is not None:
        if first in (None, "utf-8"):
            route = declared[0][1] if declared else "utf8-bytes"
            return utf8, Decoding("utf-8", route, False, "bytes are valid UTF-8")
        return utf8, Decoding("utf-8", "utf8-bytes", True,
                              f"declared {first} but bytes are valid UTF-8")

    for index, (encoding, route) in enumerate(declared):
        if encoding == "utf-8":
            continue
        candidate = _strict(body, encoding)
        if candidate is not None and plausibility(candidate) >= PLAUSIBLE:
            corrected = index > 0
            reason = f"{route} {encoding} checked against the bytes"
            if corrected:
                reason += f"; {declared[0][1]} {declared[0][0]} was wrong"
            return candidate, Decoding(encoding, route, corrected, reason)

    encoding, text, reason = _detected(body)
    if declared:
        return text, Decoding(encoding, "detected", encoding != first,
                              f"declared {first} does not fit the bytes; {reason}")
    return text, Decoding(encoding, "detected", False, f"nothing declared; {reason}")
