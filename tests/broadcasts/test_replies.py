"""People pressing buttons while a broadcast runs are answered: replies and the broadcast share one replies-first
limiter under the emulator's flood control. The p99 of those replies is printed; speed is measured in
benchmarks/broadcast.py, not asserted here."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from pathlib import Path
from typing import Any

from telegram import Update

from benchmarks._common import percentile
from bot.app import build_application
from bot.broadcasts.model import broadcasts_of
from bot.broadcasts.sender import Sender
from bot.emulator import SimulatedUser
from bot.emulator.faults import FloodControl
from tests.botfixtures import running_bot
from tests.broadcasts.test_sender import FIRST_ID, sends, subscribe_many

SUBSCRIBERS = 600
PRESSERS = 12
PRESSES = 2  # each, after a /start: three messages, within Telegram's per-chat burst of 3


async def press_around(user: SimulatedUser, latencies: list[float]) -> None:
    """Press the first button of the last message PRESSES times (or /start where there is none)."""
    for _ in range(PRESSES):
        message = user.last_message
        if not message.buttons:
            await user.send("/start")
            message = user.last_message
        began = time.perf_counter()
        await user.press(message.buttons[0][0], message_id=message.message_id)
        latencies.append((time.perf_counter() - began) * 1000)


async def test_buttons_pressed_during_a_broadcast_are_answered(tmp_path: Path) -> None:
    async with running_bot(tmp_path, broadcast_rate=300.0) as harness:
        emu = harness.emu
        emu.flood = FloodControl(emu.clock.monotonic, enabled=True, global_rate=400.0)
        await subscribe_many(harness, SUBSCRIBERS)
        app = build_application(harness.services, token=emu.token, base_url=emu.url, rate_limit=True)

        async def deliver(update: dict[str, Any]) -> None:
            await app.process_update(Update.de_json(update, app.bot))

        emu.deliver_to(deliver)  # presses and broadcast through one Application, one limiter
        live = harness.services.live.current
        broadcast = broadcasts_of(live.content)["keep-copies"]
        pressers = [harness.user(60_000 + n) for n in range(PRESSERS)]
        latencies: list[float] = []
        async with app:
            for user in pressers:
                await user.send("/start")
            sender = asyncio.create_task(Sender(app.bot, harness.services.storage, live, broadcast).run())

            async def started() -> bool:
                return len(sends(harness)) >= SUBSCRIBERS // 10

            while not await started():  # presses begin once the broadcast is under way
                assert not sender.done(), "the broadcast ended before the presses"
                await asyncio.sleep(0.01)
            await asyncio.gather(*(press_around(user, latencies) for user in pressers))
            during = not sender.done()
            summary = await sender
        delivered = Counter(call["chat"] for call in sends(harness) if call["ok"])
        print(
            f"\nreplies during a broadcast: {len(latencies)} presses, p50 {percentile(latencies, 50):.0f} ms, "
            f"p99 {percentile(latencies, 99):.0f} ms; broadcast still running when the last was answered: {during}"
        )
        assert len(latencies) == PRESSERS * PRESSES
        assert emu.unanswered_callback_queries() == []
        assert all(user.callback_answers for user in pressers)
        assert summary.status == "done" and summary.sent == SUBSCRIBERS
        assert len(delivered) == SUBSCRIBERS and max(delivered.values()) == 1
        assert FIRST_ID in delivered
