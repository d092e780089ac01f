"""The history of an output root: the manifests of its committed runs, oldest first.

Every committed run leaves `_manifests/<run-id>.json`, and run ids sort by start time, so the
manifests in name order are the root's runs in order. Health (`storage.health`) and
`govnews status` read them; nothing else needs a database for it.
"""

from __future__ import annotations

from storage.fs import Root
from storage.manifest import MANIFESTS_DIR, Manifest


def run_manifests(root: str, *, last: int | None = None) -> list[Manifest]:
    """The manifests of the committed runs under `root`, oldest first (the `last` N only)."""
    store_root = Root.open(root)
    paths = store_root.glob(f"{MANIFESTS_DIR}/*.json")
    if last is not None:
        paths = paths[-last:] if last > 0 else []
    return [Manifest.from_json(store_root.read_bytes(path)) for path in paths]
