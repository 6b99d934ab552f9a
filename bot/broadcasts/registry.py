"""The topics and broadcasts document types; registered by bot.features."""

from __future__ import annotations

from bot.broadcasts import document
from bot.broadcasts.model import BROADCASTS as BROADCASTS_NAME
from bot.broadcasts.model import TOPICS as TOPICS_NAME
from bot.content.types import DocumentType

TOPICS: DocumentType = DocumentType(
    TOPICS_NAME,
    "Topics people can subscribe to for follow-ups (opt-in), with their title per locale.",
    document.parse_topics,
    document.check_topics,
    document.TOPICS_SCHEMA,
)
BROADCASTS: DocumentType = DocumentType(
    BROADCASTS_NAME,
    "A follow-up to a topic's subscribers: its text per locale, an optional page button, schedule and expiry.",
    document.parse_broadcast,
    document.check_broadcasts,
    document.BROADCAST_SCHEMA,
    folder=True,
)
