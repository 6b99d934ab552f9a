"""The helpline document types; registered by bot.features."""

from __future__ import annotations

from bot.content.types import DocumentType
from bot.helplines import document, likely, words

HELPLINES: DocumentType = DocumentType(
    document.NAME,
    "The helpline directory: lines per country and purpose, with sources; emergency numbers per country.",
    document.parse_helplines,
    document.check_helplines,
    document.SCHEMA,
)
EMERGENCY_WORDS: DocumentType = DocumentType(
    words.NAME,
    "Words that mean 'I need help now', per locale; a message containing one is answered with helplines first.",
    words.parse_emergency_words,
    words.check_emergency_words,
    words.SCHEMA,
)
LIKELY_COUNTRIES: DocumentType = DocumentType(
    likely.NAME,
    "Per locale, the countries its speakers are most likely in: the first emergency answer shows their numbers.",
    likely.parse_likely_countries,
    likely.check_likely_countries,
    likely.SCHEMA,
)
