"""Shared fixtures: the real bot Application driven through the Bot API emulator."""

from __future__ import annotations

pytest_plugins = ["tests.dbfixtures", "tests.botfixtures"]
