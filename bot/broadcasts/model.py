"""Topics and broadcasts as frozen data, as the content defines them."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from bot.content.diagnostics import Mark

if TYPE_CHECKING:
    from bot.content.model import Content

TOPICS = "topics"  # content/topics.yaml
BROADCASTS = "broadcasts"  # content/broadcasts/<name>.yaml
TOPIC_MAX = 24  # a topic id travels in the 64-byte callback data of its buttons
TOPIC_RE = re.compile(rf"^[a-z0-9][a-z0-9-]{{0,{TOPIC_MAX - 1}}}$")
MESSAGE_MAX = 4096  # Telegram's limit for one message, in UTF-16 units after entity parsing


def _pick(texts: Mapping[str, str], chain: Sequence[str]) -> tuple[str, str]:
    """The first locale of `chain` that has a text, and that text (the default locale always has one)."""
    for locale in chain:
        found = texts.get(locale)
        if found:
            return locale, found
    locale = next(iter(texts))
    return locale, texts[locale]


@dataclass(frozen=True, slots=True)
class Topic:
    """Something people can subscribe to: its id and its title per locale."""

    id: str
    titles: Mapping[str, str]
    machine: tuple[str, ...] = ()
    marks: Mapping[str, Mark] = field(default_factory=dict, compare=False, repr=False)

    def title(self, chain: Sequence[str]) -> str:
        """The title in the first language of `chain` that has one."""
        return _pick(self.titles, chain)[1]


@dataclass(frozen=True, slots=True)
class Topics:
    """Every topic of topics.yaml, in file order."""

    items: tuple[Topic, ...] = ()

    def get(self, topic_id: str) -> Topic | None:
        """The topic with this id, or None."""
        return next((topic for topic in self.items if topic.id == topic_id), None)

    @property
    def ids(self) -> tuple[str, ...]:
        """The topic ids in file order."""
        return tuple(topic.id for topic in self.items)


@dataclass(frozen=True, slots=True)
class Broadcast:
    """One follow-up message to a topic's subscribers: Telegram HTML per locale, an optional page button and dates."""

    name: str
    topic: str
    texts: Mapping[str, str]  # locale -> Telegram HTML
    button: str | None = None  # a node id opened by a button under the message
    send_at: datetime | None = None  # scheduled: the running bot starts it at this time (UTC)
    expires: datetime | None = None  # nothing is sent from this time on, even on resume
    machine: tuple[str, ...] = ()
    marks: Mapping[str, Mark] = field(default_factory=dict, compare=False, repr=False)

    def text(self, chain: Sequence[str]) -> tuple[str, str]:
        """(locale, HTML) in the first language of `chain` that has a text."""
        return _pick(self.texts, chain)

    def expired(self, now: datetime) -> bool:
        """True once the broadcast must no longer be sent."""
        return self.expires is not None and now >= self.expires

    def due(self, now: datetime) -> bool:
        """True when a scheduled broadcast should be running now."""
        return self.send_at is not None and self.send_at <= now and not self.expired(now)


def topics_of(content: Content) -> Topics:
    """The content's topics (none when it has no topics.yaml)."""
    found: Any = content.documents.get(TOPICS)
    return found if isinstance(found, Topics) else Topics()


def broadcasts_of(content: Content) -> Mapping[str, Broadcast]:
    """The content's broadcasts by name (none when it has no broadcasts/ folder)."""
    found: Any = content.documents.get(BROADCASTS)
    return found if isinstance(found, Mapping) else MappingProxyType({})
