"""The `govnews` command line: the top layer over crawler/, storage/ and flows/.

Each subcommand lives in the module that owns it and is imported only when it runs, so that
`govnews clean` does not pay for importing Scrapy or Prefect.
"""

from __future__ import annotations

import argparse
import errno
import importlib
import os
import stat
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import orjson

EXIT_OK = 0
EXIT_INPUT = 1
"""Some input could not be used (`clean`, `extract`), or the fetch could not start."""
EXIT_USAGE = 2
"""Bad arguments or site configuration: nothing was done."""
EXIT_SITE_FAILED = 3
"""At least one site failed as a whole (the others are stored)."""
EXIT_ALL_SITES_FAILED = 4
"""Every site failed as a whole: the run stored rejects only."""
EXIT_STORAGE = 5
"""The output root or its index cannot be used (read-only, full, damaged): found before any
fetch, or while storing, which then left nothing half written."""
EXIT_UNHEALTHY = 6
"""Every site was stored but one is unhealthy (`storage.health`); `--allow-unhealthy` gives 0."""
EXIT_TERMINATED = 143
"""Stopped by SIGTERM (128 + 15), after ending the fetch processes."""
EXIT_INTERRUPTED = 130
"""Interrupted (Ctrl-C): 128 + SIGINT."""
EXIT_BROKEN_PIPE = 141
"""The reader of stdout went away: 128 + SIGPIPE, as a shell pipeline reports it."""
EXIT_OUTPUT_ERROR = 74
"""stdout or `--out` could not be written (full disk, I/O error): EX_IOERR of sysexits.h."""


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
    Command("sites", "list the site registry (seeds/<site>/)", "crawler.sites_cli", "sites"),
    Command("check-site", "crawl one site's local replica and report articles and failures",
            "crawler.sites_cli", "check_site"),
    Command("new-site", "propose a site folder from a saved list page and article page",
            "crawler.sites_cli", "new_site"),
    Command("demo-sites", "serve the local replica sites on 127.0.0.1", "crawler.sites_cli",
            "demo_sites"),
    Command("crawl", "crawl sites into partitioned JSONL (the main job)", "flows.commands",
            "crawl"),
    Command("reprocess", "re-extract a site from its WARC raw capture, without crawling",
            "flows.commands", "reprocess"),
    Command("reindex", "rebuild the storage index from the stored partitions and manifests",
            "flows.commands", "reindex"),
    Command("serve", "serve one Prefect deployment per site on its cron schedule",
            "flows.commands", "serve"),
    Command("deploy", "create one deployment per site on a Prefect work pool (many machines)",
            "flows.deploy", "deploy"),
    Command("compact", "merge each site's partition files per date, atomically",
            "flows.compact", "compact"),
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


def _output_target(out_path: Path) -> tuple[Path, bool]:
    """Where `--out` is written and whether through a temp file: a symbolic link is followed
    to its target; a regular (or new) file is replaced atomically; anything else (a FIFO, a
    device such as /dev/null) is written through, never replaced."""
    target = Path(os.path.realpath(out_path))
    if not target.exists():
        return target, True
    if target.is_dir():
        raise IsADirectoryError(errno.EISDIR, "is a directory", str(out_path))
    return target, stat.S_ISREG(target.stat().st_mode)


def run_clean(args: argparse.Namespace) -> int:
    """Clean every document; records to stdout or --out, one error line per failed document.

    A regular `--out` file is written under a temporary name and renamed only when every input
    was read, so an interrupted run never replaces an earlier complete file with a partial one;
    a FIFO or device is written through (see `_output_target`)."""
    from crawler.article import Reject
    from crawler.documents import clean_path

    out_path: Path | None = args.out
    tmp_path: Path | None = None
    target: Path | None = None
    if out_path:
        try:
            target, atomic = _output_target(out_path)
        except OSError as error:
            print(f"govnews clean: --out {out_path}: {error.strerror}", file=sys.stderr)
            return EXIT_USAGE
        if not target.parent.is_dir():
            print(f"govnews clean: --out {out_path}: no such directory {target.parent}",
                  file=sys.stderr)
            return EXIT_USAGE
        if atomic:
            tmp_path = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    failed = 0
    if tmp_path:
        sink: IO[bytes] = tmp_path.open("wb")
    elif target:
        sink = target.open("wb")
    else:
        sink = sys.stdout.buffer
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
        if sink is not sys.stdout.buffer:
            sink.close()
        if tmp_path:
            tmp_path.unlink(missing_ok=True)
        raise
    if sink is not sys.stdout.buffer:
        sink.close()
    if tmp_path and target:
        tmp_path.replace(target)
    return EXIT_INPUT if failed else EXIT_OK


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
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # the reader went away (`govnews extract … | head`): stop quietly
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except OSError as error:
        if error.errno not in (errno.ENOSPC, errno.EIO, errno.EDQUOT):
            raise
        _silence_stdout()
        print(f"govnews: cannot write the output: {error.strerror}", file=sys.stderr)
        return EXIT_OUTPUT_ERROR


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that the interpreter's final flush cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


if __name__ == "__main__":
    sys.exit(main())
