"""Decoding: every encoding case of the gold set, lying declarations, BOMs, undeclared pages."""

from __future__ import annotations

import codecs

import pytest

from crawler.extract import extract_page
from crawler.extract.decode import (
    CORRECTION_REPAIR,
    decode_html,
    normalize_label,
    plausibility,
)

TEXT = "示范区召开优化营商环境工作推进会，总结前一阶段工作成效，安排部署下一步重点任务。" * 4
PAGE = ("<html><head>{meta}<title>工作动态</title></head>"
        "<body><div id='zoom'><p>{text}</p></div></body></html>")


def page(meta: str = "", text: str = TEXT) -> str:
    return PAGE.format(meta=meta, text=text)


def test_gb2312_declared_only_in_meta_decodes_as_gb18030() -> None:
    body = page('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">').encode(
        "gb2312")
    text, decoding = decode_html(body)
    assert TEXT in text
    assert (decoding.encoding, decoding.route, decoding.corrected) == ("gb18030", "meta", False)


def test_gbk_page_with_wrong_utf8_header_is_corrected_by_meta() -> None:
    body = page('<meta charset="gbk">').encode("gbk")
    text, decoding = decode_html(body, content_type="text/html; charset=UTF-8")
    assert TEXT in text
    assert decoding.encoding == "gb18030" and decoding.corrected
    assert "http-header" in decoding.reason


def test_gbk_page_with_latin1_header_and_no_meta_is_detected() -> None:
    text, decoding = decode_html(page().encode("gbk"), content_type="text/html; charset=iso-8859-1")
    assert TEXT in text
    assert decoding.route == "detected" and decoding.corrected


def test_utf8_bom_wins() -> None:
    body = codecs.BOM_UTF8 + page('<meta charset="gbk">').encode("utf-8")
    text, decoding = decode_html(body)
    assert TEXT in text and not text.startswith("\ufeff")
    assert decoding.route == "bom" and decoding.encoding == "utf-8"


def test_undeclared_gb18030_is_detected() -> None:
    rare = TEXT + "㐀䶵"  # characters outside GBK, four bytes in GB18030
    text, decoding = decode_html(page(text=rare).encode("gb18030"))
    assert rare in text
    assert decoding.encoding == "gb18030" and decoding.route == "detected"
    assert not decoding.corrected


def test_utf8_bytes_win_over_a_gbk_declaration() -> None:
    body = page('<meta charset="gb2312">').encode("utf-8")
    text, decoding = decode_html(body, content_type="text/html; charset=GBK")
    assert TEXT in text
    assert decoding.encoding == "utf-8" and decoding.corrected


def test_truncated_utf8_is_still_utf8() -> None:
    full = page().encode("utf-8")
    body = full[: full.index("。".encode()) + 2]  # cut inside a character, as a dropped connection
    _, decoding = decode_html(body)
    assert decoding.encoding == "utf-8"


def test_big5_is_told_from_gb18030() -> None:
    traditional = "示範區召開優化營商環境工作推進會，總結前一階段工作成效，安排部署重點任務。" * 3
    body = f"<html><body><div id='zoom'><p>{traditional}</p></div></body></html>".encode("big5")
    text, decoding = decode_html(body)
    assert traditional in text and decoding.encoding == "big5hkscs"


def test_ascii_page_and_forced_encoding() -> None:
    assert decode_html(b"<html><body>hello</body></html>")[1].route == "ascii"
    forced = decode_html(page().encode("gbk"), force="gbk")[1]
    assert forced.route == "forced" and forced.encoding == "gb18030"


@pytest.mark.parametrize(("label", "codec"), [
    ("GB2312", "gb18030"), ("x-gbk", "gb18030"), ("UTF8", "utf-8"), ("iso-8859-1", "cp1252"),
    ("big5", "big5hkscs"), ("no-such-charset", None), (None, None)])
def test_labels(label: str | None, codec: str | None) -> None:
    assert normalize_label(label) == codec


def test_plausibility_separates_chinese_from_mojibake() -> None:
    mojibake = TEXT.encode("utf-8").decode("gbk", errors="replace")
    assert plausibility(TEXT) > 0.95
    assert plausibility(mojibake) < 0.6
    assert plausibility("plain ASCII") == 1.0


def test_correction_is_recorded_in_repairs() -> None:
    body = page('<meta charset="gbk">').encode("gbk")
    extraction = extract_page(body, url="http://example.gov.cn/a.html",
                              content_type="text/html; charset=utf-8")
    assert extraction.articles
    assert CORRECTION_REPAIR in extraction.articles[0].repairs
    clean = extract_page(body, url="http://example.gov.cn/a.html")
    assert CORRECTION_REPAIR not in clean.articles[0].repairs
