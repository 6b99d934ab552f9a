"""/start, with or without a deep-link payload, and /help."""

from __future__ import annotations

from telegram import Update

from bot.analytics.events import Event
from bot.callbacks import Header
from bot.campaigns import is_known
from bot.context import BotContext
from bot.deeplinks import parse_payload
from bot.handlers import common
from bot.handlers.calls import page_screen
from bot.screens import notice_screen, resolve


async def start(update: Update, context: BotContext) -> None:
    """Show the home menu (or a deep link's landing node) in the user's language."""
    message = update.effective_message
    assert message is not None
    live = context.services.live.current
    content = live.content
    who = await common.who(update, context, live)
    request = parse_payload(context.args[0] if context.args else None, content, context.services.campaigns)
    header = who.header
    if request.locale is not None and who.settings.locale is None:
        header = Header(request.locale, header.campaign)
    if header.campaign and not is_known(content, header.campaign):
        header = Header(header.locale)  # a campaign removed from campaigns.yaml is no longer counted
    # First touch: only a campaign code (never who) is kept, and only for a campaign within its dates.
    if request.campaign and not who.settings.campaign:
        await context.services.storage.set_campaign_if_absent(who.key, request.campaign)
        header = Header(header.locale, request.campaign)
    node = content.nodes.get(request.node_id or "", content.root)
    node = resolve(content, node)
    common.record(context, Event.START, header, who.key, node=node.id)
    screen = await page_screen(update, context, live, header, node, country=who.settings.country, known=True)
    await common.reply(message, screen)


async def help_command(update: Update, context: BotContext) -> None:
    """Explain how to use the bot."""
    message = update.effective_message
    assert message is not None
    live = context.services.live.current
    who = await common.who(update, context, live)
    await common.reply(message, notice_screen(live.content, live.ui(who.header.locale), who.header, "help.text"))
