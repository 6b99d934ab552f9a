"""The durable inbox: accepted updates stored with their claim, leased to one replica, deleted once handled.

Every row is an update some replica answered 200 for and has not finished. The replica that holds it renews its
lease while it works; when a replica stops renewing (killed, frozen, cut off from the database) its rows lapse and
another replica takes them over (PostgreSQL: `FOR UPDATE SKIP LOCKED`, so two replicas never take the same row).
The update's JSON is kept only while it is in flight: `done` deletes the row, `park` drops the payload.

Writes are grouped: a getUpdates batch is stored in one transaction (`accept_many`), and the single-update calls
that arrive together (webhook requests, attempts starting, done-marks) share one transaction each through a
group commit (`bot.storage.group_commit`). Every caller still returns only after its own row is written.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.engine import SQLiteEngine
from bot.storage.group_commit import GroupCommit
from bot.storage.schema import inbox, processed_updates
from bot.storage.upsert import insert

Clock = Callable[[], datetime]
R = TypeVar("R")


def utc_now() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


def new_owner() -> str:
    """A random id for this process's leases (no host name or pid: nothing about the machine)."""
    return uuid.uuid4().hex


@dataclass(frozen=True, slots=True)
class Taken:
    """An update taken over from a replica whose lease lapsed."""

    update_id: int
    payload: dict[str, Any]
    attempts: int


@dataclass(frozen=True, slots=True)
class Parked:
    """An update given up on: its id, how often it was tried, and the class name of the last error."""

    update_id: int
    attempts: int
    failure: str | None
    parked_at: datetime


@dataclass(frozen=True, slots=True)
class InboxCounts:
    """Rows in the inbox: in flight (held or lapsed) and parked."""

    pending: int
    parked: int


class Inbox:
    """One replica's view of the inbox table: it owns the rows whose `owner` is its id."""

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        lease: float = 30.0,
        owner: str | None = None,
        clock: Clock = utc_now,
    ) -> None:
        """Use `engine` (already migrated); leases last `lease` seconds from each renewal."""
        self._engine = engine
        self._dialect = engine.dialect.name
        self.owner = owner or new_owner()
        self.lease = timedelta(seconds=lease)
        self._clock = clock
        self._accepts: GroupCommit[tuple[int, dict[str, Any]], bool] = GroupCommit(self.accept_many)
        self._begins: GroupCommit[int, int | None] = GroupCommit(self.begin_many)
        self._dones: GroupCommit[int, bool] = GroupCommit(self.done_many)

    @property
    def dialect(self) -> str:
        """The database dialect name."""
        return self._dialect

    def _until(self) -> datetime:
        return self._clock() + self.lease

    async def _transaction(self, work: Callable[[sa.Connection], R], *, quick: bool = False) -> R:
        """Run `work` (synchronous Core statements) in one write transaction. A SQLite file: on its long-lived
        writer connection, the whole transaction in one hop to the writer's thread. PostgreSQL: with `quick`, the
        commit returns before its WAL reaches the disk; only for writes whose loss in a database crash is harmless
        (a lost done-mark means one re-run), as it shortens the moment between a reply and its done-mark, where a
        crash of the bot would send the reply twice."""
        if isinstance(self._engine, SQLiteEngine):
            return await self._engine.write(work)
        async with self._engine.begin() as connection:
            if quick and self._dialect == "postgresql":
                await connection.execute(sa.text("SET LOCAL synchronous_commit TO OFF"))
            return await connection.run_sync(work)

    async def accept(self, update_id: int, payload: dict[str, Any]) -> bool:
        """Claim the update id and store the update under this replica's lease, in one transaction (shared with
        the updates accepted at the same moment); False when the id was already claimed (by this or another
        replica), and then nothing is stored."""
        return await self._accepts.submit((int(update_id), payload))

    async def accept_many(self, updates: Sequence[tuple[int, dict[str, Any]]]) -> list[bool]:
        """Claim and store a batch of updates in one transaction: for each, True when it was stored, False when
        its id was already claimed (or came earlier in the same batch)."""
        if not updates:
            return []
        now = self._clock()
        first: dict[int, int] = {}
        for index, (update_id, _) in enumerate(updates):
            first.setdefault(int(update_id), index)
        claim = (
            insert(self._dialect, processed_updates)
            .values([{"update_id": update_id, "claimed_at": now} for update_id in first])
            .on_conflict_do_nothing(index_elements=[processed_updates.c.update_id])
            .returning(processed_updates.c.update_id)
        )
        payloads = {
            update_id: json.dumps(updates[index][1], ensure_ascii=False, separators=(",", ":"))
            for update_id, index in first.items()
        }

        def store(connection: sa.Connection) -> set[int]:
            claimed = {int(value) for value in connection.execute(claim).scalars()}
            rows = [
                {
                    "update_id": update_id,
                    "payload": payload,
                    "owner": self.owner,
                    "lease_until": now + self.lease,
                    "attempts": 0,
                    "received_at": now,
                }
                for update_id, payload in payloads.items()
                if update_id in claimed
            ]
            if rows:
                connection.execute(sa.insert(inbox), rows)
            return claimed

        claimed = await self._transaction(store)
        return [
            int(update_id) in claimed and first[int(update_id)] == index for index, (update_id, _) in enumerate(updates)
        ]

    async def begin(self, update_id: int) -> int | None:
        """Start an attempt: renew the lease and count the attempt; None when the row is no longer this replica's
        to work on (another replica took it over, or it is done or parked), and then it must not be processed."""
        return await self._begins.submit(int(update_id))

    async def begin_many(self, update_ids: Sequence[int]) -> list[int | None]:
        """`begin` for several updates in one transaction; the attempt number of each, or None."""
        wanted = _unique(update_ids)
        statement = (
            sa.update(inbox)
            .where(inbox.c.update_id.in_(wanted), inbox.c.owner == self.owner, inbox.c.parked_at.is_(None))
            .values(lease_until=self._until(), attempts=inbox.c.attempts + 1)
            .returning(inbox.c.update_id, inbox.c.attempts)
        )
        attempts = await self._transaction(
            lambda connection: {int(row.update_id): int(row.attempts) for row in connection.execute(statement)}
        )
        return [attempts.get(int(update_id)) for update_id in update_ids]

    async def done(self, update_id: int) -> bool:
        """The update was handled: delete it (and with it the person's text) at once. False when the row was not
        this replica's any more (another replica took it over after this one's lease lapsed)."""
        return await self._dones.submit(int(update_id))

    async def done_many(self, update_ids: Sequence[int]) -> list[bool]:
        """`done` for several updates in one transaction."""
        statement = (
            sa.delete(inbox)
            .where(inbox.c.update_id.in_(_unique(update_ids)), inbox.c.owner == self.owner)
            .returning(inbox.c.update_id)
        )
        deleted = await self._transaction(
            lambda connection: {int(value) for value in connection.execute(statement).scalars()}, quick=True
        )
        return [int(update_id) in deleted for update_id in update_ids]

    async def park(self, update_id: int, failure: str) -> bool:
        """Give up on the update: drop its payload, keep its id, attempts and the error's class name."""
        statement = (
            sa.update(inbox)
            .where(inbox.c.update_id == int(update_id), inbox.c.owner == self.owner)
            .values(payload=None, parked_at=self._clock(), failure=failure[:64])
        )
        return await self._transaction(lambda connection: connection.execute(statement).rowcount > 0)

    async def renew(self) -> int:
        """Extend the lease of every in-flight row this replica holds; return how many."""
        statement = (
            sa.update(inbox)
            .where(inbox.c.owner == self.owner, inbox.c.parked_at.is_(None))
            .values(lease_until=self._until())
        )
        return await self._transaction(lambda connection: connection.execute(statement).rowcount)

    async def take_over(self, limit: int, *, lapsed_only: bool = True, own: bool = False) -> list[Taken]:
        """Take up to `limit` in-flight rows whose lease lapsed (all of them with `lapsed_only=False`, for a single
        SQLite process starting again), lowest update id first; with `own`, also the rows held under this
        replica's own id (a restarted replica taking back what it held when it died, lease or not). Rows another
        replica is taking at the same moment are skipped, never taken twice."""
        if limit <= 0:
            return []
        now = self._clock()
        others = inbox.c.owner != self.owner
        if lapsed_only:
            others = sa.and_(others, inbox.c.lease_until < now)
        mine = sa.or_(others, inbox.c.owner == self.owner) if own else others
        candidates = sa.select(inbox.c.update_id).where(inbox.c.parked_at.is_(None), mine)
        candidates = candidates.order_by(inbox.c.update_id).limit(limit).with_for_update(skip_locked=True)
        statement = (
            sa.update(inbox)
            .where(inbox.c.update_id.in_(candidates.scalar_subquery()))
            .values(owner=self.owner, lease_until=now + self.lease)
            .returning(inbox.c.update_id, inbox.c.payload, inbox.c.attempts)
        )
        rows = await self._transaction(lambda connection: connection.execute(statement).all())
        taken = [Taken(int(row.update_id), json.loads(row.payload), int(row.attempts)) for row in rows]
        return sorted(taken, key=lambda item: item.update_id)

    async def hand_back(self) -> int:
        """Let other replicas take this replica's unfinished rows at once (on a stop that could not finish them)."""
        statement = (
            sa.update(inbox)
            .where(inbox.c.owner == self.owner, inbox.c.parked_at.is_(None))
            .values(lease_until=self._clock() - timedelta(seconds=1))
        )
        return await self._transaction(lambda connection: connection.execute(statement).rowcount)

    async def counts(self) -> InboxCounts:
        """How many updates are in flight and how many are parked (all replicas)."""
        query = sa.select(
            sa.func.count().filter(inbox.c.parked_at.is_(None)), sa.func.count().filter(inbox.c.parked_at.is_not(None))
        )
        async with self._engine.connect() as connection:
            pending, parked = (await connection.execute(query)).one()
        return InboxCounts(int(pending or 0), int(parked or 0))

    async def parked(self) -> Sequence[Parked]:
        """Every parked update, oldest first."""
        query = (
            sa.select(inbox.c.update_id, inbox.c.attempts, inbox.c.failure, inbox.c.parked_at)
            .where(inbox.c.parked_at.is_not(None))
            .order_by(inbox.c.update_id)
        )
        async with self._engine.connect() as connection:
            rows = (await connection.execute(query)).all()
        return [Parked(int(r.update_id), int(r.attempts), r.failure, r.parked_at) for r in rows]

    async def prune_parked(self, older_than: datetime) -> int:
        """Forget parked updates parked before `older_than`; return how many."""
        statement = sa.delete(inbox).where(inbox.c.parked_at.is_not(None), inbox.c.parked_at < older_than)
        async with self._engine.begin() as connection:
            return (await connection.execute(statement)).rowcount


def _unique(values: Iterable[int]) -> list[int]:
    return sorted({int(value) for value in values})
