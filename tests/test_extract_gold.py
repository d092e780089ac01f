"""The extraction gold set: every page's records against its expected records, and the floors
pinned in tests/gold/FLOOR (body F1, title and published_at exact-match rates)."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.eval import GoldPage, evaluate, load_gold, ours, score_page
from tests.conftest import validate_record

GOLD = Path(__file__).parent / "gold"
PAGES = load_gold(GOLD)


def floors() -> dict[str, float]:
    lines = (GOLD / "FLOOR").read_text(encoding="utf-8").splitlines()
    pairs = (line.split() for line in lines if line.strip() and not line.startswith("#"))
    return {name: float(value) for name, value in pairs}


def test_gold_set_covers_the_issue() -> None:
    names = {page.name for page in PAGES}
    assert len(PAGES) >= 30
    for family in ("seed_jynews_000", "seed_jynews_big5_002", "seed_mengjin_001",
                   "seed_zzwb_003", "seed_zzzy_004"):
        assert family in names
    for case in ("gb2312_meta", "wrong_header", "bom", "gb18030_undeclared", "mojibake"):
        assert any(case in name for name in names), case
    for page in PAGES:
        for record in page.expected:
            assert "\ufffd" not in record["text"] and record["text"].strip()


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_page(page: GoldPage) -> None:
    records = ours(page)
    for record in records:
        validate_record(record)
    assert len(records) == len(page.expected), [r["title"] for r in records]
    for got, expected in zip(records, page.expected, strict=True):
        assert (got["url"], got["part"], got["parts"]) == (
            expected["url"], expected["part"], expected["parts"])
    assert score_page(page, records).body_f1 >= 0.8


def test_floors() -> None:
    summary, _ = evaluate(PAGES, baseline=False)
    floor = floors()
    assert summary.body_f1 >= floor["body_f1"], summary.per_page
    assert summary.title_em >= floor["title_em"]
    assert summary.published_at_em >= floor["published_at_em"]
