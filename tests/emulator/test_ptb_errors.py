"""PTB's Bot receives exactly the exception classes and messages it would get from Telegram."""

from __future__ import annotations

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, NetworkError, RetryAfter, TimedOut

from bot.emulator import Emulator

NOT_MODIFIED = (
    "Message is not modified: specified new message content and reply markup are exactly the same as a "
    "current content and reply markup of the message"
)


async def test_unknown_chat_is_bad_request(emu: Emulator, bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"^Chat not found$"):
        await bot.send_message(999, "hello")


async def test_blocked_user_is_forbidden(emu: Emulator, bot: Bot) -> None:
    user = emu.user(7, "Aung")
    user.block()
    with pytest.raises(Forbidden, match=r"^Forbidden: bot was blocked by the user$"):
        await bot.send_message(7, "hello")
    user.unblock()
    await bot.send_message(7, "hello")


async def test_unsupported_tag_reports_byte_offset(emu: Emulator, bot: Bot) -> None:
    emu.user(7, "Aung")
    with pytest.raises(BadRequest) as info:
        await bot.send_message(7, "မြန်<p>x</p>", parse_mode=ParseMode.HTML)
    assert info.value.message.lower() == 'can\'t parse entities: unsupported start tag "p" at byte offset 12'


async def test_edit_with_same_content_is_not_modified(emu: Emulator, bot: Bot) -> None:
    emu.user(7, "Aung")
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="a")]])
    sent = await bot.send_message(7, "<b>x</b>", parse_mode=ParseMode.HTML, reply_markup=keyboard)
    with pytest.raises(BadRequest) as info:
        await bot.edit_message_text("<b>x</b>", 7, sent.message_id, parse_mode=ParseMode.HTML, reply_markup=keyboard)
    assert info.value.message == NOT_MODIFIED
    with pytest.raises(BadRequest, match="not modified"):
        await bot.edit_message_reply_markup(7, sent.message_id, reply_markup=keyboard)
    edited = await bot.edit_message_text("<i>x</i>", 7, sent.message_id, parse_mode=ParseMode.HTML)
    assert edited.message_id == sent.message_id
    assert edited.reply_markup is None


async def test_edit_of_missing_message(emu: Emulator, bot: Bot) -> None:
    emu.user(7, "Aung")
    with pytest.raises(BadRequest, match=r"^Message to edit not found$"):
        await bot.edit_message_text("x", 7, 424242)
    with pytest.raises(BadRequest, match=r"^Message to delete not found$"):
        await bot.delete_message(7, 424242)


async def test_injected_429_becomes_retry_after(emu: Emulator, bot: Bot) -> None:
    emu.user(7, "Aung")
    emu.faults.retry_after("sendMessage", seconds=35)
    with pytest.raises(RetryAfter) as info:
        await bot.send_message(7, "hello")
    assert str(info.value) == "Flood control exceeded. Retry in 35 seconds"
    await bot.send_message(7, "hello")
    assert emu.errors == []


async def test_getupdates_while_webhook_is_set_is_conflict(emu: Emulator, bot: Bot) -> None:
    await bot.set_webhook("http://127.0.0.1:9/hook")
    with pytest.raises(Conflict, match="can't use getUpdates method while webhook is active"):
        await bot.get_updates()
    await bot.delete_webhook()
    assert await bot.get_updates() == ()


async def test_wrong_token_is_invalid_token(emu: Emulator) -> None:
    with pytest.raises(InvalidToken):
        async with Bot("42:WRONG", base_url=emu.base_url):
            pass


async def test_server_error_is_network_error(emu: Emulator, bot: Bot) -> None:
    emu.faults.server_error("getMe", status=502)
    with pytest.raises(NetworkError) as info:
        await bot.get_me()
    assert not isinstance(info.value, BadRequest)


async def test_dropped_connection_is_network_error(emu: Emulator, bot: Bot) -> None:
    emu.user(7, "Aung")
    emu.faults.drop("sendMessage", chat_id=7, times=2)
    for _ in range(2):
        with pytest.raises((NetworkError, TimedOut)):
            await bot.send_message(7, "hello")
    assert (await bot.send_message(7, "hello")).text == "hello"
    assert [r.description for r in emu.calls("sendMessage")][:2] == ["connection dropped"] * 2


async def test_fault_applies_only_to_its_chat(emu: Emulator, bot: Bot) -> None:
    emu.user(7, "Aung")
    emu.user(8, "Su")
    emu.faults.retry_after("sendMessage", chat_id=8, times=None)
    await bot.send_message(7, "fine")
    for _ in range(2):
        with pytest.raises(RetryAfter):
            await bot.send_message(8, "always limited")


async def test_delay_fault_still_answers(emu: Emulator, bot: Bot) -> None:
    emu.user(7, "Aung")
    emu.faults.delay("sendChatAction", seconds=0.01)
    assert await bot.send_chat_action(7, "typing") is True
