"""The helpline directory as frozen data: entries, their contacts, emergency numbers and lookups."""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from types import MappingProxyType

from bot.content.diagnostics import Mark
from bot.content.model import Purpose

# One letter per purpose, so a Get help button can carry a page's purposes in its 64 bytes.
PURPOSE_CODES: Mapping[Purpose, str] = MappingProxyType(
    {
        Purpose.TRAFFICKING: "t",
        Purpose.MIGRANT_WORKER_COMPLAINTS: "m",
        Purpose.LABOUR_RIGHTS: "l",
        Purpose.EMERGENCY: "e",
        Purpose.CONSULAR: "c",
        Purpose.COUNSELLING: "s",
    }
)
_BY_CODE = {code: purpose for purpose, code in PURPOSE_CODES.items()}


def encode_purposes(purposes: Sequence[str]) -> str:
    """The letters of known purposes, in order, without repeats."""
    letters: list[str] = []
    for name in purposes:
        code = PURPOSE_CODES.get(Purpose(name)) if name in Purpose._value2member_map_ else None
        if code and code not in letters:
            letters.append(code)
    return "".join(letters)


def decode_purposes(letters: str) -> tuple[Purpose, ...]:
    """The purposes named by `letters`; unknown letters are ignored."""
    found: list[Purpose] = []
    for letter in letters:
        purpose = _BY_CODE.get(letter)
        if purpose is not None and purpose not in found:
            found.append(purpose)
    return tuple(found)


class Confidence(StrEnum):
    """How sure the source is: H official or well known, M reputable news or partly official, L secondhand."""

    HIGH = "H"
    MEDIUM = "M"
    LOW = "L"


class Serves(StrEnum):
    """Who a line is for."""

    IN_COUNTRY = "in-country"  # anyone in the country, whatever their nationality
    NATIONALS_ABROAD = "nationals-abroad"  # the country's citizens while they are abroad
    BOTH = "both"  # both of the above


class ContactKind(StrEnum):
    """How a line is reached."""

    PHONE = "phone"
    SHORT_CODE = "short_code"
    WHATSAPP = "whatsapp"
    EMAIL = "email"
    URL = "url"


class Reach(StrEnum):
    """From where a phone number can be dialled."""

    ANYWHERE = "anywhere"
    IN_COUNTRY = "in-country"
    FROM_ABROAD = "from-abroad"


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date as precise as the source gives it: a year, a month or a day."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def earliest(self) -> date:
        """The first day the date can mean (used for staleness: never younger than it may be)."""
        return date(self.year, self.month or 1, self.day or 1)

    @property
    def latest(self) -> date:
        """The last day the date can mean."""
        month = self.month or 12
        return date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    def __str__(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month:
            parts.append(f"{self.month:02d}")
            if self.day:
                parts.append(f"{self.day:02d}")
        return "-".join(parts)


@dataclass(frozen=True, slots=True)
class Contact:
    """One way to reach a line; `display` is what the user sees (digits Telegram makes tappable)."""

    kind: ContactKind
    value: str  # E.164 for validated phones, digits for short codes, the address or URL otherwise
    display: str
    reach: Reach = Reach.ANYWHERE
    label: Mapping[str, str] = field(default_factory=dict)  # locale -> short label ("from abroad")
    validated: bool = True  # False: shown as published because phonenumbers cannot check it (see note)
    note: str = ""


@dataclass(frozen=True, slots=True)
class Helpline:
    """One line of the directory with its provenance."""

    id: str
    country: str  # ISO 3166-1 alpha-2
    organisation: str
    name: Mapping[str, str]  # locale -> name; the default locale is required
    description: Mapping[str, str]
    purposes: tuple[Purpose, ...]
    contacts: tuple[Contact, ...]
    serves: Serves
    languages: tuple[str, ...]  # language codes served (Babel names them in the user's language)
    hours: str  # "24/7", or "07:30-21:00"
    timezone: str  # IANA zone of the hours
    source_title: str
    source_url: str
    source_date: PartialDate | None  # None: the source is undated (the note says so)
    verified_on: PartialDate
    confidence: Confidence
    note: str = ""  # for staff: doubts, inconsistencies, how it was checked
    line: int = 0  # where the entry starts in helplines.yaml

    def serves_in_country(self) -> bool:
        """True when anyone in the country may call."""
        return self.serves in (Serves.IN_COUNTRY, Serves.BOTH)

    def serves_abroad(self) -> bool:
        """True when the country's citizens abroad may call."""
        return self.serves in (Serves.NATIONALS_ABROAD, Serves.BOTH)


class EmergencyKind(StrEnum):
    """What stands in a country's emergency slot."""

    EMERGENCY = "emergency"  # the general emergency number
    POLICE = "police"  # no emergency number could be sourced: a sourced police line stands in its place


@dataclass(frozen=True, slots=True)
class OtherNumber:
    """A further number shown beside the emergency number (police 110 where 112 reaches only part of a country)."""

    number: str
    label: Mapping[str, str]  # locale -> what it is for, or where it works
    source_title: str = ""
    source_url: str = ""


@dataclass(frozen=True, slots=True)
class EmergencyNumber:
    """The general emergency number of a country (or the police line in its place), with its source."""

    country: str
    number: str
    source_title: str
    confidence: Confidence
    source_url: str = ""
    kind: EmergencyKind = EmergencyKind.EMERGENCY
    label: Mapping[str, str] = field(default_factory=dict)  # locale -> where the number works, when not everywhere
    also: tuple[OtherNumber, ...] = ()  # further numbers, in the order shown
    line_id: str = ""  # for kind police: the helpline entry the number comes from


@dataclass(frozen=True, slots=True)
class Directory:
    """Every helpline and emergency number, indexed by country."""

    helplines: tuple[Helpline, ...]
    emergency: Mapping[str, EmergencyNumber]
    by_country: Mapping[str, tuple[Helpline, ...]] = field(default_factory=dict)
    # locale -> its texts are machine translations that no native speaker has reviewed (translations:)
    machine_unreviewed: tuple[str, ...] = ()
    translation_marks: Mapping[str, Mark] = field(default_factory=dict)  # locale -> where translations: names it

    @classmethod
    def build(
        cls,
        helplines: Sequence[Helpline],
        emergency: Mapping[str, EmergencyNumber],
        machine_unreviewed: Sequence[str] = (),
        translation_marks: Mapping[str, Mark] | None = None,
    ) -> Directory:
        """Index the entries by country, keeping file order."""
        by_country: dict[str, list[Helpline]] = {}
        for entry in helplines:
            by_country.setdefault(entry.country, []).append(entry)
        return cls(
            tuple(helplines),
            MappingProxyType(dict(emergency)),
            MappingProxyType({code: tuple(entries) for code, entries in by_country.items()}),
            tuple(machine_unreviewed),
            MappingProxyType(dict(translation_marks or {})),
        )

    def countries(self, show_low: bool = False) -> tuple[str, ...]:
        """Countries with at least one line that may be shown, or an emergency number."""
        codes = {h.country for h in self.helplines if show_low or h.confidence is not Confidence.LOW}
        return tuple(sorted(codes | set(self.emergency)))

    def _visible(self, entries: Sequence[Helpline], show_low: bool) -> list[Helpline]:
        return [h for h in entries if show_low or h.confidence is not Confidence.LOW]

    def in_country(
        self, country: str, purposes: Sequence[Purpose] = (), *, show_low: bool = False
    ) -> tuple[Helpline, ...]:
        """The lines anyone in `country` can use, those fitting `purposes` first."""
        entries = [h for h in self._visible(self.by_country.get(country, ()), show_low) if h.serves_in_country()]
        return order_by_purpose(entries, purposes)

    def for_nationals_abroad(
        self, home: str, purposes: Sequence[Purpose] = (), *, show_low: bool = False
    ) -> tuple[Helpline, ...]:
        """The lines of `home` that serve its citizens abroad, those fitting `purposes` first."""
        entries = [h for h in self._visible(self.by_country.get(home, ()), show_low) if h.serves_abroad()]
        return order_by_purpose(entries, purposes)


_PURPOSE_ORDER = {purpose: index for index, purpose in enumerate(Purpose)}
_CONFIDENCE_ORDER = {Confidence.HIGH: 0, Confidence.MEDIUM: 1, Confidence.LOW: 2}


def order_by_purpose(entries: Sequence[Helpline], purposes: Sequence[Purpose]) -> tuple[Helpline, ...]:
    """Lines fitting the wanted purposes first (in their order), then by purpose, confidence and file order."""
    wanted = {purpose: index for index, purpose in enumerate(purposes)}

    def rank(item: tuple[int, Helpline]) -> tuple[int, int, int, int]:
        position, entry = item
        fits = [wanted[p] for p in entry.purposes if p in wanted]
        first = min(fits) if fits else len(wanted)
        general = min((_PURPOSE_ORDER[p] for p in entry.purposes), default=len(_PURPOSE_ORDER))
        return (first, general, _CONFIDENCE_ORDER[entry.confidence], position)

    return tuple(entry for _, entry in sorted(enumerate(entries), key=rank))
