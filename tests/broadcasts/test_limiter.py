"""The replies-first limiter's accounting, on a clock the test moves (nothing here waits on real time)."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.limiter import PREPAID, ReplyFirstLimiter


class Clock:
    """A monotonic clock moved by the test."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def sent(*_: Any, **__: Any) -> bool:
    """A Bot API call that succeeds at once."""
    return True


async def call(limiter: ReplyFirstLimiter, mark: str | None) -> None:
    await limiter.process_request(sent, (), {}, "sendMessage", {}, mark)


async def test_a_prepaid_send_spends_the_one_token_its_sender_took() -> None:
    clock = Clock()
    limiter = ReplyFirstLimiter(10.0, clock=clock)
    await limiter.bulk_token()  # the sender's turn: the bucket is empty now
    await call(limiter, PREPAID)  # no second token (a debt would hold the next send back a tenth of a second)
    clock.now = 0.1  # one token refilled: the next turn is due at once
    await asyncio.wait_for(limiter.bulk_token(), 5.0)
