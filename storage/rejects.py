"""Reject lines: every failed page or record of a run, with URL, site, stage and reason.

Written to `_rejects/<run-id>.ndjson` under the output root: JSON Lines like the partitions, under
another extension so that a `**/*.jsonl` glob over the root reads articles only. A reason is one
line, so that the manifest can count rejects by reason: a multi-line text (a traceback) keeps
its last line (the exception) as the reason and goes whole into `detail`.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping
from typing import Any

from storage.jsonl import encode_lines

REJECTS_DIR = "_rejects"
REJECT_FIELDS = ("url", "site", "stage", "reason", "at")


def rejects_file(run_id: str) -> str:
    """The rejects file of a run, relative to the output root."""
    return posixpath.join(REJECTS_DIR, f"{run_id}.ndjson")


def normalise_reject(reject: Mapping[str, Any]) -> dict[str, Any]:
    """A reject as the fixed fields first (missing ones null), then anything else it carries."""
    line = {key: reject.get(key) for key in REJECT_FIELDS}
    for key, value in reject.items():
        if key not in line:
            line[key] = value
    reason = line["reason"]
    if isinstance(reason, str) and "\n" in reason.strip():
        lines = [text.strip() for text in reason.splitlines() if text.strip()]
        line["reason"] = lines[-1] if lines[0].startswith("Traceback") else lines[0]
        line.setdefault("detail", reason)
    return line


def failure_key(reject: Mapping[str, Any]) -> str:
    """How a reject is counted in the manifest: `<stage>: <reason>`."""
    return f"{reject.get('stage') or 'unknown'}: {reject.get('reason') or 'unknown'}"


def encode_rejects(rejects: Iterable[Mapping[str, Any]]) -> bytes:
    """The bytes of a rejects file."""
    return encode_lines(normalise_reject(reject) for reject in rejects)
