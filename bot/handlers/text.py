"""Free text and unknown commands. The user's text is matched in memory only: never stored, never logged."""

from __future__ import annotations

from telegram import Update

from bot.analytics.events import Event
from bot.content.model import Purpose
from bot.context import BotContext
from bot.handlers import common
from bot.handlers.helplines import send_help
from bot.helplines.model import PURPOSE_CODES
from bot.helplines.words import EmergencyWords
from bot.screens import notice_screen
from bot.search.screens import search_screen

# An emergency message opens the emergency and trafficking lines first.
EMERGENCY_PURPOSES = PURPOSE_CODES[Purpose.EMERGENCY] + PURPOSE_CODES[Purpose.TRAFFICKING]


async def unknown_command(update: Update, context: BotContext) -> None:
    """A command the bot does not have (admin commands included, for non-admins)."""
    message = update.effective_message
    assert message is not None
    live = context.services.live.current
    who = await common.who(update, context, live)
    ui = live.ui(who.header.locale)
    await common.reply(message, notice_screen(live.content, ui, who.header, "error.unknown_command"))


async def free_text(update: Update, context: BotContext) -> None:
    """Emergency words first (the help card), then a search of the pages in the user's language."""
    message = update.effective_message
    assert message is not None
    live = context.services.live.current
    who = await common.who(update, context, live)
    text = message.text or message.caption or ""
    words = live.content.documents.get("emergency-words")
    emergency = bool(text) and isinstance(words, EmergencyWords) and words.match(text) is not None
    if emergency:
        await send_help(update, context, message, who, EMERGENCY_PURPOSES)
    found = live.search.search(text, who.header.locale) if live.search is not None and text else ()
    if found:
        common.record(context, Event.SEARCH_HIT, who.header, who.key)
    elif not emergency:
        common.record(context, Event.SEARCH_MISS, who.header, who.key)
    if found or not emergency:
        await common.reply(message, search_screen(live.content, live.ui(who.header.locale), who.header, found))
