"""What every handler shares: who is asking (as a key and a locale) and how a screen is shown."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from telegram import CallbackQuery, Message, Update
from telegram.error import BadRequest, Forbidden

from bot.analytics.events import Event
from bot.callbacks import Header
from bot.campaigns.model import is_known
from bot.context import BotContext
from bot.i18n import UI, negotiate
from bot.privacy import user_key
from bot.screens import Screen
from bot.services import Live
from bot.storage.user_settings import UserSettings

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Who:
    """The person behind an update, as the bot may know them: a pseudonymous key and their settings."""

    key: str
    settings: UserSettings
    header: Header


def is_not_modified(error: BadRequest) -> bool:
    """True for Telegram's harmless 'message is not modified'."""
    return "message is not modified" in error.message.lower()


async def who(update: Update, context: BotContext, live: Live) -> Who:
    """Load the user's settings (one read) and pick their locale: stored choice, else Telegram's language."""
    services = context.services
    user = update.effective_user
    key = user_key(services.user_secret, user.id if user else 0)
    settings = await services.storage.get_user(key) or UserSettings()
    if settings.blocked:  # they wrote to us, so they have unblocked the bot
        settings = await services.storage.update_user(key, blocked=False)
    content = live.content
    locale = settings.locale if settings.locale in content.locales else None
    if locale is None:
        locale = negotiate(user.language_code if user else None, content.locales, content.default_locale)
    campaign = settings.campaign if settings.campaign and is_known(content, settings.campaign) else ""
    return Who(key, settings, Header(locale, campaign))


def press_key(update: Update, context: BotContext) -> str:
    """The pseudonymous key of whoever pressed, for unique-user counts (no database read)."""
    user = update.effective_user
    return user_key(context.services.user_secret, user.id if user else 0)


def record(
    context: BotContext, event: Event, header: Header, key: str | None, node: str = "", detail: str = ""
) -> None:
    """Count an event in memory (flushed in batches); codes only, never user text."""
    analytics = context.services.analytics
    if analytics is not None:
        analytics.record(
            event, locale=header.locale, campaign=header.campaign or None, node=node, detail=detail, user_key=key
        )


async def reply(message: Message, screen: Screen) -> Message:
    """Send a screen as a new message."""
    return await message.reply_text(screen.text, reply_markup=screen.keyboard)


async def edit(query: CallbackQuery, screen: Screen) -> None:
    """Show a screen in place of the pressed message; send it anew when that message cannot be edited."""
    try:
        await query.edit_message_text(screen.text, reply_markup=screen.keyboard)
    except BadRequest as error:
        if is_not_modified(error):
            return
        lowered = error.message.lower()
        if "message to edit not found" in lowered or "no text in the message" in lowered:
            if query.message is not None:
                await query.message.chat.send_message(screen.text, reply_markup=screen.keyboard)
            return
        raise


def ui_for(live: Live, header: Header) -> UI:
    """The UI text of the header's locale."""
    return live.ui(header.locale)


async def remove_from_chat(message: Message, what: str) -> None:
    """Delete one of the person's messages once read (a shared location): someone looking at the phone later should
    not find it. Best effort: a message the person already deleted is gone anyway."""
    try:
        await message.delete()
    except (BadRequest, Forbidden) as error:
        log.info("%s could not be removed from the chat: %s", what, type(error).__name__)
