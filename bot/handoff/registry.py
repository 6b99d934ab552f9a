"""The handoff document type; registered by bot.features."""

from __future__ import annotations

from bot.content.types import DocumentType
from bot.handoff import document
from bot.handoff.model import NAME

HANDOFF: DocumentType = DocumentType(
    NAME,
    "The NGO desk behind Talk to a person and anonymous reports: who reads, the time zone and opening hours.",
    document.parse_desk,
    document.check_desk,
    document.SCHEMA,
)
