"""Create the async engine for a database URL: SQLite through aiosqlite, PostgreSQL through asyncpg."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import time
from collections.abc import AsyncIterator
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import StaticPool

SQLITE_BUSY_TIMEOUT_SECONDS = 30.0

_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "sqlite+aiosqlite": "sqlite+aiosqlite",
    "postgresql": "postgresql+asyncpg",
    "postgres": "postgresql+asyncpg",
    "postgresql+asyncpg": "postgresql+asyncpg",
}


class UnsupportedDatabaseError(ValueError):
    """The URL names a database or driver the bot does not support."""


def normalize_url(url: str | URL) -> URL:
    """Return `url` with the async driver the bot uses (plain sqlite:// and postgresql:// are accepted)."""
    parsed = make_url(url)
    driver = _DRIVERS.get(parsed.drivername)
    if driver is None:
        raise UnsupportedDatabaseError(
            f"unsupported database URL scheme {parsed.drivername!r}; "
            "use sqlite+aiosqlite:///path or postgresql+asyncpg://user@host/db"
        )
    return parsed.set(drivername=driver)


def _is_memory(url: URL) -> bool:
    return url.database in (None, "", ":memory:") or "mode=memory" in str(url)


SQLITE_BEGIN_OPTION = "sqlite_begin"
"""Execution option: "IMMEDIATE" takes the write lock at BEGIN (for read-then-write work such as migrations)."""


def _set_wal(cursor: Any) -> None:
    """Turn on WAL (readers do not block the writer; several processes may share the file). Switching a new file's
    journal mode needs it to itself, and SQLite answers "database is locked" at once rather than waiting when
    another connection is in the middle of the same switch (replicas starting together): retry until the busy
    timeout."""
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_SECONDS
    pause = 0.01
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except Exception as error:  # sqlite3's OperationalError, as the async adapter passes it on
            if "database is locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(pause)  # in aiosqlite's own thread, at connect time only
            pause = min(pause * 2, 0.5)


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (see _sqlite_begin)
    cursor = dbapi_connection.cursor()
    _set_wal(cursor)
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


class RollbackOnClose(sqlite3.Connection):
    """A SQLite connection that rolls back an open transaction before it closes.

    A task cancelled in the middle of a write (a shutdown cancelling a flush, a stopping replica) leaves a
    statement that was never reset; SQLAlchemy then throws the connection away, and sqlite3's close() only defers
    the real close until that statement is garbage-collected, so the transaction and its write lock stayed held
    and every other writer got "database is locked" after the busy timeout. Rolling back first releases the lock
    at once."""

    def close(self) -> None:
        """Roll back what is open (a no-op outside a transaction), then close."""
        with contextlib.suppress(sqlite3.Error):
            if self.in_transaction:
                self.rollback()
        super().close()


_writing: ContextVar[bool] = ContextVar("sqlite_writing", default=False)


class SQLiteEngine(AsyncEngine):
    """The engine of a SQLite file: every `begin()` is a write transaction that takes the write lock at BEGIN
    (BEGIN IMMEDIATE) and waits its turn behind the other writers of this process (one writer at a time, first
    come first served). A deferred transaction that reads first and writes later cannot wait for the lock: SQLite
    answers "database is locked" at once. Reads go through `connect()` and never wait for a writer (WAL)."""

    __slots__ = ("_write_turn",)

    def __init__(self, sync_engine: Any) -> None:
        """Wrap the sync engine made by `create_async_engine`."""
        super().__init__(sync_engine)
        self._write_turn = asyncio.Lock()

    @contextlib.asynccontextmanager
    async def begin(self) -> AsyncIterator[AsyncConnection]:
        """A write transaction (BEGIN IMMEDIATE), one at a time in this process; other processes sharing the
        file wait on the busy timeout."""
        if _writing.get():  # a write inside a write: the turn is already this task's (SQLite waits as before)
            async with self._immediate() as connection:
                yield connection
            return
        async with self._write_turn:
            token = _writing.set(True)
            try:
                async with self._immediate() as connection:
                    yield connection
            finally:
                _writing.reset(token)

    @contextlib.asynccontextmanager
    async def _immediate(self) -> AsyncIterator[AsyncConnection]:
        async with self.connect() as connection:
            await connection.execution_options(**{SQLITE_BEGIN_OPTION: "IMMEDIATE"})
            async with connection.begin():
                yield connection


def _sqlite_begin(connection: Connection) -> None:
    mode = connection.get_execution_options().get(SQLITE_BEGIN_OPTION, "DEFERRED")
    if mode not in {"DEFERRED", "IMMEDIATE"}:
        raise ValueError(f"{SQLITE_BEGIN_OPTION} must be DEFERRED or IMMEDIATE")
    connection.exec_driver_sql(f"BEGIN {mode}")


def create_engine(url: str | URL) -> AsyncEngine:
    """Create the engine; for a SQLite file, create its directory, turn on WAL and a busy timeout, and make
    every `begin()` an immediate write transaction taken one at a time (see `SQLiteEngine`)."""
    parsed = normalize_url(url)
    if parsed.get_backend_name() == "sqlite":
        if _is_memory(parsed):
            return create_async_engine(parsed, poolclass=StaticPool)
        assert parsed.database is not None
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        plain = create_async_engine(
            parsed, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "factory": RollbackOnClose}
        )
        event.listen(plain.sync_engine, "connect", _sqlite_connect)
        event.listen(plain.sync_engine, "begin", _sqlite_begin)
        return SQLiteEngine(plain.sync_engine)
    return create_async_engine(parsed, pool_pre_ping=True)
