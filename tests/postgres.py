"""Throwaway PostgreSQL databases for the tests (issue 23).

`FRONTDESK_TEST_POSTGRES` names a server's maintenance database, as
tools/throwaway_postgres.py sets it; tests marked `postgres` need it and fail without
it (`make test` runs them beside a throwaway server). Each test gets its own database:
empty, or copied from a template migrated to head once per test process.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, make_url, text

from frontdesk.db.engine import make_engine
from frontdesk.db.migrate import upgrade

VARIABLE = "FRONTDESK_TEST_POSTGRES"


def server_url() -> str:
    url = os.environ.get(VARIABLE)
    if not url:
        pytest.fail(
            f"{VARIABLE} is not set: run PostgreSQL tests beside a throwaway server, "
            "`python tools/throwaway_postgres.py -- pytest -m postgres …` (make test does)"
        )
    return url


def database_url(server: str, name: str) -> str:
    return make_url(server).set(database=name).render_as_string(hide_password=False)


def create(server: str, name: str, template: str | None = None) -> str:
    engine = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            copy = f' TEMPLATE "{template}"' if template else ""
            connection.execute(text(f'CREATE DATABASE "{name}"{copy}'))
    finally:
        engine.dispose()
    return database_url(server, name)


def drop(server: str, name: str) -> None:
    engine = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        engine.dispose()


def migrated_template(server: str) -> str:
    """A database at head, made once per test process; its name."""
    name = f"fd_template_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    drop(server, name)
    engine = make_engine(create(server, name))
    try:
        with engine.connect() as connection, connection.begin():
            upgrade(connection)
    finally:
        engine.dispose()
    return name


@pytest.fixture(scope="session")
def pg_template() -> str:
    return migrated_template(server_url())


@pytest.fixture
def pg_empty_url() -> Iterator[str]:
    """A new, empty PostgreSQL database's URL."""
    server, name = server_url(), f"fd_{uuid.uuid4().hex[:12]}"
    yield create(server, name)
    drop(server, name)


@pytest.fixture
def pg_url(pg_template: str) -> Iterator[str]:
    """A new PostgreSQL database at the newest schema (no first run yet)."""
    server, name = server_url(), f"fd_{uuid.uuid4().hex[:12]}"
    yield create(server, name, template=pg_template)
    drop(server, name)
