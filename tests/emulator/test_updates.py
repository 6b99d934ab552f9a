"""getUpdates confirmation semantics, PTB's Updater polling, and webhook delivery."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from telegram import Bot, Update
from telegram.error import Conflict
from telegram.ext import ApplicationBuilder, MessageHandler, filters

from bot.emulator import Emulator


async def test_offset_confirms_and_negative_offset_keeps_the_tail(emu: Emulator, bot: Bot) -> None:
    user = emu.user(7, "Aung")
    for text in ("one", "two", "three", "four"):
        await user.send(text)
    updates = await bot.get_updates(limit=2)
    assert [u.message.text for u in updates if u.message] == ["one", "two"]
    assert [u.update_id for u in updates] == [1, 2]
    again = await bot.get_updates(offset=updates[-1].update_id + 1)
    assert [u.message.text for u in again if u.message] == ["three", "four"]
    last = await bot.get_updates(offset=-1)
    assert [u.message.text for u in last if u.message] == ["four"]
    assert await bot.get_updates(offset=5) == ()


async def test_long_poll_returns_when_an_update_arrives(emu: Emulator, bot: Bot) -> None:
    user = emu.user(7, "Aung")
    poll = asyncio.create_task(bot.get_updates(timeout=30, read_timeout=40))
    await emu.wait_for_poller()
    await user.send("wake up")
    updates = await poll
    assert updates[0].message is not None and updates[0].message.text == "wake up"


async def test_second_poller_terminates_the_first(emu: Emulator, bot: Bot) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=30, read_timeout=40))
    await emu.wait_for_poller()
    async with Bot(emu.token, base_url=emu.base_url) as other_instance:
        assert await other_instance.get_updates(timeout=0) == ()
    with pytest.raises(Conflict, match="terminated by other getUpdates request"):
        await first


async def test_updater_polling_receives_updates(emu: Emulator) -> None:
    app = ApplicationBuilder().token(emu.token).base_url(emu.base_url).build()
    seen: list[str] = []

    async def echo(update: Update, context: object) -> None:
        assert update.effective_message is not None and update.effective_message.text is not None
        seen.append(update.effective_message.text)
        await update.effective_message.reply_text(f"echo: {update.effective_message.text}")

    app.add_handler(MessageHandler(filters.TEXT, echo))
    user = emu.user(7, "Aung", language_code="km")
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(timeout=1, poll_interval=0)
        await user.send("សួស្តី")
        await emu.wait_for_request("sendMessage")
        await app.updater.stop()
        await app.stop()
    assert seen == ["សួស្តី"]
    assert user.last_message.text == "echo: សួស្តី"
    assert emu.calls("deleteWebhook")
    assert emu.errors == []


@pytest.fixture
async def webhook_receiver() -> AsyncIterator[tuple[str, list[tuple[str | None, dict[str, object]]], list[int]]]:
    received: list[tuple[str | None, dict[str, object]]] = []
    statuses = [500]  # first answer fails, then 200

    async def hook(request: web.Request) -> web.Response:
        received.append((request.headers.get("X-Telegram-Bot-Api-Secret-Token"), await request.json()))
        return web.Response(status=statuses.pop(0) if statuses else 200)

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield f"http://127.0.0.1:{port}/hook", received, statuses
    await runner.cleanup()


async def test_webhook_gets_updates_with_secret_and_retries(
    webhook_receiver: tuple[str, list[tuple[str | None, dict[str, object]]], list[int]],
) -> None:
    url, received, _ = webhook_receiver
    async with Emulator(webhook_retry_delay=0.01) as emu, Bot(emu.token, base_url=emu.base_url) as bot:
        user = emu.user(7, "Aung")
        await bot.set_webhook(url, secret_token="s3cret_-")
        await user.send("hello hook")
        async with asyncio.timeout(10):
            # the receiver lives in another server: poll its state
            while len(received) < 2 or (await bot.get_webhook_info()).pending_update_count:  # noqa: ASYNC110
                await asyncio.sleep(0.01)
        info = await bot.get_webhook_info()
        assert info.url == url
        assert info.last_error_message is not None and "500" in info.last_error_message
    assert [secret for secret, _ in received] == ["s3cret_-", "s3cret_-"]
    assert received[0][1] == received[1][1]
    assert received[1][1]["message"]["text"] == "hello hook"  # type: ignore[index]


async def test_delete_webhook_can_drop_pending_updates(emu: Emulator, bot: Bot) -> None:
    user = emu.user(7, "Aung")
    await user.send("kept")
    await bot.delete_webhook(drop_pending_updates=False)
    assert len(await bot.get_updates()) == 1
    await bot.delete_webhook(drop_pending_updates=True)
    assert await bot.get_updates() == ()
