"""Is this offer real? A forwarded or pasted job advert is offered a check; the press checks it.

The advert is never stored, logged or put in a button. The offer to check it is sent as a Telegram reply to
the advert, so the press brings it back: Telegram includes the replied-to message in the pressed message
(`reply_to_message`), the check runs in memory, and the answer replaces the offer. Any replica can answer the
press, nothing waits in the bot's memory, and an advert the person deleted is gone for the bot too (it says so).
Analytics count only that an advert was checked (with its band) and which signs fired.
"""

from __future__ import annotations

from telegram import Message, Update

from bot.analytics.events import Event
from bot.callbacks import Action, Header, Offer
from bot.context import BotContext
from bot.handlers import common
from bot.handlers.calls import numbers_if_asked, page_screen
from bot.handlers.navigation import stale
from bot.offers.match import matcher_for
from bot.offers.model import SignKind
from bot.offers.screens import (
    answer_screen,
    ask_screen,
    details_screen,
    first_offer_node,
    notice,
    prompt_screen,
    signs_of_mask,
)
from bot.search.text import SPACELESS_RE
from bot.services import Live

MIN_WORDS = 12  # a pasted text shorter than this is a question or a search, not an advert
MIN_SPACELESS = 50  # characters, for Thai, Burmese, Khmer ... written without spaces between words
MIN_FORWARDED_WORDS = 5  # a forwarded "ok" or "thanks" is not offered the check
MIN_FORWARDED_SPACELESS = 20
FOUND_BY_TEXT = (SignKind.WORDS, SignKind.PAY, SignKind.DESTINATION)


def advert_text(message: Message | None) -> str:
    """The text of a message that may be an advert (its caption when it is a picture)."""
    if message is None:
        return ""
    return message.text or message.caption or ""


def looks_like_advert(message: Message, live: Live) -> bool:
    """A forwarded message, or a pasted text long enough to be an advert in which the signs find something."""
    text = advert_text(message)
    matcher = matcher_for(live.content)
    if not text or matcher is None:
        return False
    if message.forward_origin is not None:  # forwarded: anything more than a few words may be an advert
        return _longer_than(text, MIN_FORWARDED_WORDS, MIN_FORWARDED_SPACELESS)
    if not _longer_than(text, MIN_WORDS, MIN_SPACELESS):
        return False
    return any(hit.sign.kind in FOUND_BY_TEXT for hit in matcher.check(text).hits)


def _longer_than(text: str, words: int, spaceless: int) -> bool:
    return len(text.split()) >= words or (
        SPACELESS_RE.search(text) is not None and len("".join(text.split())) >= spaceless
    )


async def offer_check(message: Message, live: Live, header: Header, pages: tuple[str, ...]) -> None:
    """Offer to check the advert, as a reply to it (the press reads it from there); the pages found below."""
    screen = prompt_screen(live.content, live.ui(header.locale), header, pages)
    await message.reply_text(screen.text, reply_markup=screen.keyboard, do_quote=True)


async def check_command(update: Update, context: BotContext) -> None:
    """/check: ask for the advert (the content's menu entry when it has one)."""
    message = update.effective_message
    assert message is not None
    live = context.services.live.current
    who = await common.who(update, context, live)
    ui = live.ui(who.header.locale)
    await common.reply(message, ask_screen(live.content, ui, who.header, first_offer_node(live.content)))


async def offer_press(update: Update, context: BotContext, live: Live, header: Header, act: Action) -> None:
    """Check the advert the pressed message replies to, or show what the signs found mean."""
    assert isinstance(act, Offer) and update.callback_query is not None
    query = update.callback_query
    content = live.content
    matcher = matcher_for(content)
    if matcher is None:
        await stale(update, context, live, header)
        return
    ui = live.ui(header.locale)
    if act.op == "d" and act.version == matcher.signs.version:
        await query.answer()
        fired = signs_of_mask(matcher.signs, act.mask)
        await common.edit(query, details_screen(content, ui, header, matcher, fired))
        return
    pressed = query.message if isinstance(query.message, Message) else None
    if act.op in ("l", "s"):  # the licence page or the self-check, below the answer (which stays)
        node = content.nodes.get(matcher.signs.licence_page if act.op == "l" else matcher.signs.self_check)
        if node is None or pressed is None:
            await stale(update, context, live, header)
            return
        await query.answer()
        screen = await page_screen(update, context, live, header, node)
        await pressed.chat.send_message(screen.text, reply_markup=screen.keyboard)
        common.record(context, Event.NODE_VIEW, header, common.press_key(update, context), node=node.id)
        return
    text = advert_text(pressed.reply_to_message if pressed is not None else None)
    if not text:
        await query.answer()
        await common.edit(query, notice(content, ui, header, "offer.gone"))
        return
    finding = matcher.check(text)
    await query.answer(ui.t("offer.changed") if act.op == "d" else None)
    desk = context.services.settings.handoff_chat_id is not None
    english = live.ui(content.default_locale).t(f"offer.guidance.{finding.band.value}")
    numbers = await numbers_if_asked(update, context, live, header, english)
    await common.edit(query, answer_screen(content, ui, header, matcher, finding, desk=desk, numbers=numbers))
    if act.op == "c":  # counted once per check, not again on the way back from the details
        key = common.press_key(update, context)
        common.record(context, Event.OFFER_CHECKED, header, key, detail=finding.band.value)
        for sign in finding.fired:
            common.record(context, Event.OFFER_SIGN, header, None, detail=sign.id)
