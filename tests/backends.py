"""Index backends for the tests: a SQLite file, or a fresh database on the PostgreSQL server
named by GOVNEWS_TEST_PG (`.ci/run` starts one on 127.0.0.1; without it those tests skip)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

PG_ENV = "GOVNEWS_TEST_PG"
BACKENDS = ["sqlite", "postgresql"]


def pg_server() -> str:
    """The test server's URL, or skip the test saying why there is none."""
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"no PostgreSQL server: {PG_ENV} is not set (.ci/run starts one with "
                    ".ci/postgres)")
    try:
        import psycopg

        psycopg.connect(url, connect_timeout=5).close()
    except Exception as error:
        pytest.skip(f"PostgreSQL server {PG_ENV}={url} does not answer: {error}")
    return url


@pytest.fixture
def pg_database() -> Iterator[str]:
    """The URL of a new, empty database on the test server, dropped afterwards."""
    import psycopg

    server = pg_server()
    name = f"govnews_test_{secrets.token_hex(4)}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield urlunsplit(urlsplit(server)._replace(path=f"/{name}"))
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=BACKENDS)
def index_location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a test's index lives, once per backend."""
    if request.param == "sqlite":
        return str(tmp_path / "index.sqlite")
    return str(request.getfixturevalue("pg_database"))
