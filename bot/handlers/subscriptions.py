"""Follow-ups, opt-in only: /subscribe and /subscriptions (the topics, each a toggle), /stop (leave every topic),
and the "Stop these messages" button under every broadcast."""

from __future__ import annotations

import html

from telegram import Update

from bot import keyboards
from bot.broadcasts.model import broadcasts_of, topics_of
from bot.broadcasts.store import BroadcastStore
from bot.callbacks import Action, Header, Open, Subscription
from bot.context import BotContext
from bot.handlers import common
from bot.screens import Screen, notice_screen
from bot.services import Live


def topics_screen(live: Live, header: Header, subscribed: frozenset[str]) -> Screen:
    """The topics with a toggle each: a mark on the ones the user receives."""
    content, ui = live.content, live.ui(header.locale)
    chain = content.chain(header.locale)
    topics = topics_of(content).items
    rows = []
    for topic in topics:
        on = topic.id in subscribed
        title = topic.title(chain)
        label = ui.t("subscriptions.on", topic=title) if on else ui.t("subscriptions.off", topic=title)
        rows.append([keyboards.button(label, header, Subscription(topic.id, "n" if on else "y"))])
    rows.append([keyboards.button(ui.t("button.home"), header, Open(content.root.key))])
    text = html.escape(ui.t("subscriptions.intro") if topics else ui.t("subscriptions.none"), quote=False)
    if topics:  # before the tap: how often, what is kept, and that the messages show on the phone
        written = len(broadcasts_of(content))
        text += "\n\n" + html.escape(ui.t("subscriptions.what_follows", count=written), quote=False)
    return Screen(ui.direction(text), keyboards.markup(rows))


async def subscriptions_command(update: Update, context: BotContext) -> None:
    """/subscribe and /subscriptions: the topics and what the user receives."""
    message = update.effective_message
    assert message is not None
    live = context.services.live.current
    who = await common.who(update, context, live)
    subscribed = await BroadcastStore(context.services.storage).topics(who.key)
    await common.reply(message, topics_screen(live, who.header, subscribed))


async def stop_command(update: Update, context: BotContext) -> None:
    """/stop: leave every topic at once."""
    message = update.effective_message
    assert message is not None
    live = context.services.live.current
    who = await common.who(update, context, live)
    left = await BroadcastStore(context.services.storage).unsubscribe(who.key)
    key = "subscriptions.stopped_all" if left else "subscriptions.nothing"
    await common.reply(message, notice_screen(live.content, live.ui(who.header.locale), who.header, key))


async def subscription_press(update: Update, context: BotContext, live: Live, header: Header, act: Action) -> None:
    """A toggle in the list, a page's reminder button, or "Stop these messages" under a broadcast."""
    assert isinstance(act, Subscription) and update.callback_query is not None
    query = update.callback_query
    store = BroadcastStore(context.services.storage)
    key = common.press_key(update, context)
    topic = topics_of(live.content).get(act.topic) if act.topic else None
    ui = live.ui(header.locale)
    if act.op == "y" and topic is not None and update.effective_chat is not None:
        await store.subscribe(key, topic.id, update.effective_chat.id, header.locale)
        await query.answer(ui.t("subscriptions.subscribed", topic=topic.title(live.content.chain(header.locale))))
    elif act.op == "p" and topic is not None and update.effective_chat is not None:
        # A page's button: one label for everyone (screens are cached), so the page stays and the answer says
        # what the press changed.
        title = topic.title(live.content.chain(header.locale))
        if topic.id in await store.topics(key):
            await store.unsubscribe(key, topic.id)
            await query.answer(ui.t("subscriptions.page_stopped", topic=title), show_alert=True)
        else:
            await store.subscribe(key, topic.id, update.effective_chat.id, header.locale)
            await query.answer(ui.t("subscriptions.page_subscribed", topic=title), show_alert=True)
        return
    elif act.op == "n" and act.topic:  # a toggle in the list
        await store.unsubscribe(key, act.topic)
        await query.answer()
    elif act.op == "s" and act.topic:  # "Stop these messages" under a broadcast: the broadcast stays as it was
        await store.unsubscribe(key, act.topic)
        await query.answer()
        title = topic.title(live.content.chain(header.locale)) if topic is not None else act.topic
        message = query.message
        if message is not None:
            screen = notice_screen(live.content, ui, header, "subscriptions.stopped", topic=title)
            await context.bot.send_message(message.chat.id, screen.text, reply_markup=screen.keyboard)
        return
    else:
        await query.answer()
    await common.edit(query, topics_screen(live, header, await store.topics(key)))
