"""The desk as the content describes it: who reads, and when the desk is open (hours in its time zone)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import get_day_names, get_timezone_location

from bot.numbers import hours_range

NAME = "handoff"  # content/handoff.yaml
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True, slots=True)
class DeskHours:
    """The organisation that answers, its time zone and opening hours per weekday (0 = Monday)."""

    organisation: str  # as named in English (or the one name given)
    timezone: str
    hours: Mapping[int, tuple[time, time]]
    names: Mapping[str, str] = field(default_factory=dict)  # locale -> the organisation's name in that language
    example: bool = False  # the shipped example values, not yet the partner NGO's (handoff.yaml `example: true`)

    def name(self, chain: Sequence[str]) -> str:
        """The organisation's name in the first language of `chain` that has one (content fallback chain)."""
        return next((self.names[locale] for locale in chain if locale in self.names), self.organisation)

    def is_open(self, now: datetime) -> bool:
        """True when `now` (aware) falls within the desk's hours, in the desk's time zone."""
        local = now.astimezone(ZoneInfo(self.timezone))
        span = self.hours.get(local.weekday())
        return span is not None and span[0] <= local.time().replace(tzinfo=None) < span[1]

    def describe(self, locale: str, digits: str = "latin") -> str:
        """The hours in the user's language and digits: consecutive days with the same hours grouped, each range
        one left-to-right piece (bot.numbers), then where the time is kept, named for people ("Thailand Time"),
        never a time-zone id."""
        try:
            babel_locale = Locale.parse(locale)
        except (ValueError, LookupError):
            babel_locale = Locale("en")
        names = get_day_names("abbreviated", locale=babel_locale)
        groups: list[tuple[int, int, tuple[time, time]]] = []
        for day in range(7):
            span = self.hours.get(day)
            if span is None:
                continue
            if groups and groups[-1][1] == day - 1 and groups[-1][2] == span:
                groups[-1] = (groups[-1][0], day, span)
            else:
                groups.append((day, day, span))
        parts = []
        for first, last, (opens, closes) in groups:
            days = names[first] if first == last else f"{names[first]}–{names[last]}"
            parts.append(f"{days} {hours_range(f'{opens:%H:%M}-{closes:%H:%M}', digits)}")
        try:
            zone = get_timezone_location(self.timezone, locale=babel_locale)
        except LookupError:
            zone = ""
        return f"{', '.join(parts)} ({zone})" if zone else ", ".join(parts)
