"""/language and the language buttons: every content locale by its own name; the choice is stored."""

from __future__ import annotations

from telegram import Update

from bot.analytics.events import Event
from bot.broadcasts.store import BroadcastStore
from bot.callbacks import Action, ChooseLanguage, Header
from bot.context import BotContext
from bot.handlers import common
from bot.screens import languages_screen, node_screen
from bot.services import Live


async def language_command(update: Update, context: BotContext) -> None:
    """Offer every language."""
    message = update.effective_message
    assert message is not None
    live = context.services.live.current
    who = await common.who(update, context, live)
    await common.reply(message, languages_screen(live.content, live.ui(who.header.locale), who.header))


async def choose_language(update: Update, context: BotContext, live: Live, header: Header, act: Action) -> None:
    """Show the language menu, or store the chosen language and show Home in it."""
    assert isinstance(act, ChooseLanguage) and update.callback_query is not None
    query = update.callback_query
    content = live.content
    if not act.locale:
        await query.answer()
        await common.edit(query, languages_screen(content, live.ui(header.locale), header))
        return
    if act.locale not in content.locales:
        await query.answer()
        await common.edit(query, languages_screen(content, live.ui(header.locale), header))
        return
    await query.answer()  # before the database write
    key = common.press_key(update, context)
    await context.services.storage.update_user(key, locale=act.locale)
    await BroadcastStore(context.services.storage).set_locale(key, act.locale)  # follow-ups in the new language
    chosen = Header(act.locale, header.campaign)
    ui = live.ui(act.locale)
    await common.edit(query, node_screen(content, ui, chosen, content.root))
    common.record(context, Event.LANGUAGE_CHANGED, chosen, key, detail=act.locale)
