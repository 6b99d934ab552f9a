"""Opt-in follow-ups through the emulator: /subscriptions, toggles, /stop, the Stop button and /forget."""

from __future__ import annotations

from bot.broadcasts.store import BroadcastStore
from bot.privacy import user_key
from tests.botfixtures import Harness


async def test_nobody_is_subscribed_by_default_and_toggles_work(harness: Harness) -> None:
    """A new user receives nothing until they tap a topic; the list shows what they receive."""
    user = harness.user(5001)
    store = BroadcastStore(harness.services.storage)
    key = user_key(harness.services.user_secret, 5001)
    await user.send("/start")
    assert await store.topics(key) == frozenset()
    await user.send("/subscriptions")
    assert user.last_message.buttons[:2] == [["➕ Before I leave"], ["➕ Scam alerts"]]
    await user.press("➕ Before I leave")
    assert user.callback_answers[-1].text == "You will receive: Before I leave"
    assert user.last_message.buttons[0] == ["✅ Before I leave"]
    assert await store.topics(key) == {"before-you-leave"}
    await user.press("✅ Before I leave")
    assert await store.topics(key) == frozenset()
    harness.emu.assert_clean()


async def test_stop_and_forget_remove_every_subscription(harness: Harness) -> None:
    """/stop leaves every topic; /forget deletes the rows with everything else."""
    user = harness.user(5002, language_code="th")
    store = BroadcastStore(harness.services.storage)
    key = user_key(harness.services.user_secret, 5002)
    await user.send("/subscribe")
    await user.press("➕ เตือนภัยมิจฉาชีพ")
    await user.press("➕ ก่อนฉันออกเดินทาง")
    assert await store.topics(key) == {"before-you-leave", "scam-alerts"}
    await user.send("/stop")
    assert await store.topics(key) == frozenset()
    assert "/subscriptions" in user.last_message.text
    await user.send("/subscribe")
    await user.press("➕ เตือนภัยมิจฉาชีพ")
    assert await harness.services.storage.forget_user(key)
    assert await store.topics(key) == frozenset()
    harness.emu.assert_clean()


async def test_changing_language_changes_the_language_of_follow_ups(harness: Harness) -> None:
    """A subscriber who picks another language gets broadcasts in it."""
    user = harness.user(5003)
    store = BroadcastStore(harness.services.storage)
    key = user_key(harness.services.user_secret, 5003)
    await user.send("/subscribe")
    await user.press("➕ Before I leave")
    await user.send("/language")
    await user.press("ไทย")
    assert await store.locales(key) == {"th"}
    harness.emu.assert_clean()


async def test_the_topics_say_before_the_tap_how_often_what_is_kept_and_who_may_see(harness: Harness) -> None:
    """In every language: messages come only when the team writes one (how many so far), what is kept until
    /stop or /forget, and that anyone looking at the phone can read them."""
    live = harness.services.live.current
    written = len(live.content.documents.get("broadcasts") or {})
    for number, locale in enumerate(live.content.locales):
        ui = live.ui(locale)
        user = harness.user(5100 + number, "Sub", locale.replace("_", "-"))
        await user.send("/subscriptions")
        assert ui.t("subscriptions.what_follows", count=written) in (user.last_message.text or ""), locale
    harness.emu.assert_clean()
