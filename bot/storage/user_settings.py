"""What the bot keeps about one user: preferences only, keyed by the pseudonymous user key."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

_COUNTRY = re.compile(r"^[A-Z]{2}$")
_LOCALE = re.compile(r"^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})*$")
_CAMPAIGN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@dataclass(frozen=True, slots=True)
class UserSettings:
    """One user's stored settings; nothing else about a user is kept."""

    locale: str | None = None
    country: str | None = None
    home_country: str | None = None
    home_country_asked: bool = False
    campaign: str | None = None
    blocked: bool = False
    updated_at: datetime | None = None


CHANGEABLE = frozenset(f.name for f in fields(UserSettings)) - {"updated_at"}


def _country(name: str, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _COUNTRY.match(value.upper()):
        raise ValueError(f"{name} must be an ISO 3166 alpha-2 code, got {value!r}")
    return value.upper()


def _pattern(name: str, value: Any, pattern: re.Pattern[str]) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not pattern.match(value):
        raise ValueError(f"{name} is malformed: {value!r}")
    return value


def _flag(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be a bool, got {type(value).__name__}")
    return value


def validate_changes(changes: Mapping[str, Any]) -> dict[str, Any]:
    """Check and normalize the columns of an update; unknown names raise TypeError."""
    unknown = set(changes) - CHANGEABLE
    if unknown:
        raise TypeError(f"unknown user settings: {', '.join(sorted(unknown))}")
    clean: dict[str, Any] = {}
    for name, value in changes.items():
        if name in {"country", "home_country"}:
            clean[name] = _country(name, value)
        elif name == "locale":
            clean[name] = _pattern(name, value, _LOCALE)
        elif name == "campaign":
            clean[name] = _pattern(name, value, _CAMPAIGN)
        else:
            clean[name] = _flag(name, value)
    return clean
