"""Alerts from the aggregate counters: "this number did not work" reports reaching a threshold in a UTC day.

The count is read from the counters every replica flushes. That the admins were told about an entry today is
itself an aggregate row of the counters (event `number_failed`, node `admins-told`, count 0, so no total
changes): inserting it succeeds for exactly one replica, which then tells the admins; nothing about any person is
read or written.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from bot.analytics.events import Event
from bot.storage import Storage
from bot.storage.schema import analytics_counters
from bot.storage.upsert import insert

TOLD = "admins-told"  # the node of the marker row: the admins were told about this entry on this day


async def reports_on(storage: Storage, event: Event, detail: str, day: date) -> int:
    """How many times `event` was counted for `detail` on `day`, over every campaign and language."""
    table = analytics_counters
    query = sa.select(sa.func.coalesce(sa.func.sum(table.c.count), 0)).where(
        table.c.day == day, table.c.event == event.value, table.c.detail == detail, table.c.node != TOLD
    )
    async with storage.engine.connect() as connection:
        return int((await connection.execute(query)).scalar_one())


async def claim_notice(storage: Storage, event: Event, detail: str, day: date) -> bool:
    """Mark that the admins are told about `detail` on `day`; True for the one caller that marked it first."""
    values = {"day": day, "campaign": "", "locale": "", "event": event.value, "node": TOLD, "detail": detail}
    statement = (
        insert(storage.dialect, analytics_counters)
        .values(**values, count=0)
        .on_conflict_do_nothing(index_elements=list(analytics_counters.primary_key.columns))
        .returning(analytics_counters.c.day)
    )
    async with storage.engine.begin() as connection:
        return (await connection.execute(statement)).first() is not None
