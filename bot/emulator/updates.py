"""The bot's update stream: getUpdates queue with long polling, webhook pushes, or in-process delivery."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp

from .errors import ApiError

Deliver = Callable[[dict[str, Any]], Awaitable[Any]]
DEFAULT_EXCLUDED = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True)
class Webhook:
    """The webhook set with setWebhook."""

    url: str
    secret_token: str | None
    max_connections: int
    allowed_updates: tuple[str, ...] | None


class UpdateHub:
    """Numbers updates and hands them to the bot the way the current mode says."""

    def __init__(self, *, webhook_retry_delay: float = 1.0) -> None:
        self.pending: list[dict[str, Any]] = []
        self.history: list[dict[str, Any]] = []
        self.webhook: Webhook | None = None
        self.allowed_updates: tuple[str, ...] | None = None
        self.deliver: Deliver | None = None
        self.last_error: tuple[int, str] | None = None
        self._next_id = 1
        self._changed = asyncio.Condition()
        self._poll_generation = 0
        self.waiting_pollers = 0
        self.poller_waiting = asyncio.Event()
        self._closing = False
        self._retry_delay = webhook_retry_delay
        self._webhook_task: asyncio.Task[None] | None = None
        self._session: aiohttp.ClientSession | None = None

    def _allowed(self, update: dict[str, Any]) -> bool:
        kind = next(key for key in update if key != "update_id")
        allowed = self.webhook.allowed_updates if self.webhook else self.allowed_updates
        if not allowed:
            return kind not in DEFAULT_EXCLUDED
        return kind in allowed

    async def publish(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Give `payload` the next update_id and deliver it; in-process delivery returns after processing."""
        update = {"update_id": self._next_id, **payload}
        self._next_id += 1
        self.history.append(update)
        if self.deliver is not None:
            await self.deliver(update)
            return update
        if self._allowed(update):
            self.pending.append(update)
            await self._notify()
        return update

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def get_updates(
        self, offset: int | None, limit: int | None, poll_seconds: int | None, allowed_updates: list[str] | None
    ) -> list[dict[str, Any]]:
        """getUpdates: confirm by offset, then return up to `limit` updates, waiting up to `poll_seconds`."""
        if self.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        if allowed_updates is not None:
            self.allowed_updates = tuple(allowed_updates)
        if offset is not None and offset > 0:
            self.pending = [u for u in self.pending if u["update_id"] >= offset]
        elif offset is not None and offset < 0:
            self.pending = self.pending[offset:]
        limit = min(max(limit if limit is not None else 100, 1), 100)
        self._poll_generation += 1
        generation = self._poll_generation
        await self._notify()
        deadline = time.monotonic() + max(poll_seconds or 0, 0)
        async with self._changed:
            self.waiting_pollers += 1
            self.poller_waiting.set()
            try:
                await self._wait(generation, deadline)
            finally:
                self.waiting_pollers -= 1
                if not self.waiting_pollers:
                    self.poller_waiting.clear()
        return self.pending[:limit]

    async def _wait(self, generation: int, deadline: float) -> None:
        """Wait (holding the condition) until updates arrive, the deadline passes or a newer poll starts."""
        while not self.pending and not self._closing:
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
                )
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), remaining)

    async def set_webhook(self, webhook: Webhook | None, drop_pending: bool) -> None:
        """Set or delete the webhook, optionally dropping pending updates."""
        if drop_pending:
            self.pending.clear()
        self.webhook = webhook
        self.last_error = None
        await self._notify()
        if webhook is not None and (self._webhook_task is None or self._webhook_task.done()):
            self._webhook_task = asyncio.create_task(self._push_loop())

    async def _push_loop(self) -> None:
        """POST pending updates to the webhook one at a time, retrying non-2xx answers."""
        self._session = self._session or aiohttp.ClientSession()
        while not self._closing and self.webhook is not None:
            if not self.pending:
                async with self._changed:
                    await self._changed.wait()
                continue
            webhook, update = self.webhook, self.pending[0]
            headers = {"X-Telegram-Bot-Api-Secret-Token": webhook.secret_token} if webhook.secret_token else {}
            try:
                async with self._session.post(webhook.url, json=update, headers=headers) as response:
                    if 200 <= response.status < 300:
                        if self.pending and self.pending[0] is update:
                            self.pending.pop(0)
                        continue
                    self.last_error = (
                        int(time.time()),
                        f"Wrong response from the webhook: {response.status} {response.reason}",
                    )
            except (aiohttp.ClientError, OSError, TimeoutError) as exc:
                self.last_error = (int(time.time()), f"Connection failed: {exc.__class__.__name__}")
            await asyncio.sleep(self._retry_delay)

    async def close(self) -> None:
        """Wake every waiting poller and stop the webhook pusher."""
        self._closing = True
        await self._notify()
        if self._webhook_task is not None:
            self._webhook_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._webhook_task
        if self._session is not None:
            await self._session.close()
