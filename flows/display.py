"""The live per-site progress of `govnews crawl`: a rich table in a terminal, log lines else."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from crawler.progress import EveryPages, listen

PLAIN_PAGES = 10
"""Without a terminal, one line per site every this many pages."""


class ProgressTable:
    """The latest counts per site, rendered as a rich table."""

    def __init__(self, sites: list[str]) -> None:
        self.rows: dict[str, dict[str, Any]] = {
            site: {"pages": 0, "articles": 0, "failures": 0, "done": False} for site in sites}

    def update(self, update: Mapping[str, Any]) -> None:
        self.rows[str(update.get("site"))] = dict(update)

    def render(self) -> Any:
        from rich.table import Table

        table = Table(title="fetching", title_justify="left")
        for column in ("site", "pages", "article pages", "failures", "state"):
            table.add_column(column, justify="left" if column in ("site", "state") else "right")
        for site, row in sorted(self.rows.items()):
            table.add_row(site, str(row.get("pages", 0)), str(row.get("articles", 0)),
                          str(row.get("failures", 0)),
                          "fetched" if row.get("done") else "fetching")
        return table


@contextmanager
def crawl_progress(sites: list[str], *, terminal: bool | None = None) -> Iterator[None]:
    """Show fetch progress on stderr while inside: live table on a terminal, else lines."""
    if not (sys.stderr.isatty() if terminal is None else terminal):
        plain = EveryPages(lambda line: print(f"progress: {line}", file=sys.stderr, flush=True),
                           PLAIN_PAGES)
        with listen(plain):
            yield
        return
    from rich.console import Console
    from rich.live import Live

    table = ProgressTable(sites)
    with Live(table.render(), console=Console(stderr=True), refresh_per_second=4,
              transient=False) as live:

        def show(update: Mapping[str, Any]) -> None:
            table.update(update)
            live.update(table.render())

        with listen(show):
            yield
