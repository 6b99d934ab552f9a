"""emergency-words.yaml: per-locale words that mean "I need help now", and matching them in a message."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from bot.catalogs import CatalogProblem, catalog_path, read_catalogs
from bot.content.diagnostics import Mark, Report, Severity
from bot.content.model import Content
from bot.content.yamlio import YamlList, YamlMap
from bot.search.text import normalize, segment

if TYPE_CHECKING:
    from bot.content.types import LoadContext

NAME = "emergency-words"
GET_HELP_KEY = "button.get_help"  # the interface text whose key word must bring the emergency answer
LOCALE_KEYS = {"words", "common", "machine", "reviewed"}


@dataclass(frozen=True, slots=True)
class Phrase:
    """One emergency word or phrase, normalised for matching."""

    text: str  # as written in the content
    words: tuple[str, ...]  # word tokens, matched as a contiguous sequence
    joined: str  # for scripts without spaces: the normalised phrase without spaces, matched as a substring
    common: bool = False  # also usual in ordinary questions ("help me choose an agency"): search results follow


@dataclass(frozen=True, slots=True)
class EmergencyWords:
    """Every locale's emergency phrases; a message matches if it contains any of them, in any locale."""

    phrases: Mapping[str, tuple[Phrase, ...]]  # locale -> phrases
    machine: Mapping[str, bool]  # locale -> written by machine translation and not reviewed

    def match(self, text: str) -> Phrase | None:
        """The phrase found in `text` (already normalised or not), else None; a clear call for help ("they took my
        passport") wins over a common word ("help") found in the same text."""
        normalized = normalize(text)
        segments = segment(normalized)
        squeezed = "".join(normalized.split())
        words = segments.words
        common: Phrase | None = None
        for phrases in self.phrases.values():
            for phrase in phrases:
                found = phrase.joined in squeezed if phrase.joined else _contains(words, phrase.words)
                if found and not phrase.common:
                    return phrase
                if found and common is None:
                    common = phrase
        return common


def _contains(words: tuple[str, ...], wanted: tuple[str, ...]) -> bool:
    size = len(wanted)
    if not size or size > len(words):
        return False
    first = wanted[0]
    return any(words[i] == first and words[i : i + size] == wanted for i in range(len(words) - size + 1))


def make_phrase(text: str, *, common: bool = False) -> Phrase | None:
    """Normalise one phrase; None when nothing matchable is left."""
    normalized = normalize(text)
    segments = segment(normalized)
    if segments.runs:
        return Phrase(text, (), "".join(normalized.split()), common)
    if segments.words:
        return Phrase(text, segments.words, "", common)
    return None


def parse_emergency_words(data: YamlMap, ctx: LoadContext) -> EmergencyWords:
    """Parse emergency-words.yaml: {locale: {words: [...], common: [...], machine: true}}."""
    report = ctx.report
    phrases: dict[str, tuple[Phrase, ...]] = {}
    machine: dict[str, bool] = {}
    for locale, entry in data.items():
        if not isinstance(entry, YamlMap):
            report.error(data.value_mark(locale), "wrong-type", "each locale maps to {words: [...], machine: ...}")
            continue
        for key in entry:
            if key not in LOCALE_KEYS:
                report.error(entry.key_mark(key), "unknown-key", f"unknown key {key!r}; use words, machine, reviewed")
        words = entry.get("words")
        if not isinstance(words, YamlList) or not words:
            report.error(entry.value_mark("words"), "missing-field", f"{locale}: words must be a non-empty list")
            continue
        found: list[Phrase] = []
        lists = [(words, False)]
        common = entry.get("common")
        if isinstance(common, YamlList):
            lists.append((common, True))
        elif common is not None:
            report.error(entry.value_mark("common"), "wrong-type", f"{locale}: common must be a list of words")
        for items, is_common in lists:
            for item, pos in zip(items, items.item_marks, strict=True):
                phrase = make_phrase(item, common=is_common) if isinstance(item, str) else None
                if phrase is None:
                    report.error(pos.mark, "wrong-type", f"{item!r} is not a word or phrase")
                else:
                    found.append(phrase)
        phrases[locale] = tuple(found)
        machine[locale] = bool(entry.get("machine", False)) and not bool(entry.get("reviewed", False))
    return EmergencyWords(MappingProxyType(phrases), MappingProxyType(machine))


def check_emergency_words(content: Content, words: EmergencyWords, report: Report) -> None:
    """Every enabled locale needs its own emergency words; say which are unreviewed machine translations."""
    rel = f"{NAME}.yaml"
    for locale in content.locales:
        if locale not in words.phrases:
            report.warning(
                Mark(rel), "missing-emergency-words", f"{locale} has no emergency words: add {locale}: words"
            )
    for locale in words.phrases:
        if locale not in content.locales:
            report.warning(Mark(rel), "locale-disabled", f"{locale} is not an enabled locale; its words still match")
    unreviewed = sorted(locale for locale, machine in words.machine.items() if machine)
    if unreviewed:
        report.warning(
            Mark(rel),
            "unreviewed-translation",
            f"emergency words of {', '.join(unreviewed)} are machine translations not yet reviewed by a native speaker",
        )


def brought_by_a_word_of(words: EmergencyWords, label: str) -> bool:
    """True when some single word of `label` (a run of a script written without spaces counts as one), typed
    alone, brings the emergency answer."""
    segments = segment(normalize(label))
    return any(words.match(token) is not None for token in (*segments.words, *segments.runs))


def check_help_labels(directory: Path, content: Content | None) -> list[CatalogProblem]:
    """A warning for each locale whose own Get help button has no word that brings the emergency answer: a
    person who types the word they just read on the button must get the numbers."""
    if content is None:
        return []
    words = content.documents.get(NAME)
    if not isinstance(words, EmergencyWords):
        return []
    catalogs = read_catalogs(directory, content.locales, content.default_locale)
    problems: list[CatalogProblem] = []
    for locale in content.locales:
        label = catalogs.messages.get(locale, {}).get(GET_HELP_KEY)
        if label and not brought_by_a_word_of(words, label):
            problems.append(
                CatalogProblem(
                    catalog_path(directory, locale).as_posix(),
                    0,
                    Severity.WARNING,
                    "help-label-not-emergency",
                    f"{GET_HELP_KEY}: no word of {label!r}, typed alone, brings the emergency answer; add its key "
                    f"word to {locale}: common in {NAME}.yaml",
                )
            )
    return problems


SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": {
        "type": "object",
        "required": ["words"],
        "properties": {
            "words": {"type": "array", "items": {"type": "string"}, "minItems": 1},
            "common": {
                "type": "array",
                "items": {"type": "string"},
                "description": "emergency words also usual in ordinary questions: the pages found follow the help",
            },
            "machine": {"type": "boolean"},
            "reviewed": {"type": "boolean"},
        },
        "additionalProperties": False,
    },
}
