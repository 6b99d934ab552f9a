"""The ids of recent messages in each private chat, so "Clear this chat" can delete them.

Telegram lets a bot delete its own and the user's messages in a private chat for 48 hours. The bot notes the id
of every message it sends or receives there, under the user's keyed hash (never the chat id, never text), in
memory first and in the database in batches, and forgets ids after 48 hours. A crash loses at most one flush
interval of ids: those messages are then left for the user to delete by hand, as the answer to /clear says.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy.exc import SQLAlchemyError

from bot.privacy import user_key
from bot.storage import Storage

log = logging.getLogger(__name__)

DELETABLE_FOR = timedelta(hours=48)  # Telegram's limit for deleting messages in a private chat
PRUNE_EVERY = timedelta(hours=1)


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
        self._task: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()
        self._pruned_at: datetime | None = None

    def note(self, chat_id: int, message_id: int, sent_at: datetime | None = None) -> None:
        """Remember a message of a private chat (a positive chat id is the user's id); other chats are ignored."""
        if chat_id <= 0 or message_id <= 0:
            return
        self._pending.append((user_key(self._secret, chat_id), int(message_id), sent_at or self._clock()))

    def key_of(self, chat_id: int) -> str:
        """The user key of a private chat."""
        return user_key(self._secret, chat_id)

    async def flush(self) -> None:
        """Write the noted ids; on a database error keep them for the next attempt."""
        async with self._lock:
            rows, self._pending = self._pending, []
            if not rows:
                return
            try:
                await self._storage.remember_messages(rows)
            except (SQLAlchemyError, OSError) as exc:
                self._pending = rows + self._pending
                log.warning("could not record message ids for clearing chats: %s", type(exc).__name__)

    async def recent(self, key: str) -> list[int]:
        """The ids of the user's messages younger than 48 hours (pending ones included), oldest first."""
        await self.flush()
        return await self._storage.recent_messages(key, self._clock() - DELETABLE_FOR)

    async def forget(self, key: str) -> None:
        """Drop every id of the user, pending or stored (after a clear, and on /forget)."""
        async with self._lock:
            self._pending = [row for row in self._pending if row[0] != key]
        await self._storage.forget_messages(key)

    async def prune(self) -> int:
        """Delete ids older than 48 hours: Telegram no longer lets anyone delete those messages."""
        self._pruned_at = self._clock()
        return await self._storage.prune_messages(self._clock() - DELETABLE_FOR)

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self._flush_seconds)
            await self.flush()
            if self._pruned_at is None or self._clock() - self._pruned_at >= PRUNE_EVERY:
                try:
                    await self.prune()
                except (SQLAlchemyError, OSError) as exc:
                    log.warning("could not prune old message ids: %s", type(exc).__name__)

    async def start(self) -> None:
        """Flush and prune in the background."""
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="chat-trail")

    async def close(self) -> None:
        """Stop the background task and write what is pending."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self.flush()
