"""Read the aggregate counters back for reports: rows, totals, per-day figures, unique users and the funnel."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa

from bot.analytics import hll
from bot.analytics.events import FUNNEL, Event
from bot.storage import Storage
from bot.storage.schema import analytics_counters, analytics_uniques


@dataclass(frozen=True, slots=True)
class Row:
    """One stored counter."""

    day: date
    campaign: str
    locale: str
    event: str
    node: str
    detail: str
    count: int


@dataclass(frozen=True, slots=True)
class FunnelStep:
    """One step of the funnel with its count and its share of the first step (0..1)."""

    event: Event
    count: int
    share: float


@dataclass(frozen=True, slots=True)
class DayFigures:
    """One day's counts per event and its estimated number of distinct users."""

    day: date
    counts: Mapping[Event, int]
    unique_users: int


@dataclass(frozen=True, slots=True)
class Summary:
    """Everything a report shows for a period: data only, the caller formats and translates it."""

    since: date
    until: date
    campaign: str | None
    days: tuple[DayFigures, ...]
    totals: Mapping[Event, int]
    funnel: tuple[FunnelStep, ...]
    top_nodes: tuple[tuple[str, int], ...]
    locales: tuple[tuple[str, int], ...]
    failed_numbers: tuple[tuple[str, int], ...] = ()  # "this number did not work", per directory entry


def _check_period(since: date, until: date) -> None:
    if since > until:
        raise ValueError(f"the period starts ({since}) after it ends ({until})")


async def query(storage: Storage, since: date, until: date, campaign: str | None = None) -> list[Row]:
    """Return every counter between `since` and `until` inclusive (campaign "" means no campaign)."""
    _check_period(since, until)
    table = analytics_counters
    statement = sa.select(table).where(table.c.day >= since, table.c.day <= until)
    if campaign is not None:
        statement = statement.where(table.c.campaign == campaign)
    statement = statement.order_by(*table.primary_key.columns)
    async with storage.engine.connect() as connection:
        result = await connection.execute(statement)
        return [Row(**row._asdict()) for row in result]


async def unique_users_per_day(
    storage: Storage, since: date, until: date, campaign: str | None = None
) -> dict[date, int]:
    """Estimate distinct users per day (every day of the period, zero when none), merging all sketches."""
    _check_period(since, until)
    table = analytics_uniques
    statement = sa.select(table.c.day, table.c.registers).where(table.c.day >= since, table.c.day <= until)
    if campaign is not None:
        statement = statement.where(table.c.campaign == campaign)
    merged: dict[date, bytearray] = {}
    async with storage.engine.connect() as connection:
        for day, registers in await connection.execute(statement):
            current = merged.get(day)
            merged[day] = bytearray(registers) if current is None else hll.merge(current, registers)
    return {day: hll.estimate(merged[day]) if day in merged else 0 for day in _days(since, until)}


def _days(since: date, until: date) -> list[date]:
    return [since + timedelta(days=n) for n in range((until - since).days + 1)]


def totals(rows: Iterable[Row]) -> dict[Event, int]:
    """Return the total of each event (every event present, zero when unseen)."""
    counts: Counter[str] = Counter()
    for row in rows:
        counts[row.event] += row.count
    return {event: counts[event.value] for event in Event}


def per_day(rows: Iterable[Row], since: date, until: date) -> dict[date, dict[Event, int]]:
    """Return each day's total per event (every day and event present)."""
    grouped: dict[date, list[Row]] = defaultdict(list)
    for row in rows:
        grouped[row.day].append(row)
    return {day: totals(grouped[day]) for day in _days(since, until)}


def funnel(rows: Iterable[Row]) -> tuple[FunnelStep, ...]:
    """Return start -> node_view -> helpline_shown as event counts (not people: no ids are kept)."""
    counts = totals(rows)
    first = counts[FUNNEL[0]]
    return tuple(FunnelStep(event, counts[event], counts[event] / first if first else 0.0) for event in FUNNEL)


def top(rows: Iterable[Row], event: Event, field: str, limit: int = 10) -> tuple[tuple[str, int], ...]:
    """Return the `limit` most frequent values of `field` ("node", "locale", ...) for `event`."""
    counts: Counter[str] = Counter()
    for row in rows:
        if row.event == event.value:
            counts[getattr(row, field)] += row.count
    return tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit])


async def summarize(storage: Storage, since: date, until: date, campaign: str | None = None) -> Summary:
    """Build the report for a period: daily figures, totals, funnel, most-read pages and locales."""
    rows = await query(storage, since, until, campaign)
    uniques = await unique_users_per_day(storage, since, until, campaign)
    daily = per_day(rows, since, until)
    return Summary(
        since=since,
        until=until,
        campaign=campaign,
        days=tuple(DayFigures(day, daily[day], uniques[day]) for day in _days(since, until)),
        totals=totals(rows),
        funnel=funnel(rows),
        top_nodes=top(rows, Event.NODE_VIEW, "node"),
        locales=top(rows, Event.START, "locale"),
        failed_numbers=tuple(item for item in top(rows, Event.NUMBER_FAILED, "detail", 50) if item[1] > 0),
    )
