"""Supergroups with forum topics: topics, sends into a topic, copyMessage both ways, member status, the bot removed."""

from __future__ import annotations

from typing import Any

import pytest
from telegram import Bot, ChatMemberAdministrator, ChatMemberBanned, ChatMemberMember, Update
from telegram.error import BadRequest, Forbidden

from bot.emulator import Emulator

DESK = -1001234567890
STAFF = 501
USER = 7


def _desk(emu: Emulator, **options: Any) -> Any:
    group = emu.group(DESK, "NGO desk", **options)
    group.add_member(STAFF, "Case worker", status="administrator")
    return group


async def test_topics_open_take_messages_close_and_reopen(emu: Emulator, bot: Bot) -> None:
    group = _desk(emu)
    topic = await bot.create_forum_topic(DESK, "Case 0001 · my · TH")
    assert topic.name == "Case 0001 · my · TH" and topic.icon_color == 7322096
    sent = await bot.send_message(DESK, "A new case", message_thread_id=topic.message_thread_id)
    assert sent.message_thread_id == topic.message_thread_id and sent.is_topic_message
    assert sent.chat.type == "supergroup" and sent.chat.is_forum
    assert [m.text for m in group.thread(topic.message_thread_id)] == [None, "A new case"]
    assert group.thread(topic.message_thread_id)[0].service is not None
    with pytest.raises(BadRequest, match=r"(?i)^message thread not found$"):
        await bot.send_message(DESK, "lost", message_thread_id=9999)
    assert await bot.close_forum_topic(DESK, topic.message_thread_id)
    with pytest.raises(BadRequest, match=r"(?i)^topic_not_modified$"):
        await bot.close_forum_topic(DESK, topic.message_thread_id)
    assert group.topic("Case 0001 · my · TH").closed
    await bot.send_message(DESK, "admins may still write", message_thread_id=topic.message_thread_id)
    assert await bot.reopen_forum_topic(DESK, topic.message_thread_id)
    assert not group.topics[0].closed
    with pytest.raises(BadRequest, match=r"(?i)^message thread not found$"):
        await bot.close_forum_topic(DESK, 9999)
    with pytest.raises(BadRequest, match=r"(?i)^topic_title_empty$"):
        await bot.create_forum_topic(DESK, " ")


async def test_topics_need_a_forum_and_the_right_to_manage_them(emu: Emulator, bot: Bot) -> None:
    emu.group(-100777, "Plain group", forum=False)
    with pytest.raises(BadRequest, match=r"(?i)^the chat is not a forum$"):
        await bot.create_forum_topic(-100777, "x")
    _desk(emu, can_manage_topics=False)
    with pytest.raises(BadRequest, match=r"(?i)^not enough rights to create a topic$"):
        await bot.create_forum_topic(DESK, "x")
    with pytest.raises(BadRequest, match=r"(?i)^chat not found$"):
        await bot.send_message(-100999, "nobody")


async def test_copy_message_between_a_private_chat_and_a_topic(emu: Emulator, bot: Bot) -> None:
    group = _desk(emu)
    user = emu.user(USER, "Mya")
    topic = await bot.create_forum_topic(DESK, "Case 0002")
    thread = topic.message_thread_id
    update = await user.send("my employer took my passport")
    copied = await bot.copy_message(DESK, USER, update["message"]["message_id"], message_thread_id=thread)
    copy = group.messages[-1]
    assert copy.message_id == copied.message_id and copy.from_bot and copy.thread_id == thread
    assert copy.text == "my employer took my passport"
    photo = await user.send_photo(b"contract page", caption="page 1")
    await bot.copy_message(DESK, USER, photo["message"]["message_id"], message_thread_id=thread)
    assert group.messages[-1].media is not None and group.messages[-1].caption == "page 1"
    voice = await user.send_voice(b"OggS")
    await bot.copy_message(DESK, USER, voice["message"]["message_id"], message_thread_id=thread)
    assert group.messages[-1].media is not None and group.messages[-1].media.kind == "voice"
    reply = await group.post(STAFF, "Can you send the second page?", thread_id=thread)
    assert reply is not None
    message = reply["message"]
    assert message["message_thread_id"] == thread and message["is_topic_message"] is True
    assert message["from"]["id"] == STAFF and message["reply_to_message"]["forum_topic_created"]
    await bot.copy_message(USER, DESK, message["message_id"])
    assert user.last_message.text == "Can you send the second page?"
    with pytest.raises(BadRequest, match=r"(?i)^message to copy not found$"):
        await bot.copy_message(USER, DESK, 9999)
    with pytest.raises(BadRequest, match=r"(?i)^message can't be copied$"):
        await bot.copy_message(USER, DESK, thread)
    assert emu.calls("copyMessage")[0].result == {"message_id": copy.message_id}


async def test_member_status_and_the_bot_removed(emu: Emulator, bot: Bot) -> None:
    group = _desk(emu)
    emu.user(USER, "Mya")
    group.add_member(502, "Volunteer")
    me = await bot.get_chat_member(DESK, bot.id)
    assert isinstance(me, ChatMemberAdministrator) and me.can_manage_topics
    assert isinstance(await bot.get_chat_member(DESK, 502), ChatMemberMember)
    assert (await bot.get_chat_member(DESK, USER)).status == "left"
    with pytest.raises(BadRequest, match=r"(?i)^user not found$"):
        await bot.get_chat_member(DESK, 123456)
    chat = await bot.get_chat(DESK)
    assert chat.type == "supergroup" and chat.is_forum and chat.title == "NGO desk"
    update = await group.remove_bot(by=STAFF)
    changed = Update.de_json(update, bot).my_chat_member
    assert changed is not None and changed.chat.id == DESK and changed.from_user.id == STAFF
    assert changed.old_chat_member.status == "administrator"
    assert isinstance(changed.new_chat_member, ChatMemberBanned)
    with pytest.raises(Forbidden, match=r"(?i)^forbidden: bot was kicked from the supergroup chat$"):
        await bot.send_message(DESK, "still there?")
    with pytest.raises(Forbidden, match=r"(?i)bot was kicked from the supergroup chat"):
        await bot.get_chat_member(DESK, STAFF)
    assert await group.post(STAFF, "nobody hears this") is None
    await group.set_bot_status("member", by=STAFF)
    with pytest.raises(BadRequest, match=r"(?i)^not enough rights to create a topic$"):
        await bot.create_forum_topic(DESK, "x")


async def test_privacy_mode_a_member_bot_sees_commands_only(emu: Emulator, bot: Bot) -> None:
    group = _desk(emu, bot_status="member")
    assert await group.post(STAFF, "just chatting") is None
    assert await group.post(STAFF, "/close") is not None
    group_admin = _desk(emu, bot_status="administrator")
    assert await group_admin.post(STAFF, "just chatting") is not None


async def test_staff_who_are_not_members_cannot_post(emu: Emulator) -> None:
    group = _desk(emu)
    emu.user(503, "Stranger")
    with pytest.raises(Exception, match="not a member"):
        await group.post(503, "hello")
