"""Numbers wherever a text says "call": a screen that tells the reader to call an emergency number or a helpline
prints the numbers for the country in question on the same message.

Which screens ask: those whose English text says so ("call the emergency number", "call a helpline", "talk to a
helpline first"), and pages that carry a caution for the reader's language that says so in English. English is the
source every translation follows, so one pattern in one language finds the same screens in every language, and a
new page or band that asks to call gets its numbers without anyone remembering to add them. The test
`tests/helplines/test_calls.py` renders every such screen in every language through the real bot and looks for
the number.

Which numbers: the reader's country when they told the bot (its emergency number and its best line); otherwise the
numbers of the first two countries where many people who write in their language are (`likely-countries.yaml`),
each with its flag and name: the emergency number and the best helpline, since a caution above may say to call a
helpline first. The 🆘 button beside it opens every line of any country.

Screens that ask are rare (a handful of pages, the serious quiz and job-offer results, the desk's consent), so
reading the reader's country there costs one database read on those presses only; every other press still reads
nothing.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from bot.callbacks import Header
from bot.cautions.render import cautions_of, reader_origins
from bot.content.model import Content, Node, Purpose
from bot.helplines.screens import country_numbers, directory_of, likely_countries
from bot.i18n import UI
from bot.screens import node_screen

UNKNOWN_COUNTRIES = 2  # countries whose numbers are shown when the reader's country is not known
WANTED: tuple[Purpose, ...] = (Purpose.TRAFFICKING, Purpose.MIGRANT_WORKER_COMPLAINTS, Purpose.EMERGENCY)

# English, the source language: "call the (local) emergency number", "call a helpline", "call an emergency number",
# "talk to (someone you trust or) a helpline". Not "a video call", not "call the specialist unit".
_ASKS = re.compile(
    r"\bcall\s+(?:the|a|an)\b[^.\n:;]*?\b(?:emergency|helpline)|\btalk\s+(?:first\s+)?to\b[^.\n:;]*?\bhelpline",
    re.IGNORECASE,
)
_TAG = re.compile(r"<[^>]+>")


def asks_to_call(english: str) -> bool:
    """True when an English text (plain or Telegram HTML) tells the reader to call an emergency number or a
    helpline."""
    return _ASKS.search(html.unescape(_TAG.sub("", english))) is not None


def page_asks_to_call(content: Content, english: UI, node: Node, page: int, locale: str) -> bool:
    """True when a page part asks a reader of `locale` to call: its English screen (text and what features add
    to it) does, or a caution shown on it to readers of `locale` only (a language's own) does in English."""
    if node.is_menu or node.type != "page":
        return False
    if asks_to_call(node_screen(content, english, Header(content.default_locale), node, page).text):
        return True
    default = content.default_locale
    shown = cautions_of(content).for_page(locale, reader_origins(content, locale), node.id)
    return any(asks_to_call(caution.text.get(default, "")) for caution in shown)


def numbers_line(content: Content, ui: UI, locale: str, country: str | None, *, show_low: bool = False) -> str:
    """The numbers to print next to a "call": the reader's country's, else the likely countries' (one line
    each); empty when the content has none to give."""
    directory = directory_of(content)
    if country:
        line = country_numbers(directory, country, WANTED, ui, locale, show_low=show_low, labelled=False)
        if line:
            return line
    candidates, origins = likely_countries(content, locale)
    going = [code for code in candidates if code not in origins] or list(candidates)
    lines = [country_numbers(directory, code, WANTED, ui, locale, show_low=show_low, labelled=False) for code in going]
    return "\n".join([line for line in lines if line][:UNKNOWN_COUNTRIES])


def with_numbers(parts: Sequence[str], line: str, after: int) -> list[str]:
    """`parts` of a message with the numbers line inserted after the first `after` of them (none when empty)."""
    result = list(parts)
    if line:
        result.insert(after, line)
    return result
