"""Layers point one way: storage imports neither crawler nor flows; crawler never imports flows;
the site registry and the fetch subprocess do not load the extractors."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {"storage": ("crawler", "flows"), "crawler": ("flows",)}


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_point_one_way(layer: str) -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_packages(path) & set(FORBIDDEN[layer]))
        for path in (ROOT / layer).rglob("*.py")
    }
    assert {path: names for path, names in offenders.items() if names} == {}


HEAVY = ("trafilatura", "readability", "htmldate", "crawler.repair", "crawler.extract.page")
"""Modules the site registry and the fetch subprocess must not load."""


@pytest.mark.parametrize("module", ["crawler.sites", "crawler.fetch", "crawler.spiders.news"])
def test_registry_and_fetch_do_not_load_the_extractors(module: str) -> None:
    code = (f"import sys, {module}\n"
            f"print(' '.join(n for n in {HEAVY!r} if n in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, check=True)
    assert result.stdout.split() == []


def test_vocabulary_needs_only_the_standard_library() -> None:
    for path in (ROOT / "crawler" / "vocab").glob("*.py"):
        outside = {name for name in imported_packages(path)
                   if name not in sys.stdlib_module_names and name not in ("crawler", "__future__")}
        assert outside == set(), path.name
