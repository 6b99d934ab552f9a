"""Two `python -m bot broadcast` processes on one PostgreSQL database: one sends, the other waits on the lease; the
sender is killed with SIGKILL half-way and the other takes the run over. Each subscriber gets the message once
(the sends on their way at the kill are reported uncertain, as in test_sigkill)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.broadcasts.store import PENDING, SENDING, SENT, UNCERTAIN
from bot.emulator import Emulator
from bot.storage import Storage
from tests.broadcasts.procs import (
    RUN_WITHIN,
    BroadcastProcess,
    broadcast_env,
    delivered,
    key_of,
    states,
    subscribe,
    until,
)
from tests.dbfixtures import postgres_database

pytestmark = pytest.mark.postgres

SUBSCRIBERS = 240
FIRST_ID = 820_000
WAITING = "waiting to take it over"


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database (skipped with the reason when TEST_POSTGRES_URL is unset)."""
    yield from postgres_database()


async def test_two_replicas_send_once_and_the_survivor_takes_over(tmp_path: Path, pg_url: str) -> None:
    ids = [FIRST_ID + n for n in range(SUBSCRIBERS)]
    async with Emulator() as emu:
        await subscribe(pg_url, emu, ids)
        env = broadcast_env(emu, tmp_path / "data", pg_url, BROADCAST_RATE="60", INBOX_LEASE_SECONDS="2")
        replicas = [BroadcastProcess(env, "broadcast", "keep-copies", "--resume", "--wait") for _ in range(2)]
        storage = await Storage.open(pg_url)
        try:
            for replica in replicas:
                await replica.start()

            async def one_waits() -> bool:
                return any(WAITING in replica.output for replica in replicas)

            await until(one_waits, RUN_WITHIN, "one replica waiting for the other's lease")
            waiter = next(replica for replica in replicas if WAITING in replica.output)
            holder = next(replica for replica in replicas if replica is not waiter)

            async def half_way() -> bool:
                assert holder.process is not None and holder.process.returncode is None, holder.output
                return sum(delivered(emu, ids).values()) >= SUBSCRIBERS // 3

            await until(half_way, RUN_WITHIN, "a third delivered by the lease holder")
            assert holder.process is not None
            holder.process.kill()
            await holder.process.wait()
            before_kill = sum(delivered(emu, ids).values())
            on_their_way = {key for key, state in (await states(storage)).items() if state == SENDING}

            code = await waiter.finish()
            assert code == 0, waiter.output
        finally:
            for replica in replicas:
                await replica.stop()
            after = await states(storage)
            await storage.close()
        counts = delivered(emu, ids)
        uncertain = {key for key, state in after.items() if state == UNCERTAIN}
        print(
            f"\ntwo replicas: {before_kill} sent by the holder before SIGKILL, {sum(counts.values()) - before_kill} "
            f"by the survivor; on their way at the kill {len(on_their_way)}, uncertain {len(uncertain)}"
        )
        assert max(counts.values()) == 1, "nobody gets the broadcast twice"
        assert uncertain == on_their_way and len(uncertain) <= 8
        assert all(key_of(chat) in uncertain for chat in ids if counts[chat] == 0)
        assert list(after.values()).count(SENT) == SUBSCRIBERS - len(uncertain)
        assert PENDING not in after.values()
        assert "broadcast keep-copies: done" in waiter.output
        assert sum(counts.values()) > before_kill, "the survivor sent the rest"
    emu.assert_clean()
