"""Persistent storage: SQLite (embedded default) or PostgreSQL, schema managed by Alembic migrations."""

from __future__ import annotations

from bot.storage.storage import Storage
from bot.storage.user_settings import UserSettings

__all__ = ["Storage", "UserSettings"]
