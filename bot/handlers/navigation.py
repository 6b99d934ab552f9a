"""Button presses: one router decodes the data and hands the action to its handler."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from typing import Any

from telegram import Update

from bot.analytics.events import Event
from bot.callbacks import Action, Header, InEnglish, Open, ShowSources, decode
from bot.campaigns import is_known
from bot.context import BotContext
from bot.handlers import common
from bot.handlers.calls import page_screen
from bot.i18n import negotiate
from bot.media import send_media
from bot.screens import node_screen, resolve, sources_screen
from bot.services import Live

log = logging.getLogger(__name__)

ActionHandler = Callable[[Update, BotContext, Live, Header, Action], Awaitable[None]]


async def stale(update: Update, context: BotContext, live: Live, header: Header) -> None:
    """A press on a button that no longer means anything: say so kindly and show Home."""
    query = update.callback_query
    assert query is not None
    ui = live.ui(header.locale)
    await query.answer(ui.t("error.stale_button"))
    await common.edit(query, node_screen(live.content, ui, header, live.content.root))


Router = Callable[[Update, BotContext], Coroutine[Any, Any, None]]


def make_router(routes: Mapping[type[Action], ActionHandler]) -> Router:
    """The single callback-query handler: decode, then dispatch on the action's type."""

    async def route(update: Update, context: BotContext) -> None:
        query = update.callback_query
        assert query is not None
        live = context.services.live.current
        decoded = decode(query.data)
        if decoded is None:
            user = update.effective_user
            locale = negotiate(user.language_code if user else None, live.content.locales, live.content.default_locale)
            log.info("undecodable button press")
            await stale(update, context, live, Header(locale))
            return
        header, act = decoded
        if header.locale not in live.content.locales:
            header = Header(live.content.default_locale, header.campaign)
        if header.campaign and not is_known(live.content, header.campaign):
            header = Header(header.locale)  # forged or removed campaign codes are never counted
        handler = routes.get(type(act))
        if handler is None:
            await stale(update, context, live, header)
            return
        await handler(update, context, live, header, act)

    return route


async def open_node(update: Update, context: BotContext, live: Live, header: Header, act: Action) -> None:
    """Show a menu, a page part, or the target of a link, in place."""
    assert isinstance(act, Open) and update.callback_query is not None
    query = update.callback_query
    node = live.content.by_key(act.key)
    if node is None:
        await stale(update, context, live, header)
        return
    node = resolve(live.content, node)
    await query.answer()
    screen = await page_screen(update, context, live, header, node, act.page)
    await common.edit(query, screen)
    common.record(context, Event.NODE_VIEW, header, common.press_key(update, context), node=node.id)
    if screen.media is not None and query.message is not None:
        services = context.services
        await send_media(context.bot, query.message.chat.id, live.content.directory, screen.media, services.storage)


async def show_sources(update: Update, context: BotContext, live: Live, header: Header, act: Action) -> None:
    """Show where a page's facts come from."""
    assert isinstance(act, ShowSources) and update.callback_query is not None
    node = live.content.by_key(act.key)
    if node is None:
        await stale(update, context, live, header)
        return
    await update.callback_query.answer()
    await common.edit(update.callback_query, sources_screen(live.content, live.ui(header.locale), header, node))


async def show_in_english(update: Update, context: BotContext, live: Live, header: Header, act: Action) -> None:
    """A page in the default language (English) in place of its unreviewed machine translation, with a button back."""
    assert isinstance(act, InEnglish) and update.callback_query is not None
    node = live.content.by_key(act.key)
    if node is None:
        await stale(update, context, live, header)
        return
    node = resolve(live.content, node)
    await update.callback_query.answer()
    screen = await page_screen(update, context, live, header, node, act.page, original=True)
    await common.edit(update.callback_query, screen)
