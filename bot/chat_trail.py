"""The ids of recent messages in each private chat, so "Clear this chat" can delete them.

Telegram lets a bot delete its own and the user's messages in a private chat for 48 hours. The bot notes the id
of every message it sends or receives there, under the user's keyed hash (never the chat id, never text), in
memory first and in the database in batches, and forgets ids after 48 hours. A crash loses at most one flush
interval of ids: those messages are then left for the user to delete by hand, as the answer to /clear says.

An id is never dropped on a busy or unreachable database: a failed or interrupted write keeps its ids for the next
flush, and a flush at shutdown keeps trying for a while. Only when ids pile up beyond `MAX_PENDING` (a database
away for a long time) are the oldest let go, and then the user's next "Clear this chat" says how many of their
messages it could not find (`missed`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy.exc import SQLAlchemyError

from bot.privacy import user_key
from bot.storage import Storage

log = logging.getLogger(__name__)

DELETABLE_FOR = timedelta(hours=48)  # Telegram's limit for deleting messages in a private chat
PRUNE_EVERY = timedelta(hours=1)
MAX_PENDING = 100_000  # ids held in memory while the database cannot take them (a few megabytes)
CLOSE_PATIENCE = 10.0  # seconds the last flush at shutdown keeps trying


def _utcnow() -> datetime:
    return datetime.now(UTC)


class ChatTrail:
    """Message ids per user, buffered in memory and flushed every `flush_seconds`."""

    def __init__(
        self,
        storage: Storage,
        secret: bytes,
        *,
        flush_seconds: float = 1.0,
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        """Prepare a trail; `await start()` flushes in the background, `await close()` flushes a last time."""
        if not secret:
            raise ValueError("the user-key secret must not be empty")
        self._storage = storage
        self._secret = secret
        self._flush_seconds = flush_seconds
        self._clock = clock
        self._pending: list[tuple[str, int, datetime]] = []
        self._missed: Counter[str] = Counter()  # per user key: ids let go unwritten (see MAX_PENDING)
        self._task: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()
        self._pruned_at: datetime | None = None

    def note(self, chat_id: int, message_id: int, sent_at: datetime | None = None) -> None:
        """Remember a message of a private chat (a positive chat id is the user's id); other chats are ignored."""
        if chat_id <= 0 or message_id <= 0:
            return
        self._pending.append((user_key(self._secret, chat_id), int(message_id), sent_at or self._clock()))
        if len(self._pending) > MAX_PENDING:
            dropped = self._pending[: len(self._pending) - MAX_PENDING]
            del self._pending[: len(dropped)]
            self._missed.update(key for key, _, _ in dropped)
            log.error("the database has not taken message ids for a long time; %d could not be kept", len(dropped))

    def key_of(self, chat_id: int) -> str:
        """The user key of a private chat."""
        return user_key(self._secret, chat_id)

    @property
    def pending(self) -> int:
        """How many noted ids wait to be written."""
        return len(self._pending)

    async def flush(self) -> bool:
        """Write the noted ids; True when nothing is left pending. On a database error, or when the caller is
        cancelled mid-write, the ids stay pending for the next attempt."""
        async with self._lock:
            rows, self._pending = self._pending, []
            if not rows:
                return True
            try:
                await self._storage.remember_messages(rows)
            except (SQLAlchemyError, OSError) as exc:
                self._pending = rows + self._pending
                log.warning("could not record message ids for clearing chats (will retry): %s", type(exc).__name__)
                return False
            except BaseException:
                self._pending = rows + self._pending
                raise
            return not self._pending

    async def recent(self, key: str) -> list[int]:
        """The ids of the user's messages younger than 48 hours (pending ones included), oldest first."""
        await self.flush()
        since = self._clock() - DELETABLE_FOR
        stored = await self._storage.recent_messages(key, since)
        waiting = [message_id for row_key, message_id, sent_at in self._pending if row_key == key and sent_at >= since]
        return sorted(set(stored).union(waiting))

    def missed(self, key: str) -> int:
        """How many of the user's message ids were let go unwritten since their last clear (usually 0)."""
        return self._missed[key]

    async def forget(self, key: str) -> None:
        """Drop every id of the user, pending or stored (after a clear, and on /forget)."""
        async with self._lock:
            self._pending = [row for row in self._pending if row[0] != key]
            self._missed.pop(key, None)
        await self._storage.forget_messages(key)

    async def prune(self) -> int:
        """Delete ids older than 48 hours: Telegram no longer lets anyone delete those messages."""
        self._pruned_at = self._clock()
        return await self._storage.prune_messages(self._clock() - DELETABLE_FOR)

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self._flush_seconds)
            await asyncio.shield(self.flush())  # a cancel at shutdown must not cut a write in half
            if self._pruned_at is None or self._clock() - self._pruned_at >= PRUNE_EVERY:
                try:
                    await asyncio.shield(self.prune())
                except (SQLAlchemyError, OSError) as exc:
                    log.warning("could not prune old message ids: %s", type(exc).__name__)

    async def start(self) -> None:
        """Flush and prune in the background."""
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="chat-trail")

    async def close(self) -> None:
        """Stop the background task and write what is pending, trying for up to `CLOSE_PATIENCE` seconds."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        deadline = time.monotonic() + CLOSE_PATIENCE
        pause = 0.1
        while not await self.flush():
            if time.monotonic() + pause > deadline:
                log.error("stopping: %d message id(s) could not be recorded for clearing chats", len(self._pending))
                return
            await asyncio.sleep(pause)
            pause = min(pause * 2, 2.0)
