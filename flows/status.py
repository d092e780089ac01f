"""Health and history for operators: the health lines of a run, and `govnews status`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from storage.health import is_healthy


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
