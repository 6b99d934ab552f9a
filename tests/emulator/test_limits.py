"""Telegram's size limits and callback-query rules, as PTB experiences them."""

from __future__ import annotations

import pytest
from telegram import Bot, BotCommand, BotCommandScopeAllPrivateChats, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest

from bot.emulator import Emulator
from bot.emulator.user import press_button

from .conftest import FakeClock


def keyboard(rows: int, per_row: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(f"{r}.{c}", callback_data=f"{r}.{c}") for c in range(per_row)] for r in range(rows)]
    )


async def test_text_length_counts_utf16_units_after_parsing(emu: Emulator, bot: Bot) -> None:
    emu.user(7, "Aung")
    await bot.send_message(7, "a" * 4096)
    await bot.send_message(7, "<b>" + "a" * 4096 + "</b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"^Message is too long$"):
        await bot.send_message(7, "a" * 4097)
    await bot.send_message(7, "😀" * 2048)
    with pytest.raises(BadRequest, match=r"^Message is too long$"):
        await bot.send_message(7, "😀" * 2048 + "a")
    with pytest.raises(BadRequest, match=r"^Message text is empty$"):
        await bot.send_message(7, "<b> </b>", parse_mode="HTML")


async def test_caption_limit(emu: Emulator, bot: Bot) -> None:
    emu.user(7, "Aung")
    await bot.send_photo(7, b"\x89PNG fake", caption="c" * 1024)
    with pytest.raises(BadRequest, match=r"^Message caption is too long$"):
        await bot.send_photo(7, b"\x89PNG fake", caption="c" * 1025)


async def test_callback_data_is_limited_in_bytes(emu: Emulator, bot: Bot) -> None:
    emu.user(7, "Aung")
    ok = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="a" * 64)]])
    await bot.send_message(7, "menu", reply_markup=ok)
    burmese = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="မ" * 22)]])  # 66 bytes
    with pytest.raises(BadRequest, match=r"^Button_data_invalid$"):
        await bot.send_message(7, "menu", reply_markup=burmese)


async def test_keyboard_size_limits(emu: Emulator, bot: Bot) -> None:
    emu.user(7, "Aung")
    await bot.send_message(7, "ok", reply_markup=keyboard(12, 8))
    with pytest.raises(BadRequest, match=r"^Buttons_too_much$"):
        await bot.send_message(7, "too wide", reply_markup=keyboard(1, 9))
    with pytest.raises(BadRequest, match=r"^Buttons_too_much$"):
        await bot.send_message(7, "too many", reply_markup=keyboard(13, 8))


async def test_text_only_button_is_refused(emu: Emulator, bot: Bot) -> None:
    emu.user(7, "Aung")
    markup = {"inline_keyboard": [[{"text": "no action"}]]}
    with pytest.raises(BadRequest, match=r"(?i)text buttons are unallowed in the inline keyboard"):
        await bot.send_message(7, "x", api_kwargs={"reply_markup": markup})


async def test_callback_query_answered_once_and_expires(emu: Emulator, bot: Bot, clock: FakeClock) -> None:
    emu.user(7, "Aung")
    await bot.send_message(7, "menu", reply_markup=keyboard(1, 2))
    first = await press_button(emu, 7, "0.0", None)
    second = await press_button(emu, 7, "0.1", None)
    assert len(emu.unanswered_callback_queries()) == 2
    with pytest.raises(BadRequest, match=r"^Message_too_long$"):
        await bot.answer_callback_query(first["callback_query"]["id"], "x" * 201)
    assert await bot.answer_callback_query(first["callback_query"]["id"], "x" * 200)
    too_old = "Query is too old and response timeout expired or query id is invalid"
    with pytest.raises(BadRequest, match=f"^{too_old}$"):
        await bot.answer_callback_query(first["callback_query"]["id"])
    clock.advance(15.5)
    with pytest.raises(BadRequest, match=f"^{too_old}$"):
        await bot.answer_callback_query(second["callback_query"]["id"])
    assert [q.data for q in emu.unanswered_callback_queries()] == ["0.1"]
    with pytest.raises(AssertionError, match="unanswered callback query"):
        emu.assert_clean()


async def test_commands_per_scope_and_language(emu: Emulator, bot: Bot) -> None:
    await bot.set_my_commands([BotCommand("start", "Begin"), BotCommand("help_me", "Help")])
    await bot.set_my_commands([BotCommand("start", "စတင်")], language_code="my")
    await bot.set_my_commands([BotCommand("forget", "Forget me")], scope=BotCommandScopeAllPrivateChats())
    assert [c.command for c in await bot.get_my_commands()] == ["start", "help_me"]
    assert [c.description for c in await bot.get_my_commands(language_code="my")] == ["စတင်"]
    assert [c.command for c in await bot.get_my_commands(scope=BotCommandScopeAllPrivateChats())] == ["forget"]
    await bot.delete_my_commands(language_code="my")
    assert await bot.get_my_commands(language_code="my") == ()


@pytest.mark.parametrize(
    ("command", "description", "language", "error"),
    [
        ("Start", "ok", None, "Bot_command_invalid"),
        ("a" * 33, "ok", None, "Bot_command_invalid"),
        ("with-dash", "ok", None, "Bot_command_invalid"),
        ("start", "", None, "Bot_command_description_invalid"),
        ("start", "d" * 257, None, "Bot_command_description_invalid"),
        ("start", "ok", "eng", "Invalid language code specified"),
    ],
)
async def test_bad_commands_are_refused(
    emu: Emulator, bot: Bot, command: str, description: str, language: str | None, error: str
) -> None:
    with pytest.raises(BadRequest, match=f"^{error}$"):
        await bot.set_my_commands([BotCommand(command, description)], language_code=language)
