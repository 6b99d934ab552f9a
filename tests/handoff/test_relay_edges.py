"""The relay at its edges: voice notes, a staff photo, a bot that may no longer manage topics, a topic staff deleted."""

from __future__ import annotations

from datetime import UTC, datetime

from babel import Locale
from telegram import Chat, Message

from bot.handoff import desk
from bot.privacy import user_key
from bot.storage.cases import CaseStore
from tests.botfixtures import Harness
from tests.handoff.desk_harness import ADMIN, DESK, MYA, STAFF, open_case, topic_texts


async def test_a_voice_note_goes_to_the_desk_and_a_staff_photo_comes_back(harness: Harness) -> None:
    await open_case(harness, MYA, "Mya", "m")
    mya, group = harness.emu.user(MYA), harness.emu.group(DESK)
    await mya.send_voice(b"a voice note in Burmese")
    topic = group.topics[0]
    voices = [m for m in group.thread(topic.thread_id) if m.media is not None and m.media.kind == "voice"]
    assert len(voices) == 1 and voices[0].from_bot and voices[0].sender_id is None
    await group.post_photo(STAFF, b"the contract clause", caption="Look at clause 4", thread_id=topic.thread_id)
    photo = mya.last_message
    assert photo.media is not None and photo.media.kind == "photo" and photo.caption == "Look at clause 4"
    harness.emu.assert_clean()


async def test_a_bot_that_may_no_longer_manage_topics_is_reported_and_people_are_told(harness: Harness) -> None:
    group = harness.emu.group(DESK)
    await group.set_bot_status("administrator", by=STAFF, can_manage_topics=False)
    admin = harness.emu.user(ADMIN)
    assert admin.bot_messages and "manage topics" in (admin.last_message.text or "")
    await open_case(harness, MYA, "Mya", "m")
    ui = harness.services.live.current.ui("my")
    assert any(m.text == ui.t("handoff.unavailable") for m in harness.emu.user(MYA).bot_messages)
    assert group.topics == []
    await group.set_bot_status("administrator", by=STAFF, can_manage_topics=True)
    await open_case(harness, MYA, "Mya", "m")
    assert len(group.topics) == 1  # the right restored: cases open again


async def test_a_topic_staff_deleted_continues_in_a_new_one_without_troubling_the_person(harness: Harness) -> None:
    await open_case(harness, MYA, "Mya", "m")
    mya, group = harness.emu.user(MYA), harness.emu.group(DESK)
    await mya.send("first message")
    old = group.topics[0]
    group.delete_topic(old.thread_id, by=STAFF)
    before = len(mya.bot_messages)
    await mya.send("second message, after the topic was deleted")
    (new,) = group.topics
    assert new.thread_id != old.thread_id and new.name.startswith("Case 0002")
    texts = topic_texts(harness, new.thread_id)
    assert "case 0001" in texts[1].lower()  # staff see which case it continues
    assert texts[-1] == "second message, after the topic was deleted"
    assert len(mya.bot_messages) == before  # nothing to tell the person: their message arrived
    assert not harness.emu.user(ADMIN).bot_messages  # the desk is fine: no alarm for the admins
    key = user_key(harness.services.user_secret, MYA)
    case = await CaseStore(harness.services.storage.engine).open_for(key)
    assert case is not None and case.case_no == 2 and case.thread_id == new.thread_id
    await group.post(STAFF, "We see your message", thread_id=new.thread_id)
    assert mya.last_message.text == "We see your message"
    refused = [(r.method, r.description) for r in harness.emu.errors]
    assert refused == [("copyMessage", "Bad Request: message thread not found")]  # how the bot learns; once


async def test_a_location_shared_in_a_case_reaches_the_caseworker_and_still_brings_the_numbers(
    harness: Harness,
) -> None:
    await open_case(harness, MYA, "Mya", "m")
    mya, group = harness.emu.user(MYA), harness.emu.group(DESK)
    await mya.share_location(3.1390, 101.6869)
    topic = group.topics[0]
    shared = [m for m in group.thread(topic.thread_id) if m.location is not None]
    assert len(shared) == 1 and shared[0].from_bot and shared[0].sender_id is None  # a copy, for the caseworker
    assert [m for m in mya.messages if m.location is not None] == []  # gone from the person's chat
    ui = harness.services.live.current.ui("my")
    assert ui.t("handoff.location_sent") in [m.text for m in mya.bot_messages]
    # The numbers still come with zero taps: the helplines of where the person is are the last thing on screen.
    assert ui.t("helpline.heading", country=Locale.parse("my").territories["MY"]) in (mya.last_message.text or "")
    harness.emu.assert_clean()


async def test_a_message_telegram_cannot_copy_is_no_desk_outage(harness: Harness) -> None:
    """A kind of message Telegram does not copy (a quiz poll), or one deleted before it was copied: the person is
    asked to send it another way; the desk stays available and the admins are not alarmed."""
    await open_case(harness, MYA, "Mya", "m")
    key = user_key(harness.services.user_secret, MYA)
    case = await CaseStore(harness.services.storage.engine).open_for(key)
    assert case is not None
    bot = harness.app.bot
    gone = Message(9999, datetime.now(UTC), Chat(MYA, Chat.PRIVATE), text="deleted before it was copied")
    gone.set_bot(bot)
    live = harness.services.live.current
    assert await desk.relay_to_desk(bot, harness.services, live, case, gone) == "not_copyable"
    assert harness.services.handoff.desk_down is None
    assert not harness.emu.user(ADMIN).bot_messages
    assert await CaseStore(harness.services.storage.engine).open_for(key) is not None


async def test_a_person_who_blocks_the_bot_closes_their_case_at_once(harness: Harness) -> None:
    """Telegram tells the bot (my_chat_member, member → kicked): the case closes and the desk is told at once, and
    the person is marked so follow-ups skip them; restarting the bot unmarks them."""
    await open_case(harness, MYA, "Mya", "m")
    mya, group = harness.emu.user(MYA), harness.emu.group(DESK)
    key = user_key(harness.services.user_secret, MYA)
    await harness.services.storage.update_user(key, locale="my")  # the bot keeps settings for them
    await mya.block_bot()
    topic = group.topics[0]
    assert topic.closed
    assert harness.services.live.current.ui("en").t("desk.blocked") in topic_texts(harness, topic.thread_id)
    settings = await harness.services.storage.get_user(key)
    assert settings is not None and settings.blocked
    assert await CaseStore(harness.services.storage.engine).open_for(key) is None
    await mya.unblock_bot()
    settings = await harness.services.storage.get_user(key)
    assert settings is not None and not settings.blocked


async def test_blocking_stores_nothing_about_someone_the_bot_keeps_nothing_for(harness: Harness) -> None:
    person = harness.emu.user(7999, "Forgotten", language_code="en")
    await person.block_bot()
    assert await harness.services.storage.get_user(user_key(harness.services.user_secret, 7999)) is None
