"""Texts per locale inside a top-level document (`text: {en: ..., fa_AF: ...}`): parse, check and pick.

Used by documents whose entries carry their own translations (cautions.yaml, licence-checks.yaml) instead of a
file per locale. The default locale's text is required; a missing translation is a warning, like a page's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

from bot.content.diagnostics import Mark, Report
from bot.content.model import Content
from bot.content.yamlio import YamlMap


def parse_texts(
    data: YamlMap, key: str, report: Report, default_locale: str, *, required: bool = True
) -> Mapping[str, str]:
    """`key: {locale: text}` as a mapping; reports a wrong shape, an empty text or a missing default text."""
    raw = data.get(key)
    if raw is None:
        if required:
            report.error(data.mark, "missing-field", f"{key} needs at least {{{default_locale}: ...}}")
        return MappingProxyType({})
    if not isinstance(raw, YamlMap):
        report.error(data.value_mark(key), "wrong-type", f"{key} maps locales to texts: {{{default_locale}: ...}}")
        return MappingProxyType({})
    found: dict[str, str] = {}
    for locale, text in raw.items():
        if not isinstance(text, str) or not text.strip():
            report.error(raw.value_mark(locale), "wrong-type", f"{key}.{locale} must be a text")
            continue
        found[str(locale)] = " ".join(text.split())
    if required and default_locale not in found:
        report.error(raw.mark, "missing-field", f"{key} has no {default_locale} text")
    return MappingProxyType(found)


def check_texts(content: Content, texts: Mapping[str, str], mark: Mark, what: str, report: Report) -> None:
    """A text in a locale the content lacks is an error; a locale without its own text is a warning."""
    for locale in texts:
        if locale not in content.locales:
            report.error(mark, "unknown-locale", f"{what}: {locale} is not a locale of the content (bot.yaml)")
    missing = [locale for locale in content.locales if locale not in texts]
    if texts and missing:
        report.warning(
            mark, "missing-translation", f"{what} is not translated into {', '.join(missing)}; they see a fallback"
        )


def pick(texts: Mapping[str, str], chain: Iterable[str]) -> str:
    """The text of the first locale along `chain` that has one, else any text, else ""."""
    for locale in chain:
        if locale in texts:
            return texts[locale]
    return next(iter(texts.values()), "")
