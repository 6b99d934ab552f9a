"""The person's screens: consent, the report questions, and the buttons on the help card."""

from __future__ import annotations

import html

from bot import keyboards
from bot.callbacks import GetHelp, Handoff, Header
from bot.handoff.model import DeskHours
from bot.i18n import UI
from bot.screens import Screen

REPORT_QUESTIONS = {"what": "report.intro", "country": "report.ask_country", "who": "report.ask_who"}


def _text(ui: UI, key: str, **values: object) -> str:
    return ui.direction(html.escape(ui.t(key, **values), quote=False))


def desk_row(ui: UI, header: Header) -> keyboards.Row:
    """Talk to a person and Report a recruiter or a scam, for the help card."""
    return [
        keyboards.button(ui.t("button.talk"), header, Handoff("t")),
        keyboards.button(ui.t("button.report"), header, Handoff("r")),
    ]


def consent_screen(ui: UI, header: Header, desk: DeskHours | None, retention_days: int, numbers: str = "") -> Screen:
    """Who reads, when the desk is open, how long the bot keeps what, and how to end: Start or Cancel; `numbers`
    below the consent's "in danger, call an emergency number first" (bot.helplines.calls)."""
    # The name in the reader's language: their locale, then English (Dari never falls back to Persian).
    organisation = desk.name((header.locale, "en")) if desk is not None else ""
    hours = desk.describe(header.locale, ui.digits) if desk is not None else ui.t("handoff.always_open")
    text = _text(ui, "handoff.consent", organisation=organisation, hours=hours, days=retention_days)
    if numbers:
        text += "\n" + ui.direction(numbers)
    text += "\n\n" + _text(ui, "handoff.consent_visible")  # what follows shows on the phone
    rows = [
        [keyboards.button(ui.t("button.talk_start"), header, Handoff("y"))],
        # The consent says "in danger, call an emergency number first": the numbers are one tap away, below it.
        [keyboards.button(ui.t("button.get_help"), header, GetHelp("et", new=True))],
        [keyboards.button(ui.t("button.cancel"), header, Handoff("n"))],
    ]
    return Screen(text, keyboards.markup(rows))


def plain(ui: UI, key: str, **values: object) -> str:
    """A line of text, escaped, in the user's direction."""
    return _text(ui, key, **values)


def report_question(ui: UI, header: Header, step: str) -> Screen:
    """The next question of the report, with Skip (not for the first) and Cancel."""
    rows: list[keyboards.Row] = []
    if step == "shots":
        rows.append([keyboards.button(ui.t("button.done"), header, Handoff("d"))])
        text = _text(ui, "report.ask_shots")
    elif step == "follow":
        rows.append([keyboards.button(ui.t("button.follow_yes"), header, Handoff("fy"))])
        rows.append([keyboards.button(ui.t("button.follow_no"), header, Handoff("fn"))])
        text = _text(ui, "report.ask_follow_up")
    else:
        if step != "what":
            rows.append([keyboards.button(ui.t("button.skip"), header, Handoff("s"))])
        text = _text(ui, REPORT_QUESTIONS[step])
    rows.append([keyboards.button(ui.t("button.cancel"), header, Handoff("n"))])
    return Screen(text, keyboards.markup(rows))
