"""Apply Alembic migrations in code: the scripts ship inside the package, no alembic.ini is read."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.engine import SQLITE_BEGIN_OPTION

SCRIPT_LOCATION = "bot.storage:migrations"
_PG_LOCK_KEY = 0x5AFE_B07  # serializes replicas that start at the same time


def alembic_config(connection: Connection | None = None) -> Config:
    """Return an Alembic configuration pointing at the packaged scripts, bound to `connection`."""
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """Return the newest revision shipped with this version of the bot."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(connection: Connection) -> str | None:
    """Return the revision the database is at (None for an empty database)."""
    return MigrationContext.configure(connection).get_current_revision()


def _upgrade(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
    command.upgrade(alembic_config(connection), "head")


async def upgrade_to_head(engine: AsyncEngine) -> None:
    """Bring the database up to the newest revision; a no-op when it already is."""
    async with engine.connect() as connection:
        # On SQLite, take the write lock first: Alembic reads the revision and then writes.
        immediate = await connection.execution_options(**{SQLITE_BEGIN_OPTION: "IMMEDIATE"})
        async with immediate.begin():
            await immediate.run_sync(_upgrade)
