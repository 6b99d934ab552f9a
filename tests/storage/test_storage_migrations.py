"""Migrations build the schema on an empty database, match the table definitions and are idempotent."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, inspect

from bot.privacy import user_key
from bot.storage import Storage
from bot.storage.migrate import current_revision, head_revision, upgrade_to_head
from bot.storage.schema import metadata


def _schema_diff(connection: Connection) -> list[object]:
    return list(compare_metadata(MigrationContext.configure(connection), metadata))


async def test_migrations_create_every_table_at_head(storage: Storage) -> None:
    async with storage.engine.connect() as connection:
        tables = set(await connection.run_sync(lambda c: inspect(c).get_table_names()))
        revision = await connection.run_sync(current_revision)
        diff = await connection.run_sync(_schema_diff)
    assert set(metadata.tables) <= tables
    assert revision == head_revision()
    assert diff == []


async def test_migrations_are_idempotent_and_keep_data(db_url: str) -> None:
    key = user_key(b"secret", 1)
    first = await Storage.open(db_url)
    await first.update_user(key, locale="th")
    await upgrade_to_head(first.engine)
    await first.close()
    second = await Storage.open(db_url)
    try:
        assert (await second.get_user(key)) is not None
        async with second.engine.connect() as connection:
            assert await connection.run_sync(current_revision) == head_revision()
    finally:
        await second.close()


async def test_replicas_starting_together_migrate_once(db_url: str) -> None:
    opened = await asyncio.gather(*(Storage.open(db_url) for _ in range(3)))
    try:
        assert all([await s.ping() for s in opened])
    finally:
        for s in opened:
            await s.close()


async def test_migrations_need_no_alembic_ini_in_the_working_directory(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    opened = await Storage.open(db_url)
    try:
        assert await opened.ping()
    finally:
        await opened.close()
