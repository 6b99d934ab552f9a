"""The dimensions of an aggregate counter and of a unique-users sketch, and their validation."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.analytics.events import Event

_CAMPAIGN = re.compile(r"^[A-Za-z0-9_-]{0,64}$")
_LOCALE = re.compile(r"^([A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})*)?$")
_NODE = re.compile(r"^[A-Za-z0-9_./-]{0,255}$")
_DETAIL = re.compile(r"^[A-Za-z0-9_.:-]{0,64}$")


@dataclass(frozen=True, slots=True, order=True)
class CellKey:
    """One unique-users sketch: day (UTC) x campaign x locale."""

    day: date
    campaign: str
    locale: str


@dataclass(frozen=True, slots=True, order=True)
class CounterKey:
    """One aggregate counter: day (UTC) x campaign x locale x event x node x detail."""

    day: date
    campaign: str
    locale: str
    event: str
    node: str
    detail: str


def counter_key(
    day: date, event: Event, *, campaign: str | None, locale: str | None, node: str, detail: str
) -> CounterKey:
    """Build a counter key; labels must be codes (never user text), else ValueError."""
    if not isinstance(event, Event):
        raise ValueError(f"unknown analytics event {event!r}")
    checks = (
        ("campaign", campaign or "", _CAMPAIGN),
        ("locale", locale or "", _LOCALE),
        ("node", node, _NODE),
        ("detail", detail, _DETAIL),
    )
    for name, value, pattern in checks:
        if not pattern.match(value):
            raise ValueError(f"analytics {name} must be a short code, got {value[:20]!r}")
    return CounterKey(day, campaign or "", locale or "", event.value, node, detail)
