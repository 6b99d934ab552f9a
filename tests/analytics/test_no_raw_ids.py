"""After every feature has run, no raw Telegram id is anywhere in the database, in any table or column."""

from __future__ import annotations

import sqlalchemy as sa

from bot.analytics import AnalyticsRecorder, Event
from bot.privacy import user_key
from bot.storage import Storage

RAW_IDS = [7_700_123_456, 5_512_345_678, 987_654_321]
SECRET = b"server-secret"


def _needles(telegram_id: int) -> list[bytes]:
    return [
        str(telegram_id).encode(),
        telegram_id.to_bytes(8, "big"),
        telegram_id.to_bytes(8, "little"),
    ]


async def test_no_table_holds_a_raw_telegram_id(storage: Storage) -> None:
    recorder = AnalyticsRecorder(storage, SECRET)
    for n, telegram_id in enumerate(RAW_IDS):
        key = user_key(SECRET, telegram_id)
        await storage.update_user(key, locale="my", country="TH", home_country="MM", home_country_asked=True)
        await storage.set_campaign_if_absent(key, "poster-bkk")
        await storage.update_user(key, blocked=True)
        await storage.claim_update(n)
        recorder.record(Event.START, locale="my", campaign="poster-bkk", user_key=key)
        recorder.record(Event.HELPLINE_SHOWN, locale="my", campaign="poster-bkk", node="help/th", user_key=key)
    await storage.set_file_id(1, "poster.jpg", "AgACAgIAAxkBAAIB")
    await recorder.close()

    async with storage.engine.connect() as connection:
        names = await connection.run_sync(lambda c: sa.inspect(c).get_table_names())
        assert {"users", "analytics_counters", "analytics_uniques"} <= set(names)
        scanned = 0
        for name in names:
            table = sa.Table(name, sa.MetaData())
            await connection.run_sync(lambda c, t=table: sa.inspect(c).reflect_table(t, None))
            for row in await connection.execute(sa.select(table)):
                for column, value in row._mapping.items():
                    if value is None:
                        continue
                    raw = bytes(value) if isinstance(value, bytes | bytearray | memoryview) else str(value).encode()
                    for telegram_id in RAW_IDS:
                        for needle in _needles(telegram_id):
                            assert needle not in raw, f"{name}.{column} holds telegram id {telegram_id}"
                    scanned += 1
        assert scanned > 20  # the scan really looked at the data
