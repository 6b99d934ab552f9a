"""The desk's housekeeping in the running bot: idle cases closed, closed ones deleted after the retention period,
unfinished reports dropped after their hour — on a timer, whatever the traffic.

Every replica runs it; closing is atomic in the database, so a case closed by two replicas at once is closed (and
the person told) once. It runs with or without a desk configured: rows kept while one was must still be deleted.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from telegram.error import TelegramError
from telegram.ext import Application

from bot.handoff import desk
from bot.services import Services

log = logging.getLogger(__name__)
SWEEP_EVERY = 300.0  # seconds between two sweeps
STOP_WITHIN = 10.0  # seconds a sweep on its way may take to finish on stop


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Sweeper:
    """Runs `desk.sweep` every `every` seconds in the background of one process, from the Application's start."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        services: Services,
        *,
        every: float = SWEEP_EVERY,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        """Sweep with `application.bot`; `clock` is the time the sweep measures idleness and retention by."""
        self._application = application
        self._services = services
        self._every = every
        self._clock = clock
        self._stopped = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.sweeps = 0

    def start(self) -> None:
        """Sweep now, then every `every` seconds (and say once if the desk still has the example name and hours)."""
        shown = desk.hours(self._services.live.current)
        if self._services.settings.handoff_chat_id is not None and shown is not None and shown.example:
            log.warning(
                "the desk is on but content/handoff.yaml still holds the example name and hours (example: true): "
                "people see a generic name; write the partner NGO's and delete `example: true`"
            )
        self._stopped.clear()
        self._task = asyncio.create_task(self._loop(), name="desk-sweep")

    async def stop(self) -> None:
        """Let the sweep on its way finish (closing cases is quick), within STOP_WITHIN seconds, and stop."""
        self._stopped.set()
        if self._task is not None:
            try:
                await asyncio.wait_for(self._task, STOP_WITHIN)
            except TimeoutError:  # the database or Telegram hanging: the next start sweeps again
                log.warning("desk sweep: still running after %.0f s at stop; cancelled", STOP_WITHIN)
            self._task = None

    async def _loop(self) -> None:
        while not self._stopped.is_set():
            try:
                await desk.sweep(self._application.bot, self._services, self._services.live.current, self._clock())
                self.sweeps += 1
            except (SQLAlchemyError, OSError, TelegramError) as exc:  # the database or Telegram away: next time
                log.warning("desk sweep: %s; trying again in %.0f s", type(exc).__name__, self._every)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopped.wait(), self._every)
