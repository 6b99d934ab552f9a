"""The chat page in Chromium: pick a language, open a deep link, press a button, see the edit in place."""

from __future__ import annotations

from pathlib import Path

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes

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
