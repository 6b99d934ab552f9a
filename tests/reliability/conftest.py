"""The webhook bot in process on SQLite, with the durable inbox, against an emulator whose clock the test owns."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bot.emulator import Emulator
from tests.runtime.conftest import WebhookHarness, served_by


class FakeClock:
    """The emulator's clock (callback-query expiry), moved by the test."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@asynccontextmanager
async def reliable_bot(
    tmp_path: Path,
    *,
    clock: FakeClock | None = None,
    read_timeout: float = 5.0,
    users: tuple[int, ...] = (),
    database_url: str | None = None,
    webhook_retry_delay: float = 1.0,
    **overrides: Any,
) -> AsyncIterator[WebhookHarness]:
    """Emulator → webhook → inbox → Application; retries after 50 ms instead of 1 s. `users` exist from the start;
    the database is an SQLite file unless `database_url` names another."""
    emulator = Emulator(clock=clock or time.monotonic, webhook_retry_delay=webhook_retry_delay)
    async with emulator as emu:
        for user_id in users:
            emu.user(user_id, f"U{user_id}", language_code="en")
        async with served_by(emu, tmp_path, database_url, read_timeout=read_timeout, **overrides) as harness:
            harness.server.delivery.retry_base = 0.05
            yield harness


async def until(condition: Any, within: float, what: str) -> None:
    """Poll the coroutine function `condition` until it returns true; fail naming `what` after `within` s."""
    import asyncio

    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not await condition():
        if loop.time() > deadline:
            raise AssertionError(f"not reached within {within:.0f} s: {what}")
        await asyncio.sleep(0.02)


async def settled(harness: WebhookHarness, within: float = 20.0) -> None:
    """Wait until the emulator pushed every update, the replica holds nothing and the inbox has nothing in flight."""

    async def idle() -> bool:
        if harness.emu.hub.pending or harness.server.delivery.held:
            return False
        return (await harness.server.delivery.inbox.counts()).pending == 0

    await until(idle, within, "every accepted update finished")


def answers_per_chat(emu: Emulator) -> Counter[int]:
    """Successful sendMessage calls per chat."""
    return Counter(int(r.params["chat_id"]) for r in emu.calls("sendMessage") if r.ok)


async def inbox_rows(url: str) -> tuple[int, int]:
    """(in flight, parked) rows in the shared inbox."""
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            query = sa.text(
                "SELECT count(*) FILTER (WHERE parked_at IS NULL), "
                "count(*) FILTER (WHERE parked_at IS NOT NULL) FROM inbox"
            )
            pending, parked = (await connection.execute(query)).one()
    finally:
        await engine.dispose()
    return int(pending), int(parked)


async def rows_owned(engine: AsyncEngine, owner: str) -> int:
    """The unparked rows one replica holds in the shared inbox (claimed, not yet done)."""
    async with engine.connect() as connection:
        query = sa.text("SELECT count(*) FROM inbox WHERE owner = :owner AND parked_at IS NULL")
        return int((await connection.execute(query, {"owner": owner})).scalar_one())
