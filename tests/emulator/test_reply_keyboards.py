"""Reply keyboards (shown, pressed, hidden, removed, validated) and location sharing, through PTB."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Location,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.error import BadRequest
from telegram.ext import ContextTypes, MessageHandler, filters

from bot.emulator import Emulator, EmulatorError, UnknownButtonError

from .conftest import build_app

LOCATION_KEYBOARD = ReplyKeyboardMarkup(
    [[KeyboardButton("📍 Use my location", request_location=True)], [KeyboardButton("Cancel")]],
    one_time_keyboard=True,
    resize_keyboard=True,
    input_field_placeholder="Share where you are",
)


async def test_keyboard_shows_until_removed_and_a_one_time_one_hides_after_a_press(emu: Emulator) -> None:
    app = build_app(emu)
    texts: list[str] = []

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None and update.message.text is not None
        texts.append(update.message.text)

    app.add_handler(MessageHandler(filters.TEXT, echo))
    user = emu.user(7, "Aung")
    async with app:
        sent = await app.bot.send_message(7, "Where are you?", reply_markup=LOCATION_KEYBOARD)
        assert sent.reply_markup is None  # Telegram returns only inline keyboards in Message.reply_markup
        assert user.reply_keyboard() == [["📍 Use my location"], ["Cancel"]]
        state = user.reply_keyboard_state
        assert state is not None and state.message_id == sent.message_id
        assert (state.one_time, state.resize, state.persistent, state.placeholder) == (
            True,
            True,
            False,
            "Share where you are",
        )
        await app.bot.send_message(
            7, "inline", reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("A", url="https://a.example")]])
        )
        assert user.reply_keyboard() == [["📍 Use my location"], ["Cancel"]]  # inline keyboards leave it alone
        await user.press_reply_button("Cancel")
        assert texts == ["Cancel"]
        assert user.reply_keyboard() is None  # one-time: hidden after the press, still available
        assert user.reply_keyboard_state is not None and user.reply_keyboard_state.hidden
        await user.press_reply_button("Cancel")
        assert texts == ["Cancel", "Cancel"]
        await app.bot.send_message(7, "menu", reply_markup=ReplyKeyboardMarkup([["Help", "Stop"]]))
        await user.press_reply_button("Help")
        assert user.reply_keyboard() == [["Help", "Stop"]]  # not one-time: stays
        await app.bot.send_photo(7, b"poster", reply_markup=ReplyKeyboardRemove())
        assert user.reply_keyboard() is None and user.reply_keyboard_state is None
        with pytest.raises(UnknownButtonError, match="keyboard shown: \\[\\]"):
            await user.press_reply_button("Help")
    emu.assert_clean()


async def test_shared_location_reaches_ptb_as_message_location(emu: Emulator) -> None:
    app = build_app(emu)
    received: list[Location] = []

    async def located(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None and update.message.location is not None
        assert update.message.text is None
        received.append(update.message.location)

    app.add_handler(MessageHandler(filters.LOCATION, located))
    user = emu.user(7, "Aung")
    async with app:
        await user.share_location(3.139, 101.687)  # no keyboard: sent from the attachment menu
        await app.bot.send_message(7, "Where are you?", reply_markup=LOCATION_KEYBOARD)
        with pytest.raises(EmulatorError, match="share_location"):
            await user.press_reply_button("📍 Use my location")
        update = await user.share_location(13.756, 100.502, horizontal_accuracy=25)
        assert user.reply_keyboard() is None  # the location button was pressed: the one-time keyboard hides
    assert [(loc.latitude, loc.longitude, loc.horizontal_accuracy) for loc in received] == [
        (3.139, 101.687, None),
        (13.756, 100.502, 25.0),
    ]
    assert update["message"]["location"] == {"latitude": 13.756, "longitude": 100.502, "horizontal_accuracy": 25.0}
    assert user.messages[-1].location is not None and not user.messages[-1].from_bot
    for bad in ((91, 0, None), (0, 181, None), (0, 0, 1501), (float("nan"), 0, None)):
        with pytest.raises(EmulatorError):
            await user.share_location(bad[0], bad[1], horizontal_accuracy=bad[2])
    emu.assert_clean()


async def test_reply_keyboard_validation(emu: Emulator, bot: Bot) -> None:
    user = emu.user(7, "Aung")
    for markup, description in [
        ({"keyboard": [[{"request_location": True}]]}, "can't parse keyboard button: can't find field \"text\""),
        ({"keyboard": [[{"text": 5}]]}, 'can\'t parse keyboard button: field "text" must be of type string'),
        ({"keyboard": [[7]]}, "can't parse keyboard button: keyboardbutton must be a string or an object"),
        (
            {"keyboard": [[{"text": "Here", "request_location": "yes"}]]},
            'can\'t parse keyboard button: field "request_location" must be of type boolean',
        ),
        (
            {"keyboard": [[{"text": "Both", "request_location": True, "request_contact": True}]]},
            "can't parse keyboard button: at most one of the optional fields can be used, "
            "found request_contact, request_location",
        ),
    ]:
        with pytest.raises(BadRequest) as info:
            await bot.send_message(7, "x", api_kwargs={"reply_markup": markup})
        assert info.value.message.lower() == description
    await bot.send_message(7, "strings", api_kwargs={"reply_markup": {"keyboard": [["Yes", {"text": "No"}]]}})
    assert user.reply_keyboard() == [["Yes", "No"]]
    await bot.send_message(7, "empty labels", api_kwargs={"reply_markup": {"keyboard": [[""], [{"text": ""}]]}})
    assert user.reply_keyboard() == [["Yes", "No"]]  # every button dropped: no keyboard sent, the old one stays
    wide = ReplyKeyboardMarkup([[str(n) for n in range(13)], ["", "last"]])
    await bot.send_message(7, "wide", reply_markup=wide)
    assert user.reply_keyboard() == [[str(n) for n in range(12)], ["last"]]  # Telegram keeps 12 per row
    await bot.send_message(7, "not removed", api_kwargs={"reply_markup": {"remove_keyboard": False}})
    assert user.reply_keyboard() is not None
    await bot.send_message(7, "force", api_kwargs={"reply_markup": {"force_reply": True}})
    assert user.reply_keyboard() is None
    assert len(emu.errors) == 5


async def test_location_and_reply_keyboard_over_http(emu: Emulator, bot: Bot, http: aiohttp.ClientSession) -> None:
    emu.user(7, "Aung")

    async def post(path: str, body: dict[str, Any]) -> tuple[int, Any]:
        async with http.post(path, json=body) as response:
            return response.status, await response.json()

    async with http.get("/control/users/7/reply_keyboard") as response:
        assert await response.json() is None
    await bot.send_message(7, "Where are you?", reply_markup=LOCATION_KEYBOARD)
    async with http.get("/control/users/7/reply_keyboard") as response:
        keyboard = await response.json()
    assert keyboard["rows"] == [
        [{"text": "📍 Use my location", "kind": "request_location"}],
        [{"text": "Cancel", "kind": "text"}],
    ]
    assert keyboard["placeholder"] == "Share where you are" and keyboard["hidden"] is False
    assert await post("/control/users/7/location", {"latitude": -6.2, "longitude": 106.816}) == (
        200,
        {"ok": True, "update_id": 1},
    )
    async with http.get("/control/users/7/chat") as response:
        chat = await response.json()
    assert chat["messages"][-1]["location"] == {"latitude": -6.2, "longitude": 106.816}
    assert chat["reply_keyboard"]["hidden"] is True
    status, _ = await post("/control/users/7/reply_keyboard/press", {"text": "Cancel"})
    assert status == 200
    updates = await bot.get_updates()
    assert updates[0].message is not None and updates[0].message.location is not None
    assert updates[1].message is not None and updates[1].message.text == "Cancel"
    assert (await post("/control/users/7/reply_keyboard/press", {"text": "Nope"}))[0] == 404
    assert (await post("/control/users/7/location", {"latitude": "north", "longitude": 1}))[0] == 400
    assert (await post("/control/users/7/location", {"latitude": 95, "longitude": 1}))[0] == 400
    assert (await post("/control/users/99/location", {"latitude": 1, "longitude": 1}))[0] == 404
