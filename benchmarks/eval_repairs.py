"""Repair evaluation: exact restoration of damaged paragraphs, per kind of damage.

`python -m benchmarks.eval_repairs` damages clean paragraphs with every generator of
`benchmarks.damage` and counts, per kind, how many come back byte-identical:

- `chain`: the whole chain, `crawler.repair.repair_text`;
- `single`: only the repairs responsible for that kind, in chain order.

It also counts false positives: clean paragraphs (and their traditional-script forms, for the
mojibake repairs) that a repair changes.

Two paragraph sets, kept apart so that tuning does not leak into the score:
- `tuning`: the paragraphs of the seed documents' expected records (width-folded scrapes);
- `eval`: the article paragraphs of the gold stories (`tests/gold/stories.py`, `hard_stories.py`),
  with their full-width punctuation.
"""

from __future__ import annotations

import argparse
import random
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from benchmarks.damage import KINDS, Case, Kind, traditional
from crawler.repair import REPAIRS, Repair, repair_text, run_repairs

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "tests" / "golden" / "seeds"
MIN_CHARS = 12
"""Paragraphs shorter than this (datelines, bylines) are left out."""

MOJIBAKE = (
    "mojibake_utf8_as_gbk",
    "mojibake_gbk_as_latin1",
    "mojibake_utf8_as_cp1252",
    "shifted_gbk",
)


def tuning_paragraphs() -> list[str]:
    """Paragraphs of the seed documents' expected records."""
    paragraphs: list[str] = []
    for path in sorted(SEEDS.glob("*.expected.jsonl")):
        for line in path.read_bytes().splitlines():
            if line.strip():
                paragraphs += orjson.loads(line)["text"].split("\n")
    return [p for p in paragraphs if len(p) >= MIN_CHARS]


def eval_paragraphs() -> list[str]:
    """Body paragraphs of the gold stories (not derived from the seeds)."""
    from tests.gold.hard_stories import HARD_STORIES
    from tests.gold.stories import STORIES

    stories = [*STORIES.values(), *HARD_STORIES.values()]
    return [p for story in stories for p in story.paragraphs if len(p) >= MIN_CHARS]


SETS: dict[str, Callable[[], list[str]]] = {"tuning": tuning_paragraphs, "eval": eval_paragraphs}


def make_cases(kind: Kind, paragraphs: list[str], seed: int) -> list[Case]:
    """The damaged cases of one kind, one per paragraph that can carry it (deterministic)."""
    cases = []
    for index, paragraph in enumerate(paragraphs):
        rng = random.Random(zlib.crc32(f"{seed}:{kind.name}:{index}".encode()))
        case = kind.damage(paragraph, rng)
        if case is not None:
            cases.append(case)
    return cases


def responsible(kind: Kind) -> tuple[Repair, ...]:
    """The repairs of the chain that undo `kind`, in chain order."""
    return tuple(repair for repair in REPAIRS if repair.name in kind.repairs)


@dataclass
class KindScore:
    """Exact restorations of one kind, by the whole chain and by its own repairs."""

    name: str
    cases: int = 0
    chain: int = 0
    single: int = 0
    failures: list[tuple[Case, str]] = field(default_factory=list)


def score_kind(kind: Kind, paragraphs: list[str], seed: int) -> KindScore:
    """Run the chain and the responsible repairs on every case of `kind`."""
    score = KindScore(kind.name)
    own = responsible(kind)
    for case in make_cases(kind, paragraphs, seed):
        score.cases += 1
        chained = repair_text(case.damaged)[0]
        score.chain += chained == case.original
        single = run_repairs(case.damaged, own)[0]
        score.single += single == case.original
        if single != case.original:
            score.failures.append((case, single))
    return score


def false_positives(paragraphs: list[str]) -> dict[str, int]:
    """Clean paragraphs changed, by the chain and by each mojibake repair (also on traditional)."""
    counts = {"chain": sum(repair_text(p)[0] != p for p in paragraphs)}
    rng = random.Random(0)
    traditional_forms = [case.damaged for p in paragraphs if (case := traditional(p, rng))]
    for repair in REPAIRS:
        if repair.name in MOJIBAKE:
            counts[repair.name] = sum(
                repair.apply(p) != p for p in [*paragraphs, *traditional_forms]
            )
    return counts


def report(name: str, paragraphs: list[str], seed: int, show: int) -> None:
    """Print the per-kind table and the false positives of one paragraph set."""
    print(f"\n== {name}: {len(paragraphs)} clean paragraphs, seed {seed}")
    print(f"{'kind':<24}{'cases':>7}{'chain':>9}{'single':>9}")
    for kind in KINDS:
        score = score_kind(kind, paragraphs, seed)
        if not score.cases:
            continue
        chain = 100 * score.chain / score.cases
        single = 100 * score.single / score.cases
        print(f"{kind.name:<24}{score.cases:>7}{chain:>8.1f}%{single:>8.1f}%")
        for case, got in score.failures[:show]:
            print(f"    damaged: {case.damaged!r}\n    got:     {got!r}")
            print(f"    want:    {case.original!r}")
    fp = false_positives(paragraphs)
    print(
        "false positives on clean paragraphs: "
        + ", ".join(f"{repair} {count}" for repair, count in fp.items())
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--set",
        choices=[*SETS, "both"],
        default="both",
        help="which paragraphs to damage (tune on `tuning` only)",
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the damage generators")
    parser.add_argument("--show", type=int, default=0, help="print this many failures per kind")
    args = parser.parse_args(argv)
    names = list(SETS) if args.set == "both" else [args.set]
    for name in names:
        report(name, SETS[name](), args.seed, args.show)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
