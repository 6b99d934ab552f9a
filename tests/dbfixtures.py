"""Database fixtures for any test: `db_url` and `storage`, each run on SQLite and on PostgreSQL.

Register with `pytest_plugins = ["tests.dbfixtures"]` in tests/conftest.py. PostgreSQL runs when
TEST_POSTGRES_URL names a server (e.g. postgresql+asyncpg://postgres@127.0.0.1:5432/test); each test gets a
fresh database created there and dropped afterwards. Unset or unreachable: those cases are skipped.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from bot.storage import Storage

POSTGRES_ENV = "TEST_POSTGRES_URL"
T = TypeVar("T")
_unreachable: list[str] = []  # the reason, once the server was found unreachable


def _run(factory: Callable[[], Awaitable[T]]) -> T:
    """Run a coroutine to completion in a thread of its own (safe inside or outside an event loop)."""

    async def main() -> T:
        return await factory()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, main()).result()


async def _admin(dsn: str, sql: str) -> None:
    connection = await asyncpg.connect(dsn, timeout=5)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


def postgres_database() -> Iterator[str]:
    """Create a throwaway PostgreSQL database, yield its SQLAlchemy URL, drop it afterwards."""
    base = os.environ.get(POSTGRES_ENV, "").strip()
    if not base:
        pytest.skip(f"{POSTGRES_ENV} is not set, so the PostgreSQL variant is skipped")
    if _unreachable:
        pytest.skip(_unreachable[0])
    parsed = make_url(base)
    dsn = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"bot_test_{uuid.uuid4().hex[:16]}"
    try:
        _run(lambda: _admin(dsn, f'CREATE DATABASE "{name}"'))
    except (OSError, TimeoutError, asyncpg.PostgresError) as error:
        reason = f"PostgreSQL at {parsed.host}:{parsed.port or 5432} is unreachable ({error}); skipped"
        _unreachable.append(reason)
        pytest.skip(reason)
    try:
        yield parsed.set(drivername="postgresql+asyncpg", database=name).render_as_string(hide_password=False)
    finally:
        _run(lambda: _admin(dsn, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database: an SQLite file in tmp_path, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'data' / 'bot.sqlite3'}"
    else:
        yield from postgres_database()


@pytest.fixture
async def storage(db_url: str) -> AsyncIterator[Storage]:
    """An open, migrated Storage on `db_url`, closed after the test."""
    opened = await Storage.open(db_url)
    try:
        yield opened
    finally:
        await opened.close()
