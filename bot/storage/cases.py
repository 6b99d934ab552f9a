"""Cases at the NGO desk (Talk to a person, anonymous reports): the mapping from a desk topic to a private chat.

Stored per case: the case number, the user's keyed hash, the chat id while the case is open, the desk topic,
status and times. Never a name, a username or any message text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.privacy import checked_key as _key
from bot.storage.schema import handoff_cases

KINDS = ("chat", "report")


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Case:
    """One case: who (as a key), where to relay (while open), the desk topic and its state."""

    case_no: int
    user_key: str
    kind: str
    status: str
    chat_id: int | None
    thread_id: int | None
    locale: str
    country: str | None
    opened_at: datetime
    last_activity_at: datetime
    closed_at: datetime | None

    @property
    def is_open(self) -> bool:
        """True while messages are relayed."""
        return self.status == "open"


_COLUMNS = tuple(handoff_cases.c[name] for name in Case.__dataclass_fields__)


def open_case_query(key: str) -> sa.Select[tuple[object, ...]]:
    """The query for the user's open case (the newest, should there be two)."""
    return (
        sa.select(*_COLUMNS)
        .where(handoff_cases.c.user_key == _key(key), handoff_cases.c.status == "open")
        .order_by(handoff_cases.c.case_no.desc())
        .limit(1)
    )


class CaseStore:
    """Async access to handoff_cases."""

    def __init__(self, engine: AsyncEngine) -> None:
        """Use the bot's (migrated) database."""
        self._engine = engine

    async def _one(self, query: sa.Select[tuple[object, ...]]) -> Case | None:
        async with self._engine.connect() as connection:
            row = (await connection.execute(query)).first()
        return None if row is None else Case(**row._asdict())

    async def open_case(
        self, key: str, kind: str, chat_id: int | None, locale: str, country: str | None, *, status: str = "open"
    ) -> Case:
        """Create a case (its number is the next one) and return it."""
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}")
        now = _now()
        values = {
            "user_key": _key(key),
            "kind": kind,
            "status": status,
            "chat_id": chat_id,
            "thread_id": None,
            "locale": locale,
            "country": country,
            "opened_at": now,
            "last_activity_at": now,
            "closed_at": now if status == "closed" else None,
        }
        async with self._engine.begin() as connection:
            row = (await connection.execute(sa.insert(handoff_cases).values(values).returning(*_COLUMNS))).one()
        return Case(**row._asdict())

    async def set_thread(self, case_no: int, thread_id: int) -> None:
        """Record the desk topic of a case."""
        statement = sa.update(handoff_cases).where(handoff_cases.c.case_no == case_no).values(thread_id=thread_id)
        async with self._engine.begin() as connection:
            await connection.execute(statement)

    async def open_for(self, key: str) -> Case | None:
        """The user's open conversation with the desk, if any."""
        return await self._one(open_case_query(key))

    async def by_thread(self, thread_id: int) -> Case | None:
        """The case a desk topic belongs to."""
        query = (
            sa.select(*_COLUMNS)
            .where(handoff_cases.c.thread_id == thread_id)
            .order_by(handoff_cases.c.case_no.desc())
            .limit(1)
        )
        return await self._one(query)

    async def touch(self, case_no: int) -> None:
        """Note activity on a case (the idle timer starts again)."""
        statement = sa.update(handoff_cases).where(handoff_cases.c.case_no == case_no).values(last_activity_at=_now())
        async with self._engine.begin() as connection:
            await connection.execute(statement)

    async def close(self, case_no: int) -> Case | None:
        """Close an open case and drop its chat id; the case as it was, or None when it was not open."""
        now = _now()
        async with self._engine.begin() as connection:
            row = (
                await connection.execute(
                    sa.select(*_COLUMNS).where(handoff_cases.c.case_no == case_no, handoff_cases.c.status == "open")
                )
            ).first()
            if row is None:
                return None
            closed = await connection.execute(
                sa.update(handoff_cases)
                .where(handoff_cases.c.case_no == case_no, handoff_cases.c.status == "open")
                .values(status="closed", chat_id=None, closed_at=now, last_activity_at=now)
            )
            if closed.rowcount != 1:  # another replica closed it between the two statements
                return None
        return Case(**row._asdict())

    async def count_relayed(self, case_no: int, window: timedelta, now: datetime | None = None) -> int:
        """Count one message relayed on a case; how many the current window (of length `window`) now holds.

        A fixed window kept on the case row, so every replica counts against the same limit; it starts again
        with the first message after it has run out.
        """
        now = now or _now()
        expired = sa.or_(handoff_cases.c.rate_window_at.is_(None), handoff_cases.c.rate_window_at <= now - window)
        statement = (
            sa.update(handoff_cases)
            .where(handoff_cases.c.case_no == case_no)
            .values(
                rate_count=sa.case((expired, 1), else_=handoff_cases.c.rate_count + 1),
                rate_window_at=sa.case((expired, now), else_=handoff_cases.c.rate_window_at),
            )
            .returning(handoff_cases.c.rate_count)
        )
        async with self._engine.begin() as connection:
            count = (await connection.execute(statement)).scalar()
        return int(count or 0)

    async def mark_told_closed(self, case_no: int, every: timedelta, now: datetime | None = None) -> bool:
        """True (and noted) when the person was not told the desk is closed within `every`: at most once per
        period per case, whichever replica answers."""
        now = now or _now()
        statement = (
            sa.update(handoff_cases)
            .where(
                handoff_cases.c.case_no == case_no,
                sa.or_(handoff_cases.c.told_closed_at.is_(None), handoff_cases.c.told_closed_at <= now - every),
            )
            .values(told_closed_at=now)
        )
        async with self._engine.begin() as connection:
            return (await connection.execute(statement)).rowcount == 1

    async def open_cases_of(self, key: str) -> list[Case]:
        """Every open case of a user."""
        query = sa.select(*_COLUMNS).where(handoff_cases.c.user_key == _key(key), handoff_cases.c.status == "open")
        async with self._engine.connect() as connection:
            return [Case(**row._asdict()) for row in await connection.execute(query)]

    async def idle(self, before: datetime) -> list[Case]:
        """Open cases with no activity since `before`."""
        query = sa.select(*_COLUMNS).where(handoff_cases.c.status == "open", handoff_cases.c.last_activity_at < before)
        async with self._engine.connect() as connection:
            return [Case(**row._asdict()) for row in await connection.execute(query)]

    async def purge(self, before: datetime) -> int:
        """Delete cases closed before `before` (the retention period); return how many."""
        statement = sa.delete(handoff_cases).where(
            handoff_cases.c.status == "closed", handoff_cases.c.closed_at < before
        )
        async with self._engine.begin() as connection:
            return (await connection.execute(statement)).rowcount
