"""Admin-only commands (`/reload`; `/stats` plugs in here). Anyone else gets the normal unknown-command answer."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update

from bot.context import BotContext
from bot.handlers import common, text
from bot.reload import reload_content
from bot.screens import notice_screen

log = logging.getLogger(__name__)


Handler = Callable[[Update, BotContext], Coroutine[Any, Any, None]]


def admin_only(handler: Handler) -> Handler:
    """The command for ADMIN_USER_IDS; anyone else gets the unknown-command answer, so it does not show it exists."""

    @functools.wraps(handler)
    async def guarded(update: Update, context: BotContext) -> None:
        if not is_admin(update, context):
            await text.unknown_command(update, context)
            return
        await handler(update, context)

    return guarded


def is_admin(update: Update, context: BotContext) -> bool:
    """True when the sender's Telegram id is in ADMIN_USER_IDS."""
    user = update.effective_user
    return user is not None and user.id in context.services.settings.admin_ids


@admin_only
async def reload_command(update: Update, context: BotContext) -> None:
    """Reload the content of this replica; report the new version, or the errors that made it refuse."""
    message = update.effective_message
    assert message is not None
    log.info("reload requested by an admin")
    result = await reload_content(context.services)
    live = context.services.live.current  # the new content when the reload succeeded
    who = await common.who(update, context, live)
    ui = live.ui(who.header.locale)
    if result.ok:
        screen = notice_screen(
            live.content, ui, who.header, "admin.reload_ok", version=result.version, nodes=result.nodes
        )
    else:
        screen = notice_screen(
            live.content, ui, who.header, "admin.reload_failed", errors=result.errors, first=result.first_error
        )
    await common.reply(message, screen)
