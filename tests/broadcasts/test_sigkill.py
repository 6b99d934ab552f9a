"""SIGKILL `python -m bot broadcast` half-way, then `--resume`: every subscriber gets the message exactly once, except
the few sends that were on their way at the kill, which are reported uncertain and not sent again.

A real subprocess sends to 240 subscribers through the emulator the test runs. One subscriber's send is held by the
emulator for 3 s, so at least one message is surely on its way when the process is killed (the emulator then
delivers it, as Telegram would deliver a message whose answer never reached us). The kill comes once that send is
claimed in the database and at least a third of the messages went out.
"""

from __future__ import annotations

from pathlib import Path

from bot.broadcasts.store import PENDING, SENDING, SENT, UNCERTAIN
from bot.emulator import Emulator
from bot.storage import Storage
from tests.broadcasts.procs import (
    RUN_WITHIN,
    BroadcastProcess,
    broadcast_env,
    delivered,
    key_of,
    run_broadcast,
    states,
    subscribe,
    until,
)

SUBSCRIBERS = 240
FIRST_ID = 810_000
CONCURRENCY = 8  # SendOptions.concurrency: the most sends that can be on their way at once


async def test_sigkill_half_way_then_resume_delivers_each_once(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"
    ids = [FIRST_ID + n for n in range(SUBSCRIBERS)]
    held = ids[SUBSCRIBERS // 2]
    async with Emulator() as emu:
        await subscribe(url, emu, ids)
        emu.faults.delay("sendMessage", seconds=3.0, chat_id=held)
        env = broadcast_env(emu, tmp_path / "data", url, BROADCAST_RATE="60", INBOX_LEASE_SECONDS="2")
        storage = await Storage.open(url)
        try:
            first = BroadcastProcess(env, "broadcast", "keep-copies")
            await first.start()

            async def half_way() -> bool:
                if first.process is not None and first.process.returncode is not None:
                    raise AssertionError(f"the broadcast ended before the kill:\n{first.output}")
                found = await states(storage)
                return found.get(key_of(held)) == SENDING and sum(delivered(emu, ids).values()) >= SUBSCRIBERS // 3

            await until(half_way, RUN_WITHIN, "the held send claimed and a third delivered")
            assert first.process is not None
            first.process.kill()  # SIGKILL: nothing is finished, released or flushed
            await first.process.wait()
            at_kill = await states(storage)
            on_their_way = {key for key, state in at_kill.items() if state == SENDING}

            async def held_arrived() -> bool:
                return delivered(emu, ids)[held] == 1

            await until(held_arrived, 10.0, "the held message delivered after the kill")

            resumed = await run_broadcast(env, "--resume", "--wait")  # the dead process's lease lapses within 2 s
            after = await states(storage)
            counts = delivered(emu, ids)
            uncertain = {key for key, state in after.items() if state == UNCERTAIN}
            lost = [chat for chat in ids if counts[chat] == 0]
            twice = [chat for chat in ids if counts[chat] > 1]
            print(
                f"\nbroadcast SIGKILL: {SUBSCRIBERS} subscribers, on their way at the kill {len(on_their_way)}, "
                f"uncertain after --resume {len(uncertain)}, not delivered {len(lost)}, twice {len(twice)}"
            )
            assert twice == [], "nobody gets the broadcast twice"
            assert key_of(held) in uncertain and 1 <= len(on_their_way) <= CONCURRENCY
            assert uncertain == on_their_way, "exactly the sends on their way at the kill are uncertain"
            assert all(key_of(chat) in uncertain for chat in lost), "every loss is one of the uncertain sends"
            assert sorted(after.values()).count(SENT) == SUBSCRIBERS - len(uncertain)
            assert PENDING not in after.values() and SENDING not in after.values()
            assert f"uncertain {len(uncertain)}" in resumed.output and "--resend-uncertain" in resumed.output

            # Staff who prefer a second copy to none resend them: the lost ones arrive; the held one arrives twice.
            await run_broadcast(env, "--resume", "--resend-uncertain")
            counts = delivered(emu, ids)
            assert all(counts[chat] >= 1 for chat in ids)
            assert all(key_of(chat) in uncertain for chat in ids if counts[chat] > 1)
            assert counts[held] == 2 and max(counts.values()) == 2
            final = await states(storage)
            assert set(final.values()) == {SENT}
        finally:
            await storage.close()
    emu.assert_clean()
