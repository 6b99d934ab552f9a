"""Clear this chat (/clear and the button on the help card): delete the conversation, as far as Telegram allows.

For someone whose phone may be checked by an employer or a trafficker. Telegram lets the bot delete its own and
the user's messages of the last 48 hours, 100 at a time; older ones stay, and the answer says how to remove them.
"""

from __future__ import annotations

import html
import logging

from telegram import Update
from telegram.error import BadRequest

from bot.callbacks import Action, ClearChat, Header
from bot.context import BotContext
from bot.handlers import common
from bot.services import Live

log = logging.getLogger(__name__)

BATCH = 100  # deleteMessages takes at most 100 ids


async def clear_command(update: Update, context: BotContext) -> None:
    """/clear: delete this conversation."""
    chat = update.effective_chat
    assert chat is not None
    live = context.services.live.current
    who = await common.who(update, context, live)
    await clear_chat(context, live, chat.id, who.header)


async def clear_press(update: Update, context: BotContext, live: Live, header: Header, act: Action) -> None:
    """The "Clear this chat" button."""
    assert isinstance(act, ClearChat) and update.callback_query is not None
    await update.callback_query.answer()
    chat = update.effective_chat
    if chat is not None:
        await clear_chat(context, live, chat.id, header)


async def clear_chat(context: BotContext, live: Live, chat_id: int, header: Header) -> None:
    """Delete every message of the last 48 hours that the bot noted, forget their ids, and say what is left."""
    trail = context.services.trail
    ui = live.ui(header.locale)
    missed = 0
    if trail is not None and chat_id > 0:
        key = trail.key_of(chat_id)
        ids = await trail.recent(key)
        missed = trail.missed(key)  # ids the database could not take for a long time: say so, never hide it
        refused = 0
        for start in range(0, len(ids), BATCH):
            batch = ids[start : start + BATCH]
            try:
                await context.bot.delete_messages(chat_id, batch)
            except BadRequest as error:  # Telegram skips ids it cannot delete; a refusal of the batch is rare
                refused += len(batch)
                log.warning("clear chat: a batch of %d message(s) was refused: %s", len(batch), error.message)
        await trail.forget(key)
        if refused:
            log.info("clear chat: %d of %d message(s) could not be deleted", refused, len(ids))
    await context.bot.send_message(chat_id, ui.direction(html.escape(ui.t("clear.done"), quote=False)))
    if missed:
        text = ui.t("clear.missed", count=missed)
        await context.bot.send_message(chat_id, ui.direction(html.escape(text, quote=False)))


async def note_incoming(update: Update, context: BotContext) -> None:
    """Note the id of every message the user sends in the private chat (runs before every other handler)."""
    trail = context.services.trail
    message = update.message or update.edited_message
    if trail is not None and message is not None and message.chat.type == "private":
        trail.note(message.chat.id, message.message_id, message.date)
