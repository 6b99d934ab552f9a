"""What the desk keeps must hold across a restart and across replicas: a report half answered, the rate limit, the
out-of-hours notice; idle cases close and old rows go on a timer, once however many replicas sweep. Through the
emulator, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.handoff import desk
from bot.handoff.sweeper import Sweeper
from bot.privacy import user_key
from bot.storage.cases import CaseStore
from bot.storage.desk_health import DeskHealthStore
from bot.storage.drafts import DraftStore
from bot.storage.schema import handoff_cases
from tests.botfixtures import Harness
from tests.handoff.desk_harness import ADMIN, DESK, MYA, STAFF, desk_bot, open_case, topic_texts
from tests.privacy.test_nothing_personal_kept import table_leaks


def _key(harness: Harness, user_id: int) -> str:
    return user_key(harness.services.user_secret, user_id)


async def _start_report(harness: Harness, user_id: int) -> None:
    person = harness.emu.user(user_id, "Mya Mya", language_code="en", username="mya_secret")
    await person.send("/helpline")
    await person.press(harness.services.live.current.ui("en").t("button.report"))


async def test_a_report_half_answered_before_a_restart_reaches_the_desk_whole(harness: Harness) -> None:
    ui = harness.services.live.current.ui("en")
    await _start_report(harness, MYA)
    mya = harness.emu.user(MYA)
    await mya.send("A recruiter asked for 2000 dollars for a factory job")
    await mya.send("Malaysia")
    assert mya.last_message.text == ui.t("report.ask_who")
    drafts = await DraftStore(harness.services.storage.engine).get(_key(harness, MYA), desk.drafts_since())
    assert drafts is not None and drafts.step == "who" and drafts.what_id is not None
    assert await table_leaks(harness, ["2000 dollars", "Malaysia", "Mya Mya", str(MYA)]) == []  # ids, not text

    harness.services.handoff.forget(_key(harness, MYA))  # what a restart, or another replica, does not hold
    await mya.send("Golden Jobs Agency, facebook.com/goldenjobs")
    await mya.press(ui.t("button.done"))
    await mya.press(ui.t("button.follow_no"))

    topic = harness.emu.group(DESK).topics[0]
    texts = topic_texts(harness, topic.thread_id)
    report = texts[1]
    assert "Golden Jobs Agency" in report  # answered after the restart: written into the report
    assert report.count(ui.t("desk.answer_copied")) == 2  # the two answers from before point to their copies
    assert texts[2:4] == ["A recruiter asked for 2000 dollars for a factory job", "Malaysia"]  # copied, in order
    copies = [m for m in harness.emu.group(DESK).thread(topic.thread_id)[2:4]]
    assert all(m.from_bot and m.sender_id is None for m in copies)  # copies by the bot: no sender shown
    assert any("without your name" in (m.text or "") for m in mya.bot_messages)
    assert await DraftStore(harness.services.storage.engine).get(_key(harness, MYA), desk.drafts_since()) is None


async def test_a_long_answer_is_copied_whole_after_the_report(harness: Harness) -> None:
    ui = harness.services.live.current.ui("en")
    await _start_report(harness, MYA)
    mya = harness.emu.user(MYA)
    story = "It started when an agent came to our village. " * 40 + "The end of my story."
    await mya.send(story)
    await mya.press(ui.t("button.skip"))
    await mya.press(ui.t("button.skip"))
    await mya.press(ui.t("button.done"))
    await mya.press(ui.t("button.follow_no"))
    texts = topic_texts(harness, harness.emu.group(DESK).topics[0].thread_id)
    assert ui.t("desk.answer_copied") in texts[1] and "The end of my story." not in texts[1]
    assert texts[2] == story  # nothing the person wrote is cut off


async def test_a_report_is_claimed_once_and_again_only_after_a_crash(harness: Harness) -> None:
    """Presses of one chat run one after the other (the inbox's lanes): a second press of the last button finds the
    report gone. A report left half-sent by a crash is claimed again when its press is run again: it may reach the
    desk twice, never not at all."""
    store = DraftStore(harness.services.storage.engine)
    key, since = _key(harness, MYA), desk.drafts_since()
    await store.start(key)
    first = await store.claim(key, since)
    assert first is not None and first.step == "sending"
    assert await store.get(key, since) is None  # no longer takes answers: messages go to search again
    again = await store.claim(key, since)  # the press run again after a crash mid-send
    assert again is not None and again.step == "sending"
    await store.drop(key)  # sent
    assert await store.claim(key, since) is None  # a second press after the send: nothing to send


async def test_a_report_waits_when_the_desk_cannot_be_reached_and_goes_when_it_is_back(harness: Harness) -> None:
    ui = harness.services.live.current.ui("en")
    await _start_report(harness, MYA)
    mya = harness.emu.user(MYA)
    await mya.send("Fake visa sold by an agent in Dhaka")
    await mya.press(ui.t("button.skip"))
    await mya.press(ui.t("button.skip"))
    await mya.press(ui.t("button.done"))
    question = mya.last_message.message_id
    group = harness.emu.group(DESK)
    await group.remove_bot(by=STAFF)
    await mya.press(ui.t("button.follow_no"), message_id=question)
    assert any(m.text == ui.t("handoff.unavailable") for m in mya.bot_messages)  # told, never silence
    assert group.topics == []

    await group.set_bot_status("administrator", by=STAFF)
    await mya.press(ui.t("button.follow_no"), message_id=question)  # the same button, once the desk is back
    (topic,) = group.topics
    assert "Fake visa sold by an agent in Dhaka" in topic_texts(harness, topic.thread_id)[1]


async def test_past_the_rate_limit_the_person_is_asked_to_wait_and_nothing_is_relayed(tmp_path: Path) -> None:
    async with desk_bot(tmp_path, handoff_rate_limit=3) as harness:
        await open_case(harness, MYA, "Mya", "m", language="en")
        mya = harness.emu.user(MYA)
        for number in range(1, 5):
            await mya.send(f"message number {number}")
        topic = harness.emu.group(DESK).topics[0]
        texts = topic_texts(harness, topic.thread_id)
        assert [t for t in texts if t.startswith("message number")] == [f"message number {n}" for n in (1, 2, 3)]
        assert mya.last_message.text == harness.services.live.current.ui("en").t("handoff.slow_down")


async def test_the_rate_window_and_the_closed_notice_are_shared_and_start_again(tmp_path: Path, db_url: str) -> None:
    async with desk_bot(tmp_path, db_url) as harness:
        await open_case(harness, MYA, "Mya", "m")
        case = await CaseStore(harness.services.storage.engine).open_for(_key(harness, MYA))
        assert case is not None
        # Two replicas are two CaseStores on one database: they count against one window.
        first, second = CaseStore(harness.services.storage.engine), CaseStore(harness.services.storage.engine)
        now = datetime.now(UTC)
        window = timedelta(minutes=10)
        counts = [await store.count_relayed(case.case_no, window, now) for store in (first, second, first)]
        assert counts == [1, 2, 3]
        assert await second.count_relayed(case.case_no, window, now + timedelta(minutes=11)) == 1  # a new window
        every = timedelta(hours=6)
        told = [await store.mark_told_closed(case.case_no, every, now) for store in (first, second)]
        assert told == [True, False]
        assert await first.mark_told_closed(case.case_no, every, now + timedelta(hours=7))


async def _wait_until(condition: object, what: str) -> None:
    assert callable(condition)
    for _ in range(200):
        if condition():
            return
        await asyncio.sleep(0.05)
    pytest.fail(f"never happened: {what}")


async def test_an_idle_case_closes_on_the_timer_once_with_two_replicas_sweeping(harness: Harness) -> None:
    await open_case(harness, MYA, "Mya", "m")
    mya = harness.emu.user(MYA)
    await mya.send("hello, is anyone there?")
    later = datetime.now(UTC) + timedelta(hours=harness.services.settings.handoff_idle_hours, minutes=1)
    sweepers = [Sweeper(harness.app, harness.services, every=0.05, clock=lambda: later) for _ in range(2)]
    for sweeper in sweepers:
        sweeper.start()
    group = harness.emu.group(DESK)
    try:
        await _wait_until(lambda: group.topics[0].closed, "the idle case's topic closed")
        await _wait_until(lambda: all(s.sweeps >= 2 for s in sweepers), "both replicas swept twice")
    finally:
        for sweeper in sweepers:
            await sweeper.stop()
    ended = harness.services.live.current.ui("my").t("handoff.ended_idle")
    assert [m.text for m in mya.bot_messages].count(ended) == 1  # told once, not once per replica
    closed_idle = harness.services.live.current.ui("en").t("desk.closed_idle", hours="72")
    assert topic_texts(harness, group.topics[0].thread_id).count(closed_idle) == 1
    assert await CaseStore(harness.services.storage.engine).open_for(_key(harness, MYA)) is None


async def test_the_timer_deletes_closed_cases_and_abandoned_reports_after_their_time(harness: Harness) -> None:
    await open_case(harness, MYA, "Mya", "m")
    await harness.emu.group(DESK).post(STAFF, "/close", thread_id=harness.emu.group(DESK).topics[0].thread_id)
    await _start_report(harness, 7003)
    await harness.emu.user(7003).send("half a report")
    engine = harness.services.storage.engine
    days = harness.services.settings.handoff_retention_days
    later = datetime.now(UTC) + timedelta(days=days, hours=1)
    sweeper = Sweeper(harness.app, harness.services, every=0.05, clock=lambda: later)
    sweeper.start()
    try:
        await _wait_until(lambda: sweeper.sweeps >= 1, "one sweep")
    finally:
        await sweeper.stop()
    async with engine.connect() as connection:
        assert (await connection.execute(sa.select(sa.func.count()).select_from(handoff_cases))).scalar() == 0
    assert await DraftStore(engine).get(_key(harness, 7003), datetime.now(UTC) - timedelta(days=365)) is None


async def test_the_running_bot_sweeps_without_any_message(harness: Harness) -> None:
    """The sweep is a job of the started Application (polling, webhook, preview), not a side effect of traffic."""
    await open_case(harness, MYA, "Mya", "m")
    engine = harness.services.storage.engine
    long_ago = datetime.now(UTC) - timedelta(hours=harness.services.settings.handoff_idle_hours + 1)
    async with engine.begin() as connection:
        await connection.execute(sa.update(handoff_cases).values(last_activity_at=long_ago))
    await harness.app.start()  # the first sweep runs at start
    try:
        await _wait_until(lambda: harness.emu.group(DESK).topics[0].closed, "the idle case closed by the timer")
    finally:
        await harness.app.stop()


async def test_the_desk_speaks_the_language_it_is_set_to(tmp_path: Path) -> None:
    async with desk_bot(tmp_path, handoff_language="th") as harness:
        await open_case(harness, MYA, "Mya", "m")
        thai = harness.services.live.current.ui("th")
        topic = harness.emu.group(DESK).topics[0]
        assert topic.name.startswith(thai.t("desk.topic_case", case="0001"))
        assert topic_texts(harness, topic.thread_id)[1] == thai.t(
            "desk.new_case", case="0001", language="my", country="?"
        )
        await harness.emu.group(DESK).post(STAFF, "/close", thread_id=topic.thread_id)
        assert thai.t("desk.closed") in topic_texts(harness, topic.thread_id)
        mya = harness.emu.user(MYA)
        assert mya.last_message.text == harness.services.live.current.ui("my").t("handoff.ended_by_staff")


async def test_the_admins_hear_of_a_desk_outage_once_whichever_replica_meets_it(harness: Harness) -> None:
    """Replicas share whether the desk can be reached: an outage is reported once, and again only after it ended."""
    group, admin = harness.emu.group(DESK), harness.emu.user(ADMIN)
    await group.remove_bot(by=STAFF)
    assert len(admin.bot_messages) == 1
    harness.services.handoff.desk_down = None  # another replica: it has not seen the outage itself
    await open_case(harness, MYA, "Mya", "m")  # it meets the outage when the person asks for a person
    ui = harness.services.live.current.ui("my")
    assert any(m.text == ui.t("handoff.unavailable") for m in harness.emu.user(MYA).bot_messages)  # never silence
    assert len(admin.bot_messages) == 1, "the admins were told once"
    health = DeskHealthStore(harness.services.storage.engine)
    assert await health.down_reason(DESK) is not None

    await group.set_bot_status("administrator", by=STAFF)  # added back: recorded for every replica
    assert await health.down_reason(DESK) is None
    await group.remove_bot(by=STAFF)  # a new outage is news again
    assert len(admin.bot_messages) == 2
    assert await table_leaks(harness, [str(MYA), "Mya"]) == []


async def test_a_hanging_sweep_does_not_hold_up_a_stop(
    harness: Harness, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """SIGTERM must stop the bot even when the database or Telegram hangs under a sweep."""
    from bot.handoff import sweeper as sweeper_module

    started = asyncio.Event()

    async def hanging(*args: object, **kwargs: object) -> None:
        started.set()
        await asyncio.Event().wait()

    monkeypatch.setattr(desk, "sweep", hanging)
    monkeypatch.setattr(sweeper_module, "STOP_WITHIN", 0.2)
    sweeper = Sweeper(harness.app, harness.services, every=0.05)
    sweeper.start()
    await asyncio.wait_for(started.wait(), 5)
    await asyncio.wait_for(sweeper.stop(), 5)
    assert "still running" in caplog.text
