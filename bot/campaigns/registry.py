"""The campaigns document type; registered by bot.features."""

from __future__ import annotations

from bot.campaigns import document
from bot.campaigns.model import NAME
from bot.content.types import DocumentType

CAMPAIGNS: DocumentType = DocumentType(
    NAME,
    "NGO campaign codes: one per partner or poster, with its language, landing page and active dates.",
    document.parse_campaigns,
    document.check_campaigns,
    document.SCHEMA,
)
