"""Count events in memory and flush them to the database in the background, in batches.

`record` never touches the database, so a button press costs no round trip. A crash loses at most what was
recorded since the last flush (one flush interval); a failed flush keeps its data for the next attempt.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from bot.analytics import hll
from bot.analytics.events import Event
from bot.analytics.keys import CellKey, CounterKey, counter_key
from bot.analytics.writer import write_batch
from bot.storage import Storage

log = logging.getLogger(__name__)


def _utcnow() -> datetime:
    return datetime.now(UTC)


class AnalyticsRecorder:
    """Aggregate counters and unique-user sketches, buffered in memory, flushed every `flush_seconds`."""

    def __init__(
        self,
        storage: Storage,
        secret: bytes,
        *,
        flush_seconds: float = 30.0,
        retention_days: int = 400,
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        """Prepare a recorder; call `await start()` to flush periodically and `await close()` at shutdown."""
        if not secret:
            raise ValueError("the analytics secret must not be empty")
        if flush_seconds <= 0 or retention_days <= 0:
            raise ValueError("flush_seconds and retention_days must be positive")
        self._storage = storage
        self._secret = secret
        self._flush_seconds = flush_seconds
        self._retention_days = retention_days
        self._clock = clock
        self._counters: Counter[CounterKey] = Counter()
        self._sketches: dict[CellKey, bytearray] = {}
        self._pruned_on: date | None = None
        self._task: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()

    def record(
        self,
        event: Event,
        *,
        locale: str | None,
        campaign: str | None,
        node: str = "",
        detail: str = "",
        user_key: str | None,
    ) -> None:
        """Count one event (in memory only); labels must be codes, never user text."""
        day = self._clock().astimezone(UTC).date()
        key = counter_key(day, event, campaign=campaign, locale=locale, node=node, detail=detail)
        self._counters[key] += 1
        if user_key:
            cell = CellKey(day, key.campaign, key.locale)
            registers = self._sketches.get(cell)
            if registers is None:
                registers = self._sketches[cell] = hll.empty()
            hll.add(registers, hll.hash_user(self._secret, day, user_key))

    def today(self) -> date:
        """The UTC day events are counted under now (the recorder's clock)."""
        return self._clock().astimezone(UTC).date()

    @property
    def pending(self) -> int:
        """How many counter increments wait for the next flush."""
        return sum(self._counters.values())

    async def flush(self) -> None:
        """Write everything buffered in one transaction; once a day also delete data past retention."""
        async with self._lock:
            counters, sketches = self._counters, self._sketches
            self._counters, self._sketches = Counter(), {}
            today = self._clock().astimezone(UTC).date()
            prune = self._pruned_on != today
            if not counters and not sketches and not prune:
                return
            cutoff = today - timedelta(days=self._retention_days) if prune else None
            try:
                await write_batch(self._storage, counters, sketches, delete_before=cutoff)
            except BaseException:
                self._restore(counters, sketches)
                raise
            if prune:
                self._pruned_on = today

    def _restore(self, counters: Counter[CounterKey], sketches: dict[CellKey, bytearray]) -> None:
        """Put an unwritten batch back so the next flush retries it."""
        self._counters.update(counters)
        for cell, registers in sketches.items():
            current = self._sketches.get(cell)
            self._sketches[cell] = registers if current is None else hll.merge(current, registers)

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self._flush_seconds)
            try:
                await asyncio.shield(self.flush())  # a cancel at shutdown must not cut a write in half
            except Exception:  # keep counting; the batch is retried at the next interval
                log.exception("analytics flush failed; will retry")

    async def start(self) -> None:
        """Start the background flush task (idempotent)."""
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="analytics-flush")

    async def close(self) -> None:
        """Stop the background task and flush what is left."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self.flush()
