"""Where to check a recruiter's licence, for another country: a thin handler over bot.licences.screens."""

from __future__ import annotations

from telegram import Update

from bot.callbacks import Action, Header, Licence
from bot.context import BotContext
from bot.handlers import common
from bot.licences.screens import checks_of, countries_screen, country_screen
from bot.services import Live


async def licence_press(update: Update, context: BotContext, live: Live, header: Header, act: Action) -> None:
    """A country's check, or the list of countries (also for a country a reload removed)."""
    assert isinstance(act, Licence) and update.callback_query is not None
    query = update.callback_query
    await query.answer()
    ui = live.ui(header.locale)
    check = checks_of(live.content).of(act.country) if act.country else None
    screen = country_screen(live.content, ui, header, check) if check else countries_screen(live.content, ui, header)
    await common.edit(query, screen)
