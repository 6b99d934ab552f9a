"""Updates that keep failing are answered with the kind error message once and parked; a restart finishes the rest."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from bot.storage import Storage
from bot.storage.inbox import Inbox
from bot.storage.schema import inbox as inbox_table
from tests.reliability.conftest import reliable_bot, settled
from tests.runtime.procs import text_update


def apologies(texts: list[str], generic: str) -> int:
    return sum(1 for text in texts if generic in text)


def sent_texts(emu: object, chat_id: int) -> list[str]:
    return [str(r.params.get("text")) for r in emu.calls("sendMessage") if r.ok and r.params.get("chat_id") == chat_id]  # type: ignore[attr-defined]


async def test_a_final_error_gets_one_apology_and_is_parked_without_its_text(tmp_path: Path) -> None:
    async with reliable_bot(tmp_path) as bot:
        user = bot.emu.user(61, "Ana", language_code="en")
        bot.emu.faults.server_error("sendMessage", status=400, chat_id=user.id)  # Bad Request: not worth retrying
        await user.send("they took my passport")
        await settled(bot)
        generic = bot.services.live.current.ui("en").t("error.generic")
        assert apologies(sent_texts(bot.emu, user.id), generic) == 1
        [parked] = await bot.server.delivery.inbox.parked()
        assert (parked.attempts, parked.failure) == (1, "BadRequest")
        async with bot.services.storage.engine.connect() as connection:
            payloads = (await connection.execute(sa.select(inbox_table.c.payload))).scalars().all()
        assert payloads == [None]


async def test_a_transient_error_that_persists_is_retried_then_apologised_for_once_and_parked(tmp_path: Path) -> None:
    async with reliable_bot(tmp_path, inbox_max_attempts=3) as bot:
        user = bot.emu.user(62, "Bo", language_code="en")
        await user.start()
        await settled(bot)
        bot.emu.faults.server_error("editMessageText", chat_id=user.id, times=None)  # Telegram keeps failing
        await user.press(user.last_message.buttons[0][0])
        await settled(bot)
        generic = bot.services.live.current.ui("en").t("error.generic")
        assert apologies(sent_texts(bot.emu, user.id), generic) == 1
        assert len([r for r in bot.emu.calls("editMessageText") if r.injected]) == 3
        assert len([r for r in bot.emu.calls("answerCallbackQuery") if r.ok]) == 1, "replayed, not re-sent"
        [parked] = await bot.server.delivery.inbox.parked()
        assert (parked.attempts, parked.failure) == (3, "NetworkError")
        assert bot.server.delivery.stats.retried == 2


async def test_a_restart_on_sqlite_finishes_what_the_killed_process_had_accepted(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"
    async with reliable_bot(tmp_path) as first:
        user = first.emu.user(63, "Cy", language_code="en")
        update = text_update(first.emu, 7001, user.id, "/help")
    storage = await Storage.open(url)
    try:  # what a process killed right after its 200 leaves behind: a claimed update under a live lease
        assert await Inbox(storage.engine, lease=3600, owner="killed").accept(7001, update)
    finally:
        await storage.close()
    async with reliable_bot(tmp_path, users=(63,)) as second:
        await settled(second)
        assert len(sent_texts(second.emu, 63)) == 1
        assert second.server.delivery.stats.taken_over == 1
