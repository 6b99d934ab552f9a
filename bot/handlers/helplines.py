"""Get help, /helpline, the country question and shared locations: thin handlers over bot.helplines.screens."""

from __future__ import annotations

import asyncio
import html
import logging

from telegram import Message, ReplyKeyboardRemove, Update
from telegram.error import TelegramError

from bot import keyboards
from bot.analytics import alerts
from bot.analytics.events import Event
from bot.callbacks import Action, AskLocation, GetHelp, Header, NumberFailed, PickCountry, SetCountry
from bot.content.model import Purpose
from bot.context import BotContext
from bot.handlers import common
from bot.handoff.screens import desk_row
from bot.helplines import failed
from bot.helplines.locate import locator
from bot.helplines.model import PURPOSE_CODES
from bot.helplines.screens import (
    country_name,
    country_names,
    country_screen,
    first_help_screen,
    help_screen,
    location_prompt,
    with_row,
)
from bot.screens import Screen
from bot.services import Live
from bot.storage.user_settings import UserSettings

log = logging.getLogger(__name__)

# Someone in trouble: the emergency and trafficking lines first.
EMERGENCY_PURPOSES = PURPOSE_CODES[Purpose.EMERGENCY] + PURPOSE_CODES[Purpose.TRAFFICKING]


def with_desk(context: BotContext, live: Live, header: Header, screen: Screen) -> Screen:
    """The help card with Talk to a person and Report a recruiter or a scam, when an NGO desk is set up."""
    if context.services.settings.handoff_chat_id is None:
        return screen
    return with_row(screen, desk_row(live.ui(header.locale), header))


def first_help(context: BotContext, live: Live, header: Header, purposes: str) -> Screen | None:
    """The first answer (numbers of the likely countries, then the question), built once per content set."""
    show_low = context.services.settings.show_low_confidence_helplines

    def build() -> Screen | None:
        first = first_help_screen(live.content, live.ui(header.locale), header, purposes, show_low=show_low)
        return None if first is None else with_desk(context, live, header, first)

    return live.cached(("first-help", header, purposes, show_low), build)


def card_or_question(
    context: BotContext, live: Live, header: Header, settings: UserSettings, purposes: str, intro: str = ""
) -> tuple[Screen, bool]:
    """The help card of the stored country; else numbers for the likely countries and the question; True: card."""
    show_low = context.services.settings.show_low_confidence_helplines
    ui = live.ui(header.locale)
    if settings.country:
        screen, _ = help_screen(
            live.content, ui, header, settings.country, settings.home_country, purposes, show_low=show_low
        )
        return with_desk(context, live, header, screen), True
    first = first_help(context, live, header, purposes)
    if first is not None:
        return first, False
    return country_screen(live.content, ui, header, "c", 0, purposes, show_low=show_low, intro=intro), False


async def send_help(
    update: Update, context: BotContext, message: Message, who: common.Who, purposes: str, page: str = ""
) -> None:
    """Reply with the help card (or, when the country is not known yet, numbers at once and the question);
    `page` adds a button to that page (the best match of what the person wrote)."""
    live = context.services.live.current
    screen, is_card = card_or_question(context, live, who.header, who.settings, purposes)
    node = live.content.nodes.get(page) if page else None
    if node is not None:
        screen = with_row(screen, [keyboards.open_node(live.content, node, who.header)])
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
    if act.new and query.message is not None:  # below a quiz result, which stays
        await query.message.chat.send_message(screen.text, reply_markup=screen.keyboard)
    else:
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
    """Remember the chosen country and show its card at once (the home country is an optional button on it)."""
    assert isinstance(act, SetCountry) and update.callback_query is not None
    query = update.callback_query
    if act.country and act.country not in country_names(header.locale):
        await query.answer()
        return
    await query.answer()  # before the database work
    storage = context.services.storage
    key = common.press_key(update, context)
    if act.role == "c":
        settings = await storage.update_user(key, country=act.country)
    else:
        settings = await storage.update_user(key, home_country=act.country or None, home_country_asked=True)
    ui = live.ui(header.locale)
    show_low = context.services.settings.show_low_confidence_helplines
    country = settings.country
    if country is None:  # a home country chosen before the current one: ask where they are now
        first = first_help(context, live, header, act.purposes)
        question = country_screen(live.content, ui, header, "c", 0, act.purposes, show_low=show_low)
        await common.edit(query, first or question)
        return
    screen, _ = help_screen(live.content, ui, header, country, settings.home_country, act.purposes, show_low=show_low)
    await common.edit(query, with_desk(context, live, header, screen))
    common.record(context, Event.HELPLINE_SHOWN, header, key, detail=country)


async def ask_location(update: Update, context: BotContext, live: Live, header: Header, act: Action) -> None:
    """ "Use my location": a one-time keyboard whose button makes Telegram send where the user is."""
    assert isinstance(act, AskLocation) and update.callback_query is not None
    query = update.callback_query
    await query.answer()
    if query.message is None:
        return
    text, keyboard = location_prompt(live.ui(header.locale))
    await query.message.chat.send_message(text, reply_markup=keyboard)


async def shared_location(update: Update, context: BotContext) -> None:
    """A shared location: find its country offline, remember the country (never the point) and show its card."""
    from bot.handlers import handoff  # imports this module

    message = update.effective_message
    assert message is not None and message.location is not None
    live = context.services.live.current
    who = await common.who(update, context, live)
    await handoff.relay_location(update, context, live, who)  # in a case, the caseworker gets it too
    header = who.header
    ui = live.ui(header.locale)
    # The point is used for this lookup only: never stored, never logged.
    latitude, longitude = message.location.latitude, message.location.longitude
    country = await asyncio.to_thread(lambda: locator().country(latitude, longitude))
    await common.remove_from_chat(message, "a shared location")
    show_low = context.services.settings.show_low_confidence_helplines
    if country is None or country not in country_names(header.locale):
        unknown = ui.direction(html.escape(ui.t("location.unknown")))
        await message.reply_text(unknown, reply_markup=ReplyKeyboardRemove())
        question = country_screen(live.content, ui, header, "c", 0, EMERGENCY_PURPOSES, show_low=show_low)
        await common.reply(message, question)
        return
    settings = await context.services.storage.update_user(who.key, country=country)
    found = ui.t("location.found", country=country_name(country, header.locale))
    await message.reply_text(ui.direction(html.escape(found)), reply_markup=ReplyKeyboardRemove())
    screen, _ = help_screen(
        live.content, ui, header, country, settings.home_country, EMERGENCY_PURPOSES, show_low=show_low
    )
    await common.reply(message, with_desk(context, live, header, screen))
    common.record(context, Event.HELPLINE_SHOWN, header, who.key, detail=country)


async def location_cancelled(message: Message, live: Live, header: Header) -> bool:
    """True (after taking the keyboard away) when the text is the location keyboard's Cancel button."""
    ui = live.ui(header.locale)
    if (message.text or "").strip() != ui.t("location.cancel").strip():
        return False
    await message.reply_text(ui.direction(html.escape(ui.t("location.cancelled"))), reply_markup=ReplyKeyboardRemove())
    return True


async def number_failed(update: Update, context: BotContext, live: Live, header: Header, act: Action) -> None:
    """ "This number did not work": ask which number of the card; once told, count it (per directory entry, with no
    user key), thank the person, show the next number, and tell the admins when the entry reaches the threshold."""
    assert isinstance(act, NumberFailed) and update.callback_query is not None
    query = update.callback_query
    await query.answer()
    settings = await context.services.storage.get_user(common.press_key(update, context)) or UserSettings()
    show_low = context.services.settings.show_low_confidence_helplines
    ui = live.ui(header.locale)
    home = settings.home_country if act.country == settings.country else None
    shown = failed.shown_numbers(live.content, ui, header.locale, act.country, home, act.purposes, show_low=show_low)
    index = next((i for i, item in enumerate(shown) if item.key == act.entry), None)
    if index is None:  # the question, or a number a reload removed since the card was shown
        await common.edit(query, failed.which_screen(live.content, ui, header, act.country, act.purposes, shown))
        return
    detail = shown[index].detail
    common.record(context, Event.NUMBER_FAILED, header, None, detail=detail)  # no user key: a count, not a person
    thanks = failed.thanks_screen(live.content, ui, header, act.country, act.purposes, shown, index)
    await common.edit(query, with_desk(context, live, header, thanks))
    await tell_admins_once(context, live, detail)


async def tell_admins_once(context: BotContext, live: Live, detail: str) -> None:
    """Tell the admins, once a UTC day per entry and whichever replica counts past the threshold first."""
    services = context.services
    analytics = services.analytics
    if analytics is None or not services.settings.admin_ids:
        return
    await analytics.flush()  # this replica's reports, so the count read below includes them
    day = analytics.today()
    count = await alerts.reports_on(services.storage, Event.NUMBER_FAILED, detail, day)
    if count < services.settings.number_failed_threshold:
        return
    if not await alerts.claim_notice(services.storage, Event.NUMBER_FAILED, detail, day):
        return  # told already today
    ui = live.ui(live.content.default_locale)
    text = html.escape(
        ui.t("admin.number_failed", line=detail, count=count, threshold=services.settings.number_failed_threshold),
        quote=False,
    )
    log.info("number_failed reached the threshold for a directory entry; telling the admins")
    for admin in sorted(services.settings.admin_ids):
        try:
            await context.bot.send_message(admin, text)
        except TelegramError as exc:
            log.warning("an admin could not be told about a failing number: %s", type(exc).__name__)
