"""Reading and cleaning input documents: every document gives records or one named Reject."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.article import Article, Reject
from crawler.documents import clean_path, decode_text_file

ARTICLE = "会议指出，今年以来经济运行保持平稳。\n会议要求，确保完成全年目标任务。"


def test_txt_is_one_document_with_its_file_uri(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    (article,) = clean_path(path)
    assert isinstance(article, Article)
    assert article.url == path.resolve().as_uri()
    assert article.text == ARTICLE


def test_jsonl_lines_carry_their_fields_and_bad_lines_are_named(tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl"
    path.write_text(
        '{"content": "会议指出，今年以来经济运行保持平稳。", "id": "d1", "url": "http://x.gov.cn/1"}\n'
        "{not json\n"
        '{"title": "no text"}\n'
        '{"text": "返回顶部"}\n', encoding="utf-8")
    outcomes = list(clean_path(path))
    articles = [o for o in outcomes if isinstance(o, Article)]
    rejects = [o for o in outcomes if isinstance(o, Reject)]
    assert [a.to_record()["id"] for a in articles] == ["d1"]
    assert articles[0].url == "http://x.gov.cn/1"
    assert [(r.details["document"], r.stage) for r in rejects] == [
        (f"{path}:2", "read"), (f"{path}:3", "read"), (f"{path}:4", "clean")]
    assert "malformed JSON" in rejects[0].reason


def test_empty_binary_and_missing_inputs_are_rejects(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "bin.txt"
    binary.write_bytes(bytes(range(256)) * 8)
    utf32 = tmp_path / "utf32.txt"
    utf32.write_bytes(b"\xff\xfe\x00\x00")
    reasons = {Path(r.details["document"]).name: r.reason
               for path in (empty, binary, utf32, tmp_path / "missing.txt")
               for r in clean_path(path) if isinstance(r, Reject)}
    assert reasons["empty.txt"] == "empty file"
    assert "binary" in reasons["bin.txt"] and "binary" in reasons["utf32.txt"]
    assert reasons["missing.txt"].startswith("cannot read")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "big5", "utf-16"])
def test_text_files_in_chinese_encodings_are_decoded(encoding: str) -> None:
    text = ARTICLE if encoding != "big5" else "會議指出，今年以來經濟運行保持平穩。"
    assert decode_text_file(text.encode(encoding)) == text
