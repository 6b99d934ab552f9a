"""Write a batch of counter increments and sketches in one transaction, safe for concurrent replicas."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.analytics import hll
from bot.analytics.keys import CellKey, CounterKey
from bot.storage import Storage
from bot.storage.schema import analytics_counters, analytics_uniques
from bot.storage.upsert import insert


async def _increment(connection: AsyncConnection, dialect: str, counters: Mapping[CounterKey, int]) -> None:
    statement = insert(dialect, analytics_counters)
    statement = statement.on_conflict_do_update(
        index_elements=list(analytics_counters.primary_key.columns),
        set_={"count": analytics_counters.c.count + statement.excluded["count"]},
    )
    # Sorted, so two replicas lock rows in the same order and cannot deadlock.
    rows = [
        {
            "day": key.day,
            "campaign": key.campaign,
            "locale": key.locale,
            "event": key.event,
            "node": key.node,
            "detail": key.detail,
            "count": count,
        }
        for key, count in sorted(counters.items())
    ]
    await connection.execute(statement, rows)


async def _merge_sketch(connection: AsyncConnection, dialect: str, key: CellKey, registers: bytes) -> None:
    where = (
        analytics_uniques.c.day == key.day,
        analytics_uniques.c.campaign == key.campaign,
        analytics_uniques.c.locale == key.locale,
    )
    inserted = await connection.execute(
        insert(dialect, analytics_uniques)
        .values(day=key.day, campaign=key.campaign, locale=key.locale, registers=registers)
        .on_conflict_do_nothing(index_elements=list(analytics_uniques.primary_key.columns))
        .returning(analytics_uniques.c.day)
    )
    if inserted.first() is not None:
        return
    # Row lock on PostgreSQL; SQLite already holds the database write lock from the insert above.
    selected = await connection.execute(sa.select(analytics_uniques.c.registers).where(*where).with_for_update())
    current: bytes = selected.scalar_one()
    merged = hll.merge(current, registers)
    await connection.execute(sa.update(analytics_uniques).where(*where).values(registers=bytes(merged)))


async def write_batch(
    storage: Storage,
    counters: Mapping[CounterKey, int],
    sketches: Mapping[CellKey, bytes | bytearray],
    *,
    delete_before: date | None = None,
) -> None:
    """Add `counters`, merge `sketches` and optionally delete data older than `delete_before`, atomically."""
    async with storage.engine.begin() as connection:
        if counters:
            await _increment(connection, storage.dialect, counters)
        for key in sorted(sketches):
            await _merge_sketch(connection, storage.dialect, key, bytes(sketches[key]))
        if delete_before is not None:
            for table in (analytics_counters, analytics_uniques):
                await connection.execute(sa.delete(table).where(table.c.day < delete_before))
