"""likely-countries.yaml: per locale, the countries its speakers are most likely to be in when they ask for help.

The first answer to an emergency, before the user has said where they are, shows the emergency number and the
top line of these countries, best guess first (the usual destinations of the language's speakers, then their
home countries). The lists are content, written and reviewed by campaign staff, never guessed in code.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from bot.content.diagnostics import Mark, Report
from bot.content.model import Content
from bot.content.yamlio import YamlList, YamlMap

if TYPE_CHECKING:
    from bot.content.types import LoadContext

NAME = "likely-countries"
KEYS = {"destinations": "where speakers of the language usually go to work", "origins": "where they come from"}
_CODE = re.compile(r"^[A-Z]{2}$")


@dataclass(frozen=True, slots=True)
class LikelyCountries:
    """Locale -> ISO country codes, best guess first (destinations, then origins), and where each list is written."""

    by_locale: Mapping[str, tuple[str, ...]]
    origins: Mapping[str, tuple[str, ...]]
    marks: Mapping[str, Mark]

    def _owner(self, chain: tuple[str, ...]) -> str | None:
        return next((locale for locale in chain if self.by_locale.get(locale)), None)

    def for_locale(self, chain: tuple[str, ...]) -> tuple[str, ...]:
        """The list of the first locale along `chain` that has one; empty when none has."""
        owner = self._owner(chain)
        return self.by_locale[owner] if owner is not None else ()

    def origins_for(self, chain: tuple[str, ...]) -> frozenset[str]:
        """The origin countries of that same list."""
        owner = self._owner(chain)
        return frozenset(self.origins.get(owner, ())) if owner is not None else frozenset()


def _codes(entry: YamlMap, key: str, report: Report, locale: str) -> list[str]:
    value = entry.get(key)
    if value is None:
        return []
    if not isinstance(value, YamlList):
        report.error(entry.value_mark(key), "wrong-type", f"{locale}: {key} must be a list of codes like [MY, SA]")
        return []
    codes: list[str] = []
    for item, pos in zip(value, value.item_marks, strict=True):
        text = str(item).strip() if isinstance(item, str | int) else ""
        if not _CODE.match(text):
            hint = f" (did you mean {text.upper()!r}?)" if _CODE.match(text.upper()) else ""
            report.error(pos.mark, "bad-country", f"{locale}: {item!r} is not an ISO 3166 alpha-2 code{hint}")
        elif text in codes:
            report.warning(pos.mark, "duplicate-country", f"{locale}: {text} is listed twice")
        else:
            codes.append(text)
    return codes


def parse_likely_countries(data: YamlMap, ctx: LoadContext) -> LikelyCountries:
    """Parse {locale: {destinations: [...], origins: [...]}}."""
    report = ctx.report
    by_locale: dict[str, tuple[str, ...]] = {}
    origins: dict[str, tuple[str, ...]] = {}
    marks: dict[str, Mark] = {}
    for locale, entry in data.items():
        marks[locale] = data.key_mark(locale)
        if not isinstance(entry, YamlMap):
            shape = "{destinations: [...], origins: [...]}"
            report.error(data.value_mark(locale), "wrong-type", f"{locale} maps to {shape}")
            continue
        for key in entry:
            if key not in KEYS:
                report.error(entry.key_mark(key), "unknown-key", f"unknown key {key!r}; use destinations, origins")
        going = _codes(entry, "destinations", report, locale)
        home = [code for code in _codes(entry, "origins", report, locale) if code not in going]
        if not going and not home:
            report.error(entry.mark, "missing-field", f"{locale}: list at least one country under destinations")
            continue
        by_locale[locale] = (*going, *home)
        origins[locale] = tuple(home)
    return LikelyCountries(MappingProxyType(by_locale), MappingProxyType(origins), MappingProxyType(marks))


def check_likely_countries(content: Content, likely: LikelyCountries, report: Report) -> None:
    """Every locale needs a list, and every listed country something to show (an emergency number or a line)."""
    from bot.helplines.screens import country_names, directory_of  # lazy: the registry imports this module early

    rel = f"{NAME}.yaml"
    directory = directory_of(content)
    known = country_names("en")
    for locale in content.locales:
        if locale not in likely.by_locale:
            report.warning(
                Mark(rel),
                "missing-likely-countries",
                f"{locale} has no likely countries: its speakers' first emergency answer shows no number until they "
                f"pick a country; add {locale}: {{destinations: [...]}}",
            )
    for locale, codes in likely.by_locale.items():
        mark = likely.marks.get(locale, Mark(rel))
        if locale not in content.locales:
            report.warning(mark, "locale-disabled", f"{locale} is not an enabled locale; its list is not used")
        for code in codes:
            if code not in known:
                report.error(mark, "bad-country", f"{locale}: {code} is not a country Babel knows")
            elif code not in directory.emergency and not directory.in_country(code):
                report.warning(
                    mark,
                    "likely-country-without-lines",
                    f"{locale}: {code} has no emergency number and no shown helpline yet, so it is skipped in the "
                    "first answer",
                )


SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": {
        "type": "object",
        "properties": {
            key: {"type": "array", "items": {"type": "string", "pattern": "^[A-Z]{2}$"}, "description": text}
            for key, text in KEYS.items()
        },
        "additionalProperties": False,
    },
}
