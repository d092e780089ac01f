"""Floors on real saved pages nobody here wrote (`../shared/realpages`, beside the project as in
CI; the pages are read from there, never copied). Skipped, saying why, where the folder is
absent. The floors sit a small margin under what govnews reaches (`make eval` prints the table
beside trafilatura and readability); the issue's targets are body F1 ≥ 0.95, no article page
below 0.5 and no list page with a record."""

from __future__ import annotations

import pytest

from benchmarks import realpages

pytestmark = pytest.mark.skipif(
    not realpages.available(),
    reason=f"{realpages.REALPAGES_DIR} not found (the shared real-page set sits beside the "
           "project in CI)")

BODY_F1 = 0.96
TITLE_EM = 0.85
PUBLISHED_DAY = 0.92
AUTHORS_F1 = 0.2
PARAGRAPHS = 0.87


@pytest.fixture(scope="module")
def score() -> realpages.RealScore:
    return realpages.score(realpages.load_realpages(), realpages.govnews_output)


def test_the_set_is_the_one_the_floors_were_set_on() -> None:
    pages = realpages.load_realpages()
    assert sum(p.is_article for p in pages) >= 60
    assert sum(p.is_list for p in pages) >= 4


def test_no_page_raises(score: realpages.RealScore) -> None:
    assert score.crashed == {}


def test_body_floors(score: realpages.RealScore) -> None:
    assert score.body_f1 >= BODY_F1, score.per_page
    assert score.low_pages == []


def test_paragraphs_floor(score: realpages.RealScore) -> None:
    # 0.892 at this floor's setting (0.821 while page paragraphs were still rejoined as
    # layout cuts; trafilatura 0.800).
    assert score.paragraphs >= PARAGRAPHS


def test_list_pages_give_no_record(score: realpages.RealScore) -> None:
    assert score.list_records == []


def test_metadata_floors(score: realpages.RealScore) -> None:
    assert score.title_em >= TITLE_EM
    assert score.day_em >= PUBLISHED_DAY
    assert score.authors_f1 >= AUTHORS_F1


def test_no_heuristic_fails_on_a_real_page(score: realpages.RealScore) -> None:
    assert score.failures == {}
