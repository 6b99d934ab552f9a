"""Delivery's slots: a taken-over update waits behind no fresh one, and a cancelled wait loses no slot."""

from __future__ import annotations

import asyncio
import contextlib

from bot.delivery import Slots


async def test_an_urgent_update_goes_before_the_fresh_ones_waiting() -> None:
    slots = Slots(1)
    order: list[str] = []
    release = asyncio.Event()

    async def run(name: str, *, urgent: bool = False, hold: bool = False) -> None:
        async with slots.slot(urgent=urgent):
            order.append(name)
            if hold:
                await release.wait()

    holder = asyncio.create_task(run("holder", hold=True))
    await asyncio.sleep(0)
    waiting = [asyncio.create_task(run("fresh 1")), asyncio.create_task(run("fresh 2"))]
    await asyncio.sleep(0)
    waiting.append(asyncio.create_task(run("taken over", urgent=True)))
    await asyncio.sleep(0)
    release.set()
    await asyncio.gather(holder, *waiting)
    assert order == ["holder", "taken over", "fresh 1", "fresh 2"]


async def test_a_cancelled_wait_does_not_lose_the_slot() -> None:
    slots = Slots(1)
    release = asyncio.Event()

    async def hold() -> None:
        async with slots.slot():
            await release.wait()

    holder = asyncio.create_task(hold())
    await asyncio.sleep(0)
    gone = asyncio.create_task(hold())
    await asyncio.sleep(0)
    gone.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await gone
    release.set()
    await holder
    async with asyncio.timeout(1):
        async with slots.slot():
            pass
