"""Open and close the bot's services (content, catalogs, storage, analytics) around a run."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from bot.analytics.recorder import AnalyticsRecorder
from bot.campaigns import campaign_lookup
from bot.chat_trail import ChatTrail
from bot.config import Settings
from bot.content.loader import LoadResult, load_content
from bot.features import install as install_features
from bot.i18n import CatalogError, Catalogs
from bot.search.index import SearchIndex
from bot.services import Live, LiveContent, Services
from bot.storage import Storage

log = logging.getLogger(__name__)


class StartupError(Exception):
    """The bot cannot start; the message is one line saying why."""


def load_live(content_dir: Path, locales_dir: Path) -> tuple[Live | None, LoadResult]:
    """Load content and its UI catalogs; None (with the diagnostics) when the content has errors."""
    install_features()
    result = load_content(content_dir)
    if result.content is None:
        return None, result
    content = result.content
    catalogs = Catalogs.load(locales_dir, content.chains, content.default_locale, content.digits)
    return Live(result.content, catalogs, search=SearchIndex.build(result.content)), result


def load_or_fail(settings: Settings) -> Live:
    """The content and catalogs, or a StartupError naming the first problem."""
    try:
        live, result = load_live(settings.content_dir, settings.locales_dir)
    except CatalogError as exc:
        raise StartupError(str(exc)) from None
    if live is None:
        errors = result.report.errors
        raise StartupError(
            f"the content in {settings.content_dir} has {len(errors)} error(s); first: {errors[0]} "
            f"(run `python -m bot check {settings.content_dir}`)"
        )
    return live


@asynccontextmanager
async def open_services(
    settings: Settings, *, analytics: bool = True, live: Live | None = None
) -> AsyncIterator[Services]:
    """Load content (unless the caller loaded it), open the database and the analytics recorder; close them
    all on exit."""
    if live is None:
        live = load_or_fail(settings)
    secret = settings.resolve_user_key_secret()
    try:
        storage = await Storage.open(settings.effective_database_url)
    except Exception as exc:  # noqa: BLE001 - any driver error becomes one clear startup line
        raise StartupError(f"cannot open the database: {type(exc).__name__}: {exc}") from None
    recorder = None
    if analytics:
        recorder = AnalyticsRecorder(
            storage,
            secret,
            flush_seconds=settings.analytics_flush_seconds,
            retention_days=settings.analytics_retention_days,
        )
        await recorder.start()
    trail = ChatTrail(storage, secret)
    await trail.start()
    try:
        yield Services(
            settings=settings,
            live=LiveContent(live),
            storage=storage,
            user_secret=secret,
            analytics=recorder,
            campaigns=campaign_lookup(),
            trail=trail,
        )
    finally:
        await trail.close()
        if recorder is not None:
            await recorder.close()
        await storage.close()
