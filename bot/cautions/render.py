"""Cautions as the reader sees them: one line each, in their language, where the advice is.

Who a reader is, as far as a screen knows: the locale (every screen), the origin countries of that locale in
likely-countries.yaml (every screen), and the stored home country (the help card only: pages are built once per
locale and cost no database read).
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from bot.callbacks import Header
from bot.cautions.document import NAME
from bot.cautions.model import About, Caution, Cautions
from bot.content.localized import pick
from bot.content.model import Content, Node
from bot.i18n import UI
from bot.screens import Addition

MARK = "⚠️"


def cautions_of(content: Content) -> Cautions:
    """The content's cautions (none when cautions.yaml is absent)."""
    found = content.documents.get(NAME)
    return found if isinstance(found, Cautions) else Cautions()


def reader_origins(content: Content, locale: str, home: str | None = None) -> frozenset[str]:
    """The origin countries of the locale's own list in likely-countries.yaml, and the stored home country."""
    from bot.helplines.likely import NAME as LIKELY_NAME
    from bot.helplines.likely import LikelyCountries

    likely = content.documents.get(LIKELY_NAME)
    found = set(likely.origins.get(locale, ())) if isinstance(likely, LikelyCountries) else set()
    if home:
        found.add(home)
    return frozenset(found)


def caution_lines(content: Content, locale: str, found: Iterable[Caution]) -> list[str]:
    """Each caution as one escaped line, in the reader's language (along the fallback chain), none repeated."""
    lines: list[str] = []
    for caution in found:
        line = f"{MARK} <b>{html.escape(pick(caution.text, content.chain(locale)), quote=False)}</b>"
        if line not in lines:
            lines.append(line)
    return lines


def card_cautions(content: Content, locale: str, countries: Iterable[str], home: str | None, about: About) -> list[str]:
    """The lines to show before the advice `about` on the cards (or first answer) of `countries`."""
    cautions = cautions_of(content)
    origins = reader_origins(content, locale, home)
    found = [c for country in countries for c in cautions.for_card(locale, origins, country, about)]
    return caution_lines(content, locale, found)


def page_cautions(content: Content, ui: UI, header: Header, node: Node, part: int, parts: int) -> Addition | None:
    """Above every part of a page a caution lists: the cautions for readers of this locale."""
    cautions = cautions_of(content)
    found = cautions.for_page(header.locale, reader_origins(content, header.locale), node.id)
    lines = caution_lines(content, header.locale, found)
    return Addition(above="\n".join(lines)) if lines else None
