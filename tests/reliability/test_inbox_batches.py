"""Grouped inbox writes and a restarted replica's own claims, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.storage import Storage
from bot.storage.inbox import Inbox
from bot.storage.owner import replica_owner
from tests.reliability.test_inbox import Clock, update


async def test_a_fetched_batch_is_stored_in_one_go_and_repeats_are_refused(storage: Storage) -> None:
    inbox = Inbox(storage.engine)
    assert await inbox.accept(3, update(3))
    stored = await inbox.accept_many([(1, update(1)), (2, update(2)), (3, update(3)), (2, update(2))])
    assert stored == [True, True, False, False], "3 was claimed before, the second 2 repeats the first"
    assert (await inbox.counts()).pending == 3
    assert await inbox.accept_many([]) == []


async def test_updates_arriving_together_share_transactions_and_each_gets_its_own_answer(storage: Storage) -> None:
    inbox = Inbox(storage.engine)
    ids = list(range(100, 160))
    accepted = await asyncio.gather(*(inbox.accept(i, update(i)) for i in [*ids, 100]))
    assert accepted.count(True) == len(ids) and accepted.count(False) == 1
    assert await asyncio.gather(*(inbox.begin(i) for i in ids)) == [1] * len(ids)
    assert await asyncio.gather(*(inbox.done(i) for i in [*ids, 999])) == [True] * len(ids) + [False]
    assert (await inbox.counts()).pending == 0
    batches = inbox._accepts.batches  # the grouping is what this test is about
    assert batches < len(ids) / 2, f"{len(ids)} accepts took {batches} transactions"


async def test_a_restarted_replica_takes_back_its_own_claims_at_once(storage: Storage) -> None:
    clock = Clock()
    before = Inbox(storage.engine, lease=3, owner="replica-a", clock=clock)
    other = Inbox(storage.engine, lease=3, owner="replica-b", clock=clock)
    assert await before.accept(41, update(41))
    assert await other.accept(42, update(42))
    # replica A is killed and started again under the same owner id: its lease has not lapsed yet
    after = Inbox(storage.engine, lease=3, owner="replica-a", clock=clock)
    assert await after.take_over(10) == [], "without own, a live lease is left alone"
    taken = await after.take_over(10, own=True)
    assert [t.update_id for t in taken] == [41], "its own update at once, never the other replica's live one"
    assert await after.begin(41) == 1


def test_the_owner_id_survives_a_restart_and_is_never_shared(tmp_path: Path) -> None:
    first = replica_owner(tmp_path)
    assert first.kept
    second = replica_owner(tmp_path)  # another process on the same data directory, while the first runs
    assert not second.kept and second.owner != first.owner
    first.release()
    again = replica_owner(tmp_path)  # the first one restarted
    assert again.kept and again.owner == first.owner
    again.release()
