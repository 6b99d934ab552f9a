"""Get help, /helpline and the country questions: thin handlers over bot.helplines.screens."""

from __future__ import annotations

from telegram import Message, Update

from bot.analytics.events import Event
from bot.callbacks import Action, GetHelp, Header, PickCountry, SetCountry
from bot.context import BotContext
from bot.handlers import common
from bot.helplines.screens import country_names, country_screen, help_screen
from bot.screens import Screen
from bot.services import Live
from bot.storage.user_settings import UserSettings


def card_or_question(
    context: BotContext, live: Live, header: Header, settings: UserSettings, purposes: str, intro: str = ""
) -> tuple[Screen, bool]:
    """The help card of the stored country, or the country question; True when it is the card."""
    show_low = context.services.settings.show_low_confidence_helplines
    ui = live.ui(header.locale)
    if settings.country:
        screen, _ = help_screen(
            live.content, ui, header, settings.country, settings.home_country, purposes, show_low=show_low
        )
        return screen, True
    return country_screen(live.content, ui, header, "c", 0, purposes, show_low=show_low, intro=intro), False


async def send_help(update: Update, context: BotContext, message: Message, who: common.Who, purposes: str) -> None:
    """Reply with the help card (or the country question when the country is not known yet)."""
    live = context.services.live.current
    screen, is_card = card_or_question(context, live, who.header, who.settings, purposes)
    await common.reply(message, screen)
    if is_card:
        common.record(context, Event.HELPLINE_SHOWN, who.header, who.key, detail=who.settings.country or "")


async def helpline_command(update: Update, context: BotContext) -> None:
    """/helpline: the helplines of the user's country."""
    message = update.effective_message
    assert message is not None
    live = context.services.live.current
    who = await common.who(update, context, live)
    await send_help(update, context, message, who, "")


async def get_help(update: Update, context: BotContext, live: Live, header: Header, act: Action) -> None:
    """The Get help button: the card of the stored country, with the page's purposes first."""
    assert isinstance(act, GetHelp) and update.callback_query is not None
    query = update.callback_query
    await query.answer()  # first: the database read below must not make the press look stuck
    key = common.press_key(update, context)
    settings = await context.services.storage.get_user(key) or UserSettings()
    screen, is_card = card_or_question(context, live, header, settings, act.purposes)
    await common.edit(query, screen)
    if is_card:
        common.record(context, Event.HELPLINE_SHOWN, header, key, detail=settings.country or "")


async def pick_country(update: Update, context: BotContext, live: Live, header: Header, act: Action) -> None:
    """Another page of the country list."""
    assert isinstance(act, PickCountry) and update.callback_query is not None
    query = update.callback_query
    await query.answer()
    show_low = context.services.settings.show_low_confidence_helplines
    screen = country_screen(
        live.content, live.ui(header.locale), header, act.role, act.page, act.purposes, show_low=show_low
    )
    await common.edit(query, screen)


async def set_country(update: Update, context: BotContext, live: Live, header: Header, act: Action) -> None:
    """Remember the chosen country and show the card; the first time, also ask (once) for the home country."""
    assert isinstance(act, SetCountry) and update.callback_query is not None
    query = update.callback_query
    if act.country and act.country not in country_names(header.locale):
        await query.answer()
        return
    await query.answer()  # before the database work
    storage = context.services.storage
    key = common.press_key(update, context)
    before = await storage.get_user(key) or UserSettings()
    if act.role == "c":
        settings = await storage.update_user(key, country=act.country)
    else:
        settings = await storage.update_user(key, home_country=act.country or None, home_country_asked=True)
    ui = live.ui(header.locale)
    show_low = context.services.settings.show_low_confidence_helplines
    country = settings.country
    if country is None:  # a home country chosen before the current one: ask where they are now
        await common.edit(query, country_screen(live.content, ui, header, "c", 0, act.purposes, show_low=show_low))
        return
    screen, _ = help_screen(live.content, ui, header, country, settings.home_country, act.purposes, show_low=show_low)
    await common.edit(query, screen)
    common.record(context, Event.HELPLINE_SHOWN, header, key, detail=country)
    if act.role == "c" and not before.home_country_asked and query.message is not None:
        # Asked once, after the card so help is never delayed; "My home country" on the card asks again.
        await storage.update_user(key, home_country_asked=True)
        question = country_screen(live.content, ui, header, "h", 0, act.purposes, show_low=show_low)
        await query.message.chat.send_message(question.text, reply_markup=question.keyboard)
