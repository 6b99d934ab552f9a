"""The inbox table's operations on SQLite and PostgreSQL: claim and store together, leases, takeover, parking."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from bot.storage import Storage
from bot.storage.inbox import Inbox, InboxCounts
from bot.storage.schema import inbox as inbox_table


class Clock:
    """A settable clock for leases."""

    def __init__(self) -> None:
        self.now = datetime(2026, 1, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def update(update_id: int, text: str = "they took my passport") -> dict[str, object]:
    return {
        "update_id": update_id,
        "message": {"message_id": 1, "date": 0, "chat": {"id": 7, "type": "private"}, "text": text},
    }


async def test_accept_claims_and_stores_once_and_done_deletes_the_text(storage: Storage) -> None:
    inbox = Inbox(storage.engine)
    assert await inbox.accept(1, update(1))
    assert not await inbox.accept(1, update(1)), "a repeated id is neither claimed nor stored again"
    assert not await storage.claim_update(1), "accept claims the id in processed_updates too"
    assert await inbox.begin(1) == 1
    assert await inbox.done(1)
    async with storage.engine.connect() as connection:
        assert (await connection.execute(sa.select(sa.func.count()).select_from(inbox_table))).scalar_one() == 0


async def test_a_parked_update_keeps_no_payload(storage: Storage) -> None:
    inbox = Inbox(storage.engine)
    await inbox.accept(2, update(2))
    await inbox.begin(2)
    assert await inbox.park(2, "BadRequest")
    [parked] = await inbox.parked()
    assert (parked.update_id, parked.attempts, parked.failure) == (2, 1, "BadRequest")
    async with storage.engine.connect() as connection:
        row = (await connection.execute(sa.select(inbox_table))).one()
    assert row.payload is None
    assert "passport" not in repr(tuple(row))
    assert await inbox.counts() == InboxCounts(pending=0, parked=1)
    assert await inbox.prune_parked(parked.parked_at + timedelta(seconds=1)) == 1


async def test_a_lapsed_lease_is_taken_over_and_the_old_holder_can_no_longer_start_or_finish_it(
    storage: Storage,
) -> None:
    clock = Clock()
    dead = Inbox(storage.engine, lease=30, owner="dead", clock=clock)
    alive = Inbox(storage.engine, lease=30, owner="alive", clock=clock)
    for update_id in (13, 11, 12):
        await dead.accept(update_id, update(update_id))
    await dead.begin(11)  # started, then the process froze
    assert await alive.take_over(10) == [], "leases still valid"
    clock.now += timedelta(seconds=31)
    taken = await alive.take_over(10)
    assert [(t.update_id, t.attempts) for t in taken] == [(11, 1), (12, 0), (13, 0)]
    assert taken[0].payload["message"]["text"] == "they took my passport"
    assert await dead.begin(12) is None, "the old holder must not start an update taken over"
    assert not await dead.done(11)
    assert await alive.begin(11) == 2
    assert await alive.done(11)


async def test_renew_keeps_a_lease_and_hand_back_releases_it_at_once(storage: Storage) -> None:
    clock = Clock()
    holder = Inbox(storage.engine, lease=30, owner="holder", clock=clock)
    other = Inbox(storage.engine, lease=30, owner="other", clock=clock)
    await holder.accept(21, update(21))
    clock.now += timedelta(seconds=20)
    assert await holder.renew() == 1
    clock.now += timedelta(seconds=20)
    assert await other.take_over(10) == [], "renewed 20 s ago, valid for 30"
    assert await holder.hand_back() == 1
    assert [t.update_id for t in await other.take_over(10)] == [21]


async def test_two_replicas_taking_over_at_once_never_take_the_same_update(storage: Storage) -> None:
    clock = Clock()
    dead = Inbox(storage.engine, lease=1, owner="dead", clock=clock)
    for update_id in range(100, 160):
        await dead.accept(update_id, update(update_id))
    clock.now += timedelta(seconds=5)
    takers = [Inbox(storage.engine, lease=30, owner=f"r{n}", clock=clock) for n in range(3)]
    results = await asyncio.gather(*(taker.take_over(25) for taker in takers))
    ids = [t.update_id for result in results for t in result]
    assert len(ids) == len(set(ids)), "an update was taken by two replicas"
    left = await takers[0].take_over(100)  # what a racing replica skipped is still there, and only that
    assert sorted(ids + [t.update_id for t in left]) == list(range(100, 160))
