"""Repair evaluation: exact restoration of damaged paragraphs, per kind of damage.

`python -m benchmarks.eval_repairs` damages clean paragraphs with every generator of
`benchmarks.damage` and counts, per kind, how many come back byte-identical:

- `chain`: the whole chain, `crawler.repair.repair_text`;
- `single`: only the repairs responsible for that kind, in chain order.

It also counts false positives: clean paragraphs (as they are, width-folded, and in
traditional script for the mojibake repairs) that a repair changes.

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

from benchmarks.damage import KINDS, Case, Kind, traditional, width_fold
from crawler.repair import REPAIRS, Repair, repair_text, run_repairs
from crawler.repair.mojibake import STRICT_HAN, is_han, strict_utf8_runs

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


REALPAGES = ROOT.parent / "shared" / "realpages" / "truth"
"""Hand-written truth of real saved pages, beside the project (third-party text: read here at
run time, never copied into the repository)."""

Document = list[str]
"""The paragraphs of one document, in order."""


def _long(paragraphs: list[str]) -> Document:
    """The paragraphs long enough to be damaged."""
    return [p for p in paragraphs if len(p) >= MIN_CHARS]


def tuning_documents() -> list[Document]:
    """Paragraphs of the seed documents' expected records, one document per record."""
    documents: list[Document] = []
    for path in sorted(SEEDS.glob("*.expected.jsonl")):
        for line in path.read_bytes().splitlines():
            if line.strip():
                documents.append(_long(orjson.loads(line)["text"].split("\n")))
    return documents


def eval_documents() -> list[Document]:
    """Body paragraphs of the gold stories (not derived from the seeds)."""
    from tests.gold.hard_stories import HARD_STORIES
    from tests.gold.stories import STORIES

    return [_long(list(story.paragraphs)) for story in [*STORIES.values(), *HARD_STORIES.values()]]


def realpage_documents() -> list[Document]:
    """Body paragraphs of the real pages' hand-written truth (empty when ../shared is absent)."""
    documents = []
    for path in sorted(REALPAGES.glob("*.json")):
        body = orjson.loads(path.read_bytes()).get("body") or ""
        documents.append(_long(body.split("\n")))
    return documents


SETS: dict[str, Callable[[], list[Document]]] = {
    "tuning": tuning_documents,
    "eval": eval_documents,
    "realpages": realpage_documents,
}


def inputs(kind: Kind, documents: list[Document]) -> list[str]:
    """What the generator of `kind` damages: each paragraph, or each run of `kind.paragraphs`
    consecutive paragraphs of a document joined by newlines."""
    width = kind.paragraphs
    return [
        "\n".join(document[start : start + width])
        for document in documents
        for start in range(len(document) - width + 1)
    ]


def make_cases(kind: Kind, documents: list[Document], seed: int, limit: int) -> list[Case]:
    """Up to `limit` damaged cases of one kind, from inputs drawn at random (deterministic)."""
    texts = inputs(kind, documents)
    order = list(range(len(texts)))
    random.Random(zlib.crc32(f"{seed}:{kind.name}".encode())).shuffle(order)
    cases = []
    for index in order:
        rng = random.Random(zlib.crc32(f"{seed}:{kind.name}:{index}".encode()))
        case = kind.damage(texts[index], rng)
        if case is not None:
            cases.append(case)
            if len(cases) == limit:
                break
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
    replacement_left: int = 0
    """Chain outputs that still hold U+FFFD."""
    failures: list[tuple[Case, str]] = field(default_factory=list)


def score_kind(kind: Kind, documents: list[Document], seed: int, limit: int) -> KindScore:
    """Run the chain and the responsible repairs on every case of `kind`."""
    score = KindScore(kind.name)
    own = responsible(kind)
    for case in make_cases(kind, documents, seed, limit):
        score.cases += 1
        chained = repair_text(case.damaged)[0]
        score.chain += chained == case.original
        score.replacement_left += "\ufffd" in chained
        single = run_repairs(case.damaged, own)[0]
        score.single += single == case.original
        if chained != case.original:
            score.failures.append((case, chained))
    return score


def false_positives(paragraphs: list[str]) -> dict[str, int]:
    """Clean paragraphs changed, by the chain and by each mojibake repair: the paragraphs as
    they are and width-folded (as seed 002 was, `?` and `,` among Han characters), and for the
    mojibake repairs their traditional forms too."""
    folded_forms = [folded for p in paragraphs if (folded := width_fold(p)) != p]
    counts = {"chain": sum(repair_text(p)[0] != p for p in [*paragraphs, *folded_forms])}
    rng = random.Random(0)
    traditional_forms = [case.damaged for p in paragraphs if (case := traditional(p, rng))]
    for repair in REPAIRS:
        if repair.name in MOJIBAKE:
            counts[repair.name] = sum(
                repair.apply(p) != p for p in [*paragraphs, *traditional_forms, *folded_forms]
            )
    return counts


def round_trips(paragraphs: list[str]) -> str:
    """How often clean text round-trips as UTF-8 read as GBK: the runs of `paragraphs` (and of
    their traditional forms) whose GBK bytes decode strictly as UTF-8 into plausible Chinese of
    one Han character, and of STRICT_HAN or more (which the repair takes as mojibake)."""
    rng = random.Random(0)
    traditional_forms = [case.damaged for p in paragraphs if (case := traditional(p, rng))]
    counts = []
    for label, texts in (("simplified", paragraphs), ("traditional", traditional_forms)):
        runs = [run for text in texts for run in strict_utf8_runs(text, min_han=1)]
        strong = sum(1 for *_, decoded in runs if sum(map(is_han, decoded)) >= STRICT_HAN)
        chars = sum(map(len, texts))
        counts.append(f"{label} {chars} chars: {len(runs) - strong} one-Han runs, {strong} runs")
    return f"clean runs that decode strictly as UTF-8 (>= {STRICT_HAN} Han): " + "; ".join(counts)


def report(name: str, documents: list[Document], args: argparse.Namespace) -> None:
    """Print the per-kind table and the false positives of one paragraph set."""
    paragraphs = [p for document in documents for p in document]
    print(f"\n== {name}: {len(paragraphs)} clean paragraphs, seed {args.seed}")
    if not paragraphs:
        print("(no paragraphs: skipped)")
        return
    print(f"{'kind':<26}{'cases':>7}{'chain':>9}{'single':>9}{'U+FFFD left':>13}")
    for kind in KINDS:
        if args.kind and kind.name not in args.kind:
            continue
        score = score_kind(kind, documents, args.seed, args.limit)
        if not score.cases:
            continue
        chain = f"{score.chain}/{score.cases}"
        single = f"{score.single}/{score.cases}"
        print(f"{kind.name:<26}{score.cases:>7}{chain:>9}{single:>9}{score.replacement_left:>13}")
        for case, got in score.failures[: args.show]:
            print(f"    damaged: {case.damaged!r}\n    got:     {got!r}")
            print(f"    want:    {case.original!r}")
    print(round_trips(paragraphs))
    fp = false_positives(paragraphs)
    print(
        "false positives on clean paragraphs: "
        + ", ".join(f"{repair} {count}" for repair, count in fp.items())
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--set",
        choices=[*SETS, "all"],
        default="all",
        help="which paragraphs to damage (tune on `tuning` only)",
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the damage generators")
    parser.add_argument("--limit", type=int, default=100, help="cases per kind and set")
    parser.add_argument("--kind", action="append", help="score only this kind (repeatable)")
    parser.add_argument("--show", type=int, default=0, help="print this many failures per kind")
    args = parser.parse_args(argv)
    names = list(SETS) if args.set == "all" else [args.set]
    for name in names:
        report(name, SETS[name](), args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
