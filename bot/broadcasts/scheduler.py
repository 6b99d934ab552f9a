"""Scheduled broadcasts in the running bot: started at their `send_at`, resumed after a restart, one replica at a time.

While the bot's Application is started (a job of bot/background.py: polling or webhook; not the test harness or
`python -m bot broadcast`, which never call `start()`), a task looks every few seconds for broadcasts whose
`send_at` has come and that have not finished, and runs each with the ordinary Sender. The Sender's lease in the
database decides which replica sends: the others are told it is busy and look again later, so when the holder dies
one of them takes the run over once its lease lapses. A restarted process resumes an interrupted run the same way.
On stop, nothing more is claimed, the sends on their way finish and the run is handed back for the next start (or
another replica).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from telegram.ext import Application

from bot.broadcasts.model import Broadcast, broadcasts_of
from bot.broadcasts.sender import Sender, SendOptions, Summary
from bot.broadcasts.store import RUNNING, BroadcastStore, utc_now
from bot.services import Services

log = logging.getLogger(__name__)
MAX_EVERY = 10.0  # seconds between looks at the schedule, at most
STOP_WITHIN = 30.0  # seconds the sends on their way may take to finish on stop


class Scheduler:
    """Runs the due broadcasts of the live content, one after the other, in the background of one process."""

    def __init__(self, application: Application[Any, Any, Any, Any, Any, Any], services: Services) -> None:
        """Sends with `application.bot`; the lease and the pace of its looks follow INBOX_LEASE_SECONDS."""
        self._application = application
        self._services = services
        lease = services.settings.inbox_lease_seconds
        self._lease = timedelta(seconds=lease)
        self._every = min(MAX_EVERY, lease / 3)
        self._stopped = asyncio.Event()
        self._sender: Sender | None = None
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Start looking at the schedule."""
        self._task = asyncio.create_task(self._loop(), name="scheduled-broadcasts")

    async def stop(self) -> None:
        """Claim nothing more, let the sends on their way finish, hand the run back."""
        self._stopped.set()
        if self._sender is not None:
            self._sender.stop()
        if self._task is not None:
            try:
                await asyncio.wait_for(self._task, STOP_WITHIN)
            except TimeoutError:
                log.warning("scheduled broadcast: sends still on their way after %.0f s; cancelled", STOP_WITHIN)
            self._task = None

    async def _loop(self) -> None:
        while not self._stopped.is_set():
            try:
                await self.tick()
            except (SQLAlchemyError, OSError) as exc:  # the database away: look again later
                log.warning("scheduled broadcasts: %s; trying again", type(exc).__name__)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopped.wait(), self._every)

    async def tick(self) -> list[Summary]:
        """Run every broadcast that is due and not finished (busy ones are another replica's); their summaries."""
        live = self._services.live.current
        store = BroadcastStore(self._services.storage)
        summaries = []
        for broadcast in broadcasts_of(live.content).values():
            if self._stopped.is_set():
                break
            if not broadcast.due(utc_now()) or not await self._unfinished(store, broadcast):
                continue
            self._sender = Sender(self._application.bot, self._services.storage, live, broadcast, self._options())
            try:
                summary = await self._sender.run()
            finally:
                self._sender = None
            if summary.status != "busy":
                log.info(
                    "scheduled broadcast %s: %s (sent %d, blocked %d, failed %d, skipped %d, uncertain %d)",
                    broadcast.name,
                    summary.status,
                    summary.sent,
                    summary.blocked,
                    summary.failed,
                    summary.skipped,
                    summary.uncertain,
                )
            summaries.append(summary)
        return summaries

    def _options(self) -> SendOptions:
        return SendOptions(lease=self._lease)

    @staticmethod
    async def _unfinished(store: BroadcastStore, broadcast: Broadcast) -> bool:
        runs = await store.runs([broadcast.name])
        return not runs or runs[0].state == RUNNING
