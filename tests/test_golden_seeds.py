"""Seed goldens: `clean_document` on each seed gives exactly the checked-in records.

The expected files are written by `python -m tests.golden.regen` and read line by line before
they are committed. Every seed must have one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.golden.regen import SEEDS, expected_path, golden_records, read_expected

SEED_FILES = sorted(SEEDS.glob("*.txt"))
RECORD_COUNTS = {"000": 1, "001": 1, "002": 1, "003": 4, "004": 3}
LEFTOVERS = ("返回顶部", "上一篇", "下一篇", "关注济源网微信", "\ufffd", "(lán)", "2025-06-25")


def test_every_seed_is_covered() -> None:
    assert {path.name[:3] for path in SEED_FILES} == set(RECORD_COUNTS)


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda path: path.name[:3])
def test_seed_matches_golden(seed: Path) -> None:
    expected = read_expected(expected_path(seed))
    assert expected, f"no golden for {seed.name}: run python -m tests.golden.regen"
    assert golden_records(seed) == expected


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda path: path.name[:3])
def test_golden_is_clean(seed: Path) -> None:
    expected = read_expected(expected_path(seed))
    assert len(expected) == RECORD_COUNTS[seed.name[:3]]
    for record in expected:
        assert not any(leftover in record["text"] for leftover in LEFTOVERS)
        assert "\n\n" not in record["text"]
        assert all(line == line.strip() for line in record["text"].split("\n"))
