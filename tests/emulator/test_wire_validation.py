"""Raw HTTP calls: every way Telegram accepts parameters, and malformed calls answered with 400, never a crash."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from bot.emulator import Emulator


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def call(http: aiohttp.ClientSession, emu: Emulator, method: str, **kwargs: Any) -> tuple[int, dict[str, Any]]:
    async with http.post(f"{emu.base_url}{emu.token}/{method}", **kwargs) as response:
        return response.status, await response.json()


async def test_unknown_method_is_404(emu: Emulator, http: aiohttp.ClientSession) -> None:
    assert await call(http, emu, "sendTelepathy") == (404, {"ok": False, "error_code": 404, "description": "Not Found"})


async def test_form_json_query_and_multipart_are_all_accepted(emu: Emulator, http: aiohttp.ClientSession) -> None:
    emu.user(7, "Aung")
    markup = json.dumps({"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]})
    status, body = await call(http, emu, "sendMessage", data={"chat_id": "7", "text": "form", "reply_markup": markup})
    assert status == 200 and body["result"]["reply_markup"]["inline_keyboard"][0][0]["text"] == "A"
    status, body = await call(http, emu, "sendMessage", json={"chat_id": 7, "text": "json"})
    assert status == 200 and body["result"]["text"] == "json"
    async with http.get(f"{emu.base_url}{emu.token}/sendMessage", params={"chat_id": "7", "text": "q"}) as resp:
        assert (await resp.json())["result"]["text"] == "q"
    form = aiohttp.FormData()
    form.add_field("chat_id", "7")
    form.add_field("document", b"%PDF-1.4", filename="guide.pdf", content_type="application/pdf")
    status, body = await call(http, emu, "sendDocument", data=form)
    assert status == 200 and body["result"]["document"]["file_name"] == "guide.pdf"
    assert emu.errors == []


async def test_method_names_are_case_insensitive(emu: Emulator, http: aiohttp.ClientSession) -> None:
    status, body = await call(http, emu, "GETME")
    assert status == 200 and body["result"]["is_bot"] is True


@pytest.mark.parametrize(
    ("params", "description"),
    [
        ({"chat_id": "7"}, "Bad Request: message text is empty"),
        ({"text": "hi"}, "Bad Request: chat_id is empty"),
        (
            {"chat_id": "7", "text": "hi", "colour": "red"},
            'Bad Request: unknown parameter "colour" for method sendMessage',
        ),
        (
            {"chat_id": "7", "text": "hi", "reply_markup": "{not json"},
            "Bad Request: can't parse reply keyboard markup JSON object",
        ),
        (
            {"chat_id": "7", "text": "hi", "disable_notification": "maybe"},
            'Bad Request: parameter "disable_notification" must be of type Boolean',
        ),
        (
            {"chat_id": "7", "text": "hi", "message_thread_id": "x"},
            'Bad Request: parameter "message_thread_id" must be of type Integer',
        ),
        (
            {"chat_id": "7", "text": "hi", "reply_markup": '{"inline_keyboard": {"text": "A"}}'},
            'Bad Request: field "reply_markup" must be of type InlineKeyboardMarkup or ReplyKeyboardMarkup or '
            "ReplyKeyboardRemove or ForceReply",
        ),
        (
            {"chat_id": "7", "text": "hi", "entities": '[{"type": "bold", "offset": "zero"}]'},
            'Bad Request: field "entities[0].offset" must be of type Integer',
        ),
    ],
)
async def test_malformed_form_calls_get_400(
    emu: Emulator, http: aiohttp.ClientSession, params: dict[str, str], description: str
) -> None:
    emu.user(7, "Aung")
    status, body = await call(http, emu, "sendMessage", data=params)
    assert (status, body["description"]) == (400, description)
    assert emu.errors[-1].description == description


@pytest.mark.parametrize(
    "payload",
    [
        b"{broken",
        b"[1, 2]",
        b'{"chat_id": true, "text": "x"}',
        b'{"chat_id": 7, "text": 5}',
        b'{"chat_id": 7, "text": "x", "reply_markup": {"inline_keyboard": [[{"text": 1, "callback_data": "a"}]]}}',
    ],
)
async def test_malformed_json_bodies_get_400(emu: Emulator, http: aiohttp.ClientSession, payload: bytes) -> None:
    emu.user(7, "Aung")
    status, body = await call(http, emu, "sendMessage", data=payload, headers={"Content-Type": "application/json"})
    assert status == 400
    assert body["ok"] is False and body["description"].startswith("Bad Request: ")


async def test_file_upload_where_no_file_is_accepted(emu: Emulator, http: aiohttp.ClientSession) -> None:
    form = aiohttp.FormData()
    form.add_field("chat_id", "7")
    form.add_field("text", b"hi", filename="x.txt")
    status, body = await call(http, emu, "sendMessage", data=form)
    assert status == 400 and "does not accept a file" in body["description"]


async def test_wrong_token_is_401(emu: Emulator, http: aiohttp.ClientSession) -> None:
    async with http.post(f"{emu.base_url}1:nope/getMe") as response:
        assert response.status == 401
