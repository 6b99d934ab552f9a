"""deleteMessage and deleteMessages as Telegram answers them in a private chat, with the emulator's clock moved."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup
from telegram.error import BadRequest

from bot.emulator import Emulator

HOURS = 3600


async def test_bot_deletes_its_own_and_the_users_messages(emu: Emulator, bot: Bot) -> None:
    user = emu.user(7, "Aung")
    update = await user.send("my employer took my passport")
    user_message_id = update["message"]["message_id"]
    reply = await bot.send_message(7, "You are not alone.")
    kept = await bot.send_message(7, "Kept")
    assert await bot.delete_message(7, user_message_id)
    assert await bot.delete_message(7, reply.message_id)
    assert [m.text for m in user.messages] == ["Kept"]
    assert user.message(reply.message_id) is None and user.message(kept.message_id) is not None
    with pytest.raises(BadRequest, match=r"^Message to delete not found$"):
        await bot.delete_message(7, reply.message_id)
    with pytest.raises(BadRequest, match=r"^Message to edit not found$"):
        await bot.edit_message_text("edited", 7, reply.message_id)
    assert [r.description for r in emu.errors] == [
        "Bad Request: message to delete not found",
        "Bad Request: message to edit not found",
    ]


async def test_messages_older_than_48_hours_cannot_be_deleted(emu: Emulator, bot: Bot) -> None:
    user = emu.user(7, "Aung")
    old = [await bot.send_message(7, f"old {n}") for n in range(3)]
    emu.advance_clock(47 * HOURS)
    assert await bot.delete_message(7, old[0].message_id)
    emu.advance_clock(2 * HOURS)
    fresh = await bot.send_message(7, "fresh")
    assert fresh.date.timestamp() - old[1].date.timestamp() >= 49 * HOURS
    with pytest.raises(BadRequest, match=r"^Message can't be deleted$"):
        await bot.delete_message(7, old[1].message_id)
    assert await bot.delete_messages(7, [old[1].message_id, old[2].message_id, fresh.message_id])
    assert [m.text for m in user.messages] == ["old 1", "old 2"]
    edited = await bot.edit_message_text("still editable", 7, old[1].message_id)
    assert edited.edit_date is not None and edited.edit_date.timestamp() >= fresh.date.timestamp()


async def test_delete_messages_takes_1_to_100_ids_and_skips_missing_ones(emu: Emulator, bot: Bot) -> None:
    user = emu.user(7, "Aung")
    sent = [(await bot.send_message(7, f"m{n}")).message_id for n in range(102)]
    assert await bot.delete_messages(7, [*sent[:99], 9999])
    assert [m.text for m in user.messages] == ["m99", "m100", "m101"]
    assert await bot.delete_messages(7, [*sent[:99], sent[99]])  # already deleted ids are skipped
    assert [m.text for m in user.messages] == ["m100", "m101"]
    with pytest.raises(BadRequest, match=r"^Too many message identifiers specified$"):
        await bot.delete_messages(7, list(range(1, 102)))
    with pytest.raises(BadRequest, match=r"^Message identifiers are not specified$"):
        await bot.delete_messages(7, [])
    with pytest.raises(BadRequest, match=r"^Invalid message identifier specified$"):
        await bot.delete_messages(7, [sent[100], 0])
    with pytest.raises(BadRequest, match=r"^Chat not found$"):
        await bot.delete_messages(8, [1])
    assert [m.text for m in user.messages] == ["m100", "m101"]
    assert await bot.delete_messages(7, [sent[100], sent[101], sent[101]])
    assert user.messages == []


async def test_deleting_the_message_that_brought_a_reply_keyboard_removes_it(emu: Emulator, bot: Bot) -> None:
    user = emu.user(7, "Aung")
    menu = await bot.send_message(7, "menu", reply_markup=ReplyKeyboardMarkup([[KeyboardButton("Help")]]))
    later = await bot.send_message(7, "later")
    await bot.delete_message(7, later.message_id)
    assert user.reply_keyboard() == [["Help"]]
    await bot.delete_message(7, menu.message_id)
    assert user.reply_keyboard() is None


async def test_clock_moves_forward_over_http(emu: Emulator, bot: Bot, http: aiohttp.ClientSession) -> None:
    emu.user(7, "Aung")
    sent = await bot.send_message(7, "x")
    async with http.get("/control/clock") as response:
        before: dict[str, Any] = await response.json()
    assert before["offset"] == 0
    async with http.post("/control/clock", json={"advance": 49 * HOURS}) as response:
        after: dict[str, Any] = await response.json()
    assert after["offset"] == 49 * HOURS and after["now"] >= before["now"] + 49 * HOURS
    with pytest.raises(BadRequest, match=r"^Message can't be deleted$"):
        await bot.delete_message(7, sent.message_id)
    for body in ({"advance": -1}, {"advance": "soon"}, {}):
        async with http.post("/control/clock", json=body) as response:
            assert response.status == 400 and not (await response.json())["ok"]
    with pytest.raises(ValueError, match="only moves forward"):
        emu.advance_clock(-5)


async def test_moving_the_clock_also_expires_button_presses(emu: Emulator, bot: Bot) -> None:
    user = emu.user(7, "Aung")
    await bot.send_message(
        7, "menu", reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="a")]])
    )
    update = await user.press("A")
    emu.advance_clock(16)
    with pytest.raises(BadRequest, match=r"(?i)^query is too old"):
        await bot.answer_callback_query(update["callback_query"]["id"])
