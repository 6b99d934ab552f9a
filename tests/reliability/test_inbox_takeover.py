"""The first attempt counted when an update is stored or taken over, and a dead replica's rows taken in one go, on
SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.storage import Storage
from bot.storage.inbox import Inbox
from tests.reliability.test_inbox import Clock, update


async def test_a_stored_update_starts_its_first_attempt_without_another_write(storage: Storage) -> None:
    inbox = Inbox(storage.engine, lease=30, count_first_attempt=True)
    assert await inbox.accept_many([(1, update(1)), (2, update(2))]) == [True, True]
    assert inbox.first_attempt(1) == 1, "counted when stored, the lease surely still this replica's"
    assert inbox.first_attempt(1) is None, "asked once: a retry starts with begin"
    assert await inbox.begin(1) == 2, "the retry is the second attempt"
    assert await inbox.done(1)
    plain = Inbox(storage.engine, lease=30)
    assert await plain.accept(3, update(3)) and plain.first_attempt(3) is None, "not counted: start with begin"
    assert await plain.begin(3) == 1


async def test_a_stored_update_started_late_renews_its_lease_without_counting_again(storage: Storage) -> None:
    inbox = Inbox(storage.engine, lease=0.02, count_first_attempt=True)
    assert await inbox.accept(5, update(5))
    await asyncio.sleep(0.05)  # more than half the lease: another replica could have taken it meanwhile
    assert inbox.first_attempt(5) == 0, "the lease may have lapsed: ask the database"
    assert await inbox.resume(5) == 1, "still this replica's, and still its first attempt"
    other = Inbox(storage.engine, lease=0.02, owner="other", count_first_attempt=True)
    await asyncio.sleep(0.05)
    assert [t.update_id for t in await other.take_over(10)] == [5]
    assert await inbox.resume(5) is None, "taken over: the old holder must not start it"


async def test_a_dead_replicas_rows_are_taken_in_one_go_and_counted(storage: Storage) -> None:
    clock = Clock()
    dead = Inbox(storage.engine, lease=4, owner="dead", clock=clock, count_first_attempt=True)
    alive = Inbox(storage.engine, lease=4, owner="alive", clock=clock, count_first_attempt=True)
    survivor = Inbox(storage.engine, lease=4, owner="survivor", clock=clock, count_first_attempt=True)
    assert await dead.accept(21, update(21))  # renewed last at 0 s
    clock.now += timedelta(seconds=0.5)
    assert await dead.accept(22, update(22))  # stored after the last heartbeat, just before the kill
    assert await alive.accept(31, update(31))  # a live replica's row, stored at the same moment
    clock.now += timedelta(seconds=3.0)
    assert await survivor.seconds_to_lapse() == 0.5
    assert await survivor.take_over(10) == [], "no lease has lapsed yet"
    clock.now += timedelta(seconds=0.6)  # 21 lapsed: its holder renewed nothing for a whole lease
    taken = await survivor.take_over(10)
    assert [(t.update_id, t.attempts) for t in taken] == [(21, 1), (22, 1)], "both of the dead one's, at once"
    assert survivor.first_attempt(21) == 2 and survivor.first_attempt(22) == 2, "the taker's attempt is counted"
    assert await dead.resume(22) is None and not await dead.done(21), "the dead one's rows are gone from it"
    assert await alive.done(31), "a live replica's row stays with it"


async def test_a_lapsed_row_does_not_take_a_dead_replicas_rows_far_from_lapsing(storage: Storage) -> None:
    clock = Clock()
    holder = Inbox(storage.engine, lease=4, owner="holder", clock=clock)
    survivor = Inbox(storage.engine, lease=4, owner="survivor", clock=clock)
    assert await holder.accept(41, update(41))
    clock.now += timedelta(seconds=2)
    assert await holder.accept(42, update(42))
    clock.now += timedelta(seconds=2.5)  # 41 lapsed; 42's lease has 1.5 s left, more than a quarter lease
    assert [t.update_id for t in await survivor.take_over(10)] == [41]
    clock.now += timedelta(seconds=1.6)
    assert [t.update_id for t in await survivor.take_over(10)] == [42]
    assert await survivor.seconds_to_lapse() is None, "nobody else holds anything"
