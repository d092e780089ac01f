"""Every command that reads sites takes `--seeds DIR`; `GOVNEWS_SEEDS` sets the default."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from crawler.sites import SEEDS_DIR
from flows.commands import (
    add_crawl_arguments,
    add_reprocess_arguments,
    add_serve_arguments,
    run_crawl,
    run_reprocess,
    run_serve,
)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    """A registry directory holding one site folder, a copy of mengjin's."""
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS_DIR / "mengjin", seeds / "onlysite")
    return seeds


@pytest.mark.parametrize(("add", "run", "argv"), [
    (add_crawl_arguments, run_crawl, ["nowhere"]),
    (add_serve_arguments, run_serve, ["nowhere"]),
    (add_reprocess_arguments, run_reprocess, ["nowhere"]),
])
def test_commands_read_the_registry_given(
        registry: Path, tmp_path: Path, add: Callable[[argparse.ArgumentParser], None],
        run: Callable[[argparse.Namespace], int], argv: list[str],
        capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser()
    add(parser)
    args = parser.parse_args([*argv, "--seeds", str(registry), "--out", str(tmp_path / "out")])
    assert run(args) == 2
    assert "unknown site 'nowhere' (known: onlysite)" in capsys.readouterr().err


def test_extract_reads_a_site_from_the_registry_given(registry: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    from flows.cli import main

    page = SEEDS_DIR / "mengjin" / "golden" / "seed_mengjin_001" / "page.html"
    assert main(["extract", "--site", "onlysite", "--seeds", str(registry), str(page)]) == 0
    (record, *_) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert record["title"]


def test_environment_variable_sets_the_default_registry(registry: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "flows.cli", "sites", "--json"], cwd=ROOT,
                          env={**os.environ, "GOVNEWS_SEEDS": str(registry)},
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert [row["name"] for row in json.loads(done.stdout)] == ["onlysite"]
