"""Metadata on the real-page dev set (`../shared/realpages`, pages nobody here wrote): floors for
title exact match, published day and authors, and a ceiling on pages given an author they do
not name. Skips where the shared folder is absent (a clone without `../shared`)."""

from __future__ import annotations

import pytest

from benchmarks.eval_meta import govnews_meta, score
from benchmarks.realpages import available, load_realpages

PAGES = load_realpages() if available() else []

TITLE_FLOOR = 0.90
DAY_FLOOR = 0.90
AUTHORS_FLOOR = 0.65
FALSE_AUTHORS_CEILING = 0.05


@pytest.mark.skipif(not PAGES, reason="../shared/realpages is not beside the project")
def test_metadata_floors_on_real_pages() -> None:
    summary = score(PAGES, govnews_meta)
    assert summary.title / summary.titled >= TITLE_FLOOR
    assert summary.day / summary.dated >= DAY_FLOOR
    assert summary.authors / summary.credited >= AUTHORS_FLOOR
    assert summary.false_authors / summary.uncredited <= FALSE_AUTHORS_CEILING
