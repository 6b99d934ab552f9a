"""The control API over HTTP (used by the chat page) and its clear 4xx answers."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup

from bot.emulator import Emulator, SimulatedUser, UnknownButtonError, UnknownUserError


async def post(http: aiohttp.ClientSession, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    async with http.post(path, json=body) as response:
        return response.status, await response.json()


async def test_config_lists_languages(http: aiohttp.ClientSession) -> None:
    async with http.get("/control/config") as response:
        config = await response.json()
    assert {"code": "my", "name": "မြန်မာ"} in config["languages"]
    assert config["bot_name"] == "Safe Migration Bot"


async def test_configured_languages_are_served() -> None:
    async with (
        Emulator(languages=[{"code": "th", "name": "ไทย"}], bot_name="Preview") as emu,
        aiohttp.ClientSession() as session,
        session.get(f"{emu.url}/control/config") as response,
    ):
        assert await response.json() == {
            "languages": [{"code": "th", "name": "ไทย"}],
            "bot_name": "Preview",
            "bot_username": "safe_migration_bot",
        }


async def test_user_flow_over_http(emu: Emulator, bot: Bot, http: aiohttp.ClientSession) -> None:
    status, user = await post(http, "/control/users", {"id": 55, "first_name": "Nimol", "language_code": "km"})
    assert (status, user["language_code"]) == (200, "km")
    status, _ = await post(http, "/control/users/55/start", {"payload": "ngo_7"})
    assert status == 200
    updates = await bot.get_updates()
    message = updates[-1].message
    assert message is not None and message.text == "/start ngo_7"
    assert message.entities[0].type == "bot_command" and message.entities[0].length == 6
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("ជំនួយ", callback_data="help")]])
    sent = await bot.send_message(55, "<b>សួស្តី</b>", parse_mode="HTML", reply_markup=keyboard)
    status, _ = await post(http, "/control/users/55/press", {"text": "ជំនួយ"})
    assert status == 200
    query = (await bot.get_updates(offset=updates[-1].update_id + 1))[-1].callback_query
    assert query is not None and query.data == "help" and query.message is not None
    assert query.message.message_id == sent.message_id
    await bot.answer_callback_query(query.id, "ok", show_alert=True)
    async with http.get("/control/users/55/chat") as response:
        view = await response.json()
    bot_message = view["messages"][-1]
    assert bot_message["html"] == "<b>សួស្តី</b>"
    assert bot_message["buttons"] == [[{"text": "ជំនួយ", "url": None, "callback": True}]]
    assert view["callback_answers"] == [{"query_id": query.id, "text": "ok", "show_alert": True, "url": None}]
    status, _ = await post(http, "/control/users/55/reset", {})
    async with http.get("/control/users/55/chat") as response:
        assert (await response.json())["messages"] == []


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("/control/users/404/messages", {"text": "hi"}, 404),
        ("/control/users/404/press", {"text": "A"}, 404),
        ("/control/users/1/press", {"text": "No such button"}, 404),
        ("/control/users/1/press", {"text": "A", "message_id": 999}, 404),
        ("/control/users/1/press", {"text": "Site"}, 400),
        ("/control/users/1/messages", {"text": 5}, 400),
        ("/control/users/abc/messages", {"text": "hi"}, 400),
        ("/control/faults", {"kind": "meteor"}, 400),
    ],
)
async def test_control_errors_are_4xx(
    emu: Emulator, bot: Bot, http: aiohttp.ClientSession, path: str, body: dict[str, Any], status: int
) -> None:
    emu.user(1, "Ko")
    markup = InlineKeyboardMarkup(
        [[InlineKeyboardButton("A", callback_data="a"), InlineKeyboardButton("Site", url="https://example.org")]]
    )
    await bot.send_message(1, "menu", reply_markup=markup)
    got, answer = await post(http, path, body)
    assert got == status
    assert answer["ok"] is False and answer["error"]


async def test_python_api_errors_are_clear(emu: Emulator) -> None:
    ghost = emu.user(3, "Ghost")
    with pytest.raises(UnknownButtonError, match="no button 'Nope'"):
        await ghost.press("Nope")
    stranger = SimulatedUser(emu, 4)
    with pytest.raises(UnknownUserError, match="no simulated user with id 4"):
        await stranger.send("hi")
    with pytest.raises(UnknownUserError):
        _ = stranger.messages


async def test_faults_over_http(emu: Emulator, bot: Bot, http: aiohttp.ClientSession) -> None:
    status, body = await post(http, "/control/faults", {"kind": "retry_after", "method": "getMe", "retry_after": 3})
    assert (status, body["active"]) == (200, 1)
    async with http.delete("/control/faults") as response:
        assert response.status == 200
    assert emu.faults.active == []


async def test_chat_page_is_served_offline(http: aiohttp.ClientSession) -> None:
    for path in ("/", "/chat"):
        async with http.get(path) as response:
            page = await response.text()
        assert 'data-testid="reset"' in page and "/static/chat.js" in page
        assert "http://" not in page and "https://" not in page
    async with http.get("/static/chat.js") as response:
        script = await response.text()
    assert "innerHTML" not in script and "/control/config" in script
