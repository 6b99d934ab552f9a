"""User-interface text from gettext catalogs, and choosing a user's language.

Catalogs live in `locales/<locale>/LC_MESSAGES/messages.po`; msgids are symbolic keys
(`button.back`) and the English catalog holds the English text. Catalogs are read once with
Babel at start; lookups walk the same fallback chain as the content, so UI and content
always speak the same language (Dari falls back to English, never to Iranian Persian).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.messages.pofile import PoFileError, read_po

log = logging.getLogger(__name__)

CATALOG = "messages.po"
# Telegram language codes that name a locale we ship under another code.
ALIASES = {"tl": "fil", "prs": "fa_AF", "bur": "my", "in": "id"}
RLM = "\u200f"


class CatalogError(Exception):
    """A catalog cannot be read; the message names the file and line."""


@dataclass(frozen=True, slots=True)
class UI:
    """The interface text of one locale, with its fallbacks."""

    locale: str
    chain: tuple[Mapping[str, str], ...]
    rtl: bool

    def t(self, key: str, **values: Any) -> str:
        """The text for `key` in this locale (or the first fallback that has it), formatted with `values`."""
        for messages in self.chain:
            text = messages.get(key)
            if text:
                return text.format(**values) if values else text
        log.warning("missing UI string %s", key)
        return key

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
    _uis: dict[str, UI] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def load(cls, directory: Path, chains: Mapping[str, tuple[str, ...]], default_locale: str) -> Catalogs:
        """Read the catalog of every locale in `chains` from `directory`."""
        messages: dict[str, Mapping[str, str]] = {}
        for locale in chains:
            path = directory / locale / "LC_MESSAGES" / CATALOG
            if not path.is_file():
                continue
            try:
                with path.open("rb") as handle:
                    catalog = read_po(handle, locale=None, abort_invalid=True)
            except (PoFileError, OSError, ValueError) as exc:
                raise CatalogError(f"{path}: {exc}") from None
            messages[locale] = MappingProxyType(
                {
                    str(message.id): str(message.string)
                    for message in catalog
                    if message.id and message.string and not message.fuzzy and isinstance(message.string, str)
                }
            )
        if default_locale not in messages:
            missing = directory / default_locale / "LC_MESSAGES" / CATALOG
            raise CatalogError(f"{missing}: the default catalog is missing")
        return cls(MappingProxyType(messages), chains, default_locale)

    def ui(self, locale: str) -> UI:
        """The interface text of `locale` (built once per locale)."""
        found = self._uis.get(locale)
        if found is None:
            chain = self.chains.get(locale, (self.default_locale,))
            found = UI(locale, tuple(self.messages[c] for c in chain if c in self.messages), is_rtl(locale))
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
