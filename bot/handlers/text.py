"""Free text and unknown commands."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.handlers import common
from bot.screens import notice_screen


async def unknown_command(update: Update, context: BotContext) -> None:
    """A command the bot does not have (admin commands included, for non-admins)."""
    message = update.effective_message
    assert message is not None
    live = context.services.live.current
    who = await common.who(update, context, live)
    ui = live.ui(who.header.locale)
    await common.reply(message, notice_screen(live.content, ui, who.header, "error.unknown_command"))


async def free_text(update: Update, context: BotContext) -> None:
    """Any other text: nothing matched, so offer the menu (search and emergency words hook in here)."""
    message = update.effective_message
    assert message is not None
    live = context.services.live.current
    who = await common.who(update, context, live)
    await common.reply(message, notice_screen(live.content, live.ui(who.header.locale), who.header, "search.none"))
