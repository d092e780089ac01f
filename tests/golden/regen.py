"""Regenerate the seed goldens: `python -m tests.golden.regen [--check] [SEED...]`.

Runs `clean_document` on each `tests/golden/seeds/<seed>.txt` and writes
`<seed>.expected.jsonl`, one record per line without the fields that depend on the path and the
clock (`VOLATILE`). Prints, per seed, whether the expected records changed and which fields did.
Use it deliberately: read every changed record line by line before committing it. With
`--check` nothing is written and the exit status says whether anything would change.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import orjson

from crawler.clean import clean_document

SEEDS = Path(__file__).resolve().parent / "seeds"
VOLATILE = ("id", "url", "fetched_at")
"""Record fields that depend on where and when the seed is cleaned; goldens leave them out."""

FETCHED_AT = "2000-01-01T00:00:00+00:00"


def seed_url(path: Path) -> str:
    """The URL a seed is cleaned under (not stored in the golden)."""
    return f"file:///seeds/{path.name}"


def expected_path(seed: Path) -> Path:
    return seed.with_name(f"{seed.stem}.expected.jsonl")


def golden_records(seed: Path) -> list[dict[str, Any]]:
    """The records `clean_document` makes of `seed`, without the volatile fields."""
    articles = clean_document(seed.read_text(encoding="utf-8"), url=seed_url(seed),
                              fetched_at=FETCHED_AT)
    records = []
    for article in articles:
        record = article.to_record()
        for key in VOLATILE:
            record.pop(key, None)
        records.append(record)
    return records


def read_expected(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]


def describe_change(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> str:
    """A one-line summary of how `new` differs from `old`."""
    if old == new:
        return "unchanged"
    if len(old) != len(new):
        return f"{len(old)} -> {len(new)} records"
    changes = []
    for index, (before, after) in enumerate(zip(old, new, strict=True), start=1):
        fields = sorted(key for key in before.keys() | after.keys()
                        if before.get(key) != after.get(key))
        if fields:
            changes.append(f"record {index}: {', '.join(fields)}")
    return "; ".join(changes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 on changes")
    parser.add_argument("seeds", nargs="*", help="seed name prefixes (default: all)")
    args = parser.parse_args(argv)
    changed = False
    for seed in sorted(SEEDS.glob("*.txt")):
        if args.seeds and not any(seed.name.startswith(prefix) for prefix in args.seeds):
            continue
        path = expected_path(seed)
        new = golden_records(seed)
        summary = describe_change(read_expected(path), new)
        print(f"{seed.stem}: {len(new)} record(s), {summary}")
        if summary != "unchanged":
            changed = True
            if not args.check:
                path.write_bytes(b"".join(orjson.dumps(record) + b"\n" for record in new))
    return 1 if changed and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
