"""The one error handler: log first (no ids, names or text), then tell the user kindly, in their language."""

from __future__ import annotations

import contextlib
import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError

from bot.callbacks import Header
from bot.context import BotContext
from bot.i18n import negotiate
from bot.privacy import user_key
from bot.screens import notice_screen

log = logging.getLogger(__name__)


def _describe(update: object) -> str:
    """What kind of update failed, without anything that identifies a person."""
    if isinstance(update, Update):
        if update.callback_query is not None:
            return "callback_query"
        if update.message is not None:
            return "command" if (update.message.text or "").startswith("/") else "message"
        return "update"
    return type(update).__name__


async def on_error(update: object, context: BotContext) -> None:
    """Handle Telegram's everyday errors quietly; log and apologise for everything else."""
    error = context.error
    if isinstance(error, BadRequest):
        lowered = error.message.lower()
        if "message is not modified" in lowered or "query is too old" in lowered:
            return  # a double tap or a slow answer: nothing the user needs to hear about
    if isinstance(error, Forbidden) and isinstance(update, Update) and update.effective_user is not None:
        log.info("user has blocked the bot; marking them so nothing more is sent")
        key = user_key(context.services.user_secret, update.effective_user.id)
        await context.services.storage.update_user(key, blocked=True)
        return
    if isinstance(error, RetryAfter):
        log.warning("Telegram asked to slow down for %s s while handling a %s", error.retry_after, _describe(update))
        return
    log.error(
        "error while handling a %s: %s",
        _describe(update),
        type(error).__name__,
        exc_info=(type(error), error, error.__traceback__) if error is not None else None,
    )
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    live = context.services.live.current
    user = update.effective_user
    locale = negotiate(user.language_code if user else None, live.content.locales, live.content.default_locale)
    screen = notice_screen(live.content, live.ui(locale), Header(locale), "error.generic")
    try:
        await context.bot.send_message(update.effective_chat.id, screen.text, reply_markup=screen.keyboard)
    except Exception:  # noqa: BLE001 - the apology itself failed; logged, nothing more to do
        log.warning("could not tell the user about the error")
    if update.callback_query is not None:
        with contextlib.suppress(TelegramError):  # it may have been answered before the failure
            await update.callback_query.answer()
