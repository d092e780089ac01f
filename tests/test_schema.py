"""The record contract: built records validate, and the schema rejects broken ones."""

from __future__ import annotations

import jsonschema
import pytest

from crawler.article import Article, record_id
from tests.conftest import VALIDATOR


def test_record_has_every_contract_field() -> None:
    record = Article(url="http://example.gov.cn/a.html", text="正文。", site="x").to_record()
    assert set(VALIDATOR.schema["required"]) <= set(record)
    assert record["lang"] == "zh-Hans"
    assert record["id"] == record_id("http://example.gov.cn/a.html", 1)


def test_id_is_stable_and_depends_on_part() -> None:
    url = "http://example.gov.cn/a.html"
    assert record_id(url, 1) == "9e39a6a11ee0d2f6d98646b0", "ids must not change across versions"
    assert record_id(url, 1) != record_id(url, 2)


def test_carried_id_gets_part_suffix_only_when_split() -> None:
    single = Article(url="u", text="正文。", extra={"id": "doc-7"}).to_record()
    part = Article(url="u", text="正文。", part=2, parts=3, extra={"id": "doc-7"}).to_record()
    assert single["id"] == "doc-7"
    assert part["id"] == "doc-7#2"


@pytest.mark.parametrize(
    ("field", "value"),
    [("published_at", "2023-01-01T18:30:45Z"), ("text", ""), ("lang", "zh-Hant"),
     ("authors", ["郑海波", ""]), ("content_sha256", "abc")],
)
def test_schema_rejects_broken_records(field: str, value: object) -> None:
    record = Article(url="u", text="正文。").to_record()
    record[field] = value
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate(record)


def test_carried_fields_fill_gaps_but_never_override_computed_ones() -> None:
    carried = {"title": "旧标题", "published_at": "2023-01-01", "repairs": ["bogus"],
               "content_sha256": "0" * 64, "lang": "en", "batch": 7}
    record = Article(url="u", text="正文。", title=None, extra=carried).to_record()
    assert record["title"] == "旧标题"
    assert record["published_at"] is None, "a date not in the contract's form is not carried"
    assert record["repairs"] == [] and record["lang"] == "zh-Hans"
    assert record["content_sha256"] != "0" * 64
    assert record["batch"] == 7
    titled = Article(url="u", text="正文。", title="新标题", extra=carried).to_record()
    assert titled["title"] == "新标题"
