"""The chat page in Chromium: deep link, buttons, edits in place, deletions, reply keyboards and shared locations."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest
from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes, MessageHandler, filters

from bot.emulator import Emulator

from .conftest import build_app

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [pytest.mark.browser, pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")]


async def test_chat_page_round_trip(emu: Emulator) -> None:
    playwright_api = pytest.importorskip("playwright.async_api")
    app = build_app(emu)

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None and update.effective_user is not None
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("ای‌میل", callback_data="go")]])
        args = " ".join(context.args or [])
        await update.effective_message.reply_text(
            f"<b>سلام</b> {update.effective_user.language_code} {args} &lt;script&gt;x&lt;/script&gt;",
            parse_mode="HTML",
            reply_markup=keyboard,
        )

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.callback_query is not None
        await update.callback_query.answer("done")
        await update.callback_query.edit_message_text("edited in place")

    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(pressed))
    async with app, playwright_api.async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        page = await browser.new_page()
        await page.goto(emu.url + "/")
        await page.get_by_test_id("language").select_option("ur")
        await page.get_by_test_id("start-payload").fill("ngo_1")
        await page.get_by_test_id("start").click()
        bubble = page.get_by_test_id("bot-message").last
        await playwright_api.expect(bubble.get_by_test_id("message-text")).to_have_text(
            "سلام ur ngo_1 <script>x</script>"
        )
        assert await bubble.locator("b").inner_text() == "سلام"
        assert await bubble.get_attribute("dir") == "auto"
        await bubble.get_by_test_id("inline-button").click()
        await playwright_api.expect(bubble.get_by_test_id("message-text")).to_have_text("edited in place")
        await playwright_api.expect(page.get_by_test_id("toast")).to_have_text("done")
        await page.get_by_test_id("message-input").fill("hello")
        await page.get_by_test_id("send").click()
        await playwright_api.expect(page.get_by_test_id("user-message").last).to_have_text("hello")
        await page.get_by_test_id("reset").click()
        await playwright_api.expect(page.get_by_test_id("bot-message")).to_have_count(0)
        await browser.close()
    assert emu.errors == []


async def until(condition: Callable[[], bool], *, within: float = 10.0) -> None:
    """Poll `condition` until it holds, failing after `within` seconds."""
    deadline = asyncio.get_running_loop().time() + within
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.05)


async def test_page_drops_deleted_messages_and_shares_a_location(emu: Emulator) -> None:
    playwright_api = pytest.importorskip("playwright.async_api")
    expect = playwright_api.expect
    app = build_app(emu)
    locations: list[tuple[float, float]] = []
    texts: list[str] = []

    async def located(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None and update.message.location is not None
        locations.append((update.message.location.latitude, update.message.location.longitude))

    async def said(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None and update.message.text is not None
        texts.append(update.message.text)

    app.add_handler(MessageHandler(filters.LOCATION, located))
    app.add_handler(MessageHandler(filters.TEXT, said))
    keyboard = ReplyKeyboardMarkup(
        [[KeyboardButton("📍 Use my location", request_location=True)], [KeyboardButton("Not now")]],
        one_time_keyboard=True,
        input_field_placeholder="Where are you?",
    )
    async with app, playwright_api.async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        page = await browser.new_page()
        await page.goto(emu.url + "/?user=4242")
        await until(lambda: 4242 in emu.world.users)
        first = await app.bot.send_message(4242, "first")
        second = await app.bot.send_message(4242, "second")
        await expect(page.get_by_test_id("bot-message")).to_have_count(2)
        await app.bot.delete_messages(4242, [first.message_id])
        await expect(page.get_by_test_id("bot-message")).to_have_count(1)
        await app.bot.delete_message(4242, second.message_id)
        await expect(page.get_by_test_id("bot-message")).to_have_count(0)

        await app.bot.send_message(4242, "Share your location?", reply_markup=keyboard)
        buttons = page.get_by_test_id("reply-button")
        await expect(buttons).to_have_text(["📍 Use my location", "Not now"])
        await expect(page.get_by_test_id("message-input")).to_have_attribute("placeholder", "Where are you?")
        await buttons.first.click()
        dialog = page.get_by_test_id("location-dialog")
        await expect(dialog).to_be_visible()
        await dialog.get_by_test_id("location-preset").filter(has_text="Bangkok").click()
        await dialog.get_by_test_id("location-send").click()
        await expect(dialog).to_be_hidden()
        bubble = page.get_by_test_id("user-message").last
        await expect(bubble.get_by_test_id("location")).to_contain_text("📍 Location")
        await until(lambda: locations == [(13.756, 100.502)])
        await expect(page.get_by_test_id("reply-keyboard")).to_be_hidden()  # one-time: hidden after use

        await page.get_by_test_id("share-location").click()
        await dialog.get_by_test_id("location-latitude").fill("north")
        await dialog.get_by_test_id("location-longitude").fill("101.5")
        await dialog.get_by_test_id("location-send").click()
        await expect(dialog.get_by_test_id("location-error")).to_be_visible()
        await dialog.get_by_test_id("location-latitude").fill("-6.2")
        await dialog.get_by_test_id("location-send").click()
        await expect(dialog).to_be_hidden()
        await until(lambda: locations[-1:] == [(-6.2, 101.5)])

        await page.get_by_test_id("show-keyboard").click()
        await page.get_by_test_id("reply-button").filter(has_text="Not now").click()
        await expect(page.get_by_test_id("user-message").last).to_have_text("Not now")
        await until(lambda: texts == ["Not now"])
        await app.bot.send_message(4242, "ok", reply_markup=ReplyKeyboardRemove())
        await expect(page.get_by_test_id("show-keyboard")).to_be_hidden()
        await expect(page.get_by_test_id("reply-keyboard")).to_be_hidden()
        await browser.close()
    assert emu.errors == []
