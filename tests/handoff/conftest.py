"""Fixtures of the desk tests: the bot with a desk, on SQLite and on PostgreSQL; the desk open unless a test says
otherwise."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.handoff import desk
from tests.botfixtures import Harness
from tests.handoff.desk_harness import desk_bot


@pytest.fixture
async def harness(tmp_path: Path, db_url: str) -> AsyncIterator[Harness]:
    """The bot with a desk; the desk is within its hours unless a test says otherwise."""
    async with desk_bot(tmp_path, db_url) as running:
        yield running


@pytest.fixture(autouse=True)
def desk_open(monkeypatch: pytest.MonkeyPatch) -> None:
    """The desk within its hours (tests of out-of-hours patch it back)."""
    monkeypatch.setattr(desk, "is_open_now", lambda live, now=None: True)
