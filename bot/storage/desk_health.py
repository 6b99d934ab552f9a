"""Whether the NGO desk can be reached, as every replica sees it: so an outage is reported to the admins once, by
whichever replica meets it first, and its end is noted once too. Stored: the desk group's id, Telegram's words for
what is wrong, when it changed; nothing about any person.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.schema import desk_health
from bot.storage.upsert import insert

REASON_MAX = 255


class DeskHealthStore:
    """Async access to desk_health."""

    def __init__(self, engine: AsyncEngine) -> None:
        """Use the bot's (migrated) database."""
        self._engine = engine

    async def mark_down(self, chat_id: int, reason: str) -> bool:
        """Record the desk unreachable for `reason`; True when this changed it (the caller tells the admins)."""
        values = {"chat_id": int(chat_id), "down_reason": reason[:REASON_MAX], "changed_at": datetime.now(UTC)}
        statement = insert(self._engine.dialect.name, desk_health).values(values)
        upsert = statement.on_conflict_do_update(
            index_elements=[desk_health.c.chat_id],
            set_={"down_reason": statement.excluded.down_reason, "changed_at": statement.excluded.changed_at},
            where=desk_health.c.down_reason.is_distinct_from(statement.excluded.down_reason),
        ).returning(desk_health.c.chat_id)
        async with self._engine.begin() as connection:
            return (await connection.execute(upsert)).first() is not None

    async def mark_up(self, chat_id: int) -> bool:
        """Record the desk reachable; True when it was recorded unreachable."""
        statement = (
            sa.update(desk_health)
            .where(desk_health.c.chat_id == int(chat_id), desk_health.c.down_reason.is_not(None))
            .values(down_reason=None, changed_at=datetime.now(UTC))
        )
        async with self._engine.begin() as connection:
            return (await connection.execute(statement)).rowcount == 1

    async def down_reason(self, chat_id: int) -> str | None:
        """Why the desk is recorded unreachable, or None."""
        query = sa.select(desk_health.c.down_reason).where(desk_health.c.chat_id == int(chat_id))
        async with self._engine.connect() as connection:
            return (await connection.execute(query)).scalar()
