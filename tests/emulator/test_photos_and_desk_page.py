"""Photos from the chat page (the person's pane and the desk pane) over the control API, and the desk pane that
appears by itself when a desk group is created after the page loaded."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from PIL import Image
from telegram import Bot

from bot.emulator import Emulator
from tests.emulator.control_client import call

from .conftest import build_app

CHROMIUM = Path("/usr/bin/chromium")
DESK = -1001234567891
STAFF = 502
PERSON = 42


def png(width: int, height: int, colour: tuple[int, int, int]) -> bytes:
    """A small real picture, as a phone's camera roll would hold."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, format="PNG")
    return out.getvalue()


async def post_photo(
    http: aiohttp.ClientSession, path: str, data: bytes, content_type: str = "image/png", **fields: str
) -> tuple[int, Any]:
    """Post a photo as the page's file input does: multipart/form-data with a "photo" file and text fields."""
    form = aiohttp.FormData()
    form.add_field("photo", data, filename="contract.png", content_type=content_type)
    for key, value in fields.items():
        form.add_field(key, value)
    async with http.post(path, data=form) as response:
        return response.status, await response.json()


async def desk_with_a_topic(http: aiohttp.ClientSession, bot: Bot) -> int:
    status, group = await call(http, "POST", "/control/groups", {"id": DESK, "title": "NGO desk"})
    assert status == 200, group
    status, group = await call(
        http, "POST", f"/control/groups/{DESK}/members", {"id": STAFF, "first_name": "Case worker", "status": "member"}
    )
    assert status == 200, group
    topic = await bot.create_forum_topic(DESK, "Case 0001 · en")
    return topic.message_thread_id


async def test_the_person_sends_a_photo_from_the_page(emu: Emulator, bot: Bot, http: aiohttp.ClientSession) -> None:
    picture = png(64, 48, (200, 30, 30))
    await call(http, "POST", "/control/users", {"id": PERSON, "first_name": "Person", "language_code": "en"})
    status, answer = await post_photo(http, f"/control/users/{PERSON}/photo", picture, caption="my contract")
    assert status == 200 and isinstance(answer["update_id"], int), answer

    (update,) = await bot.get_updates()
    message = update.message
    assert message is not None and message.photo and message.caption == "my contract"
    assert message.chat.id == PERSON and message.text is None
    file = await bot.get_file(message.photo[-1].file_id)
    assert bytes(await file.download_as_bytearray()) == picture, "the bot downloads the very bytes sent"

    status, view = await call(http, "GET", f"/control/users/{PERSON}/chat")
    shown = view["messages"][-1]
    assert (shown["media"]["kind"], shown["caption"], shown["from_bot"]) == ("photo", "my contract", False)
    async with http.get(f"/control/files/{shown['media']['file_id']}") as response:
        assert response.status == 200 and response.content_type.startswith("image/")
        assert await response.read() == picture, "the page shows the photo itself"


async def test_staff_send_a_photo_in_a_topic_and_the_bot_copies_it(
    emu: Emulator, bot: Bot, http: aiohttp.ClientSession
) -> None:
    await call(http, "POST", "/control/users", {"id": PERSON, "first_name": "Person", "language_code": "en"})
    thread = await desk_with_a_topic(http, bot)
    picture = png(80, 40, (30, 30, 200))
    status, answer = await post_photo(
        http,
        f"/control/groups/{DESK}/photo",
        picture,
        user_id=str(STAFF),
        thread_id=str(thread),
        caption="Is this your contract?",
    )
    assert status == 200 and isinstance(answer["update_id"], int), answer

    message = (await bot.get_updates())[-1].message
    assert message is not None and message.photo and message.caption == "Is this your contract?"
    assert message.message_thread_id == thread and message.is_topic_message
    assert message.from_user is not None and message.from_user.id == STAFF

    copied = await bot.copy_message(PERSON, DESK, message.message_id)
    status, view = await call(http, "GET", f"/control/users/{PERSON}/chat")
    shown = next(m for m in view["messages"] if m["message_id"] == copied.message_id)
    assert (shown["media"]["kind"], shown["caption"], shown["from_bot"]) == ("photo", "Is this your contract?", True)
    assert shown["media"]["file_id"] == message.photo[-1].file_id
    async with http.get(f"/control/files/{shown['media']['file_id']}") as response:
        assert await response.read() == picture


async def test_bad_photo_posts_answer_clearly(emu: Emulator, bot: Bot, http: aiohttp.ClientSession) -> None:
    await call(http, "POST", "/control/users", {"id": PERSON, "first_name": "Person", "language_code": "en"})
    thread = await desk_with_a_topic(http, bot)
    picture = png(8, 8, (0, 0, 0))
    cases: list[tuple[tuple[int, Any], int, str]] = [
        (await call(http, "POST", f"/control/users/{PERSON}/photo", {"photo": "x"}), 400, "multipart"),
        (await post_photo(http, f"/control/users/{PERSON}/photo", b"%PDF", "application/pdf"), 400, "an image"),
        (await post_photo(http, f"/control/users/{PERSON}/photo", b""), 400, "empty"),
        (await post_photo(http, f"/control/groups/{DESK}/photo", picture, thread_id=str(thread)), 400, "user_id"),
        (
            await post_photo(http, f"/control/groups/{DESK}/photo", picture, user_id="999", thread_id=str(thread)),
            404,
            "999",
        ),
        (
            await post_photo(http, f"/control/groups/{DESK}/photo", picture, user_id=str(STAFF), caption="x" * 1025),
            400,
            "1024",
        ),
        (await call(http, "GET", "/control/files/AgACAgQnothere"), 404, "file_id"),
    ]
    for (status, answer), expected, words in cases:
        assert status == expected and words in answer["error"], answer
    assert await bot.get_updates() == (), "nothing reached the bot"


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")
async def test_a_desk_created_after_the_page_loaded_appears_without_a_reload(
    emu: Emulator, http: aiohttp.ClientSession
) -> None:
    playwright_api = pytest.importorskip("playwright.async_api")
    expect = playwright_api.expect
    app = build_app(emu)
    async with app, playwright_api.async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        page = await browser.new_page()
        async with page.expect_response(lambda r: r.url.endswith("/control/groups")) as looked:
            await page.goto(emu.url + "/")
        assert await (await looked.value).json() == [], "the page looked for a desk and there was none"
        desk = page.get_by_test_id("desk")
        await expect(desk).to_be_hidden()

        status, _ = await call(http, "POST", "/control/groups", {"id": DESK, "title": "NGO desk", "forum": True})
        assert status == 200
        await expect(desk).to_be_visible()
        await expect(desk.get_by_test_id("desk-title")).to_have_text("NGO desk")
        await expect(desk.get_by_test_id("desk-no-topics")).to_be_visible()
        member = {"id": STAFF, "first_name": "Case worker", "status": "member"}
        await call(http, "POST", f"/control/groups/{DESK}/members", member)
        await expect(desk.get_by_test_id("desk-staff")).to_have_text("Case worker (member)")
        await browser.close()
    assert emu.errors == []
