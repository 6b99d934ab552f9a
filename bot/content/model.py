"""The immutable content model: nodes (structure, from the default locale) and their texts per locale."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

ROOT_ID = ""  # the home menu; shown to staff as "(home)"


class Purpose(StrEnum):
    """What a helpline is for; pages name the purposes that fit them."""

    TRAFFICKING = "trafficking"
    MIGRANT_WORKER_COMPLAINTS = "migrant-worker-complaints"
    LABOUR_RIGHTS = "labour-rights"
    EMERGENCY = "emergency"
    CONSULAR = "consular"
    COUNSELLING = "counselling"


@dataclass(frozen=True, slots=True)
class Source:
    """Where the facts of a page come from, shown to users under Sources."""

    title: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Media:
    """A picture or a voice note attached to a node, for readers with low literacy."""

    kind: str  # "photo" or "voice"
    path: str  # relative to the content directory


@dataclass(frozen=True, slots=True)
class TranslationInfo:
    """What a translation says about itself: which source text it was made from, and by whom."""

    source: str | None
    machine: bool
    reviewed: bool


class TextState(StrEnum):
    """How a locale's text of a node stands against the default locale."""

    SOURCE = "source"  # the default locale itself
    CURRENT = "current"
    OUTDATED = "outdated"  # the source text changed since it was translated


@dataclass(frozen=True, slots=True)
class NodeText:
    """The text of one node in one locale, rendered once at load time."""

    locale: str
    title: str
    parts: tuple[str, ...]  # Telegram HTML, one string per message part (intro of a menu, body of a page)
    plain: str  # visible text of title and body, for search
    keywords: tuple[str, ...]
    state: TextState
    translation: TranslationInfo | None
    extra: Any = None  # type-specific localized data (quiz questions ...)

    @property
    def machine_unreviewed(self) -> bool:
        """True for a machine translation that no native speaker has reviewed yet."""
        return self.translation is not None and self.translation.machine and not self.translation.reviewed


@dataclass(frozen=True, slots=True)
class Node:
    """One menu, page, link (or other type) of the content; structure only, no text."""

    id: str
    key: str
    type: str
    parent: str | None
    children: tuple[str, ...]
    file: str  # the default locale's file, relative to the content directory
    target: str | None = None
    help: tuple[str, ...] = ()
    media: Media | None = None
    sources: tuple[Source, ...] = ()
    extra: Any = None  # type-specific structure (quiz weights ...)
    audience: str = ""  # set on a menu for professionals (officers), inherited by everything in it
    subscribe: str = ""  # a topic id of topics.yaml: the screen has a button to start or stop its follow-ups

    @property
    def is_menu(self) -> bool:
        """True for a folder node, whose children are buttons."""
        return self.type == "menu"


@dataclass(frozen=True, slots=True)
class Content:
    """Everything the bot says, loaded once, frozen and indexed for O(1) lookups."""

    directory: Path
    default_locale: str
    locales: tuple[str, ...]
    chains: Mapping[str, tuple[str, ...]]  # locale -> itself, its fallbacks, then the default locale
    nodes: Mapping[str, Node]
    keys: Mapping[str, str]  # short key -> node id
    texts: Mapping[str, Mapping[str, NodeText]]  # locale -> node id -> text written in that locale
    documents: Mapping[str, Any]  # top-level documents (helplines, campaigns ...) by file stem
    version: str  # fingerprint of the whole content set
    digits: Mapping[str, str] = field(default_factory=dict)  # locale -> digit style (bot.numbers), bot.yaml

    @property
    def root(self) -> Node:
        """The home menu."""
        return self.nodes[ROOT_ID]

    def node(self, node_id: str) -> Node | None:
        """The node with this id, or None."""
        return self.nodes.get(node_id)

    def by_key(self, key: str) -> Node | None:
        """The node with this short key, or None."""
        node_id = self.keys.get(key)
        return None if node_id is None else self.nodes[node_id]

    def chain(self, locale: str) -> tuple[str, ...]:
        """The locales to try for `locale`, best first."""
        return self.chains.get(locale, (self.default_locale,))

    def text(self, node_id: str, locale: str) -> NodeText:
        """The text of a node in `locale`, or in the first fallback that has it."""
        for candidate in self.chain(locale):
            found = self.texts.get(candidate, {}).get(node_id)
            if found is not None:
                return found
        return self.texts[self.default_locale][node_id]

    def parents(self, node_id: str) -> tuple[Node, ...]:
        """The ancestors of a node, nearest first."""
        found: list[Node] = []
        parent = self.nodes[node_id].parent
        while parent is not None:
            found.append(self.nodes[parent])
            parent = self.nodes[parent].parent
        return tuple(found)
