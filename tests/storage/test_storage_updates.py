"""claim_update lets exactly one process handle each update, even with many concurrent claimers."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.storage import Storage


async def test_an_update_is_claimed_once(storage: Storage) -> None:
    assert await storage.claim_update(10)
    assert not await storage.claim_update(10)
    assert await storage.claim_update(11)


async def test_two_replicas_claim_each_update_exactly_once(db_url: str) -> None:
    first, second = await Storage.open(db_url), await Storage.open(db_url)
    ids = list(range(1000, 1120))
    try:
        attempts = [(replica, update_id) for update_id in ids for replica in (first, second, first, second)]
        results = await asyncio.gather(*(replica.claim_update(update_id) for replica, update_id in attempts))
    finally:
        await first.close()
        await second.close()
    wins: dict[int, int] = dict.fromkeys(ids, 0)
    for (_, update_id), won in zip(attempts, results, strict=True):
        wins[update_id] += won
    assert set(wins.values()) == {1}


async def test_prune_forgets_only_old_claims(storage: Storage) -> None:
    await storage.claim_update(1)
    assert await storage.prune_updates(datetime.now(UTC) - timedelta(days=1)) == 0
    assert not await storage.claim_update(1)
    assert await storage.prune_updates(datetime.now(UTC) + timedelta(seconds=1)) == 1
    assert await storage.claim_update(1)
