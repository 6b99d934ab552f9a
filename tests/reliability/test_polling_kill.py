"""SIGKILL of a long-polling process while it holds fetched updates: the next start finishes them all.

A real `python -m bot` polls the emulator (no webhook) on SQLite. 300 people each send /help; Telegram is slow to
take each reply (0.2 s), so the process has fetched a batch and is working through it when, after 50 answers,
it gets SIGKILL. A second process on the same database starts: it takes over the updates the first had stored
and not finished, and fetches again the ones it had not stored (their offset was never confirmed). Every person
must be answered; a second copy is allowed only for replies that were on their way at the kill (the emulator, like
Telegram, finishes a call whose caller died): at most one per update the killed process was running, so never
more than its concurrency.
"""

from __future__ import annotations

from pathlib import Path

from bot.emulator import Emulator
from tests.reliability.conftest import answers_per_chat, inbox_rows, until
from tests.runtime.procs import BotProcess, bot_env, free_port

PEOPLE = 300
KILL_AFTER = 50
CONCURRENCY = 16  # bot.delivery.Delivery's default: updates running at once in one process
READY = "the bot is running (long polling)"


async def test_sigkill_of_a_polling_process_loses_nothing(tmp_path: Path) -> None:
    database = tmp_path / "bot.sqlite3"
    async with Emulator() as emu:
        env = bot_env(emu, free_port(), tmp_path / "data", DATABASE_URL=f"sqlite+aiosqlite:///{database}")
        del env["WEBHOOK_URL"], env["WEBHOOK_SECRET"]
        people = range(9001, 9001 + PEOPLE)
        for user_id in people:
            emu.user(user_id, f"P{user_id}", language_code="en")
        emu.faults.delay("sendMessage", seconds=0.2, times=None)
        first = BotProcess(env, ready_line=READY)
        second = BotProcess(env, ready_line=READY)
        try:
            await first.start()
            for user_id in people:
                await emu.user(user_id).send("/help")

            async def some_answered() -> bool:
                return sum(answers_per_chat(emu).values()) >= KILL_AFTER

            await until(some_answered, 60, f"{KILL_AFTER} answers before the kill")
            assert first.process is not None
            first.process.kill()
            await first.wait_exit()
            answered_at_kill = answers_per_chat(emu)
            requests_at_kill = len(emu.requests)
            unconfirmed = len(emu.hub.pending)  # fetched or not, Telegram still holds these
            stored, _ = await inbox_rows(f"sqlite+aiosqlite:///{database}")

            await second.start()

            async def everyone_answered() -> bool:
                sent = answers_per_chat(emu)
                return all(sent[u] >= 1 for u in people) and not emu.hub.pending

            await until(everyone_answered, 120, "every person answered after the restart")

            async def inbox_empty() -> bool:
                return (await inbox_rows(f"sqlite+aiosqlite:///{database}"))[0] == 0

            await until(inbox_empty, 30, "the inbox emptied")
        finally:
            await second.stop()
            await first.stop()

        sent = answers_per_chat(emu)
        twice = sorted(u for u, n in sent.items() if n > 1)
        print(
            f"\nPOLLING KILL: {PEOPLE} sent, {sum(1 for u in people if sent[u])} answered, lost "
            f"{sum(1 for u in people if not sent[u])}; at the kill {sum(answered_at_kill.values())} answered, "
            f"{stored} stored in the inbox unfinished, {unconfirmed} not confirmed to Telegram; duplicated "
            f"{len(twice)}"
        )
        assert all(sent[u] >= 1 for u in people), "nothing lost"
        assert all(sent[u] <= 2 for u in people)
        assert len(twice) <= CONCURRENCY, "only replies on their way at the kill can go out twice"
        assert (await inbox_rows(f"sqlite+aiosqlite:///{database}")) == (0, 0), "nothing parked"
        # The killed process's own long poll may still be open when the new one polls: Telegram (and the emulator)
        # end it with a Conflict that reaches nobody (client_gone); any other refusal is a bug.
        refused = emu.requests[requests_at_kill:]
        assert [r for r in refused if not r.ok and not r.injected and not r.client_gone] == []
        assert "took over" in second.output
