"""Shared test fixtures. Every record any test builds is validated against storage/schema.json.

The suite runs in parallel under pytest-xdist (`make test`: `-n auto --dist loadscope`) and
serially (`-p no:xdist`). What makes that safe: each test process has a Prefect home of its own
(its temporary servers' databases), a module's tests stay together on one worker (its module
fixtures run once), ports are picked free at start-up and databases and directories are new
per test. Modules with the longest tests are run first, beside the many short ones."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import settings

from crawler.article import Article
from tests.backends import index_location, pg_database  # noqa: F401  (index backend fixtures)

# Property tests explore new random examples on every local run; CI replays a fixed seed per
# test so that a run is reproducible and a red build always names a failure that can be rerun.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "default")

ROOT = Path(__file__).resolve().parent.parent


def pytest_configure(config: pytest.Config) -> None:
    """A Prefect home of this test process's own, before any test module imports Prefect: the
    temporary servers that `govnews crawl` starts (and the processes the tests start) keep their
    database there, so that parallel workers, and other runs on the machine, never share one."""
    home = tempfile.mkdtemp(prefix="govnews-test-prefect-home-")
    os.environ["PREFECT_HOME"] = home
    config.add_cleanup(lambda: shutil.rmtree(home, ignore_errors=True))


def _expected_length(item: pytest.Item) -> tuple[float, bool]:
    """How long a test says it may take: its timeout (the configured one unless it sets its
    own), and whether it is marked slow."""
    marker = item.get_closest_marker("timeout")
    timeout = (marker.args[0] if marker.args else marker.kwargs.get("timeout")) if marker \
        else None
    if timeout is None:
        timeout = item.config.getini("timeout") or 0
    return float(timeout), item.get_closest_marker("slow") is not None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Modules whose tests declare the longest timeout come first, then those with slow tests,
    each module's tests kept together and in order: under xdist the longest tests then start at
    once and run beside the short ones instead of after them."""
    modules: dict[str, list[pytest.Item]] = {}
    for item in items:
        modules.setdefault(item.nodeid.split("::", 1)[0], []).append(item)
    ranked = sorted(modules.values(), key=lambda tests: max(map(_expected_length, tests)),
                    reverse=True)
    items[:] = [item for tests in ranked for item in tests]
SCHEMA = json.loads((ROOT / "storage" / "schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(
    SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def validate_record(record: dict[str, Any]) -> None:
    """Fail the test with the schema's message when `record` breaks the contract."""
    errors = sorted(VALIDATOR.iter_errors(record), key=lambda e: list(e.path))
    if errors:
        details = "; ".join(f"{'/'.join(map(str, e.path)) or '<record>'}: {e.message}"
                            for e in errors)
        pytest.fail(f"record {record.get('url')!r} breaks storage/schema.json: {details}")


@pytest.fixture(autouse=True)
def _validate_every_record(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    original = Article.to_record

    def checked(self: Article) -> dict[str, Any]:
        record = original(self)
        validate_record(record)
        return record

    monkeypatch.setattr(Article, "to_record", checked)
    yield


@pytest.fixture(scope="session")
def prefect_api() -> Iterator[str]:
    """One Prefect test server for the whole session (it is slow to start)."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield str(PREFECT_API_URL.value())
