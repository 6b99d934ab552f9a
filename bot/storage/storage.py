"""The bot's storage service: user settings, update de-duplication and the media file-id cache."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from datetime import UTC, datetime
from typing import Any, Self

import sqlalchemy as sa
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.privacy import checked_key as _check_key
from bot.storage.engine import create_engine
from bot.storage.migrate import upgrade_to_head
from bot.storage.schema import chat_trail, media_file_ids, metadata, processed_updates, users
from bot.storage.upsert import insert
from bot.storage.user_settings import UserSettings, validate_changes

_SETTINGS_COLUMNS = tuple(f.name for f in fields(UserSettings))


def _now() -> datetime:
    return datetime.now(UTC)


class Storage:
    """Async access to the database; open with `await Storage.open(url)`, close with `await close()`."""

    def __init__(self, engine: AsyncEngine) -> None:
        """Wrap an engine whose database is already migrated (prefer `Storage.open`)."""
        self._engine = engine
        self._dialect = engine.dialect.name

    @classmethod
    async def open(cls, url: str | URL, *, migrate: bool = True) -> Self:
        """Connect to `url` and, unless told not to, apply every pending migration."""
        engine = create_engine(url)
        try:
            if migrate:
                await upgrade_to_head(engine)
            else:
                async with engine.connect() as connection:
                    await connection.execute(sa.text("SELECT 1"))
        except BaseException:
            await engine.dispose()
            raise
        return cls(engine)

    @property
    def engine(self) -> AsyncEngine:
        """The underlying engine (for the analytics writer and reports)."""
        return self._engine

    @property
    def dialect(self) -> str:
        """The database dialect name: "sqlite" or "postgresql"."""
        return self._dialect

    async def close(self) -> None:
        """Release every connection."""
        await self._engine.dispose()

    async def ping(self) -> bool:
        """Return True when the database answers (readiness probe)."""
        try:
            async with self._engine.connect() as connection:
                await connection.execute(sa.text("SELECT 1"))
        except (SQLAlchemyError, OSError):
            return False
        return True

    # Users

    async def get_user(self, key: str) -> UserSettings | None:
        """Return the user's settings, or None for a user the bot has not stored."""
        query = sa.select(*(users.c[name] for name in _SETTINGS_COLUMNS)).where(users.c.user_key == _check_key(key))
        async with self._engine.connect() as connection:
            row = (await connection.execute(query)).first()
        return None if row is None else UserSettings(**row._asdict())

    async def update_user(self, key: str, **changes: Any) -> UserSettings:
        """Create or change the user's settings; `campaign` is first-touch and never overwritten once set."""
        clean = validate_changes(changes)
        values = {**clean, "user_key": _check_key(key), "updated_at": _now()}
        statement = insert(self._dialect, users).values(values)
        assignments: dict[str, Any] = {name: statement.excluded[name] for name in clean}
        if "campaign" in clean:
            assignments["campaign"] = sa.func.coalesce(users.c.campaign, statement.excluded.campaign)
        assignments["updated_at"] = statement.excluded.updated_at
        statement = statement.on_conflict_do_update(index_elements=[users.c.user_key], set_=assignments)
        returning = statement.returning(*(users.c[name] for name in _SETTINGS_COLUMNS))
        async with self._engine.begin() as connection:
            row = (await connection.execute(returning)).one()
        return UserSettings(**row._asdict())

    async def set_campaign_if_absent(self, key: str, campaign: str) -> UserSettings:
        """Record the campaign that first brought the user, unless one is already recorded."""
        return await self.update_user(key, campaign=campaign)

    async def forget_user(self, key: str) -> bool:
        """Delete every row about the user in every table; True when something was deleted."""
        _check_key(key)
        deleted = 0
        async with self._engine.begin() as connection:
            for table in metadata.sorted_tables:
                if "user_key" in table.c:
                    result = await connection.execute(sa.delete(table).where(table.c.user_key == key))
                    deleted += result.rowcount
        return deleted > 0

    # Updates

    async def claim_update(self, update_id: int) -> bool:
        """Return True exactly once per update id across every process sharing the database."""
        statement = (
            insert(self._dialect, processed_updates)
            .values(update_id=int(update_id), claimed_at=_now())
            .on_conflict_do_nothing(index_elements=[processed_updates.c.update_id])
            .returning(processed_updates.c.update_id)
        )
        async with self._engine.begin() as connection:
            return (await connection.execute(statement)).first() is not None

    async def prune_updates(self, older_than: datetime) -> int:
        """Forget update ids claimed before `older_than`; return how many were removed."""
        statement = sa.delete(processed_updates).where(processed_updates.c.claimed_at < older_than)
        async with self._engine.begin() as connection:
            return (await connection.execute(statement)).rowcount

    # Clear-this-chat trail: message ids only, under the user key

    async def remember_messages(self, rows: Sequence[tuple[str, int, datetime]]) -> None:
        """Record (user key, message id, sent at) rows; a repeated id keeps its first time."""
        if not rows:
            return
        values = [
            {"user_key": _check_key(key), "message_id": int(message_id), "sent_at": sent_at}
            for key, message_id, sent_at in rows
        ]
        statement = insert(self._dialect, chat_trail).on_conflict_do_nothing(
            index_elements=[chat_trail.c.user_key, chat_trail.c.message_id]
        )
        async with self._engine.begin() as connection:
            await connection.execute(statement, values)

    async def recent_messages(self, key: str, since: datetime) -> list[int]:
        """The message ids recorded for the user since `since`, oldest first."""
        query = (
            sa.select(chat_trail.c.message_id)
            .where(chat_trail.c.user_key == _check_key(key), chat_trail.c.sent_at >= since)
            .order_by(chat_trail.c.message_id)
        )
        async with self._engine.connect() as connection:
            return [int(value) for value in (await connection.execute(query)).scalars()]

    async def forget_messages(self, key: str) -> int:
        """Delete every message id recorded for the user; return how many."""
        statement = sa.delete(chat_trail).where(chat_trail.c.user_key == _check_key(key))
        async with self._engine.begin() as connection:
            return (await connection.execute(statement)).rowcount

    async def prune_messages(self, older_than: datetime) -> int:
        """Forget message ids recorded before `older_than` (Telegram cannot delete them any more)."""
        statement = sa.delete(chat_trail).where(chat_trail.c.sent_at < older_than)
        async with self._engine.begin() as connection:
            return (await connection.execute(statement)).rowcount

    # Media

    async def get_file_id(self, bot_id: int, media_key: str) -> str | None:
        """Return Telegram's file_id for media this bot already uploaded, or None."""
        query = sa.select(media_file_ids.c.file_id).where(
            media_file_ids.c.bot_id == bot_id, media_file_ids.c.media_key == media_key
        )
        async with self._engine.connect() as connection:
            value = (await connection.execute(query)).scalar_one_or_none()
        return None if value is None else str(value)

    async def set_file_id(self, bot_id: int, media_key: str, file_id: str) -> None:
        """Remember the file_id Telegram gave for an upload (media_key should include a content digest)."""
        statement = insert(self._dialect, media_file_ids).values(
            bot_id=bot_id, media_key=media_key, file_id=file_id, updated_at=_now()
        )
        statement = statement.on_conflict_do_update(
            index_elements=[media_file_ids.c.bot_id, media_file_ids.c.media_key],
            set_={"file_id": statement.excluded.file_id, "updated_at": statement.excluded.updated_at},
        )
        async with self._engine.begin() as connection:
            await connection.execute(statement)

    async def delete_file_id(self, bot_id: int, media_key: str) -> None:
        """Forget a cached file_id (e.g. after Telegram rejected it), so the media is uploaded again."""
        statement = sa.delete(media_file_ids).where(
            media_file_ids.c.bot_id == bot_id, media_file_ids.c.media_key == media_key
        )
        async with self._engine.begin() as connection:
            await connection.execute(statement)
