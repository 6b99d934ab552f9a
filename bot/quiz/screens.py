"""The quiz in chat: one question per screen, then the result; every button carries the answers so far."""

from __future__ import annotations

import html
from collections.abc import Sequence

from bot import keyboards
from bot.callbacks import GetHelp, Header, Open, Quiz
from bot.content.model import Content, Node
from bot.helplines.model import encode_purposes
from bot.i18n import UI
from bot.quiz.codec import Mode, QuizState, encode_state
from bot.quiz.model import AnswerKind, QuizStructure, QuizText
from bot.screens import Screen


def step(node: Node, structure: QuizStructure, answers: Sequence[int], mode: Mode) -> Quiz:
    """The action of a button that leads to the state `answers`."""
    return Quiz(node.key, encode_state(node.key, QuizState(mode, structure.version, tuple(answers))))


def _heading(title: str) -> str:
    return f"<b>{html.escape(title, quote=False)}</b>"


def _home(content: Content, ui: UI, header: Header) -> keyboards.Row:
    return [keyboards.button(ui.t("button.home"), header, Open(content.root.key))]


def quiz_screen(
    content: Content, ui: UI, header: Header, node: Node, answers: Sequence[int], numbers: str = ""
) -> Screen:
    """The next question after `answers`, or the result once every question is answered (with `numbers`, the
    numbers to call, below a guidance that says to call: bot.helplines.calls)."""
    structure = node.extra
    assert isinstance(structure, QuizStructure)
    text = content.text(node.id, header.locale)
    texts = text.extra
    assert isinstance(texts, QuizText)
    if len(answers) >= len(structure.questions):
        return result_screen(content, ui, header, node, structure, texts, text.title, answers, numbers)
    index = len(answers)
    question = structure.questions[index]
    wording = texts.questions[question.id]
    body = [_heading(text.title)]
    if index == 0 and text.parts:
        body.append(text.parts[0])
    counter = ui.t("quiz.counter", current=index + 1, total=len(structure.questions))
    body.append(f"<i>{html.escape(counter, quote=False)}</i>\n{wording.text}")
    rows: list[keyboards.Row] = []
    if question.kind is AnswerKind.YES_NO:
        labels = (ui.t("button.yes"), ui.t("button.no"), ui.t("button.not_sure"))
        rows.append(
            [
                keyboards.button(label, header, step(node, structure, (*answers, choice), Mode.ANSWER))
                for choice, label in enumerate(labels)
            ]
        )
    else:
        for choice, label in enumerate(wording.choices):
            rows.append([keyboards.button(label, header, step(node, structure, (*answers, choice), Mode.ANSWER))])
    if index == 0:
        rows.extend(keyboards.footer(content, ui, header, node))  # Get help, Back to the menu, Home
    else:
        rows.append(
            [
                keyboards.button(ui.t("button.back"), header, step(node, structure, answers[:-1], Mode.BACK)),
                keyboards.button(ui.t("button.start_over"), header, step(node, structure, (), Mode.RESTART)),
            ]
        )
        rows.append([keyboards.get_help(ui, header, node)])
        rows.append(_home(content, ui, header))
    return Screen(ui.direction("\n\n".join(body)), keyboards.markup(rows))


def result_screen(
    content: Content,
    ui: UI,
    header: Header,
    node: Node,
    structure: QuizStructure,
    texts: QuizText,
    title: str,
    answers: Sequence[int],
    numbers: str = "",
) -> Screen:
    """The band of the score with its guidance (and the numbers to call when it says to call), each warning sign
    hit with why it matters, and Get help."""
    band = structure.band(structure.score(answers))
    band_text = texts.bands[band.id]
    body = [
        _heading(title),
        f"<b>{html.escape(ui.t('quiz.result_heading'), quote=False)}: {html.escape(band_text.title, quote=False)}</b>",
        band_text.guidance,
    ]
    if numbers:
        body.append(numbers)
    flags = structure.flags(answers)
    if flags:
        lines = [f"<b>{html.escape(ui.t('quiz.flags_heading'), quote=False)}</b>"]
        lines.extend(f"\u2022 {texts.questions[q.id].why}" for q in flags)
        body.append("\n".join(lines))
    else:
        body.append(html.escape(ui.t("quiz.no_flags"), quote=False))
    purposes = encode_purposes(band.help or node.help)
    rows = [
        [keyboards.button(ui.t("button.get_help"), header, GetHelp(purposes, new=True))],  # the result stays
        [
            keyboards.button(ui.t("button.back"), header, step(node, structure, answers[:-1], Mode.BACK)),
            keyboards.button(ui.t("button.start_over"), header, step(node, structure, (), Mode.RESTART)),
        ],
        _home(content, ui, header),
    ]
    return Screen(ui.direction("\n\n".join(body)), keyboards.markup(rows))
