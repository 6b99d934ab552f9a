"""Replies first: one Bot API rate limiter that keeps bulk sends under a budget, lets replies through, backs off on 429.

Telegram allows about 30 messages per second overall. Bulk sends (broadcasts, marked with
`rate_limit_args=BULK`) take a token from a bucket refilled at `rate` per second and wait when it is empty; replies
never wait for a token but spend one, driving the bucket into debt, so while people are being answered the
broadcast slows down by as much and the total stays under `rate`. A 429 (`RetryAfter`) pauses bulk sends for
`retry_after` seconds and is retried (replies and bulk alike) a bounded number of times.

A sender that must record something between getting its turn and sending (the broadcast sender claims the
recipient in the database only then, so a crash leaves as few claimed-but-unsent rows as possible) waits with
`bulk_token()` itself and sends with `rate_limit_args=PREPAID`: its first attempt takes no second token.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

BULK = "bulk"  # rate_limit_args of a bulk send
PREPAID = "prepaid"  # a bulk send whose token the sender already took with bulk_token()
JSONDict = dict[str, Any]
COUNTED_PREFIXES = ("send", "copy", "forward", "edit")  # calls that count towards Telegram's message limits


def _seconds(error: RetryAfter) -> float:
    value: Any = error.retry_after
    return float(value.total_seconds() if hasattr(value, "total_seconds") else value)


class ReplyFirstLimiter(BaseRateLimiter[str]):
    """Bulk sends at most `rate` per second minus the replies; replies at once; 429 respected by both."""

    def __init__(
        self,
        rate: float = 25.0,
        *,
        burst: float = 1.0,
        max_retries: int = 3,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """`rate` messages per second in total; `burst` tokens may accumulate; `max_retries` after a 429."""
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self._burst = max(1.0, burst)
        self._max_retries = max_retries
        self._clock = clock
        self._tokens = self._burst
        self._stamp = clock()
        self._paused_until = 0.0
        self._bulk_turn = asyncio.Lock()
        self.retry_afters = 0  # 429 answers seen (for summaries and benchmarks)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    def _refill(self) -> None:
        now = self._clock()
        self._tokens = min(self._burst, self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now

    async def bulk_token(self) -> None:
        """Wait for a token, FIFO among bulk senders, also waiting out a 429 pause."""
        async with self._bulk_turn:
            while True:
                self._refill()
                wait = max(self._paused_until - self._clock(), 0.0)
                if wait <= 0 and self._tokens >= 1:
                    self._tokens -= 1
                    return
                if wait <= 0:
                    wait = (1 - self._tokens) / self.rate
                await asyncio.sleep(wait)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: str | None,
    ) -> bool | JSONDict | list[JSONDict]:
        """Pace bulk sends, let replies through (spending budget), retry after a 429."""
        bulk = rate_limit_args in (BULK, PREPAID)
        counted = endpoint.startswith(COUNTED_PREFIXES)
        attempt = 0
        while True:
            if bulk:
                if attempt > 0 or rate_limit_args == BULK:  # a prepaid send's first attempt has its token
                    await self.bulk_token()
            elif counted:
                self._refill()
                self._tokens -= 1  # debt: the next bulk send waits for it
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                self.retry_afters += 1
                seconds = _seconds(exc)
                self._paused_until = max(self._paused_until, self._clock() + seconds)
                attempt += 1
                if attempt > self._max_retries:
                    raise
                await asyncio.sleep(seconds)


def bulk_limiter(limiter: BaseRateLimiter[Any] | None) -> ReplyFirstLimiter | None:
    """The replies-first limiter behind a bot's rate limiter (possibly wrapped, as by OutgoingObserver), or None."""
    while limiter is not None and not isinstance(limiter, ReplyFirstLimiter):
        limiter = getattr(limiter, "inner", None)
    return limiter
