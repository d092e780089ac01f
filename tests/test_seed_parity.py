"""`govnews extract` on the seed sites' replica pages gives the records `govnews clean` gives on
the seed texts, apart from the fields only a page carries (url, published_at, source, and the
title where the seed text has no headline); each page is read with its site's rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.clean import clean_document
from crawler.extract import extract_page
from crawler.sites import load_site

ROOT = Path(__file__).resolve().parent
SEED_PAGES = {
    "000": "jynews/golden/seed_jynews_000", "001": "mengjin/golden/seed_mengjin_001",
    "002": "jynews_big5/golden/seed_jynews_big5_002", "003": "zzwb/golden/seed_zzwb_003",
    "004": "zzzy/golden/seed_zzzy_004",
}


@pytest.mark.parametrize(("seed", "case"), sorted(SEED_PAGES.items()))
def test_page_and_text_give_the_same_records(seed: str, case: str) -> None:
    folder = ROOT.parent / "seeds" / case
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    site = load_site(ROOT.parent / "seeds" / case.split("/")[0] / "site.toml")
    page = extract_page((folder / "page.html").read_bytes(), url=meta["url"],
                        content_type=meta["charset"], rules=site.extract_rules())
    (text_path,) = (ROOT / "golden" / "seeds").glob(f"{seed}_*.txt")
    cleaned = clean_document(text_path.read_text(encoding="utf-8"), url=text_path.as_uri())

    assert [(a.part, a.parts) for a in page.articles] == [(a.part, a.parts) for a in cleaned]
    for from_page, from_text in zip(page.articles, cleaned, strict=True):
        assert from_page.text == from_text.text
        assert from_page.authors == from_text.authors
        if from_text.title is not None:
            assert from_page.title == from_text.title
