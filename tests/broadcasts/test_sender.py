"""The sender through the emulator: 5,000 subscribers in 4 languages under flood limits, blocked users, resume."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from bot.app import build_application
from bot.broadcasts.model import broadcasts_of
from bot.broadcasts.sender import Sender, SendOptions
from bot.broadcasts.store import BroadcastStore
from bot.emulator.faults import FloodControl
from bot.privacy import user_key
from bot.storage.schema import subscriptions
from tests.botfixtures import Harness, running_bot

LOCALES = ("en", "my", "th", "fa_AF")
FIRST_ID = 700_000


async def subscribe_many(harness: Harness, count: int) -> dict[int, str]:
    """`count` simulated users subscribed to before-you-leave, languages in turn; their locale by id."""
    secret = harness.services.user_secret
    rows, locales = [], {}
    for index in range(count):
        user_id = FIRST_ID + index
        locale = LOCALES[index % len(LOCALES)]
        harness.emu.user(user_id, "Sub", language_code=locale.split("_")[0])
        locales[user_id] = locale
        rows.append(
            {
                "user_key": user_key(secret, user_id),
                "topic": "before-you-leave",
                "chat_id": user_id,
                "locale": locale,
                "subscribed_at": datetime.now(UTC),
            }
        )
    async with harness.services.storage.engine.begin() as connection:
        await connection.execute(sa.insert(subscriptions), rows)
    return locales


def sends(harness: Harness) -> list[dict[str, object]]:
    """Every sendMessage of a broadcast the emulator accepted or refused, in order."""
    return [
        {"chat": r.params.get("chat_id"), "ok": r.ok, "code": r.error_code}
        for r in harness.emu.requests
        if r.method == "sendMessage" and FIRST_ID <= int(r.params.get("chat_id") or 0) < FIRST_ID + 1_000_000
    ]


async def test_5000_subscribers_under_flood_limits_once_each(tmp_path: Path) -> None:
    """Each subscriber gets the broadcast once in their language (fallback for the rest); no 429 at all."""
    async with running_bot(tmp_path, broadcast_rate=2_000.0) as harness:
        emu = harness.emu
        emu.flood = FloodControl(emu.clock.monotonic, enabled=True, global_rate=2_500.0)
        locales = await subscribe_many(harness, 5_000)
        emu.user(FIRST_ID + 7).block()
        live = harness.services.live.current
        broadcast = broadcasts_of(live.content)["keep-copies"]
        app = build_application(harness.services, token=emu.token, base_url=emu.url, with_updater=False)
        async with app:
            options = SendOptions(concurrency=16)
            summary = await Sender(app.bot, harness.services.storage, live, broadcast, options).run()
        calls = sends(harness)
        delivered = Counter(call["chat"] for call in calls if call["ok"])
        assert summary.status == "done"
        assert sum(1 for call in calls if call["code"] == 429) == 0
        assert max(delivered.values()) == 1, "nobody gets it twice"
        assert summary.sent == 4_999 and summary.blocked == 1
        assert summary.total["sent"] == summary.sent and summary.total["pending"] == 0
        assert set(summary.by_locale) == set(LOCALES)
        thai = next(m for m in emu.user(FIRST_ID + 2).bot_messages if "ก่อนออกเดินทาง" in m.text)
        assert thai.buttons[-1] == ["หยุดข้อความเหล่านี้"]
        assert locales[FIRST_ID + 2] == "th"


async def test_resume_after_an_interrupted_run_sends_the_rest_once(tmp_path: Path) -> None:
    """A run stopped half-way (here: --limit) is resumed; together the runs deliver each message once."""
    async with running_bot(tmp_path, broadcast_rate=5_000.0) as harness:
        emu = harness.emu
        await subscribe_many(harness, 300)
        live = harness.services.live.current
        broadcast = broadcasts_of(live.content)["keep-copies"]
        app = build_application(harness.services, token=emu.token, base_url=emu.url, with_updater=False)
        async with app:
            first = await Sender(app.bot, harness.services.storage, live, broadcast, SendOptions(limit=120)).run()
            assert first.status == "partial" and first.sent == 120
            emu.user(FIRST_ID + 299).block()
            second = await Sender(app.bot, harness.services.storage, live, broadcast).run()
            third = await Sender(app.bot, harness.services.storage, live, broadcast).run()
        assert second.status == "done" and second.sent == 179 and second.blocked == 1
        assert third.status == "done" and third.sent == 0
        delivered = Counter(call["chat"] for call in sends(harness) if call["ok"])
        assert len(delivered) == 299 and max(delivered.values()) == 1
        settings = await harness.services.storage.get_user(user_key(harness.services.user_secret, FIRST_ID + 299))
        assert settings is not None and settings.blocked


async def test_stop_button_under_a_broadcast(tmp_path: Path) -> None:
    """The Stop these messages button ends the subscription and says so."""
    async with running_bot(tmp_path, broadcast_rate=1_000.0) as harness:
        emu = harness.emu
        await subscribe_many(harness, 2)
        live = harness.services.live.current
        broadcast = broadcasts_of(live.content)["keep-copies"]
        app = build_application(harness.services, token=emu.token, base_url=emu.url, with_updater=False)
        async with app:
            await Sender(app.bot, harness.services.storage, live, broadcast).run()
        user = emu.user(FIRST_ID)
        await user.press("Stop these messages")
        assert "no more messages about Before I leave" in user.last_message.text
        store = BroadcastStore(harness.services.storage)
        assert await store.topics(user_key(harness.services.user_secret, FIRST_ID)) == frozenset()
