"""`/stats` for admins: the last 7 days in aggregate. Anyone else gets the normal unknown-command answer."""

from __future__ import annotations

import logging

from telegram import Update

from bot.campaigns.lookup import utc_today
from bot.campaigns.report import last_week, stats_screen
from bot.context import BotContext
from bot.handlers import common
from bot.handlers.admin import admin_only

log = logging.getLogger(__name__)


@admin_only
async def stats_command(update: Update, context: BotContext) -> None:
    """Flush this replica's counters, then show starts, page views, helplines, people and top campaigns."""
    message = update.effective_message
    assert message is not None
    services = context.services
    log.info("stats requested by an admin")
    if services.analytics is not None:
        await services.analytics.flush()  # so the admin sees this replica's latest presses too
    figures = await last_week(services.storage, utc_today())
    live = services.live.current
    who = await common.who(update, context, live)
    await common.reply(message, stats_screen(live.content, live.ui(who.header.locale), who.header, figures))
