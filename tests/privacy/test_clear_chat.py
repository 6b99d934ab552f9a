"""Clear this chat: /clear and the card's button delete the conversation as far as Telegram allows."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.exc import OperationalError

from bot import chat_trail
from bot.privacy import user_key
from tests.botfixtures import Harness

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def key_of(harness: Harness, user_id: int) -> str:
    return user_key(harness.services.user_secret, user_id)


async def test_clear_deletes_every_message_of_both_sides(harness: Harness) -> None:
    ui = harness.services.live.current.ui("en")
    user = harness.user(7000, "Mya", "en")
    await user.start()
    await user.send("they took my passport")
    await user.press("Thailand")
    await user.send("how much are recruitment fees")
    await user.send("/helpline")
    assert len(user.messages) >= 8
    await user.send("/clear")
    remaining = user.messages
    assert [m.text for m in remaining] == [ui.t("clear.done")], [m.text[:30] for m in remaining]
    # The ids are forgotten once deleted: only the note's id is kept, so a second clear removes it too.
    recent = await harness.services.storage.recent_messages(key_of(harness, user.id), EPOCH)
    assert recent == [] or recent == [remaining[0].message_id]
    await user.send("/clear")
    assert [m.text for m in user.messages] == [ui.t("clear.done")]
    harness.emu.assert_clean()


async def test_the_button_on_the_help_card_clears_the_chat(harness: Harness) -> None:
    ui = harness.services.live.current.ui("th")
    user = harness.user(7001, "Som", "th")
    await user.send("ช่วยด้วย")
    await user.press(ui.t("clear.button"))
    assert [m.text for m in user.messages] == [ui.t("clear.done")]
    harness.emu.assert_clean()


async def test_messages_older_than_48_hours_stay_and_the_note_says_so(harness: Harness) -> None:
    ui = harness.services.live.current.ui("en")
    user = harness.user(7002, "Old", "en")
    await user.start()
    await user.send("help")
    old = [m.message_id for m in user.messages]
    harness.emu.advance_clock(49 * 3600)
    await user.send("/helpline")
    await user.send("/clear")
    left = user.messages
    assert [m.message_id for m in left[:-1]] == old, "Telegram no longer lets anyone delete these"
    assert left[-1].text == ui.t("clear.done") and "48" in left[-1].text
    harness.emu.assert_clean()


async def test_more_than_100_messages_are_deleted_in_batches(harness: Harness) -> None:
    user = harness.user(7003, "Many", "en")
    for number in range(70):
        await user.send(f"visa question {number}")
    assert len(user.messages) > 100
    await user.send("/clear")
    assert len(user.messages) == 1
    calls = [r for r in harness.emu.requests if r.method.lower() == "deletemessages"]
    assert len(calls) >= 2 and all(1 <= len(r.params["message_ids"]) <= 100 for r in calls)
    harness.emu.assert_clean()


async def test_forget_removes_the_stored_message_ids(harness: Harness) -> None:
    ui = harness.services.live.current.ui("en")
    user = harness.user(7004, "Gone", "en")
    await user.start()
    await user.send("help")
    trail = harness.services.trail
    assert trail is not None
    await trail.flush()
    key = key_of(harness, user.id)
    assert await harness.services.storage.recent_messages(key, EPOCH)
    await user.send("/forget")
    await user.press(ui.t("button.forget_confirm"))
    await trail.flush()
    assert await harness.services.storage.recent_messages(key, EPOCH) == []
    harness.emu.assert_clean()


async def test_ids_older_than_48_hours_are_pruned(harness: Harness) -> None:
    storage = harness.services.storage
    key = key_of(harness, 7005)
    now = datetime.now(UTC)
    await storage.remember_messages([(key, 1, now - timedelta(hours=50)), (key, 2, now)])
    assert await storage.prune_messages(now - timedelta(hours=48)) == 1
    assert await storage.recent_messages(key, EPOCH) == [2]


async def test_group_chats_are_never_noted(harness: Harness) -> None:
    trail = harness.services.trail
    assert trail is not None
    trail.note(-100123, 5)
    trail.note(0, 5)
    await trail.flush()
    assert await harness.services.storage.recent_messages(key_of(harness, -100123), EPOCH) == []


async def test_ids_the_database_never_took_are_owned_up_to_at_the_next_clear(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The database refuses the trail's writes for so long that ids pile up past what the bot holds in memory:
    the oldest are let go, and the person's next "Clear this chat" says how many messages it could not delete."""
    ui = harness.services.live.current.ui("en")
    trail = harness.services.trail
    assert trail is not None
    storage = harness.services.storage
    monkeypatch.setattr(chat_trail, "MAX_PENDING", 4)
    writes = storage.remember_messages

    async def refused(rows: object) -> None:
        raise OperationalError("INSERT INTO chat_trail", {}, sqlite3.OperationalError("disk I/O error"))

    monkeypatch.setattr(storage, "remember_messages", refused)
    user = harness.user(7006, "Lost", "en")
    await user.start()
    await user.send("they took my passport")
    await user.send("/helpline")
    shown = [m.message_id for m in user.messages]
    assert len(shown) > 4 and not await trail.flush(), "the database refuses every write"
    kept = trail.pending
    assert kept == 4, "only the newest ids are held in memory"
    let_go = len(shown) - kept
    monkeypatch.setattr(storage, "remember_messages", writes)  # the database is back
    assert await trail.flush(), "what was held is written at the next flush"

    await user.send("/clear")
    left = user.messages
    assert [m.message_id for m in left[:let_go]] == shown[:let_go], "the ids let go could not be deleted"
    assert [m.text for m in left[let_go:]] == [ui.t("clear.done"), ui.t("clear.missed", count=let_go)]
    await user.send("/clear")  # said once: the next clear has nothing it lost track of
    assert [m.text for m in user.messages[let_go:]] == [ui.t("clear.done")]
    harness.emu.assert_clean()
