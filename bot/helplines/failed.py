""" "This number did not work": which numbers a help card showed, the screen to say which failed, and the thanks
with the next line to try.

A report is counted per directory entry (its id, or `emergency:<country>` for the emergency number), never per
person: the press is counted with no user key, and staff see the totals in `python -m bot stats`.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Sequence
from dataclasses import dataclass

from bot import keyboards
from bot.callbacks import GetHelp, Header, NumberFailed, Open, PickCountry
from bot.content.model import Content, Purpose
from bot.helplines.model import decode_purposes
from bot.helplines.screens import (
    _likely_home,
    _localized,
    clear_button,
    country_name,
    directory_of,
    emergency_lines,
    helpline_card,
)
from bot.i18n import UI
from bot.screens import Screen

EMERGENCY_DETAIL = "emergency:"  # + the country code: reports about a country's emergency number
MAX_CHOICES = 8  # buttons on the "which number" screen, the card's own order
LABEL_MAX = 48  # characters of a line's name on its button


def entry_key(detail: str) -> str:
    """A short, stable key of a directory entry for the button (its id may be longer than a button allows)."""
    return hashlib.sha256(detail.encode()).hexdigest()[:6]


@dataclass(frozen=True, slots=True)
class Shown:
    """One number the card showed: its button key, what is counted, its button label and its card text."""

    key: str
    detail: str
    label: str
    card: str


def shown_numbers(
    content: Content, ui: UI, locale: str, country: str, home: str | None, purposes: str, *, show_low: bool
) -> list[Shown]:
    """The emergency number and the lines of the card of `country` (and of `home` for citizens abroad), in the
    card's order."""
    directory = directory_of(content)
    wanted: Sequence[Purpose] = decode_purposes(purposes)
    found: list[Shown] = []
    emergency = directory.emergency.get(country)
    if emergency is not None:
        detail = f"{EMERGENCY_DETAIL}{country}"
        card = "\n".join(emergency_lines(emergency, content, ui, locale))
        found.append(Shown(entry_key(detail), detail, f"🚨 {emergency.number}", card))
    local = directory.in_country(country, wanted, show_low=show_low)
    if not local and not home:  # as the card: the line of the reader's likely home country for its citizens
        home = _likely_home(content, directory, locale, country, wanted, show_low)
    abroad = directory.for_nationals_abroad(home, wanted, show_low=show_low) if home and home != country else ()
    for entry in (*local, *(entry for entry in abroad if entry not in local)):
        name = _localized(entry.name, content, locale)
        label = name if len(name) <= LABEL_MAX else name[: LABEL_MAX - 1] + "…"
        found.append(Shown(entry_key(entry.id), entry.id, f"📞 {label}", helpline_card(entry, content, ui, locale)))
    return found


def _back_rows(content: Content, ui: UI, header: Header, purposes: str) -> list[keyboards.Row]:
    return [
        [keyboards.button(ui.t("helpline.failed.back"), header, GetHelp(purposes))],
        [keyboards.button(ui.t("helpline.change_country"), header, PickCountry("c", 0, purposes))],
        [clear_button(ui, header), keyboards.button(ui.t("button.home"), header, Open(content.root.key))],
    ]


def which_screen(
    content: Content, ui: UI, header: Header, country: str, purposes: str, shown: Sequence[Shown]
) -> Screen:
    """Which number did not work? One button per number of the card."""
    rows: list[keyboards.Row] = [
        [keyboards.button(item.label, header, NumberFailed(country, item.key, purposes))]
        for item in shown[:MAX_CHOICES]
    ]
    rows.extend(_back_rows(content, ui, header, purposes))
    heading = ui.t("helpline.heading", country=country_name(country, header.locale))
    text = f"<b>{html.escape(heading, quote=False)}</b>\n\n{html.escape(ui.t('helpline.failed.which'), quote=False)}"
    return Screen(ui.direction(text), keyboards.markup(rows))


def thanks_screen(
    content: Content, ui: UI, header: Header, country: str, purposes: str, shown: Sequence[Shown], index: int
) -> Screen:
    """Thanks, and the next number of the card to try (or, after the last, where else to look)."""
    following = shown[index + 1] if index + 1 < len(shown) else None
    rows: list[keyboards.Row] = []
    if following is None:
        text = html.escape(ui.t("helpline.failed.none"), quote=False)
    else:
        text = "\n\n".join([html.escape(ui.t("helpline.failed.thanks"), quote=False), following.card])
        again = NumberFailed(country, following.key, purposes)
        rows.append([keyboards.button(ui.t("helpline.failed.next_failed"), header, again)])
    rows.extend(_back_rows(content, ui, header, purposes))
    return Screen(ui.direction(text), keyboards.markup(rows))
