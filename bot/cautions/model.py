"""Safe-first cautions as frozen data: who each one is for, where it is shown, its text per locale, its sources.

Advice that sends a person to the police or to their embassy is safe for some readers and dangerous for others.
A caution is written once (content/cautions.yaml) and shown wherever that advice is: above the police lines of the
help cards of the countries it names, above the embassy reminder, and on the pages it lists.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from bot.content.diagnostics import Mark

EVERY_COUNTRY = "*"  # `cards: ["*"]`: the cards of every country


class About(StrEnum):
    """Which advice a caution comes before."""

    POLICE = "police"  # the emergency number and police lines of a card, "go to the police" on a page
    EMBASSY = "embassy"  # the card's embassy reminder, "contact your embassy" on a page


@dataclass(frozen=True, slots=True)
class CautionSource:
    """Where a fact of a caution comes from: the page, its date, the day it was read."""

    title: str
    url: str
    date: str
    read_on: str


@dataclass(frozen=True, slots=True)
class Caution:
    """One caution: readers (by locale, or by origin country), places (cards, pages), text per locale."""

    id: str
    about: About
    locales: frozenset[str]  # readers of these locales ...
    origins: frozenset[str]  # ... or from these countries; neither: every reader
    cards: frozenset[str]  # ISO codes of the cards it is shown on; EVERY_COUNTRY for all
    pages: tuple[str, ...]  # node ids of the pages it is shown on
    text: Mapping[str, str]  # locale -> text
    sources: tuple[CautionSource, ...] = ()
    mark: Mark = field(default_factory=lambda: Mark("cautions.yaml"))

    def reaches(self, locale: str, origins: Iterable[str]) -> bool:
        """True for a reader of `locale` whose origin countries are `origins`."""
        if not self.locales and not self.origins:
            return True
        return locale in self.locales or not self.origins.isdisjoint(origins)

    def on_card(self, country: str) -> bool:
        """True when the caution is shown on `country`'s help card."""
        return EVERY_COUNTRY in self.cards or country in self.cards


@dataclass(frozen=True, slots=True)
class Cautions:
    """Every caution, and the pages staff reviewed as needing none (node id -> why)."""

    items: tuple[Caution, ...] = ()
    exempt: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    machine_unreviewed: tuple[str, ...] = ()
    translation_marks: Mapping[str, Mark] = field(default_factory=lambda: MappingProxyType({}))

    def for_card(self, locale: str, origins: Iterable[str], country: str, about: About) -> tuple[Caution, ...]:
        """The cautions for this reader on `country`'s card, before the advice `about`."""
        wanted = frozenset(origins)
        return tuple(c for c in self.items if c.about is about and c.on_card(country) and c.reaches(locale, wanted))

    def for_page(self, locale: str, origins: Iterable[str], node_id: str) -> tuple[Caution, ...]:
        """The cautions for this reader on the page `node_id`."""
        wanted = frozenset(origins)
        return tuple(c for c in self.items if node_id in c.pages and c.reaches(locale, wanted))

    def covers(self, node_id: str) -> bool:
        """True when some caution is shown on the page, whoever reads it."""
        return any(node_id in c.pages for c in self.items)
