"""Talk to a person through the emulator: consent, a topic per case, the relay both ways, closing from either side,
out of hours, /forget, a desk that removed the bot, an anonymous report; nothing personal in tables or logs."""

from __future__ import annotations

import logging

import pytest

from bot.handoff import desk
from bot.numbers import phone_pattern
from bot.privacy import user_key
from bot.storage.cases import CaseStore
from tests.botfixtures import Harness
from tests.handoff.desk_harness import ADMIN, AUNG, DESK, MYA, STAFF, open_case, topic_texts
from tests.privacy.test_nothing_personal_kept import leaks, table_leaks


async def test_a_case_from_consent_to_close_two_users_apart_and_nothing_personal_kept(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="bot")
    emu, group = harness.emu, harness.emu.group(DESK)
    await open_case(harness, MYA, "Mya Mya", "mya_secret")
    await open_case(harness, AUNG, "Aung Aung", "aung_secret")
    first, second = group.topics
    assert first.name.startswith("Case 0001") and "my" in first.name and second.name.startswith("Case 0002")
    for topic in (first, second):
        assert not any(s in topic.name for s in ("Mya", "Aung", "secret", str(MYA), str(AUNG)))
    mya, aung = emu.user(MYA), emu.user(AUNG)
    await mya.send("my agent keeps my passport in Johor")
    await mya.send_photo(b"contract page one", caption="contract")
    await aung.send("they did not pay me for three months")
    assert "my agent keeps my passport in Johor" in topic_texts(harness, first.thread_id)
    assert "contract" in topic_texts(harness, first.thread_id)
    assert "they did not pay me for three months" not in topic_texts(harness, first.thread_id)
    assert "they did not pay me for three months" in topic_texts(harness, second.thread_id)
    copies = [m for m in group.thread(first.thread_id) if m.from_bot and m.media is not None]
    assert copies and copies[0].sender_id is None  # a copy, not a forward: no sender shown

    await group.post(STAFF, "Can you send the page with the salary?", thread_id=first.thread_id)
    assert mya.last_message.text == "Can you send the page with the salary?"
    assert all("salary" not in (m.text or "") for m in aung.messages)
    await group.post(STAFF, "/page before-you-go/recruiters", thread_id=first.thread_id)
    assert mya.last_message.buttons  # the page, in Burmese, with its buttons
    await group.post(STAFF, "/page if-something-goes-wrong/act-now", thread_id=first.thread_id)
    assert phone_pattern().search(mya.last_message.text or ""), "a page that says to call comes with numbers"

    await group.post(STAFF, "/close", thread_id=first.thread_id)
    assert group.topic(first.name).closed
    assert mya.last_message.text == harness.services.live.current.ui("my").t("handoff.ended_by_staff")
    await mya.send("passport")  # back to search, not to the desk
    assert "passport" not in topic_texts(harness, first.thread_id)[-1]
    await aung.send("/endchat")
    assert group.topic(second.name).closed
    assert aung.last_message.text == harness.services.live.current.ui("my").t("handoff.ended_by_user")

    words = ["Mya Mya", "Aung Aung", "mya_secret", "aung_secret", str(MYA), str(AUNG), "Johor", "three months"]
    assert await table_leaks(harness, words) == []  # closed cases keep no chat id
    logged = [r.getMessage() for r in caplog.records if r.name.startswith("bot.") and not r.name.startswith("bot.emu")]
    assert [line for line in logged if leaks(line, words)] == []
    emu.assert_clean()


async def test_emergency_words_still_bring_the_help_card_first(harness: Harness) -> None:
    await open_case(harness, MYA, "Mya", "m")
    mya = harness.emu.user(MYA)
    before = len(mya.bot_messages)
    await mya.send("help")
    assert len(mya.bot_messages) > before  # the help card
    topic = harness.emu.group(DESK).topics[0]
    assert "help" in topic_texts(harness, topic.thread_id)


async def test_out_of_hours_the_message_waits_and_the_helplines_are_shown(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    await open_case(harness, MYA, "Mya", "m")
    monkeypatch.setattr(desk, "is_open_now", lambda live, now=None: False)
    mya = harness.emu.user(MYA)
    await mya.send("I need to talk to someone about my contract")
    topic = harness.emu.group(DESK).topics[0]
    assert "I need to talk to someone about my contract" in topic_texts(harness, topic.thread_id)
    texts = [m.text or "" for m in mya.bot_messages[-2:]]
    hours = desk.hours(harness.services.live.current)
    assert hours is not None and hours.describe("my", "myanmar") in texts[0]
    assert "Asia/Bangkok" not in texts[0], "a place people know, never a time-zone id"
    await mya.send("are you there?")  # told once, not after every message
    assert mya.bot_messages[-1].text == texts[-1]


async def test_forget_during_an_open_case_closes_it_and_deletes_the_mapping(harness: Harness) -> None:
    await open_case(harness, MYA, "Mya", "m")
    mya = harness.emu.user(MYA)
    ui = harness.services.live.current.ui("my")
    await mya.send("/forget")
    await mya.press(ui.t("button.forget_confirm"))
    group = harness.emu.group(DESK)
    assert group.topics[0].closed
    assert harness.services.live.current.ui("en").t("desk.forgotten") in topic_texts(harness, group.topics[0].thread_id)
    store = CaseStore(harness.services.storage.engine)
    assert await store.by_thread(group.topics[0].thread_id) is None
    assert await store.open_cases_of(user_key(harness.services.user_secret, MYA)) == []


async def test_a_desk_that_removed_the_bot_is_reported_and_people_are_told(harness: Harness) -> None:
    group = harness.emu.group(DESK)
    await group.remove_bot(by=STAFF)
    admin = harness.emu.user(ADMIN)
    assert "bot was kicked from the supergroup chat" in admin.last_message.text  # type: ignore[operator]
    await open_case(harness, MYA, "Mya", "m")
    mya = harness.emu.user(MYA)
    ui = harness.services.live.current.ui("my")
    assert any(m.text == ui.t("handoff.unavailable") for m in mya.bot_messages)
    assert mya.last_message.buttons  # the helplines follow
    assert len([m for m in admin.bot_messages]) == 1  # the admins are told once
    assert (
        await CaseStore(harness.services.storage.engine).open_for(user_key(harness.services.user_secret, MYA)) is None
    )


async def test_an_anonymous_report_arrives_with_no_identity(harness: Harness) -> None:
    mya = harness.emu.user(MYA, "Mya Mya", language_code="en", username="mya_secret")
    await mya.send("/helpline")
    ui = harness.services.live.current.ui("en")
    await mya.press(ui.t("button.report"))
    await mya.send("A recruiter asked for 2000 dollars for a factory job")
    await mya.send("Malaysia")
    await mya.send("Golden Jobs Agency, facebook.com/goldenjobs")
    await mya.send_photo(b"chat screenshot")
    await mya.press(ui.t("button.done"))
    await mya.press(ui.t("button.follow_no"))
    group = harness.emu.group(DESK)
    topic = group.topics[0]
    assert topic.name.startswith("Report 0001") and topic.closed
    report = topic_texts(harness, topic.thread_id)[1]
    assert "2000 dollars" in report and "Malaysia" in report and "Golden Jobs Agency" in report
    assert not any(word in report for word in ("Mya", "mya_secret", str(MYA)))
    assert any(m.media is not None for m in group.thread(topic.thread_id))
    assert any("without your name" in (m.text or "") for m in mya.bot_messages)
    await group.post(STAFF, "Which city?", thread_id=topic.thread_id)
    assert all("Which city?" not in (m.text or "") for m in mya.messages)  # no follow-up was allowed
    assert await table_leaks(harness, ["Mya Mya", "mya_secret", str(MYA), "2000 dollars", "Golden"]) == []
    harness.emu.assert_clean()
