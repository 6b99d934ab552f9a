"""Create the async engine for a database URL: SQLite through aiosqlite, PostgreSQL through asyncpg."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import time
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextvars import ContextVar
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy import Connection, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool, StaticPool

R = TypeVar("R")

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


class SQLiteWriter:
    """One long-lived connection to a SQLite file on a thread of its own, for the writes that must be quick (the
    inbox's): a whole transaction (BEGIN IMMEDIATE, its statements, COMMIT) runs in that thread in one hop from
    the event loop, instead of a pool checkout, a reset and one hop through aiosqlite's thread per statement."""

    def __init__(self, url: URL) -> None:
        """Write to the SQLite file of `url` (opened at the first write)."""
        self._engine = sa.create_engine(
            url.set(drivername="sqlite+pysqlite"),
            poolclass=NullPool,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "factory": RollbackOnClose},
        )
        event.listen(self._engine, "connect", _sqlite_connect)
        event.listen(self._engine, "begin", _sqlite_begin)
        self._executor: ThreadPoolExecutor | None = None
        self._connection: Connection | None = None

    async def run(self, work: Callable[[Connection], R]) -> R:
        """`work(connection)` in one immediate transaction, committed when it returns, rolled back when it raises.
        A caller cancelled meanwhile is cancelled only once the transaction has ended (never cut in half)."""
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite-writer")
        future = asyncio.get_running_loop().run_in_executor(self._executor, self._transaction, work)
        try:
            return await asyncio.shield(future)
        except asyncio.CancelledError:
            with contextlib.suppress(BaseException):
                await future  # keep the caller's write turn until the transaction has ended
            raise

    def _transaction(self, work: Callable[[Connection], R]) -> R:
        connection = self._connection
        if connection is None:
            connection = self._engine.connect().execution_options(**{SQLITE_BEGIN_OPTION: "IMMEDIATE"})
            self._connection = connection
        try:
            with connection.begin():
                return work(connection)
        except BaseException:
            self._connection = None  # a fresh connection for the next write: nothing half-done is carried over
            with contextlib.suppress(Exception):
                connection.close()
            raise

    def _close_connection(self) -> None:
        if self._connection is not None:
            connection, self._connection = self._connection, None
            with contextlib.suppress(Exception):
                connection.close()

    async def close(self) -> None:
        """Close the connection and end the thread."""
        executor, self._executor = self._executor, None
        if executor is not None:
            await asyncio.get_running_loop().run_in_executor(executor, self._close_connection)
            executor.shutdown(wait=False)
        self._engine.dispose()


class SQLiteEngine(AsyncEngine):
    """The engine of a SQLite file: every `begin()` is a write transaction that takes the write lock at BEGIN
    (BEGIN IMMEDIATE) and waits its turn behind the other writers of this process (one writer at a time, first
    come first served). A deferred transaction that reads first and writes later cannot wait for the lock: SQLite
    answers "database is locked" at once. Reads go through `connect()` and never wait for a writer (WAL).
    `write(work)` runs a synchronous transaction on the long-lived writer connection (`SQLiteWriter`), in the
    same turn as the other writers."""

    __slots__ = ("_write_turn", "_writer")

    def __init__(self, sync_engine: Any) -> None:
        """Wrap the sync engine made by `create_async_engine`."""
        super().__init__(sync_engine)
        self._write_turn = asyncio.Lock()
        self._writer = SQLiteWriter(sync_engine.url)

    async def write(self, work: Callable[[Connection], R]) -> R:
        """Run `work(connection)` (synchronous SQLAlchemy Core) in one immediate write transaction, in its turn
        behind this process's other writers, on the writer's long-lived connection: one thread hop for the whole
        transaction."""
        if _writing.get():  # a write inside a write: as in `begin()`, the turn is already this task's
            async with self._immediate() as connection:
                return await connection.run_sync(work)
        async with self._write_turn:
            token = _writing.set(True)
            try:
                return await self._writer.run(work)
            finally:
                _writing.reset(token)

    async def dispose(self, close: bool = True) -> None:
        """Close the writer's connection, then every pooled one."""
        await self._writer.close()
        await super().dispose(close)

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
