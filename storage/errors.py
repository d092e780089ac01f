"""Storage errors: each says in one line what is wrong and names the path it concerns."""

from __future__ import annotations


class StorageError(Exception):
    """A storage configuration or usage error (bad root, reused run id, unusable index)."""


class OutsideRoot(StorageError):
    """A file would land outside its output root (a path built from input data)."""


class DamagedIndex(StorageError):
    """The SQLite index cannot be opened or fails its integrity check."""


class SiteLocked(StorageError):
    """Another process holds the crawl lock of a site on this root."""
