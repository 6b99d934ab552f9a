"""SIGKILL one of two replicas on PostgreSQL while 1,000 updates are in flight: the survivor finishes them all.

Two real `python -m bot` processes in webhook mode share one PostgreSQL database. 1,000 people each send one
/help (one reply each), posted alternately to both replicas the way a load balancer would; once a quarter have
been answered, replica A is killed with SIGKILL. Posts A can no longer answer are retried on B, as Telegram
retries. Every update must then be answered, by one replica or the other, and none twice: B takes over A's
claimed-but-unfinished updates when A's lease lapses (2 s here).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from bot.emulator import Emulator
from bot.storage.owner import FILE_NAME
from tests.dbfixtures import postgres_database
from tests.reliability.conftest import answers_per_chat, inbox_rows, rows_owned, until
from tests.runtime.procs import BotProcess, bot_env, free_port, post_update, text_update

pytestmark = pytest.mark.postgres

UPDATES = 1000
KILL_AFTER = UPDATES // 4  # answers seen before replica A is killed
POSTS_AT_ONCE = 16
HELD_AT_KILL = 3  # claimed, unfinished updates replica A holds when it is killed
ALL_ANSWERED_WITHIN = 180.0


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database (skipped with the reason when TEST_POSTGRES_URL is unset)."""
    yield from postgres_database()


async def test_sigkill_of_one_replica_loses_nothing_and_answers_each_update_once(tmp_path: Path, pg_url: str) -> None:
    async with Emulator() as emu:
        extra = {"DATABASE_URL": pg_url, "INBOX_LEASE_SECONDS": "2"}
        a_dir = tmp_path / "a"
        a = BotProcess(bot_env(emu, free_port(), a_dir, **extra))
        b = BotProcess(bot_env(emu, free_port(), tmp_path / "b", **extra))
        await a.start()  # one after the other: both run the migrations on the same database
        await b.start()
        try:
            users = [emu.user(500_000 + n, f"P{n}", language_code="en") for n in range(UPDATES)]
            updates = [text_update(emu, 1 + n, user.id, "/help") for n, user in enumerate(users)]
            killed = asyncio.Event()
            retried_on_b = 0
            in_flight_at_kill = 0
            kill_index = 0  # emu.requests recorded before the kill (A's calls are all among them)

            async with aiohttp.ClientSession() as session:
                slots = asyncio.Semaphore(POSTS_AT_ONCE)

                async def deliver(n: int, update: dict[str, Any]) -> None:
                    nonlocal retried_on_b
                    target = a if n % 2 == 0 else b
                    async with slots:
                        while True:
                            replica = b if killed.is_set() else target
                            status = None
                            with contextlib.suppress(aiohttp.ClientError, OSError):
                                status = await post_update(session, replica.hook_url, update)
                            if status == 200:
                                return
                            retried_on_b += 1  # Telegram retries; the load balancer sends it to the live replica
                            target = b

                async def kill_a() -> None:
                    nonlocal in_flight_at_kill, kill_index

                    async def enough() -> bool:
                        return sum(answers_per_chat(emu).values()) >= KILL_AFTER

                    await until(enough, ALL_ANSWERED_WITHIN, f"{KILL_AFTER} answers before the kill")
                    # Killed while it holds updates it claimed and has not finished. A answers a /help in a few
                    # milliseconds, so a kill at any moment can find it holding none (one fresh-clone run did:
                    # nothing lost, nothing taken over, the scenario this test is about missed).
                    owner = (a_dir / FILE_NAME).read_text(encoding="ascii").strip()
                    engine = create_async_engine(pg_url)
                    try:

                        async def a_holds_updates() -> bool:
                            return await rows_owned(engine, owner) >= HELD_AT_KILL

                        await until(a_holds_updates, ALL_ANSWERED_WITHIN, "replica A holding claimed updates")
                        assert a.process is not None
                        a.process.kill()  # SIGKILL: no drain, no hand-back, nothing flushed
                        await a.process.wait()
                        kill_index = len(emu.requests)
                        killed.set()
                        in_flight_at_kill = await rows_owned(engine, owner)  # A's, left behind
                    finally:
                        await engine.dispose()

                await asyncio.gather(kill_a(), *(deliver(n, update) for n, update in enumerate(updates)))

            async def all_answered() -> bool:
                return len(answers_per_chat(emu)) == UPDATES

            await until(all_answered, ALL_ANSWERED_WITHIN, "every update answered")

            async def inbox_empty() -> bool:
                return (await inbox_rows(pg_url)) == (0, 0)

            await until(inbox_empty, 30.0, "the inbox empty (nothing in flight, nothing parked)")
        finally:
            await b.stop()
            await a.stop()

        answers = answers_per_chat(emu)
        lost = sum(1 for user in users if answers[user.id] == 0)
        duplicated = sum(1 for user in users if answers[user.id] > 1)
        line = next(line for line in b.lines if "stopped:" in line)
        found = re.search(r"(\d+) taken over \((\d+) interrupted\)", line)
        assert found is not None, line
        taken_over, interrupted = (int(n) for n in found.groups())
        print(
            f"\nSIGKILL: sent {UPDATES}, answered {len(answers)}, duplicated {duplicated}, lost {lost}; "
            f"A's in flight at the kill {in_flight_at_kill}, taken over by B {taken_over} ({interrupted} interrupted), "
            f"posts retried on B {retried_on_b}"
        )
        assert in_flight_at_kill > 0 and taken_over > 0, "the kill must leave claimed, unfinished updates behind"
        assert lost == 0
        # The residual window (docs/reliability.md): A sent a reply and was killed before it could mark the update
        # done, so B, taking it over, answers again. Any other duplicate is a bug: each must be one answer from
        # before the kill and one after it, for an update B took over after an interrupted attempt.
        assert duplicated <= interrupted
        sends = [
            (index, int(r.params["chat_id"]))
            for index, r in enumerate(emu.requests)
            if r.ok and r.method == "sendMessage"
        ]
        for user in users:
            if answers[user.id] > 1:
                when = [index for index, chat in sends if chat == user.id]
                assert len(when) == 2 and when[0] < kill_index <= when[1], (
                    f"duplicate not explained by the kill: {when}"
                )
        emu.assert_clean()
