"""Where to check that a recruitment agency is licensed, by country, as frozen data.

A country either has an official lookup (an address seen on an official page, or in the news: then it is shown
with that source and date), or only an authority that licenses agencies: then the reader is told to ask it, or
their embassy where that is safe, before paying anything. No address is ever written without a source.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from bot.content.diagnostics import Mark


class Role(StrEnum):
    """Whether the country sends workers (their own government licenses the agency) or receives them."""

    ORIGIN = "origin"
    DESTINATION = "destination"


@dataclass(frozen=True, slots=True)
class LicenceCheck:
    """One country: the authority, its lookup addresses (none: ask it), the lookup's grade and source."""

    country: str
    role: Role
    authority: Mapping[str, str]  # locale -> its name (proper names: English is fine where no other is known)
    lookup: tuple[str, ...] = ()  # https addresses, phone numbers, email addresses, as published
    confidence: str = ""  # H: seen on an official page; M: seen in news or state media (shown with its source)
    source_title: str = ""
    source_url: str = ""
    source_date: str = ""
    read_on: str = ""
    note: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))  # locale -> a country's own advice
    mark: Mark = field(default_factory=lambda: Mark("licence-checks.yaml"))


@dataclass(frozen=True, slots=True)
class LicenceChecks:
    """Every country's licence check, the page they are shown on and the texts they share."""

    page: str = ""
    checks: tuple[LicenceCheck, ...] = ()
    texts: Mapping[str, Mapping[str, str]] = field(default_factory=lambda: MappingProxyType({}))  # key -> locale
    machine_unreviewed: tuple[str, ...] = ()
    translation_marks: Mapping[str, Mark] = field(default_factory=lambda: MappingProxyType({}))

    def of(self, country: str) -> LicenceCheck | None:
        """The check of `country`, or None."""
        return next((check for check in self.checks if check.country == country), None)

    def countries(self) -> tuple[str, ...]:
        """Every country with a check, origins first, in file order."""
        first = [check.country for check in self.checks if check.role is Role.ORIGIN]
        return (*first, *(check.country for check in self.checks if check.role is not Role.ORIGIN))
