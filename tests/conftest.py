"""Shared test fixtures. Every record any test builds is validated against storage/schema.json."""

from __future__ import annotations

import json
import os
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
