"""Quiz presses: decode the answers carried by the button, show the next question or the result.

Nothing about the answers is stored or logged; analytics count only that an attempt started (its
first answer), that it finished, and the result band.
"""

from __future__ import annotations

from telegram import Update

from bot.analytics.events import Event
from bot.callbacks import Action, Header, Quiz
from bot.context import BotContext
from bot.handlers import common
from bot.handlers.calls import numbers_if_asked
from bot.handlers.navigation import stale
from bot.quiz.codec import Mode, decode_state
from bot.quiz.model import QuizStructure, QuizText
from bot.quiz.screens import quiz_screen
from bot.services import Live


async def quiz_step(update: Update, context: BotContext, live: Live, header: Header, act: Action) -> None:
    """Show the quiz state a button leads to; a changed quiz restarts kindly, tampered data is stale."""
    assert isinstance(act, Quiz) and update.callback_query is not None
    query = update.callback_query
    content = live.content
    node = content.by_key(act.key)
    structure = node.extra if node is not None and node.type == "quiz" else None
    state = decode_state(act.key, act.state) if isinstance(structure, QuizStructure) else None
    if node is None or not isinstance(structure, QuizStructure) or state is None:
        await stale(update, context, live, header)
        return
    ui = live.ui(header.locale)
    if state.version != structure.version:
        await query.answer(ui.t("quiz.changed"))
        await common.edit(query, quiz_screen(content, ui, header, node, ()))
        return
    if not structure.valid(state.answers):
        await stale(update, context, live, header)
        return
    await query.answer()
    numbers = ""
    if len(state.answers) == len(structure.questions):  # the result: its numbers when its guidance says to call
        english = content.text(node.id, content.default_locale).extra
        band = structure.band(structure.score(state.answers))
        if isinstance(english, QuizText):
            numbers = await numbers_if_asked(update, context, live, header, english.bands[band.id].guidance)
    await common.edit(query, quiz_screen(content, ui, header, node, state.answers, numbers))
    if state.mode is not Mode.ANSWER:
        return
    key = common.press_key(update, context)
    if len(state.answers) == 1:
        common.record(context, Event.QUIZ_STARTED, header, key, node=node.id)
    if len(state.answers) == len(structure.questions):
        band = structure.band(structure.score(state.answers))
        common.record(context, Event.QUIZ_FINISHED, header, key, node=node.id, detail=band.id)
