"""Report queries: period and campaign filters, totals, per-day figures, funnel and summary."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.analytics import AnalyticsRecorder, Event
from bot.analytics.stats import FunnelStep, query, summarize
from bot.privacy import user_key
from bot.storage import Storage

DAY1 = datetime(2025, 5, 1, 9, tzinfo=UTC)


async def seed(storage: Storage) -> None:
    now = [DAY1]
    recorder = AnalyticsRecorder(storage, b"s", clock=lambda: now[0], retention_days=100_000)
    for offset, campaign in [(0, "poster"), (0, None), (1, "poster"), (3, "radio")]:
        now[0] = DAY1 + timedelta(days=offset)
        for n in range(4):
            user = user_key(b"u", n + 10 * offset)
            recorder.record(Event.START, locale="my", campaign=campaign, user_key=user)
            recorder.record(Event.NODE_VIEW, locale="my", campaign=campaign, node="fees", user_key=user)
            recorder.record(Event.NODE_VIEW, locale="my", campaign=campaign, node="visa", user_key=user)
        recorder.record(Event.HELPLINE_SHOWN, locale="my", campaign=campaign, node="help", user_key=user)
    await recorder.close()


async def test_query_filters_by_period_and_campaign(storage: Storage) -> None:
    await seed(storage)
    first, second = date(2025, 5, 1), date(2025, 5, 2)
    assert {row.day for row in await query(storage, first, second)} == {first, second}
    poster = await query(storage, first, date(2025, 5, 31), campaign="poster")
    assert {row.campaign for row in poster} == {"poster"}
    assert sum(row.count for row in poster if row.event == "start") == 8
    direct = await query(storage, first, date(2025, 5, 31), campaign="")
    assert sum(row.count for row in direct if row.event == "start") == 4
    with pytest.raises(ValueError):
        await query(storage, second, first)


async def test_summary_has_every_day_totals_funnel_and_top_pages(storage: Storage) -> None:
    await seed(storage)
    summary = await summarize(storage, date(2025, 5, 1), date(2025, 5, 5))
    assert [d.day.day for d in summary.days] == [1, 2, 3, 4, 5]
    assert [d.counts[Event.START] for d in summary.days] == [8, 4, 0, 4, 0]
    assert [d.unique_users for d in summary.days] == [4, 4, 0, 4, 0]  # the same 4 people on day 1
    assert summary.totals[Event.START] == 16 and summary.totals[Event.SEARCH_MISS] == 0
    assert summary.funnel == (
        FunnelStep(Event.START, 16, 1.0),
        FunnelStep(Event.NODE_VIEW, 32, 2.0),
        FunnelStep(Event.HELPLINE_SHOWN, 4, 0.25),
    )
    assert summary.top_nodes == (("fees", 16), ("visa", 16))
    assert summary.locales == (("my", 16),)


async def test_empty_period_gives_zeros(storage: Storage) -> None:
    summary = await summarize(storage, date(2024, 1, 1), date(2024, 1, 2), campaign="nobody")
    assert all(step.count == 0 and step.share == 0 for step in summary.funnel)
    assert [d.unique_users for d in summary.days] == [0, 0]
