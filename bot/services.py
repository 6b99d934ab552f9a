"""The bot's dependencies, typed, in one object that handlers reach through the context."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar, cast

from bot.config import Settings
from bot.content.model import Content
from bot.deeplinks import CampaignLookup, no_campaigns
from bot.handoff.state import HandoffState
from bot.i18n import UI, Catalogs
from bot.search.index import SearchIndex

T = TypeVar("T")

if TYPE_CHECKING:
    from bot.analytics.recorder import AnalyticsRecorder
    from bot.chat_trail import ChatTrail
    from bot.storage import Storage


SCREEN_CACHE_SIZE = 20_000


@dataclass(frozen=True, slots=True)
class Live:
    """A content set and the UI catalogs that go with it; swapped as one on reload, with its screen cache."""

    content: Content
    catalogs: Catalogs
    search: SearchIndex | None = None  # built with the content, in bootstrap.load_live
    screens: dict[Hashable, Any] = field(default_factory=dict, repr=False, compare=False)

    def ui(self, locale: str) -> UI:
        """The interface text of `locale`."""
        return self.catalogs.ui(locale)

    def cached(self, key: Hashable, build: Callable[[], T]) -> T:
        """A screen built once per content set (screens depend only on content, locale and the button)."""
        found = self.screens.get(key)
        if found is None:
            if len(self.screens) >= SCREEN_CACHE_SIZE:
                self.screens.clear()  # bounded: tampered buttons cannot grow it without limit
            found = self.screens[key] = build()
        return cast(T, found)


class LiveContent:
    """The one mutable swap point for hot reload: handlers read `.current` once per update."""

    def __init__(self, live: Live) -> None:
        self._live = live

    @property
    def current(self) -> Live:
        """The content serving now."""
        return self._live

    def replace(self, live: Live) -> None:
        """Serve `live` from the next update on (an atomic reference swap)."""
        self._live = live


@dataclass(frozen=True, slots=True)
class Services:
    """Everything a handler may use."""

    settings: Settings
    live: LiveContent
    storage: Storage
    user_secret: bytes
    analytics: AnalyticsRecorder | None = None
    campaigns: CampaignLookup = no_campaigns
    trail: ChatTrail | None = None  # message ids for "Clear this chat"
    handoff: HandoffState = field(default_factory=HandoffState)  # Talk to a person: in-memory state only


@dataclass(slots=True)
class BotData:
    """PTB's bot_data: holds the services, attached once by the application factory."""

    services: Services | None = field(default=None)
