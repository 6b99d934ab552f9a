"""Two bot processes in webhook mode sharing one PostgreSQL, with a user's updates sent alternately to both."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.emulator import Emulator
from bot.i18n import native_name
from tests.dbfixtures import postgres_database
from tests.runtime.procs import BotProcess, bot_env, free_port, post_update, replies_to

pytestmark = pytest.mark.postgres
THAI = re.compile("[\u0e00-\u0e7f]")


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database (skipped with the reason when TEST_POSTGRES_URL is unset)."""
    yield from postgres_database()


async def test_two_replicas_share_settings_deduplicate_and_lose_nothing(tmp_path: Path, pg_url: str) -> None:
    async with Emulator() as emu:
        replicas = [BotProcess(bot_env(emu, free_port(), tmp_path / f"data{n}", DATABASE_URL=pg_url)) for n in range(2)]
        for replica in replicas:  # one after the other: both run the migrations on the same database
            await replica.start()
        try:
            turn = itertools.cycle(replicas)
            routed: list[tuple[int, BotProcess, int]] = []
            async with aiohttp.ClientSession() as session:

                async def alternate(update: dict[str, Any]) -> None:
                    replica = next(turn)
                    status = await post_update(session, replica.hook_url, update)
                    routed.append((update["update_id"], replica, status))

                emu.deliver_to(alternate)
                messages = 0
                users = [emu.user(300 + n, f"P{n}", language_code="en") for n in range(3)]
                for presses, user in enumerate(users, start=1):
                    await user.start()  # replica A
                    messages += 1
                    await emu.wait_for_request("sendMessage", count=messages)
                    english_home = user.last_message.text or ""
                    await user.send("/language")  # replica B
                    messages += 1
                    await emu.wait_for_request("sendMessage", count=messages)
                    await user.press(native_name("th"))  # replica A stores the choice
                    await emu.wait_for_request("answerCallbackQuery", count=presses)
                    await emu.wait_for_request("editMessageText", count=presses)
                    await user.start()  # replica B must see the stored language
                    messages += 1
                    await emu.wait_for_request("sendMessage", count=messages)
                    thai_home = user.last_message.text or ""
                    assert THAI.search(thai_home) and thai_home != english_home

                # Telegram re-sends the last update to each replica: both must drop it.
                repeated = emu.updates[-1]
                for replica in replicas:
                    assert await post_update(session, replica.hook_url, repeated) == 200
                await users[0].send("/help")  # a fresh update after the repeats
                messages += 1
                await emu.wait_for_request("sendMessage", count=messages)
        finally:
            for replica in replicas:
                await replica.stop()  # graceful: finishes everything it accepted

        assert all(status == 200 for _, _, status in routed)
        assert {replica for _, replica, _ in routed} == set(replicas), "both replicas must have served"
        accepted = duplicates = 0
        for replica in replicas:
            line = next(line for line in replica.lines if "stopped:" in line)
            numbers = [int(n) for n in re.findall(r"(\d+) (?:update|duplicate)", line)]
            accepted, duplicates = accepted + numbers[0], duplicates + numbers[1]
        assert (accepted, duplicates) == (len(emu.updates), 2)
        for user in users:  # every update got exactly one answer, no more
            assert len(replies_to(emu, user.id)) == (4 if user is users[0] else 3)
            assert len(user.callback_answers) == 1
        assert len(emu.calls("sendMessage")) == messages
        emu.assert_clean()
