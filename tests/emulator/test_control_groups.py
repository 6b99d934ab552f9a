"""The control API for supergroups with topics (the preview's desk pane): list, read per topic, post as staff."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import pytest
from telegram import Bot

from bot.emulator import Emulator
from tests.emulator.control_client import call

DESK = -1001234567890
STAFF = 501


async def desk(http: aiohttp.ClientSession) -> dict[str, Any]:
    status, group = await call(http, "POST", "/control/groups", {"id": DESK, "title": "NGO desk"})
    assert status == 200, group
    status, group = await call(
        http, "POST", f"/control/groups/{DESK}/members", {"id": STAFF, "first_name": "Case worker", "status": "member"}
    )
    assert status == 200, group
    return dict(group)


async def test_groups_topics_and_messages_per_topic(emu: Emulator, bot: Bot, http: aiohttp.ClientSession) -> None:
    group = await desk(http)
    assert group["is_forum"] is True and group["bot_status"] == "administrator"
    assert group["members"] == [{"id": STAFF, "first_name": "Case worker", "status": "member"}]
    assert group["topics"] == []
    first = await bot.create_forum_topic(DESK, "Case 0001 · my · TH")
    second = await bot.create_forum_topic(DESK, "Case 0002 · en · ?")
    await bot.send_message(DESK, "New case", message_thread_id=first.message_thread_id)
    await bot.close_forum_topic(DESK, second.message_thread_id)

    status, groups = await call(http, "GET", "/control/groups")
    assert status == 200 and [g["id"] for g in groups] == [DESK]
    status, topics = await call(http, "GET", f"/control/groups/{DESK}/topics")
    assert status == 200
    assert [(t["name"], t["closed"], t["messages"]) for t in topics] == [
        ("Case 0001 · my · TH", False, 2),  # the service message that opened it, and the bot's line
        ("Case 0002 · en · ?", True, 2),  # opened, closed
    ]
    status, view = await call(http, "GET", f"/control/groups/{DESK}/messages?thread_id={first.message_thread_id}")
    assert status == 200 and view["thread_id"] == first.message_thread_id
    assert [(m["service"], m["text"], m["sender_name"]) for m in view["messages"]] == [
        ("forum_topic_created", None, "Safe Migration Bot"),
        (None, "New case", "Safe Migration Bot"),
    ]
    status, everything = await call(http, "GET", f"/control/groups/{DESK}/messages")
    assert status == 200 and len(everything["messages"]) == 4
    assert everything["group"]["topics"] == topics


async def test_staff_post_in_a_topic_reaches_the_bot_as_a_command(
    emu: Emulator, bot: Bot, http: aiohttp.ClientSession
) -> None:
    await desk(http)
    topic = await bot.create_forum_topic(DESK, "Case 0001 · my · TH")
    thread = topic.message_thread_id
    texts = ["We can help. Where are you now?", "/note x", "/page documents", "/card TH", "/close"]
    for text in texts:
        status, answer = await call(
            http, "POST", f"/control/groups/{DESK}/messages", {"user_id": STAFF, "text": text, "thread_id": thread}
        )
        assert status == 200 and isinstance(answer["update_id"], int), answer
    updates = await bot.get_updates()
    messages = [u.message for u in updates if u.message is not None]
    assert [m.text for m in messages] == texts
    assert all(m.message_thread_id == thread and m.is_topic_message for m in messages)
    assert all(m.from_user is not None and m.from_user.id == STAFF for m in messages)
    close = messages[-1]
    assert close.entities[0].type == "bot_command" and close.entities[0].length == len("/close")
    _, view = await call(http, "GET", f"/control/groups/{DESK}/messages?thread_id={thread}")
    assert view["messages"][-1]["sender_name"] == "Case worker" and view["messages"][-1]["sender_id"] == STAFF


async def test_removing_the_bot_over_http(emu: Emulator, bot: Bot, http: aiohttp.ClientSession) -> None:
    await desk(http)
    topic = await bot.create_forum_topic(DESK, "Case 0001 · my · TH")
    status, answer = await call(http, "POST", f"/control/groups/{DESK}/bot", {"status": "kicked", "by": STAFF})
    assert status == 200 and answer["group"]["bot_status"] == "kicked"
    update = (await bot.get_updates())[-1]
    assert update.my_chat_member is not None and update.my_chat_member.new_chat_member.status == "kicked"
    status, answer = await call(
        http, "POST", f"/control/groups/{DESK}/messages", {"user_id": STAFF, "text": "hello?", "thread_id": 1}
    )
    assert (status, answer["update_id"]) == (200, None)  # stored, but the bot no longer sees the group
    assert topic.message_thread_id == 1
    status, answer = await call(http, "POST", f"/control/groups/{DESK}/bot", {"status": "administrator", "by": STAFF})
    assert status == 200 and answer["group"]["bot_status"] == "administrator"


async def test_group_messages_long_poll_wakes_on_a_post(emu: Emulator, bot: Bot, http: aiohttp.ClientSession) -> None:
    await desk(http)
    topic = await bot.create_forum_topic(DESK, "Case 0001 · my · TH")
    _, view = await call(http, "GET", f"/control/groups/{DESK}/messages?thread_id={topic.message_thread_id}")
    waiting = asyncio.ensure_future(
        call(http, "GET", f"/control/groups/{DESK}/messages?thread_id=1&after={view['version']}&wait=10")
    )
    await asyncio.sleep(0.05)  # let the long poll start waiting; the assertion below does not depend on it
    await bot.send_message(DESK, "a reply from the person", message_thread_id=topic.message_thread_id)
    status, later = await asyncio.wait_for(waiting, 5)
    assert status == 200 and later["version"] > view["version"]
    assert later["messages"][-1]["text"] == "a reply from the person"


@pytest.mark.parametrize(
    ("method", "path", "body", "expected"),
    [
        ("GET", "/control/groups/-100999", None, 404),
        ("GET", "/control/groups/abc", None, 400),
        ("POST", "/control/groups", {"title": "no id"}, 400),
        ("POST", "/control/groups", {"id": 5}, 400),  # group ids are negative
        ("POST", "/control/groups", {"id": -100777, "bot_status": "owner"}, 400),
        ("GET", f"/control/groups/{DESK}/messages?thread_id=99", None, 404),
        ("GET", f"/control/groups/{DESK}/messages?thread_id=x", None, 400),
        ("POST", f"/control/groups/{DESK}/messages", {"user_id": STAFF, "text": ""}, 400),
        ("POST", f"/control/groups/{DESK}/messages", {"text": "who?"}, 400),
        ("POST", f"/control/groups/{DESK}/messages", {"user_id": 777, "text": "not a member"}, 404),
        ("POST", f"/control/groups/{DESK}/messages", {"user_id": STAFF, "text": "x", "thread_id": 42}, 400),
        ("POST", f"/control/groups/{DESK}/members", {"id": 9, "status": "boss"}, 400),
        ("POST", f"/control/groups/{DESK}/bot", {"status": "kicked"}, 400),
        ("POST", f"/control/groups/{DESK}/bot", {"status": "owner", "by": STAFF}, 400),
    ],
)
async def test_bad_group_calls_answer_clearly(
    http: aiohttp.ClientSession, method: str, path: str, body: Any, expected: int
) -> None:
    await desk(http)
    status, answer = await call(http, method, path, body)
    assert status == expected, answer
    assert answer["ok"] is False and answer["error"]
