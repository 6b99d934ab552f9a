"""The recorder: in-memory counting, exact batched flushes across replicas, sketches, retention."""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

import bot.analytics.recorder as recorder_module
from bot.analytics import AnalyticsRecorder, Event
from bot.analytics.stats import query, unique_users_per_day
from bot.privacy import user_key
from bot.storage import Storage
from bot.storage.schema import analytics_counters, analytics_uniques

SECRET = b"analytics-secret"
NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
TODAY = NOW.date()


class Clock:
    """A settable clock for the recorder."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def key(n: int) -> str:
    return user_key(b"user-secret", n)


async def stored_counts(storage: Storage) -> Counter[tuple[str, str, str, str, str]]:
    rows = await query(storage, date(2000, 1, 1), date(2100, 1, 1))
    return Counter({(r.campaign, r.locale, r.event, r.node, r.detail): r.count for r in rows})


async def test_record_touches_no_database(storage: Storage) -> None:
    recorder = AnalyticsRecorder(storage, SECRET, clock=Clock())
    await storage.close()
    recorder.record(Event.START, locale="my", campaign=None, user_key=key(1))
    assert recorder.pending == 1


async def test_counters_are_exact_across_two_replicas(db_url: str) -> None:
    first, second = await Storage.open(db_url), await Storage.open(db_url)
    replicas = [AnalyticsRecorder(s, SECRET, clock=Clock()) for s in (first, second)]
    expected: Counter[tuple[str, str, str, str, str]] = Counter()
    rng = random.Random(7)
    try:
        for round_ in range(3):
            for _ in range(400):
                event = rng.choice(list(Event))
                campaign, locale = rng.choice(["", "poster", "radio"]), rng.choice(["my", "km", "th"])
                node = rng.choice(["", "before-you-go/fees", "help"])
                rng.choice(replicas).record(
                    event, locale=locale, campaign=campaign or None, node=node, user_key=key(rng.randrange(50))
                )
                expected[(campaign, locale, event.value, node, "")] += 1
            await asyncio.gather(*(r.flush() for r in replicas))
            assert all(r.pending == 0 for r in replicas), round_
        assert await stored_counts(first) == expected
        assert abs((await unique_users_per_day(first, TODAY, TODAY))[TODAY] - 50) <= 1  # a sketch, not a list
    finally:
        await first.close()
        await second.close()


async def test_sketches_merge_across_replicas(db_url: str) -> None:
    first, second = await Storage.open(db_url), await Storage.open(db_url)
    try:
        a, b = (AnalyticsRecorder(s, SECRET, clock=Clock()) for s in (first, second))
        for n in range(3000):
            a.record(Event.START, locale="my", campaign="poster", user_key=key(n))
        for n in range(2000, 5000):
            b.record(Event.START, locale="my", campaign="poster" if n < 4000 else None, user_key=key(n))
        await asyncio.gather(a.close(), b.close())
        everyone = (await unique_users_per_day(first, TODAY, TODAY))[TODAY]
        poster = (await unique_users_per_day(first, TODAY, TODAY, campaign="poster"))[TODAY]
        assert abs(everyone - 5000) / 5000 < 0.05
        assert abs(poster - 4000) / 4000 < 0.05
    finally:
        await first.close()
        await second.close()


async def test_detail_and_node_are_kept_as_dimensions(storage: Storage) -> None:
    recorder = AnalyticsRecorder(storage, SECRET, clock=Clock())
    recorder.record(Event.QUIZ_FINISHED, locale="km", campaign="ngo", node="quiz/scam", detail="high", user_key=key(1))
    recorder.record(Event.QUIZ_FINISHED, locale="km", campaign="ngo", node="quiz/scam", detail="low", user_key=key(2))
    recorder.record(Event.QUIZ_FINISHED, locale="km", campaign="ngo", node="quiz/scam", detail="high", user_key=key(3))
    await recorder.close()
    assert await stored_counts(storage) == {
        ("ngo", "km", "quiz_finished", "quiz/scam", "high"): 2,
        ("ngo", "km", "quiz_finished", "quiz/scam", "low"): 1,
    }


@pytest.mark.parametrize(
    "labels",
    [
        {"node": "what is a visa?"},
        {"detail": "my passport number is 123"},
        {"campaign": "a campaign"},
        {"locale": "Burmese please"},
    ],
)
async def test_free_text_labels_are_refused(storage: Storage, labels: dict[str, str]) -> None:
    recorder = AnalyticsRecorder(storage, SECRET, clock=Clock())
    arguments: dict[str, str | None] = {"locale": "my", "campaign": None, "node": "", "detail": "", **labels}
    with pytest.raises(ValueError):
        recorder.record(Event.SEARCH_MISS, user_key=key(1), **arguments)  # type: ignore[arg-type]
    assert recorder.pending == 0


async def test_a_failed_flush_keeps_its_batch(storage: Storage, monkeypatch: pytest.MonkeyPatch) -> None:
    recorder = AnalyticsRecorder(storage, SECRET, clock=Clock())
    recorder.record(Event.START, locale="my", campaign=None, user_key=key(1))
    real = recorder_module.write_batch

    async def broken(*args: object, **kwargs: object) -> None:
        raise OSError("database went away")

    monkeypatch.setattr(recorder_module, "write_batch", broken)
    with pytest.raises(OSError):
        await recorder.flush()
    recorder.record(Event.START, locale="my", campaign=None, user_key=key(2))
    monkeypatch.setattr(recorder_module, "write_batch", real)
    await recorder.flush()
    assert await stored_counts(storage) == {("", "my", "start", "", ""): 2}
    assert (await unique_users_per_day(storage, TODAY, TODAY))[TODAY] == 2


async def test_close_flushes_after_start(storage: Storage) -> None:
    recorder = AnalyticsRecorder(storage, SECRET, flush_seconds=3600, clock=Clock())
    await recorder.start()
    recorder.record(Event.HELPLINE_SHOWN, locale="th", campaign=None, node="help", user_key=key(1))
    await recorder.close()
    assert await stored_counts(storage) == {("", "th", "helpline_shown", "help", ""): 1}


async def test_retention_deletes_old_days_once_a_day(storage: Storage) -> None:
    clock = Clock(NOW - timedelta(days=20))
    recorder = AnalyticsRecorder(storage, SECRET, retention_days=10, clock=clock)
    recorder.record(Event.START, locale="my", campaign=None, user_key=key(1))
    await recorder.flush()
    clock.now = NOW - timedelta(days=10)  # exactly at the limit: kept
    recorder.record(Event.START, locale="my", campaign=None, user_key=key(1))
    await recorder.flush()
    async with storage.engine.connect() as connection:
        days = set((await connection.execute(sa.select(analytics_counters.c.day))).scalars())
    assert days == {TODAY - timedelta(days=20), TODAY - timedelta(days=10)}
    clock.now = NOW
    await recorder.flush()
    async with storage.engine.connect() as connection:
        for table in (analytics_counters, analytics_uniques):
            days = set((await connection.execute(sa.select(table.c.day))).scalars())
            assert days == {TODAY - timedelta(days=10)}, table.name
