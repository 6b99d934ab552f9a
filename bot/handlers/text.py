"""Free text and unknown commands. The user's text is matched in memory only: never stored, never logged."""

from __future__ import annotations

import re

from telegram import Update

from bot.analytics.events import Event
from bot.context import BotContext
from bot.handlers import common, handoff, offers
from bot.handlers.helplines import EMERGENCY_PURPOSES, location_cancelled, send_help
from bot.helplines.words import EmergencyWords, Phrase
from bot.screens import notice_screen
from bot.search.screens import search_screen
from bot.search.text import normalize, segment


async def unknown_command(update: Update, context: BotContext) -> None:
    """A command the bot does not have (admin commands included, for non-admins)."""
    message = update.effective_message
    assert message is not None
    live = context.services.live.current
    who = await common.who(update, context, live)
    ui = live.ui(who.header.locale)
    await common.reply(message, notice_screen(live.content, ui, who.header, "error.unknown_command"))


async def free_text(update: Update, context: BotContext) -> None:
    """Emergency words first (numbers at once), then a search of the pages in the user's language.

    A clear call for help ("they took my passport") is answered with the numbers alone, as the last message on
    screen, with the best matching page as one more button. A word also usual in ordinary questions ("help me
    choose an agency") brings the numbers with the best page found as a button on the same message: nothing sent
    after the numbers pushes them off a phone's screen. A bare help word ("tolong") brings the numbers alone.
    "No pages found" is never said to someone asking for help.
    """
    message = update.effective_message
    assert message is not None
    live = context.services.live.current
    who = await common.who(update, context, live)
    text = message.text or message.caption or ""
    words = live.content.documents.get("emergency-words")
    phrase = words.match(text) if text and isinstance(words, EmergencyWords) else None
    if phrase is None and await location_cancelled(message, live, who.header):
        return
    # An open case at the NGO desk (or a report being answered) takes the message; emergency words still first.
    if await handoff.intercept(update, context, live, who, emergency=phrase is not None):
        return
    # Officers' pages only when none for the person match, unless they came through that track (search/index.py).
    found = live.search.offer(text, who.header.locale, who.header.campaign) if live.search is not None and text else ()
    if phrase is not None:
        # The best page for the person themselves: not one written for officers who assess passengers.
        mine = [node_id for node_id in found if not live.content.nodes[node_id].audience]
        best = mine[0] if mine and not (phrase.common and only_the_phrase(text, phrase)) else ""
        await send_help(update, context, message, who, EMERGENCY_PURPOSES, page=best)
    if found:
        common.record(context, Event.SEARCH_HIT, who.header, who.key)
    elif phrase is None:
        common.record(context, Event.SEARCH_MISS, who.header, who.key)
    if phrase is None or (phrase.common and found):
        if offers.looks_like_advert(message, live):  # a forwarded or pasted job advert: offer to check it
            await offers.offer_check(message, live, who.header, found)
            return
        if phrase is None:
            await common.reply(message, search_screen(live.content, live.ui(who.header.locale), who.header, found))


def only_the_phrase(text: str, phrase: Phrase) -> bool:
    """True when the message is the emergency word alone ("tolong!"), with nothing else to search for."""
    normalized = normalize(text)
    if phrase.joined:
        return re.sub(r"\W", "", normalized) == re.sub(r"\W", "", phrase.joined)
    return segment(normalized).words == phrase.words
