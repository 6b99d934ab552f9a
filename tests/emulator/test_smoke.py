"""End-to-end: a PTB Application driven through the emulator by a simulated user."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes

from bot.emulator import Emulator

from .conftest import build_app


async def test_start_press_and_edit_in_place(emu: Emulator) -> None:
    app = build_app(emu)

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        payload = " ".join(context.args or [])
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Before you go", callback_data="m:1")]])
        await update.effective_message.reply_text(
            f"<b>Welcome</b> {payload}", parse_mode=ParseMode.HTML, reply_markup=keyboard
        )

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer("Opening")
        await query.edit_message_text("Contracts: read before signing")

    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(pressed))
    async with app:
        user = emu.user(1001, "Mya", language_code="my")
        await user.start("ngo42")
        first = user.last_message
        assert first.text == "Welcome ngo42"
        assert first.html == "<b>Welcome</b> ngo42"
        assert first.buttons == [["Before you go"]]
        await user.press("Before you go")
        assert user.last_message.message_id == first.message_id
        assert "Contracts" in user.last_message.text
        assert user.last_message.buttons == []
        assert [a.text for a in user.callback_answers] == ["Opening"]
    emu.assert_clean()
