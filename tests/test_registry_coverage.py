"""Every site in the registry is covered: README table, replica content and extraction gold pages.

Modelled on Fundus's publisher coverage: adding `seeds/<site>.toml` without its replica, its gold
pages or its README row fails here, naming what is missing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.replica.content import SITES
from crawler.sites import SEEDS_DIR, load_sites
from crawler.sites_cli import sites_markdown

ROOT = Path(__file__).resolve().parent.parent
REGISTRY = load_sites(SEEDS_DIR)
GOLD = ROOT / "tests" / "gold"


def gold_families() -> set[str]:
    return {json.loads(meta.read_text(encoding="utf-8"))["family"]
            for meta in GOLD.glob("*/meta.json")}


def test_readme_lists_exactly_the_registry() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert sites_markdown(REGISTRY) in readme, (
        "README's supported-sites table is out of date: paste `govnews sites --markdown`")


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_site_has_replica_and_gold_pages(name: str) -> None:
    assert name in SITES, f"site {name!r} has no replica content in crawler/replica/content.py"
    assert f"replica:{name}" in gold_families(), (
        f"site {name!r} has no gold page in tests/gold (meta.json family 'replica:{name}')")
