"""Fixtures that run the real bot Application against the Bot API emulator, with updates delivered in process.

`await user.send("/start")` returns once the bot has finished with the update, so tests never sleep.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from telegram import Update

from bot.app import BotApplication, build_application, set_commands
from bot.bootstrap import open_services
from bot.config import PROJECT_ROOT, Settings
from bot.emulator import Emulator, SimulatedUser
from bot.services import Services

SHIPPED_CONTENT = PROJECT_ROOT / "content"
SHIPPED_LOCALES = PROJECT_ROOT / "locales"


@dataclass
class Harness:
    """A running emulator, the bot's services and its Application wired together."""

    emu: Emulator
    app: BotApplication
    services: Services

    def user(self, user_id: int, name: str = "Test", language_code: str | None = "en") -> SimulatedUser:
        """A simulated Telegram user."""
        return self.emu.user(user_id, name, language_code=language_code)


@asynccontextmanager
async def running_bot(
    tmp_path: Path,
    *,
    content_dir: Path = SHIPPED_CONTENT,
    db_url: str | None = None,
    settings: Settings | None = None,
    **overrides: Any,
) -> AsyncIterator[Harness]:
    """Start emulator, services and Application; stop them all afterwards."""
    base = settings or Settings()
    settings = dataclasses.replace(
        base,
        content_dir=content_dir,
        locales_dir=overrides.pop("locales_dir", SHIPPED_LOCALES),
        data_dir=tmp_path / "data",
        database_url=db_url or f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}",
        user_key_secret="test-secret",
        analytics_flush_seconds=3600,
        **overrides,
    )
    async with Emulator() as emu, open_services(settings) as services:
        app = build_application(services, token=emu.token, base_url=emu.url, rate_limit=False)

        async def deliver(update: dict[str, Any]) -> None:
            await app.process_update(Update.de_json(update, app.bot))

        emu.deliver_to(deliver)
        async with app:
            await set_commands(app)
            yield Harness(emu, app, services)


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    """The bot on the shipped content and an SQLite database."""
    async with running_bot(tmp_path) as running:
        yield running


@pytest.fixture
async def harness_db(tmp_path: Path, db_url: str) -> AsyncIterator[Harness]:
    """The bot on the shipped content, once on SQLite and once on PostgreSQL."""
    async with running_bot(tmp_path, db_url=db_url) as running:
        yield running
