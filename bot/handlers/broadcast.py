"""`/broadcast NAME` (admins only): send a broadcast from the running bot, then report its summary to the admin."""

from __future__ import annotations

import logging

from telegram import Update

from bot.broadcasts.model import broadcasts_of
from bot.broadcasts.sender import Sender
from bot.broadcasts.store import BroadcastStore
from bot.context import BotContext
from bot.handlers import common
from bot.handlers.admin import admin_only
from bot.screens import notice_screen

log = logging.getLogger(__name__)


@admin_only
async def broadcast_command(update: Update, context: BotContext) -> None:
    """Start the named broadcast in the background (resuming it if it was interrupted)."""
    message = update.effective_message
    assert message is not None
    services = context.services
    live = services.live.current
    who = await common.who(update, context, live)
    ui = live.ui(who.header.locale)
    name = (context.args or [""])[0]
    broadcast = broadcasts_of(live.content).get(name)
    if broadcast is None:
        known = ", ".join(broadcasts_of(live.content)) or "-"
        await common.reply(message, notice_screen(live.content, ui, who.header, "admin.broadcast_unknown", known=known))
        return
    count = await BroadcastStore(services.storage).subscriber_count(broadcast.topic)
    await common.reply(
        message, notice_screen(live.content, ui, who.header, "admin.broadcast_started", name=name, subscribers=count)
    )
    log.info("broadcast started by an admin")

    async def send_and_report() -> None:
        summary = await Sender(context.bot, services.storage, live, broadcast).run()
        screen = notice_screen(
            live.content,
            ui,
            who.header,
            "admin.broadcast_done",
            name=name,
            status=summary.status,
            sent=summary.sent,
            blocked=summary.blocked,
            failed=summary.failed,
            skipped=summary.skipped,
        )
        await context.bot.send_message(message.chat_id, screen.text, reply_markup=screen.keyboard)

    context.application.create_task(send_and_report(), name=f"broadcast-{name}")
