"""Fixtures for the runtime tests: the webhook server in process, against the emulator."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.app import build_application
from bot.bootstrap import open_services
from bot.config import PROJECT_ROOT, Settings
from bot.delivery import replaying_request
from bot.emulator import Emulator
from bot.services import Services
from bot.webhook import WebhookServer, serving
from tests.runtime.procs import HOOK_PATH, webhook_settings


def pytest_configure(config: pytest.Config) -> None:
    """Register the `slow` marker used by the image-build test."""
    config.addinivalue_line("markers", "slow: takes more than 30 s (still part of the default run)")


@dataclass
class WebhookHarness:
    """The emulator, the bot's services and its webhook server, all running."""

    emu: Emulator
    services: Services
    server: WebhookServer
    settings: Settings

    @property
    def hook_url(self) -> str:
        """The webhook's URL on loopback."""
        return f"http://127.0.0.1:{self.settings.port}{HOOK_PATH}"

    @property
    def health_url(self) -> str:
        """The readiness probe's URL."""
        return f"http://127.0.0.1:{self.settings.port}/healthz"


@asynccontextmanager
async def webhook_bot(
    tmp_path: Path, *, database_url: str | None = None, **overrides: Any
) -> AsyncIterator[WebhookHarness]:
    """Run the real Application behind the webhook server; the emulator pushes updates to it."""
    async with Emulator() as emu, served_by(emu, tmp_path, database_url, **overrides) as harness:
        yield harness


@asynccontextmanager
async def served_by(
    emu: Emulator, tmp_path: Path, database_url: str | None, *, read_timeout: float = 5.0, **overrides: Any
) -> AsyncIterator[WebhookHarness]:
    """The real Application behind the webhook server, calling the running emulator `emu`."""
    settings = webhook_settings(emu, tmp_path, database_url, **overrides)
    async with open_services(settings) as services:
        app = build_application(
            services,
            token=emu.token,
            base_url=emu.url,
            rate_limit=False,
            with_updater=False,
            request=replaying_request(read_timeout=read_timeout),
        )
        async with serving(app, services, settings) as server:
            yield WebhookHarness(emu, services, server, settings)


@pytest.fixture
async def hooked(tmp_path: Path) -> AsyncIterator[WebhookHarness]:
    """The webhook server on the shipped content and SQLite."""
    async with webhook_bot(tmp_path) as harness:
        yield harness


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A private copy of the shipped content that a test may break."""
    target = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "content", target)
    return target
