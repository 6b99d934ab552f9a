"""Media with stable file_ids, and optional Telegram-like flood accounting."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import Bot
from telegram.error import BadRequest, RetryAfter

from bot.emulator import Emulator

from .conftest import FakeClock


async def test_upload_then_resend_by_file_id_and_download(emu: Emulator, bot: Bot) -> None:
    user = emu.user(7, "Aung")
    first = await bot.send_photo(7, b"poster bytes", caption="<b>Helpline</b>", parse_mode="HTML")
    file_id = first.photo[-1].file_id
    again = await bot.send_photo(7, file_id)
    assert again.photo[-1].file_id == file_id
    assert (await bot.send_photo(7, b"poster bytes")).photo[-1].file_id == file_id
    downloaded = await (await bot.get_file(file_id)).download_as_bytearray()
    assert bytes(downloaded) == b"poster bytes"
    voice = await bot.send_voice(7, b"OggS voice")
    assert voice.voice is not None and (await bot.send_voice(7, voice.voice.file_id)).voice is not None
    assert user.messages[0].html == "<b>Helpline</b>" and user.messages[0].media is not None
    with pytest.raises(BadRequest, match=r"(?i)^wrong file identifier/http url specified$"):
        await bot.send_photo(7, "AgACAgQunknown")
    with pytest.raises(BadRequest, match=r"(?i)can't use file of type voice as photo"):
        await bot.send_photo(7, voice.voice.file_id)
    by_url = await bot.send_document(7, "https://example.org/guide.pdf")
    assert by_url.document is not None and by_url.document.file_name == "guide.pdf"


async def test_caption_edit_needs_media(emu: Emulator, bot: Bot) -> None:
    emu.user(7, "Aung")
    text = await bot.send_message(7, "plain")
    with pytest.raises(BadRequest, match=r"(?i)there is no caption in the message to edit"):
        await bot.edit_message_caption(7, text.message_id, caption="x")
    photo = await bot.send_photo(7, b"img", caption="old")
    edited = await bot.edit_message_caption(7, photo.message_id, caption="new")
    assert isinstance(edited, object) and emu.user(7).last_message.caption == "new"


@pytest.fixture
async def flood_emu(clock: FakeClock) -> AsyncIterator[Emulator]:
    async with Emulator(clock=clock, flood_control=True) as emulator:
        yield emulator


async def test_flood_control_per_chat(flood_emu: Emulator, clock: FakeClock) -> None:
    flood_emu.user(7, "Aung")
    flood_emu.user(8, "Su")
    async with Bot(flood_emu.token, base_url=flood_emu.base_url) as bot:
        for _ in range(3):
            await bot.send_message(7, "burst")
        with pytest.raises(RetryAfter) as info:
            await bot.send_message(7, "one too many")
        assert str(info.value) == "Flood control exceeded. Retry in 1 seconds"
        await bot.send_message(8, "another chat is not limited")
        clock.advance(1.0)
        await bot.send_message(7, "after waiting")
    assert flood_emu.errors == []


async def test_flood_control_is_off_by_default(emu: Emulator, bot: Bot) -> None:
    emu.user(7, "Aung")
    for _ in range(10):
        await bot.send_message(7, "fast")
