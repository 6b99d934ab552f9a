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

import asyncio
import contextlib
import json
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

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
        count_first_attempt: bool = False,
    ) -> None:
        """Use `engine` (already migrated); leases last `lease` seconds from each renewal. With
        `count_first_attempt`, an update is stored with its first attempt already counted (see `first_attempt`),
        which saves the delivery a transaction per update."""
        self._engine = engine
        self.count_first_attempt = count_first_attempt
        # update id → (until when, monotonic, its stored lease is surely ours; the attempt number counted)
        self._counted: dict[int, tuple[float, int]] = {}
        self._dialect = engine.dialect.name
        self.owner = owner or new_owner()
        self.lease = timedelta(seconds=lease)
        self._clock = clock
        self._accepts: GroupCommit[tuple[int, dict[str, Any]], bool] = GroupCommit(self.accept_many)
        self._begins: GroupCommit[int, int | None] = GroupCommit(self.begin_many)
        self._resumes: GroupCommit[int, int | None] = GroupCommit(self.resume_many)
        self._dones: GroupCommit[int, bool] = GroupCommit(self.done_many)

    @property
    def dialect(self) -> str:
        """The database dialect name."""
        return self._dialect

    def _until(self) -> datetime:
        return self._clock() + self.lease

    async def _transaction(self, work: Callable[[sa.Connection], R], *, quick: bool = False) -> R:
        """Run `work` (synchronous Core statements) in one write transaction. PostgreSQL: with `quick`, the commit
        returns before its WAL reaches the disk; only for writes whose loss in a database crash is harmless (a lost
        done-mark means one re-run), as it shortens the moment between a reply and its done-mark, where a crash of
        the bot would send the reply twice. A caller cancelled meanwhile (a stop) is cancelled only once the
        transaction has ended: never cut in half inside `run_sync`, where a cancelled SQLite transaction could keep
        the file's write lock past the other writers' busy timeout ("database is locked")."""
        running = asyncio.ensure_future(self._run(work, quick))
        try:
            return await asyncio.shield(running)
        except asyncio.CancelledError:
            with contextlib.suppress(BaseException):
                await running  # the transaction ends (commit or rollback) before the caller's cancellation
            raise

    async def _run(self, work: Callable[[sa.Connection], R], quick: bool) -> R:
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
        started = time.monotonic()
        now = self._clock()
        attempts = 1 if self.count_first_attempt else 0
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
                    "attempts": attempts,
                    "received_at": now,
                }
                for update_id, payload in payloads.items()
                if update_id in claimed
            ]
            if rows:
                connection.execute(sa.insert(inbox), rows)
            return claimed

        claimed = await self._transaction(store)
        if self.count_first_attempt:
            # Nobody else may take these rows before their lease lapses; half of it leaves room for clocks that
            # differ a little between replicas.
            until = started + self.lease.total_seconds() / 2
            for update_id in claimed:
                self._counted[update_id] = (until, 1)
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

    def first_attempt(self, update_id: int) -> int | None:
        """For an update this replica stored or took over with its attempt already counted
        (`count_first_attempt`), asked once as that attempt starts: the attempt's number while the row's lease is
        surely still this replica's (it may start without a write), 0 once the lease may have lapsed (start it
        with `resume`), None for any other update (start it with `begin`)."""
        counted = self._counted.pop(int(update_id), None)
        if counted is None:
            return None
        until, number = counted
        return number if time.monotonic() < until else 0

    def forget_counted(self, update_id: int) -> None:
        """Drop what `first_attempt` would have said (the update left this replica before it started)."""
        self._counted.pop(int(update_id), None)

    async def resume(self, update_id: int) -> int | None:
        """Start the attempt counted when the update was stored: renew the lease without counting it again; the
        attempt number, or None when the row is no longer this replica's to work on."""
        return await self._resumes.submit(int(update_id))

    async def resume_many(self, update_ids: Sequence[int]) -> list[int | None]:
        """`resume` for several updates in one transaction."""
        statement = (
            sa.update(inbox)
            .where(inbox.c.update_id.in_(_unique(update_ids)), inbox.c.owner == self.owner, inbox.c.parked_at.is_(None))
            .values(lease_until=self._until())
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
        replica is taking at the same moment are skipped, never taken twice.

        A replica's heartbeat renews all its rows in one statement, so one lapsed row means its holder has not
        renewed anything for a whole lease: it is dead (or cut off, see docs/reliability.md). Its rows whose lease
        would lapse within the next quarter of a lease (those it stored or started after its last heartbeat) are
        taken in the same go, instead of one sweep each as their own leases run out. They were stored or started
        at least three quarters of a lease ago, so their holder could not start them any more without asking the
        database (`first_attempt`). With `count_first_attempt`, the taker counts its first attempt here too."""
        if limit <= 0:
            return []
        now = self._clock()
        others = inbox.c.owner != self.owner
        if lapsed_only:
            lapsed = sa.and_(others, inbox.c.parked_at.is_(None), inbox.c.lease_until < now)
            dead = sa.select(inbox.c.owner).where(lapsed).distinct()
            others = sa.and_(
                others,
                sa.or_(
                    inbox.c.lease_until < now,
                    sa.and_(inbox.c.lease_until < now + self.lease / 4, inbox.c.owner.in_(dead.scalar_subquery())),
                ),
            )
        mine = sa.or_(others, inbox.c.owner == self.owner) if own else others
        candidates = sa.select(inbox.c.update_id).where(inbox.c.parked_at.is_(None), mine)
        candidates = candidates.order_by(inbox.c.update_id).limit(limit).with_for_update(skip_locked=True)
        counted = 1 if self.count_first_attempt else 0
        statement = (
            sa.update(inbox)
            .where(inbox.c.update_id.in_(candidates.scalar_subquery()))
            .values(owner=self.owner, lease_until=now + self.lease, attempts=inbox.c.attempts + counted)
            .returning(inbox.c.update_id, inbox.c.payload, inbox.c.attempts)
        )
        started = time.monotonic()
        rows = await self._transaction(lambda connection: connection.execute(statement).all())
        taken = [Taken(int(row.update_id), json.loads(row.payload), int(row.attempts) - counted) for row in rows]
        if counted:
            until = started + self.lease.total_seconds() / 2
            for item in taken:
                self._counted[item.update_id] = (until, item.attempts + 1)
        return sorted(taken, key=lambda item: item.update_id)

    async def seconds_to_lapse(self) -> float | None:
        """Seconds until the next in-flight row of another replica lapses (negative: already lapsed); None when
        other replicas hold nothing."""
        query = sa.select(sa.func.min(inbox.c.lease_until)).where(
            inbox.c.parked_at.is_(None), inbox.c.owner != self.owner
        )
        async with self._engine.connect() as connection:
            first: datetime | None = (await connection.execute(query)).scalar()
        if first is None:
            return None
        return (first - self._clock()).total_seconds()

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
