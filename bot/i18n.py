"""User-interface text from gettext catalogs, and choosing a user's language.

Catalogs live in `locales/<locale>/LC_MESSAGES/messages.po`; msgids are symbolic keys
(`button.back`) and the English catalog holds the English text. Catalogs are read once with
Babel at start; lookups walk the same fallback chain as the content, so UI and content
always speak the same language (Dari falls back to English, never to Iranian Persian).

Reading and checking the .po files is `bot.catalogs`: a broken entry never reaches this module (users
see the next fallback, in the end English).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError

from bot.catalogs import CatalogError, CatalogProblem, catalog_path, read_catalogs
from bot.content.diagnostics import Severity
from bot.numbers import localize_digits

__all__ = ["UI", "CatalogError", "CatalogProblem", "Catalogs", "is_rtl", "native_name", "negotiate"]

log = logging.getLogger(__name__)

# Telegram language codes that name a locale we ship under another code.
ALIASES = {"tl": "fil", "prs": "fa_AF", "bur": "my", "in": "id"}
RLM = "\u200f"

_FORMAT_ERRORS = (ValueError, KeyError, IndexError, AttributeError, TypeError)


@dataclass(frozen=True, slots=True)
class UI:
    """The interface text of one locale, with its fallbacks."""

    locale: str
    chain: tuple[Mapping[str, str], ...]
    rtl: bool
    chain_locales: tuple[str, ...] = ()  # the locale of each link of `chain`, for log lines
    digits: str = "latin"  # the digit style of every number but phone numbers (bot.numbers, bot.yaml)

    def t(self, key: str, **values: Any) -> str:
        """The text for `key` in this locale (or the first fallback that has it), formatted with `values`.

        Never raises: a text that cannot be formatted is logged (locale and key, never the values) and the
        next fallback is used; when none can be, the key itself is returned."""
        found = False
        if values:  # counts and page numbers in the locale's digits (phone numbers come in as text)
            values = {k: self.number(v) if type(v) is int else v for k, v in values.items()}
        for index, messages in enumerate(self.chain):
            text = messages.get(key)
            if not text:
                continue
            if not values:
                return text
            found = True
            try:
                return text.format(**values)
            except _FORMAT_ERRORS as exc:
                where = self.chain_locales[index] if index < len(self.chain_locales) else self.locale
                log.warning(
                    "UI string %s in %s cannot be formatted (%s) for a %s user; using the next fallback",
                    key,
                    where,
                    type(exc).__name__,
                    self.locale,
                )
        if found:
            log.warning("UI string %s cannot be formatted in any fallback of %s; showing the key", key, self.locale)
        else:
            log.warning("missing UI string %s", key)
        return key

    def number(self, value: int) -> str:
        """An integer in the locale's digit style (never a phone number: see bot.numbers.phone)."""
        return localize_digits(str(value), self.digits)

    def direction(self, text: str) -> str:
        """Mark every line right-to-left for RTL locales so bullets and numbers sit on the right side."""
        if not self.rtl:
            return text
        return "\n".join(RLM + line if line else line for line in text.split("\n"))


@dataclass(frozen=True, slots=True)
class Catalogs:
    """Every locale's UI messages, read once."""

    messages: Mapping[str, Mapping[str, str]]
    chains: Mapping[str, tuple[str, ...]]
    default_locale: str
    problems: tuple[CatalogProblem, ...] = ()
    digits: Mapping[str, str] = field(default_factory=dict)  # locale -> digit style (bot.yaml)
    _uis: dict[str, UI] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def load(
        cls,
        directory: Path,
        chains: Mapping[str, tuple[str, ...]],
        default_locale: str,
        digits: Mapping[str, str] | None = None,
    ) -> Catalogs:
        """Read the catalog of every locale in `chains` from `directory`. Broken entries are dropped and kept
        in `problems` (and logged); CatalogError when a file cannot be parsed or English is missing."""
        read = read_catalogs(directory, chains, default_locale)
        if read.unreadable:
            problem = read.unreadable[0]
            raise CatalogError(str(problem))
        english = catalog_path(directory, default_locale).as_posix()
        if default_locale not in read.messages:
            raise CatalogError(f"{english}: the default catalog is missing")
        broken = [p for p in read.problems if p.severity is Severity.ERROR and p.path == english]
        if broken:  # a dropped English text has no fallback: users would see its key
            raise CatalogError(str(broken[0]))
        for problem in read.problems:
            if problem.severity is Severity.ERROR:
                log.warning("%s", problem)
        return cls(read.messages, chains, default_locale, read.problems, dict(digits or {}))

    def ui(self, locale: str) -> UI:
        """The interface text of `locale` (built once per locale)."""
        found = self._uis.get(locale)
        if found is None:
            chain = tuple(c for c in self.chains.get(locale, (self.default_locale,)) if c in self.messages)
            digits = self.digits.get(locale, "latin")
            found = UI(locale, tuple(self.messages[c] for c in chain), is_rtl(locale), chain, digits)
            if locale in self.chains:
                self._uis[locale] = found
        return found


@functools.cache
def is_rtl(locale: str) -> bool:
    """True for right-to-left locales such as Dari and Urdu."""
    try:
        return Locale.parse(locale).character_order == "right-to-left"
    except (UnknownLocaleError, ValueError):
        return False


def native_name(locale: str) -> str:
    """The name of a language in that language (Dari: دری), for the language menu."""
    parsed = Locale.parse(locale)
    name = parsed.languages.get(str(parsed)) or parsed.display_name or locale
    return name[:1].upper() + name[1:]


def negotiate(language_code: str | None, available: Sequence[str], default: str) -> str:
    """Pick the best available locale for a Telegram IETF `language_code` such as 'pt-br' or 'fa'."""
    if not language_code:
        return default
    code = language_code.strip().replace("-", "_")
    code = ALIASES.get(code.lower(), code)
    try:
        wanted = Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return default
    by_name = {name.lower(): name for name in available}
    exact = by_name.get(str(wanted).lower())
    if exact:
        return exact
    for name in available:
        try:
            if Locale.parse(name).language == wanted.language:
                return name
        except (UnknownLocaleError, ValueError):
            continue
    return default
