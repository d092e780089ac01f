"""Health and history for operators: the health lines of a run, and `govnews status`.

`govnews status [--out ROOT] [--runs N] [--html FILE]` reads the manifests of the root's
committed runs (`storage.history`) and prints, per site, its last N runs: pages, articles,
records written, rejects and health. `--html` writes one self-contained page (no scripts, no
external assets) with the same tables and, per site, a yield-over-time chart as inline SVG.
"""

from __future__ import annotations

import argparse
import html
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storage.health import UNHEALTHY, is_healthy
from storage.history import run_manifests
from storage.manifest import Manifest, SiteStats

DEFAULT_OUT = "data"
DEFAULT_RUNS = 10
CHART_RUNS = 60
"""Runs drawn in a site's chart (the table shows `--runs`)."""
SERIES = (("article_links", "article links", "#4e79a7", ""),
          ("articles_extracted", "articles extracted", "#59a14f", ""),
          ("records_written", "records written", "#f28e2b", "6 4"),
          ("rejects", "rejects", "#e15759", ""))
"""The chart's lines: field of `SiteRun`, legend label, colour, dashes (written is dashed: it
often equals extracted and would hide it)."""


def health_lines(manifest: Mapping[str, Any]) -> tuple[list[str], bool]:
    """One line per site (`ok`, or each flag with its severity and message) and whether the
    run is healthy."""
    lines = []
    for name, stats in sorted(manifest["sites"].items()):
        flags = stats.get("health") or []
        if not flags:
            lines.append(f"health:   {name}: ok")
        for flag in flags:
            lines.append(f"health:   {name}: {flag['severity']}: {flag['code']}: "
                         f"{flag['message']}")
    healthy = all(is_healthy(stats.get("health") or []) for stats in manifest["sites"].values())
    return lines, healthy


@dataclass(frozen=True)
class SiteRun:
    """One run of one site, as `status` shows it."""

    run_id: str
    finished_at: str
    stats: SiteStats

    @property
    def article_links(self) -> int:
        return self.stats.article_links

    @property
    def articles_extracted(self) -> int:
        return self.stats.articles_extracted

    @property
    def records_written(self) -> int:
        return self.stats.records_written

    @property
    def rejects(self) -> int:
        return self.stats.failure_count

    @property
    def healthy(self) -> bool:
        return is_healthy(self.stats.health)

    @property
    def health(self) -> str:
        return self.stats.health_label


def site_runs(manifests: Sequence[Manifest]) -> dict[str, list[SiteRun]]:
    """Each site's runs, oldest first."""
    runs: dict[str, list[SiteRun]] = {}
    for manifest in manifests:
        for name, stats in manifest.sites.items():
            runs.setdefault(name, []).append(SiteRun(manifest.run_id, manifest.finished_at,
                                                     stats))
    return dict(sorted(runs.items()))


COLUMNS = ("run", "finished", "pages", "articles", "written", "rejects", "skipped", "health")


def _row(run: SiteRun) -> list[str]:
    return [run.run_id, run.finished_at.replace("T", " ").removesuffix("+00:00"),
            str(run.stats.pages_fetched), str(run.articles_extracted), str(run.records_written),
            str(run.rejects), str(sum(run.stats.skipped.values())), run.health]


def status_text(runs: Mapping[str, list[SiteRun]], last: int) -> str:
    """Per site, its last runs (newest first) as an aligned text table."""
    out: list[str] = []
    for name, site in runs.items():
        rows = [_row(run) for run in reversed(site[-last:])]
        widths = [max(len(COLUMNS[i]), *(len(row[i]) for row in rows))
                  for i in range(len(COLUMNS))]
        out.append(f"{name}  ({len(site)} runs, last {len(rows)} shown)")
        for cells in (list(COLUMNS), *rows):
            out.append("  " + "  ".join(cell.ljust(widths[i]) if i in (0, 1, 7)
                                        else cell.rjust(widths[i])
                                        for i, cell in enumerate(cells)).rstrip())
        flagged = [(run, flag) for run in site[-last:] for flag in run.stats.health
                   if flag["severity"] == UNHEALTHY]
        for run, flag in flagged[-3:]:
            out.append(f"  ! {run.run_id}: {flag['code']}: {flag['message']}")
        out.append("")
    return "\n".join(out) if out else "no committed runs"


def yield_chart(site: Sequence[SiteRun], width: int = 720, height: int = 200) -> str:
    """An inline SVG line chart of a site's yield per run; unhealthy runs are marked red."""
    left, right, top, bottom = 44, 12, 12, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max([1, *(getattr(run, key) for run in site for key, _, _, _ in SERIES)])
    step = plot_w / max(1, len(site) - 1)

    def x(index: int) -> float:
        return left + (index * step if len(site) > 1 else plot_w / 2)

    def y(value: int) -> float:
        return top + plot_h - value / peak * plot_h

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="yield per run">',
             f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="#fafafa" '
             'stroke="#ccc"/>']
    for fraction in (0.5, 1.0):
        level = round(peak * fraction)
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y(level):.1f}" '
                     f'y2="{y(level):.1f}" stroke="#e5e5e5"/>')
        parts.append(f'<text x="{left - 6}" y="{y(level) + 4:.1f}" text-anchor="end" '
                     f'font-size="11">{level}</text>')
    parts.append(f'<text x="{left - 6}" y="{top + plot_h + 4}" text-anchor="end" '
                 'font-size="11">0</text>')
    for index, run in enumerate(site):
        if not run.healthy:
            band = min(max(x(index) - 5, left), left + plot_w - 10)
            parts.append(f'<rect x="{band:.1f}" y="{top}" width="10" height="{plot_h}" '
                         f'fill="#e15759" fill-opacity="0.18"><title>{html.escape(run.run_id)}'
                         f': {html.escape(run.health)}</title></rect>')
    for key, label, colour, dashes in SERIES:
        points = " ".join(f"{x(i):.1f},{y(getattr(run, key)):.1f}" for i, run in enumerate(site))
        dash = f' stroke-dasharray="{dashes}"' if dashes else ""
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2.5"{dash} '
                     f'points="{points}"><title>{label}</title></polyline>')
        for index, run in enumerate(site):
            parts.append(f'<circle cx="{x(index):.1f}" cy="{y(getattr(run, key)):.1f}" r="3" '
                         f'fill="{colour}"><title>{html.escape(run.run_id)}: {label} '
                         f'{getattr(run, key)}</title></circle>')
    if site:
        for index, anchor in ((0, "start"), (len(site) - 1, "end")):
            day = html.escape(site[index].finished_at[:10])
            parts.append(f'<text x="{x(index):.1f}" y="{height - 18}" text-anchor="{anchor}" '
                         f'font-size="11">{day}</text>')
    legend_x = left
    for _, label, colour, _ in SERIES:
        parts.append(f'<rect x="{legend_x}" y="{height - 11}" width="10" height="10" '
                     f'fill="{colour}"/><text x="{legend_x + 14}" y="{height - 2}" '
                     f'font-size="11">{label}</text>')
        legend_x += 24 + 7 * len(label)
    parts.append("</svg>")
    return "".join(parts)


PAGE_STYLE = """
body { font-family: sans-serif; margin: 24px; color: #222; background: #fff; }
h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 28px; }
table { border-collapse: collapse; font-size: 13px; margin-top: 8px; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: right; }
th { background: #f0f0f0; } td.text { text-align: left; }
tr.unhealthy td { background: #fde2e2; } .flag { color: #b00020; font-size: 13px; }
"""


def status_html(runs: Mapping[str, list[SiteRun]], last: int, root: str) -> str:
    """The status page: per site its chart, its last runs and their unhealthy flags."""
    body = [f"<h1>govnews status: {html.escape(root)}</h1>"]
    if not runs:
        body.append("<p>No committed runs.</p>")
    for name, site in runs.items():
        body.append(f"<h2>{html.escape(name)} ({len(site)} runs)</h2>")
        body.append(yield_chart(site[-CHART_RUNS:]))
        body.append("<table><tr>" + "".join(f"<th>{column}</th>" for column in COLUMNS)
                    + "</tr>")
        for run in reversed(site[-last:]):
            cells = _row(run)
            css = "" if run.healthy else ' class="unhealthy"'
            body.append(f"<tr{css}>" + "".join(
                f'<td class="text">{html.escape(cell)}</td>' if i in (0, 1, 7)
                else f"<td>{html.escape(cell)}</td>" for i, cell in enumerate(cells)) + "</tr>")
        body.append("</table>")
        for run in reversed(site[-last:]):
            for flag in run.stats.health:
                body.append(f'<p class="flag">{html.escape(run.run_id)}: {flag["severity"]}: '
                            f'{html.escape(flag["code"])}: {html.escape(flag["message"])}</p>')
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>govnews status</title><style>{PAGE_STYLE}</style></head><body>"
            + "\n".join(body) + "</body></html>\n")


def add_status_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", default=DEFAULT_OUT,
                        help=f"output root whose runs to show (default: {DEFAULT_OUT})")
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS,
                        help=f"runs per site in the tables (default: {DEFAULT_RUNS})")
    parser.add_argument("--html", type=Path, metavar="FILE",
                        help="also write a self-contained HTML page with a chart per site")


def run_status(args: argparse.Namespace) -> int:
    """Print each site's last runs; with --html write the page too. Exit 1 when the newest
    run of any site was unhealthy."""
    if args.runs < 1:
        print(f"govnews status: --runs must be at least 1, got {args.runs}", file=sys.stderr)
        return 2
    runs = site_runs(run_manifests(args.out))
    print(status_text(runs, args.runs))
    if args.html:
        if not args.html.parent.is_dir():
            print(f"govnews status: --html {args.html}: no such directory", file=sys.stderr)
            return 2
        temp = args.html.with_name(f".{args.html.name}.tmp")
        temp.write_text(status_html(runs, args.runs, args.out), encoding="utf-8")
        temp.replace(args.html)
        print(f"status page: {args.html}")
    return 0 if all(site[-1].healthy for site in runs.values()) else 1
