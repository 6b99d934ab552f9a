"""The campaigns of campaigns.yaml as frozen data, and how to find one by its code."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from types import MappingProxyType
from typing import TYPE_CHECKING

from bot.content.diagnostics import Mark

if TYPE_CHECKING:
    from bot.content.model import Content

NAME = "campaigns"
CODE_MAX = 16  # the code also travels in every button's 64-byte callback header
CODE_RE = re.compile(rf"^[a-z0-9][a-z0-9-]{{0,{CODE_MAX - 1}}}$")
TOKEN_PREFIXES = ("c-", "l-", "n-")  # a code must not look like a deep-link token
EXAMPLE_PREFIX = "example-"  # the shipped campaigns.yaml holds examples only, to be replaced before printing


def utc_today() -> date:
    """Today's date in UTC (the day analytics count in)."""
    return datetime.now(UTC).date()


@dataclass(frozen=True, slots=True)
class Campaign:
    """One partner's link or poster: its code, who runs it, where and in which language it lands, when it counts."""

    code: str
    partner: str
    locale: str
    landing: str | None = None  # a node id; None means the home menu
    active_from: date | None = None  # inclusive, UTC day; None means open-ended
    active_until: date | None = None  # inclusive, UTC day; None means open-ended
    note: str = ""
    marks: Mapping[str, Mark] = field(default_factory=dict, compare=False, repr=False)

    def active_on(self, day: date) -> bool:
        """True when arrivals on `day` (UTC) are attributed to this campaign."""
        if self.active_from is not None and day < self.active_from:
            return False
        return self.active_until is None or day <= self.active_until

    def ended_before(self, day: date) -> bool:
        """True when the campaign's last counted day lies before `day`: new arrivals are no longer counted."""
        return self.active_until is not None and self.active_until < day

    @property
    def is_example(self) -> bool:
        """True for the shipped example codes (`example-...`), which staff are to replace with their own."""
        return self.code.startswith(EXAMPLE_PREFIX)


@dataclass(frozen=True, slots=True)
class Campaigns:
    """Every campaign of the content, in file order, indexed by code.

    `flawed` holds the entries that had an error, as far as they could be read: never looked up, kept only so
    that the checks needing the whole content (locale, landing page, end date) report their problems too.
    """

    items: tuple[Campaign, ...] = ()
    by_code: Mapping[str, Campaign] = field(default_factory=lambda: MappingProxyType({}))
    flawed: tuple[Campaign, ...] = ()

    @classmethod
    def build(cls, items: list[Campaign], flawed: list[Campaign] | None = None) -> Campaigns:
        """Index campaigns by code (the first one wins; duplicates are reported by the parser)."""
        index: dict[str, Campaign] = {}
        for item in items:
            index.setdefault(item.code, item)
        return cls(tuple(items), MappingProxyType(index), tuple(flawed or ()))

    def get(self, code: str) -> Campaign | None:
        """The campaign with this code (codes are lowercase; a typed link in capitals still matches)."""
        return self.by_code.get(code.lower())


def campaigns_of(content: Content) -> Campaigns:
    """The campaigns of a content set (none when it has no campaigns.yaml)."""
    found = content.documents.get(NAME)
    return found if isinstance(found, Campaigns) else Campaigns()


def is_known(content: Content, code: str) -> bool:
    """True when `code` is a campaign of this content set (active or not)."""
    return bool(code) and campaigns_of(content).get(code) is not None
