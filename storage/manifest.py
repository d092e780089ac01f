"""The manifest of a run: per-site counts and the files written, as JSON.

Written to `_manifests/<run-id>.json`. Per site: pages fetched, articles extracted, records written,
duplicates skipped, skips and failures by reason, and health flags (`storage.health`). Per file:
path (relative to the root), line count and sha256 of the bytes on disk, so a consumer can check
what it downloaded. A compaction's manifest also lists under `replaced` the files it merged and
deleted.
"""

from __future__ import annotations

import posixpath
from dataclasses import asdict, dataclass, field
from typing import Any

import orjson

MANIFESTS_DIR = "_manifests"


def manifest_file(run_id: str) -> str:
    """The manifest of a run, relative to the output root."""
    return posixpath.join(MANIFESTS_DIR, f"{run_id}.json")


@dataclass
class SiteStats:
    """What one run did for one site. `failures` counts reject lines by `<stage>: <reason>`;
    `skipped` counts pages deliberately not fetched (already stored, robots.txt, attachment);
    `site_failure` says why the site failed as a whole (its fetch failed, nothing could be
    fetched, another crawl held it), or is None; `tombstones_written` counts deleted records;
    `lists_fetched` and `article_links` (links the lists pointed at, stored ones included)
    and `health` (flags as dicts: code, severity, message) come from the crawl."""

    pages_fetched: int = 0
    articles_extracted: int = 0
    records_written: int = 0
    duplicates_skipped: int = 0
    failures: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    lists_fetched: int = 0
    article_links: int = 0
    health: list[dict[str, str]] = field(default_factory=list)
    site_failure: str | None = None
    tombstones_written: int = 0
    """Records deleted in this run: their pages answered 404 or 410 on a refetch."""

    @property
    def failure_count(self) -> int:
        return sum(self.failures.values())

    @property
    def health_label(self) -> str:
        """`ok`, or the codes of the site's flags (unhealthy ones in capitals)."""
        if not self.health:
            return "ok"
        return ", ".join(flag["code"].upper() if flag["severity"] == "unhealthy"
                         else flag["code"] for flag in self.health)


@dataclass
class FileEntry:
    """One file the run wrote."""

    path: str
    kind: str
    lines: int
    sha256: str


@dataclass
class Manifest:
    """The manifest of one run."""

    run_id: str
    root: str
    started_at: str | None
    finished_at: str
    sites: dict[str, SiteStats] = field(default_factory=dict)
    files: list[FileEntry] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    """Files this run deleted because its own files hold their lines (`govnews compact`)."""

    @property
    def records_written(self) -> int:
        return sum(stats.records_written for stats in self.sites.values())

    @property
    def duplicates_skipped(self) -> int:
        return sum(stats.duplicates_skipped for stats in self.sites.values())

    @property
    def failure_count(self) -> int:
        return sum(stats.failure_count for stats in self.sites.values())

    @property
    def failed_sites(self) -> dict[str, str]:
        """The sites that failed as a whole, with the reason."""
        return {name: stats.site_failure for name, stats in sorted(self.sites.items())
                if stats.site_failure}

    def to_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "root": self.root,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "totals": {
                "records_written": self.records_written,
                "duplicates_skipped": self.duplicates_skipped,
                "failures": self.failure_count,
            },
            "sites": {name: asdict(stats) for name, stats in sorted(self.sites.items())},
            "files": [{"path": entry.path, "kind": entry.kind, "lines": entry.lines,
                       "sha256": entry.sha256} for entry in self.files],
            **({"replaced": list(self.replaced)} if self.replaced else {}),
        }

    def to_json(self) -> bytes:
        return orjson.dumps(self.to_dict(), option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Manifest:
        return cls(
            run_id=data["run_id"],
            root=data["root"],
            started_at=data.get("started_at"),
            finished_at=data["finished_at"],
            sites={name: SiteStats(**stats) for name, stats in data.get("sites", {}).items()},
            files=[FileEntry(**entry) for entry in data.get("files", [])],
            replaced=list(data.get("replaced", [])),
        )

    @classmethod
    def from_json(cls, text: bytes | str) -> Manifest:
        return cls.from_dict(orjson.loads(text))

    def to_markdown(self) -> str:
        """The manifest as markdown tables (for a Prefect artifact or a terminal)."""
        lines = [
            f"### Run `{self.run_id}`",
            "",
            f"Output: `{self.root}`",
            "",
            "| site | health | pages fetched | articles extracted | records written"
            " | duplicates skipped | skipped | failures |",
            "|---|---|---:|---:|---:|---:|---:|---:|",
        ]
        for name, stats in sorted(self.sites.items()):
            lines.append(
                f"| {name} | {stats.health_label} | {stats.pages_fetched}"
                f" | {stats.articles_extracted} | {stats.records_written}"
                f" | {stats.duplicates_skipped} | {sum(stats.skipped.values())}"
                f" | {stats.failure_count} |"
            )
        flags = [(name, flag) for name, stats in sorted(self.sites.items())
                 for flag in stats.health]
        if flags:
            lines += ["", "| site | health | flag | what |", "|---|---|---|---|"]
            lines += [f"| {name} | {flag['severity']} | {flag['code']}"
                      f" | {flag['message'].replace('|', '/')} |" for name, flag in flags]
        failed_sites = [(name, stats.site_failure) for name, stats in sorted(self.sites.items())
                        if stats.site_failure]
        if failed_sites:
            lines += ["", "| site | failed as a whole |", "|---|---|"]
            lines += [f"| {name} | {str(reason).replace('|', '/')} |"
                      for name, reason in failed_sites]
        failures = [
            (name, reason, count)
            for name, stats in sorted(self.sites.items())
            for reason, count in sorted(stats.failures.items())
        ]
        skips = [
            (name, f"skipped: {reason}", count)
            for name, stats in sorted(self.sites.items())
            for reason, count in sorted(stats.skipped.items())
        ]
        if failures or skips:
            lines += ["", "| site | failure or skip | count |", "|---|---|---:|"]
            lines += [
                f"| {name} | {reason.replace('|', '/')} | {count} |"
                for name, reason, count in failures + skips
            ]
        lines += ["", "| file | kind | lines | sha256 |", "|---|---|---:|---|"]
        lines += [
            f"| `{entry.path}` | {entry.kind} | {entry.lines} | `{entry.sha256[:16]}…` |"
            for entry in self.files
        ]
        if not self.files:
            lines.append("| (nothing new) | | 0 | |")
        return "\n".join(lines) + "\n"
