"""/privacy (what is stored, why, for how long) and /forget (delete everything, after a confirmation)."""

from __future__ import annotations

from telegram import Update

from bot.callbacks import Action, Forget, Header
from bot.context import BotContext
from bot.handlers import common
from bot.handoff import desk
from bot.screens import forget_screen, notice_screen
from bot.services import Live


async def privacy_command(update: Update, context: BotContext) -> None:
    """Explain what the bot stores about the user."""
    message = update.effective_message
    assert message is not None
    live = context.services.live.current
    who = await common.who(update, context, live)
    days = context.services.settings.handoff_retention_days
    ui = live.ui(who.header.locale)
    await common.reply(message, notice_screen(live.content, ui, who.header, "privacy.text", days=days))


async def forget_command(update: Update, context: BotContext) -> None:
    """Ask for confirmation before deleting."""
    message = update.effective_message
    assert message is not None
    live = context.services.live.current
    who = await common.who(update, context, live)
    await common.reply(message, forget_screen(live.ui(who.header.locale), who.header))


async def forget_answer(update: Update, context: BotContext, live: Live, header: Header, act: Action) -> None:
    """Delete everything about the user when confirmed, and say what happened."""
    assert isinstance(act, Forget) and update.callback_query is not None
    query = update.callback_query
    await query.answer()
    if act.confirmed:
        key = common.press_key(update, context)
        if context.services.trail is not None:  # message ids still in memory, before they reach the database
            await context.services.trail.forget(key)
        if context.services.settings.handoff_chat_id is not None:  # open cases are closed, the desk told
            await desk.forget(context.bot, context.services, live, key)
        await context.services.storage.forget_user(key)
        header = Header(header.locale)  # the campaign code is forgotten too
    message_key = "forget.done" if act.confirmed else "forget.cancelled"
    await common.edit(query, notice_screen(live.content, live.ui(header.locale), header, message_key))
