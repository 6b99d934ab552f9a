"""Subscriptions, broadcast runs (with a lease, so one replica sends) and per-recipient deliveries, in the database."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from bot.storage import Storage
from bot.storage.schema import broadcast_deliveries, broadcast_runs, subscriptions, users
from bot.storage.upsert import insert

PENDING, SENDING, SENT, BLOCKED, FAILED, SKIPPED = "pending", "sending", "sent", "blocked", "failed", "skipped"
UNCERTAIN = "uncertain"  # was on its way when its process died, or timed out: it may or may not have arrived
STATES = (PENDING, SENDING, SENT, BLOCKED, FAILED, SKIPPED, UNCERTAIN)
RUNNING, DONE, EXPIRED = "running", "done", "expired"


def utc_now() -> datetime:
    """The current time, aware UTC."""
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Recipient:
    """Who a pending delivery goes to: the user key, the chat to send to, the language, and whether they blocked us."""

    user_key: str
    chat_id: int
    locale: str
    blocked: bool


@dataclass(frozen=True, slots=True)
class RunInfo:
    """A broadcast run as `stats` shows it: its state and how many deliveries are in each state."""

    broadcast: str
    state: str
    started_at: datetime
    finished_at: datetime | None
    counts: dict[str, int]


class BroadcastStore:
    """Database access of the follow-ups feature, on the bot's Storage engine."""

    def __init__(self, storage: Storage) -> None:
        self._storage = storage
        self._engine = storage.engine
        self._dialect = storage.dialect

    # Subscriptions

    async def subscribe(self, key: str, topic: str, chat_id: int, locale: str) -> None:
        """Subscribe the user to `topic` (again: refresh the chat and language)."""
        statement = insert(self._dialect, subscriptions).values(
            user_key=key, topic=topic, chat_id=int(chat_id), locale=locale, subscribed_at=utc_now()
        )
        statement = statement.on_conflict_do_update(
            index_elements=[subscriptions.c.user_key, subscriptions.c.topic],
            set_={"chat_id": statement.excluded.chat_id, "locale": statement.excluded.locale},
        )
        async with self._engine.begin() as connection:
            await connection.execute(statement)

    async def unsubscribe(self, key: str, topic: str | None = None) -> int:
        """Leave `topic` (None: every topic); how many subscriptions ended."""
        statement = sa.delete(subscriptions).where(subscriptions.c.user_key == key)
        if topic is not None:
            statement = statement.where(subscriptions.c.topic == topic)
        async with self._engine.begin() as connection:
            return (await connection.execute(statement)).rowcount

    async def topics(self, key: str) -> frozenset[str]:
        """The topics the user is subscribed to."""
        query = sa.select(subscriptions.c.topic).where(subscriptions.c.user_key == key)
        async with self._engine.connect() as connection:
            return frozenset(str(topic) for topic in (await connection.execute(query)).scalars())

    async def locales(self, key: str) -> frozenset[str]:
        """The languages the user's follow-ups are sent in."""
        query = sa.select(subscriptions.c.locale).where(subscriptions.c.user_key == key).distinct()
        async with self._engine.connect() as connection:
            return frozenset(str(locale) for locale in (await connection.execute(query)).scalars())

    async def set_locale(self, key: str, locale: str) -> None:
        """Send future follow-ups in `locale` (the user changed language)."""
        statement = sa.update(subscriptions).where(subscriptions.c.user_key == key).values(locale=locale)
        async with self._engine.begin() as connection:
            await connection.execute(statement)

    async def subscriber_count(self, topic: str) -> int:
        """How many users subscribed to `topic`."""
        query = sa.select(sa.func.count()).select_from(subscriptions).where(subscriptions.c.topic == topic)
        async with self._engine.connect() as connection:
            return int((await connection.execute(query)).scalar_one())

    # Runs and the lease

    async def acquire(self, broadcast: str, owner: str, lease: timedelta) -> str | None:
        """Take (or keep) the run of `broadcast` for `owner`; its state, or None when another replica holds it.

        A run that is done or expired is returned as such and not taken. The conditional UPDATE is atomic on both
        databases, so of replicas racing for a free or lapsed lease exactly one wins.
        """
        now = utc_now()
        create = (
            insert(self._dialect, broadcast_runs)
            .values(broadcast=broadcast, state=RUNNING, owner=None, lease_until=now, started_at=now)
            .on_conflict_do_nothing(index_elements=[broadcast_runs.c.broadcast])
        )
        take = (
            sa.update(broadcast_runs)
            .where(
                broadcast_runs.c.broadcast == broadcast,
                broadcast_runs.c.state == RUNNING,
                sa.or_(
                    broadcast_runs.c.owner.is_(None),
                    broadcast_runs.c.owner == owner,
                    broadcast_runs.c.lease_until < now,
                ),
            )
            .values(owner=owner, lease_until=now + lease)
        )
        async with self._engine.begin() as connection:
            await connection.execute(create)
            if (await connection.execute(take)).rowcount == 1:
                return RUNNING
            state = (
                await connection.execute(
                    sa.select(broadcast_runs.c.state).where(broadcast_runs.c.broadcast == broadcast)
                )
            ).scalar_one()
        return None if state == RUNNING else str(state)

    async def renew(self, broadcast: str, owner: str, lease: timedelta) -> bool:
        """Extend the lease; False when `owner` no longer holds it (another replica took over)."""
        statement = (
            sa.update(broadcast_runs)
            .where(broadcast_runs.c.broadcast == broadcast, broadcast_runs.c.owner == owner)
            .values(lease_until=utc_now() + lease)
        )
        async with self._engine.begin() as connection:
            return (await connection.execute(statement)).rowcount == 1

    async def release(self, broadcast: str, owner: str, state: str = RUNNING) -> None:
        """Give the run up: finished (`done`/`expired`), or handed back (`running`) for another process to resume."""
        values: dict[str, object] = {"owner": None, "state": state}
        if state != RUNNING:
            values["finished_at"] = utc_now()
        statement = (
            sa.update(broadcast_runs)
            .where(broadcast_runs.c.broadcast == broadcast, broadcast_runs.c.owner == owner)
            .values(**values)
        )
        async with self._engine.begin() as connection:
            await connection.execute(statement)

    # Deliveries

    async def snapshot(self, broadcast: str, topic: str) -> int:
        """Add every current subscriber of `topic` as a pending delivery (existing rows stay); how many were added."""
        now = utc_now()
        source = sa.select(
            sa.literal(broadcast),
            subscriptions.c.user_key,
            sa.literal(PENDING),
            sa.literal(0),
            sa.literal(now, type_=broadcast_deliveries.c.updated_at.type),
        ).where(subscriptions.c.topic == topic)
        statement = (
            insert(self._dialect, broadcast_deliveries)
            .from_select(["broadcast", "user_key", "state", "attempts", "updated_at"], source)
            .on_conflict_do_nothing(index_elements=[broadcast_deliveries.c.broadcast, broadcast_deliveries.c.user_key])
        )
        async with self._engine.begin() as connection:
            return (await connection.execute(statement)).rowcount

    async def pending(self, broadcast: str, topic: str, after: str, limit: int) -> list[Recipient]:
        """The next pending deliveries after user key `after`, with where and how to send them."""
        d, s, u = broadcast_deliveries, subscriptions, users
        query = (
            sa.select(d.c.user_key, s.c.chat_id, s.c.locale, sa.func.coalesce(u.c.blocked, sa.false()))
            .select_from(
                d.outerjoin(s, sa.and_(s.c.user_key == d.c.user_key, s.c.topic == topic)).outerjoin(
                    u, u.c.user_key == d.c.user_key
                )
            )
            .where(d.c.broadcast == broadcast, d.c.state == PENDING, d.c.user_key > after)
            .order_by(d.c.user_key)
            .limit(limit)
        )
        async with self._engine.connect() as connection:
            rows = (await connection.execute(query)).all()
        return [
            Recipient(str(key), int(chat_id) if chat_id is not None else 0, str(locale or ""), bool(blocked))
            for key, chat_id, locale, blocked in rows
        ]

    async def claim(self, broadcast: str, key: str) -> bool:
        """Mark the delivery `sending` before the message goes out; False when it is no longer pending."""
        statement = (
            sa.update(broadcast_deliveries)
            .where(
                broadcast_deliveries.c.broadcast == broadcast,
                broadcast_deliveries.c.user_key == key,
                broadcast_deliveries.c.state == PENDING,
            )
            .values(state=SENDING, updated_at=utc_now())
        )
        async with self._engine.begin() as connection:
            return (await connection.execute(statement)).rowcount == 1

    async def mark_uncertain(self, broadcast: str) -> int:
        """Turn rows left `sending` by a process that no longer holds the run into `uncertain`; how many.

        Called by the lease holder when it starts: every `sending` row then belongs to a process that died (or lost
        the lease; should that one still finish a row, its answer overwrites `uncertain`).
        """
        return await self._move(broadcast, SENDING, UNCERTAIN)

    async def requeue_uncertain(self, broadcast: str) -> int:
        """Make the `uncertain` rows pending again, to be sent (perhaps a second time); how many."""
        return await self._move(broadcast, UNCERTAIN, PENDING)

    async def _move(self, broadcast: str, old: str, new: str) -> int:
        statement = (
            sa.update(broadcast_deliveries)
            .where(broadcast_deliveries.c.broadcast == broadcast, broadcast_deliveries.c.state == old)
            .values(state=new, updated_at=utc_now())
        )
        async with self._engine.begin() as connection:
            return (await connection.execute(statement)).rowcount

    async def reopen(self, broadcast: str) -> bool:
        """Set a finished run running again (to resend its uncertain rows); False when it was not done."""
        statement = (
            sa.update(broadcast_runs)
            .where(broadcast_runs.c.broadcast == broadcast, broadcast_runs.c.state == DONE)
            .values(state=RUNNING, owner=None, finished_at=None)
        )
        async with self._engine.begin() as connection:
            return (await connection.execute(statement)).rowcount == 1

    async def finish(self, broadcast: str, key: str, state: str, attempts: int) -> None:
        """Record how a delivery ended."""
        statement = (
            sa.update(broadcast_deliveries)
            .where(broadcast_deliveries.c.broadcast == broadcast, broadcast_deliveries.c.user_key == key)
            .values(state=state, attempts=attempts, updated_at=utc_now())
        )
        async with self._engine.begin() as connection:
            await connection.execute(statement)

    async def counts(self, broadcast: str) -> dict[str, int]:
        """How many deliveries of `broadcast` are in each state."""
        query = (
            sa.select(broadcast_deliveries.c.state, sa.func.count())
            .where(broadcast_deliveries.c.broadcast == broadcast)
            .group_by(broadcast_deliveries.c.state)
        )
        async with self._engine.connect() as connection:
            found = {str(state): int(count) for state, count in (await connection.execute(query)).all()}
        return {state: found.get(state, 0) for state in STATES}

    async def runs(self, names: Sequence[str] | None = None) -> list[RunInfo]:
        """Every broadcast run (or those named), oldest first, with its delivery counts."""
        query = sa.select(broadcast_runs).order_by(broadcast_runs.c.started_at)
        if names is not None:
            query = query.where(broadcast_runs.c.broadcast.in_(list(names)))
        async with self._engine.connect() as connection:
            rows = (await connection.execute(query)).all()
        return [
            RunInfo(row.broadcast, row.state, row.started_at, row.finished_at, await self.counts(row.broadcast))
            for row in rows
        ]
