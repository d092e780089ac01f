"""The `govnews` command line: the top layer over crawler/, storage/ and flows/.

Each subcommand lives in the module that owns it and is imported only when it runs, so that
`govnews clean` does not pay for importing Scrapy or Prefect.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import orjson


@dataclass(frozen=True)
class Command:
    """A subcommand: its help line and the module exposing `add_<x>_arguments` / `run_<x>`."""

    name: str
    help: str
    module: str
    stem: str

    def functions(self) -> tuple[Callable[[argparse.ArgumentParser], None],
                                 Callable[[argparse.Namespace], int]]:
        module = importlib.import_module(self.module)
        return getattr(module, f"add_{self.stem}_arguments"), getattr(module, f"run_{self.stem}")


COMMANDS: tuple[Command, ...] = (
    Command("clean", "repair damaged Chinese text documents (.txt, .jsonl) into records",
            "flows.cli", "clean"),
    Command("extract", "extract records from saved HTML pages", "crawler.extract.cli", "extract"),
    Command("sites", "list the site registry (seeds/*.toml)", "crawler.sites_cli", "sites"),
    Command("check-site", "crawl one site's local replica and report articles and failures",
            "crawler.sites_cli", "check_site"),
    Command("demo-sites", "serve the local replica sites on 127.0.0.1", "crawler.sites_cli",
            "demo_sites"),
    Command("crawl", "crawl sites into partitioned JSONL (the main job)", "flows.commands",
            "crawl"),
    Command("reprocess", "re-extract a site from its WARC raw capture, without crawling",
            "flows.commands", "reprocess"),
    Command("serve", "serve one Prefect deployment per site on its cron schedule",
            "flows.commands", "serve"),
    Command("export", "write the stored records as Hive-partitioned Parquet", "flows.export",
            "export"),
    Command("status", "per site, the last runs and their health (--html: a page with charts)",
            "flows.status", "status"),
)


def add_clean_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                        help=".txt (one document) or .jsonl (one document per line, text in "
                             "'text' or 'content')")
    parser.add_argument("--out", type=Path, help="write records here instead of stdout")


def run_clean(args: argparse.Namespace) -> int:
    """Clean every document; records to stdout or --out, one error line per failed document.

    `--out` is written under a temporary name and renamed only when every input was read, so
    an interrupted run never replaces an earlier complete file with a partial one.
    """
    from crawler.article import Reject
    from crawler.documents import clean_path

    out_path: Path | None = args.out
    if out_path and not out_path.parent.is_dir():
        print(f"govnews clean: --out {out_path}: no such directory {out_path.parent}",
              file=sys.stderr)
        return 2
    tmp_path = out_path.with_name(f".{out_path.name}.tmp") if out_path else None
    failed = 0
    sink: IO[bytes] = tmp_path.open("wb") if tmp_path else sys.stdout.buffer
    try:
        for path in args.paths:
            for outcome in clean_path(path):
                if isinstance(outcome, Reject):
                    print(f"govnews clean: {outcome.details['document']}: {outcome.reason}",
                          file=sys.stderr)
                    failed += 1
                else:
                    sink.write(orjson.dumps(outcome.to_record()) + b"\n")
        sink.flush()
    except BaseException:
        if tmp_path:
            sink.close()
            tmp_path.unlink(missing_ok=True)
        raise
    if tmp_path and out_path:
        sink.close()
        tmp_path.replace(out_path)
    return 1 if failed else 0


def build_parser(commands: Sequence[Command] = COMMANDS) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="govnews", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in commands:
        add_arguments, run = command.functions()
        command_parser = sub.add_parser(command.name, help=command.help,
                                        description=command.help)
        add_arguments(command_parser)
        command_parser.set_defaults(run=run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    wanted = [c for c in COMMANDS if argv and c.name == argv[0]] or list(COMMANDS)
    args = build_parser(wanted).parse_args(argv)
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        print("govnews: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
