"""Many writers on one SQLite file: no "database is locked" reaches a caller, no chat-trail id is lost.

The inbox, the chat trail, analytics and subscriptions write to one file from several tasks for 10 seconds, and
one more task plays a shutdown again and again: it cancels writers in the middle of their transactions (a task
cancelled mid-write used to leave its write lock held until the garbage collector found the connection, so every
other writer failed with "database is locked" after the busy timeout). A second engine on the same file writes
too, as a CLI command beside the running bot would.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import OperationalError

from bot.analytics.events import Event
from bot.analytics.recorder import AnalyticsRecorder
from bot.broadcasts.store import BroadcastStore
from bot.chat_trail import ChatTrail
from bot.privacy import user_key
from bot.storage import Storage, engine
from bot.storage.inbox import Inbox
from bot.storage.schema import chat_trail

SECONDS = 10.0
BUSY_TIMEOUT = 2.0  # seconds; a write takes milliseconds
SECRET = b"contention-test"
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


async def test_writers_hammering_one_sqlite_file_never_see_a_lock_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A short busy timeout, so a write lock left behind shows up as an error within the run instead of a stall.
    monkeypatch.setattr(engine, "SQLITE_BUSY_TIMEOUT_SECONDS", BUSY_TIMEOUT)
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"
    storage = await Storage.open(url)
    other = await Storage.open(url, migrate=False)  # another process's engine on the same file
    inbox = Inbox(storage.engine, lease=30.0)
    trail = ChatTrail(storage, SECRET, flush_seconds=0.05)
    analytics = AnalyticsRecorder(storage, SECRET, flush_seconds=0.05)
    store = BroadcastStore(storage)
    await trail.start()
    await analytics.start()
    errors: Counter[str] = Counter()
    done: Counter[str] = Counter()
    noted: list[tuple[int, int]] = []
    deadline = time.monotonic() + SECONDS
    next_update = iter(range(1, 10**9))

    async def guarded(name: str, work: object) -> None:
        assert callable(work)
        while time.monotonic() < deadline:
            try:
                await work()
                done[name] += 1
            except OperationalError as error:
                errors[f"{name}: {error.orig}"] += 1
            await asyncio.sleep(0)  # a flush with nothing to write does not yield by itself

    async def inbox_writer() -> None:
        update_id = next(next_update)
        assert await inbox.accept(update_id, {"update_id": update_id, "message": {"text": "x" * 200}})
        assert await inbox.begin(update_id) == 1
        assert await inbox.done(update_id)

    async def trail_writer(chat: int) -> None:
        message_id = len(noted) + 1
        noted.append((chat, message_id))
        trail.note(chat, message_id)
        if message_id % 7 == 0:
            await trail.flush()
        await asyncio.sleep(0)

    async def analytics_writer() -> None:
        analytics.record(Event.NODE_VIEW, locale="en", campaign=None, node="home", user_key=user_key(SECRET, 1))
        if random.random() < 0.2:
            await analytics.flush()
        await asyncio.sleep(0)

    async def subscriber(chat: int) -> None:
        await store.subscribe(user_key(SECRET, chat), "reminders", chat, "en")
        await store.unsubscribe(user_key(SECRET, chat))

    async def other_process() -> None:
        async with other.engine.begin() as connection:
            await connection.execute(sa.select(sa.func.count()).select_from(chat_trail))
            await connection.execute(sa.delete(chat_trail).where(chat_trail.c.message_id < 0))

    async def shutdowns() -> None:
        """Start writers and cancel them mid-transaction, the way stopping the bot cancels its tasks."""
        while time.monotonic() < deadline:
            victims = [
                asyncio.create_task(guarded("cancelled inbox", inbox_writer)),
                asyncio.create_task(guarded("cancelled trail", trail.flush)),
                asyncio.create_task(guarded("cancelled analytics", analytics.flush)),
            ]
            await asyncio.sleep(random.uniform(0.0, 0.02))
            for victim in victims:
                victim.cancel()
            for victim in victims:
                with contextlib.suppress(asyncio.CancelledError):
                    await victim

    workers = [
        guarded("inbox", inbox_writer),
        guarded("inbox", inbox_writer),
        guarded("trail", lambda: trail_writer(101)),
        guarded("trail", lambda: trail_writer(102)),
        guarded("analytics", analytics_writer),
        guarded("subscriptions", lambda: subscriber(201)),
        guarded("subscriptions", lambda: subscriber(202)),
        guarded("other process", other_process),
        shutdowns(),
    ]
    try:
        await asyncio.gather(*workers)
        await trail.close()
        await analytics.close()
        assert not errors, dict(errors)
        assert min(done[name] for name in ("inbox", "trail", "analytics", "subscriptions", "other process")) > 10
        assert trail.pending == 0
        for chat in (101, 102):
            stored = await storage.recent_messages(user_key(SECRET, chat), EPOCH)
            assert stored == sorted(message_id for owner, message_id in noted if owner == chat)
    finally:
        await trail.close()
        await analytics.close()
        await other.close()
        await storage.close()


async def test_an_interrupted_flush_keeps_its_ids_for_the_next_one(tmp_path: Path) -> None:
    storage = await Storage.open(f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}")
    trail = ChatTrail(storage, SECRET, flush_seconds=3600)
    try:
        for message_id in range(1, 501):
            trail.note(42, message_id)
        for _ in range(20):  # cancelled at a different moment each time
            flushing = asyncio.create_task(trail.flush())
            await asyncio.sleep(random.uniform(0.0, 0.005))
            flushing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await flushing
        await trail.close()
        assert await storage.recent_messages(user_key(SECRET, 42), EPOCH) == list(range(1, 501))
        assert trail.missed(user_key(SECRET, 42)) == 0
    finally:
        await storage.close()
