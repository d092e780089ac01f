"""Every site folder is complete: README row, replica and golden pages; one test per folder.

Modelled on Fundus's publisher coverage: a `seeds/<site>/` without its replica, its golden pages
or its README row fails here, naming what is missing. Each site's golden pages are extracted
with the site's own rules and compared with their expected records.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.eval import load_gold, score_page
from crawler.extract import extract_page
from crawler.new_site import REVIEW_FLAG
from crawler.replica.site import has_replica, load_replicas
from crawler.sites import SEEDS_DIR, load_sites
from crawler.sites_cli import readme_with_sites

ROOT = Path(__file__).resolve().parent.parent
REGISTRY = load_sites(SEEDS_DIR)


def test_readme_lists_exactly_the_registry() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme_with_sites(readme, REGISTRY) == readme, (
        "README's supported-sites table is out of date: run `govnews sites --write-readme`")


def test_the_registry_holds_at_least_eight_sites() -> None:
    assert len(REGISTRY) >= 8


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_site_folder_is_complete(name: str) -> None:
    folder = SEEDS_DIR / name
    assert has_replica(SEEDS_DIR, name), f"{folder}/replica/replica.toml is missing"
    replica = load_replicas(SEEDS_DIR, [name])[name]
    site = REGISTRY[name]
    assert site.allows(f"{replica.serving.scheme}://{replica.host}/"), (
        f"the replica of {name} serves {replica.host}, outside allowed_domains")
    assert all(url.startswith(f"{replica.serving.scheme}://") for url in site.start_urls), (
        f"{name}: site.toml and replica.toml disagree on the scheme")
    cases = load_gold(folder / "golden", seeds=None)
    assert cases, f"{folder}/golden/ holds no golden page"
    for meta in (folder / "golden").glob("*/meta.json"):
        assert REVIEW_FLAG not in json.loads(meta.read_text(encoding="utf-8")), (
            f"{meta}: the golden entry written by new-site was not reviewed")
    text = (folder / "site.toml").read_text(encoding="utf-8")
    assert "VERIFIED" in text, f"{name}: site.toml marks no claim VERIFIED or UNVERIFIED"


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_site_golden_pages_extract_as_expected(name: str) -> None:
    rules = REGISTRY[name].extract_rules()
    for page in load_gold(SEEDS_DIR / name / "golden", seeds=None):
        assert page.family == f"replica:{name}", page.name
        extraction = extract_page(page.body, url=page.url, content_type=page.content_type,
                                  rules=rules, site=name)
        records = [article.to_record() for article in extraction.articles]
        assert [(r["url"], r["part"], r["parts"], r["title"]) for r in records] == [
            (e["url"], e["part"], e["parts"], e["title"]) for e in page.expected], page.name
        assert score_page(page, records).body_f1 >= 0.8, page.name
