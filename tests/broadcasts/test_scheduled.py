"""The running bot (`python -m bot`, webhook mode) starts a scheduled broadcast at its `send_at` by itself; killed
with SIGKILL half-way and started again, it resumes the run (once the dead process's lease lapses) and each
subscriber gets the message once (those on their way at the kill reported uncertain, as in test_sigkill)."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

from bot.broadcasts.store import PENDING, SENDING, SENT, UNCERTAIN, BroadcastStore, utc_now
from bot.config import PROJECT_ROOT
from bot.emulator import Emulator
from bot.storage import Storage
from tests.broadcasts.procs import RUN_WITHIN, delivered, key_of, states, subscribe, until
from tests.runtime.procs import BotProcess, bot_env, free_port

SUBSCRIBERS = 200
FIRST_ID = 830_000
SCHEDULED = """topic: before-you-leave
send_at: {when}
text:
  en: A scheduled reminder.
"""


def content_with_schedules(tmp_path: Path, send_at: str) -> Path:
    """The shipped content plus `soon` (due at `send_at`) and `later` (due in 2099)."""
    content = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "content", content)
    (content / "broadcasts" / "soon.yaml").write_text(SCHEDULED.format(when=send_at), encoding="utf-8")
    (content / "broadcasts" / "later.yaml").write_text(SCHEDULED.format(when="2099-01-01 09:00"), encoding="utf-8")
    return content


async def test_the_running_bot_sends_at_send_at_and_resumes_after_a_restart(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"
    ids = [FIRST_ID + n for n in range(SUBSCRIBERS)]
    send_at = (utc_now() + timedelta(seconds=4)).replace(microsecond=0)
    content = content_with_schedules(tmp_path, send_at.strftime("%Y-%m-%d %H:%M:%S"))
    async with Emulator() as emu:
        await subscribe(url, emu, ids)
        extra = {"DATABASE_URL": url, "CONTENT_DIR": str(content), "BROADCAST_RATE": "50", "INBOX_LEASE_SECONDS": "2"}
        storage = await Storage.open(url)
        first = BotProcess(bot_env(emu, free_port(), tmp_path / "data", **extra))
        second = BotProcess(bot_env(emu, free_port(), tmp_path / "data", **extra))
        try:
            await first.start()

            async def a_third() -> bool:
                return sum(delivered(emu, ids).values()) >= SUBSCRIBERS // 3

            await until(a_third, RUN_WITHIN, "a third of the scheduled broadcast sent by the running bot")
            assert first.process is not None
            first.process.kill()
            await first.process.wait()
            on_their_way = {key for key, state in (await states(storage, "soon")).items() if state == SENDING}

            await second.start()

            async def finished() -> bool:
                runs = await BroadcastStore(storage).runs(["soon"])
                return bool(runs) and runs[0].state == "done"

            await until(finished, RUN_WITHIN, "the restarted bot resumed and finished the run")
            after = await states(storage, "soon")
            later = await BroadcastStore(storage).runs(["later"])
        finally:
            await second.stop()
            await first.stop()
            await storage.close()
        counts = delivered(emu, ids)
        uncertain = {key for key, state in after.items() if state == UNCERTAIN}
        dates = [int(r.result["date"]) for r in emu.calls("sendMessage") if r.ok and r.params["chat_id"] in counts]
        assert min(dates) >= int(send_at.timestamp()), "nothing is sent before send_at"
        assert max(counts.values()) == 1, "nobody gets the broadcast twice"
        assert uncertain == on_their_way and len(uncertain) <= 8
        assert all(key_of(chat) in uncertain for chat in ids if counts[chat] == 0)
        assert list(after.values()).count(SENT) == SUBSCRIBERS - len(uncertain) and PENDING not in after.values()
        assert later == [], "a broadcast whose send_at has not come is not started"
        assert "scheduled broadcast soon: done" in second.output
    emu.assert_clean()
