"""The site registry ships with the packages: every file of `seeds/` matches the package-data
patterns of pyproject.toml, so a non-editable install finds the sites beside `crawler/`."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_seeds_file_is_package_data() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    assert "seeds*" in config["setuptools"]["packages"]["find"]["include"]
    patterns = config["setuptools"]["package-data"]["*"]
    files = [path for path in (ROOT / "seeds").rglob("*") if path.is_file()]
    assert files
    missing = [str(path.relative_to(ROOT)) for path in files
               if not any(fnmatch.fnmatch(path.name, pattern) for pattern in patterns)]
    assert not missing, f"not installed by a non-editable install: {missing}"
