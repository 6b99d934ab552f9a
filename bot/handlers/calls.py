"""Numbers next to a "call" (bot.helplines.calls): the reader's country, read only for the screens that ask."""

from __future__ import annotations

from telegram import Update

from bot.callbacks import Header
from bot.content.model import Node
from bot.context import BotContext
from bot.handlers import common
from bot.helplines.calls import asks_to_call, numbers_line, page_asks_to_call
from bot.screens import Screen, node_screen
from bot.services import Live


async def reader_country(update: Update, context: BotContext) -> str | None:
    """The country the reader told the bot, if any (one database read)."""
    settings = await context.services.storage.get_user(common.press_key(update, context))
    return settings.country if settings is not None else None


def numbers_for(context: BotContext, live: Live, header: Header, country: str | None) -> str:
    """The numbers line for a reader of `header`'s language in `country` (None: not known), built once."""
    show_low = context.services.settings.show_low_confidence_helplines
    locale = header.locale
    return live.cached(
        ("call-numbers", locale, country, show_low),
        lambda: numbers_line(live.content, live.ui(locale), locale, country, show_low=show_low),
    )


async def numbers_if_asked(
    update: Update,
    context: BotContext,
    live: Live,
    header: Header,
    english: str,
    *,
    country: str | None = None,
    known: bool = False,
) -> str:
    """The numbers line when `english` (the English of what is shown) asks to call, else empty; the reader's
    country is read once, unless the caller `known` it already."""
    if not asks_to_call(english):
        return ""
    return numbers_for(context, live, header, country if known else await reader_country(update, context))


async def page_screen(
    update: Update,
    context: BotContext,
    live: Live,
    header: Header,
    node: Node,
    page: int = 0,
    *,
    original: bool = False,
    country: str | None = None,
    known: bool = False,
) -> Screen:
    """A node's screen, built once per content set; a page part that asks to call carries the reader's numbers
    (their country read once, unless the caller `known` it already)."""
    kind = "original" if original else "node"
    content = live.content
    ui = live.ui(header.locale)
    english = live.ui(content.default_locale)
    locale = header.locale
    asks = live.cached(
        ("asks-to-call", node.key, page, locale), lambda: page_asks_to_call(content, english, node, page, locale)
    )
    if not asks:
        plain = (kind, header, node.key, page)
        return live.cached(plain, lambda: node_screen(content, ui, header, node, page, original))
    numbers = numbers_for(context, live, header, country if known else await reader_country(update, context))
    return live.cached(
        (kind, header, node.key, page, numbers),
        lambda: node_screen(content, ui, header, node, page, original, numbers=numbers),
    )
