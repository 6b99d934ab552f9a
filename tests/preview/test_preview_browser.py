"""The preview as campaign staff use it: `python -m bot` with no token, opened in a real Chromium."""

from __future__ import annotations

import functools
import io
import json
import os
import re
import select
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import pytest

from bot.bootstrap import load_live
from bot.config import PROJECT_ROOT
from bot.content.loader import load_content
from bot.i18n import UI
from bot.runtime import PREVIEW_DESK_ID, PREVIEW_STAFF_ID

CHROMIUM = Path("/usr/bin/chromium")
CONTENT = load_content(PROJECT_ROOT / "content").content
assert CONTENT is not None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# Settings of the machine running the tests that would change what the preview does.
NOT_INHERITED = ("TELEGRAM_BOT_TOKEN", "WEBHOOK_URL", "DATABASE_URL", "HANDOFF_CHAT_ID", "HANDOFF_ADMIN_IDS")


@contextmanager
def running_preview(tmp_path: Path, *argv: str, **env_extra: str) -> Iterator[str]:
    """`python -m bot [argv]` with no token: the offline preview, as a real process; yields its URL. On leaving,
    SIGTERM must stop it with exit code 0."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    env.update(PORT=str(port), DATA_DIR=str(tmp_path / "data"), LOG_LEVEL="WARNING", **env_extra)
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", *argv],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    printed: list[str] = []
    try:
        deadline = time.monotonic() + 60
        assert process.stdout is not None
        while not any(f"{url}/" in line for line in printed):  # the URL is printed once the bot answers
            if process.poll() is not None or time.monotonic() > deadline:
                out, err = process.communicate(timeout=5)
                pytest.fail(f"the preview did not start: {''.join(printed)}{out} {err}")
            if select.select([process.stdout], [], [], 0.2)[0]:
                printed.append(process.stdout.readline())
        with urllib.request.urlopen(url + "/control/config", timeout=5) as answer:
            json.load(answer)
        yield url
    finally:
        process.terminate()
        try:
            stdout, _ = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            stdout, _ = process.communicate()
    assert f"Preview: open {url}/" in "".join(printed) + stdout, "the preview prints its URL"
    assert process.returncode == 0, "SIGTERM stops the preview cleanly"


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[str]:
    """The preview of the shipped content."""
    with running_preview(tmp_path) as url:
        yield url


@pytest.fixture
def edited_preview(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """The preview of a copy of the content that the test edits, as staff would; yields (URL, content folder)."""
    content = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "content", content)
    with running_preview(tmp_path, CONTENT_DIR=str(content)) as url:
        yield url, content


def _call(url: str, body: dict[str, object] | None = None) -> dict[str, object]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        result: dict[str, object] = json.load(answer)
        return result


def _wait_for_chat(url: str, user_id: int, ready: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
    """The chat view once `ready(view)` holds (long-polling the control API), or fail after 30 s."""
    deadline = time.monotonic() + 30
    version = -1
    while time.monotonic() < deadline:
        view: dict[str, Any] = _call(f"{url}/control/users/{user_id}/chat?after={version}&wait=5")
        if ready(view):
            return view
        version = int(view["version"])
    pytest.fail(f"the chat never got there; last view: {json.dumps(view)[:2000]}")


def _last_bot_text(view: dict[str, Any]) -> str:
    texts = [m["text"] for m in view["messages"] if m["from_bot"]]
    return str(texts[-1]) if texts else ""


def _notice(view: dict[str, Any], level: str) -> bool:
    return view["notice"] is not None and view["notice"]["level"] == level


def test_saved_changes_load_by_themselves_and_errors_keep_the_last_good_version(
    edited_preview: tuple[str, Path],
) -> None:
    url, content = edited_preview
    _call(f"{url}/control/users", {"id": 7, "language_code": "en"})
    _call(f"{url}/control/users/7/start", {})
    home = CONTENT.text("", "en").title
    _wait_for_chat(url, 7, lambda view: home in _last_bot_text(view))

    menu = content / "en" / "_menu.yaml"
    menu.write_text(menu.read_text(encoding="utf-8").replace(home, "Edited home title", 1), encoding="utf-8")
    view = _wait_for_chat(url, 7, lambda view: view["notice"] is not None)
    assert view["notice"]["level"] == "warning", view["notice"]  # the translations are now outdated
    assert any("outdated-translation" in line for line in view["notice"]["details"])
    _call(f"{url}/control/users/7/start", {})
    _wait_for_chat(url, 7, lambda view: "Edited home title" in _last_bot_text(view))

    page = next(p for p in sorted((content / "en").rglob("*.yaml")) if p.name != "_menu.yaml")
    good = page.read_text(encoding="utf-8")
    page.write_text("title: [never closed\n" + good, encoding="utf-8")
    view = _wait_for_chat(url, 7, lambda view: _notice(view, "error"))
    assert "NOT loaded" in view["notice"]["text"]
    where = page.relative_to(content).as_posix()
    details = view["notice"]["details"]
    assert len(details) == 1, "one error, where it is: not one more per translation of that page"
    assert re.match(rf"{re.escape(where)}:1:8: error: YAML syntax error: a \[ opened here is never closed", details[0])
    _call(f"{url}/control/users/7/start", {})
    view = _wait_for_chat(url, 7, lambda view: len([m for m in view["messages"] if m["from_bot"]]) >= 3)
    assert "Edited home title" in _last_bot_text(view), "the last good version keeps serving"

    page.write_text(good, encoding="utf-8")
    _wait_for_chat(url, 7, lambda view: _notice(view, "warning"))


def test_no_token_starts_the_preview_with_every_language(preview: str) -> None:
    with urllib.request.urlopen(preview + "/control/config", timeout=5) as answer:
        config = json.load(answer)
    codes = [language["code"].replace("-", "_") for language in config["languages"]]
    assert codes == list(CONTENT.locales)


@asynccontextmanager
async def english_chat(url: str) -> AsyncIterator[Any]:
    """Headless Chromium on the preview page, with an English chat opened by /start; yields the page."""
    playwright_api = pytest.importorskip("playwright.async_api")
    async with playwright_api.async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        page = await browser.new_page()
        await page.goto(url + "/")
        await page.get_by_test_id("language").select_option("en")
        await page.get_by_test_id("start").click()
        yield page
        await browser.close()


@asynccontextmanager
async def desk_chat(url: str) -> AsyncIterator[tuple[Any, Any]]:
    """The English chat of a preview with a desk, on a wide screen, the home menu shown; yields (page, desk pane)."""
    expect = pytest.importorskip("playwright.async_api").expect
    async with english_chat(url) as page:
        await page.set_viewport_size({"width": 1280, "height": 800})
        await expect(page.get_by_test_id("bot-message").last).to_contain_text(CONTENT.text("", "en").title)
        yield page, page.get_by_test_id("desk")


@functools.cache
def english_ui() -> UI:
    """The shipped English interface text."""
    live, _ = load_live(PROJECT_ROOT / "content", PROJECT_ROOT / "locales")
    assert live is not None
    return live.ui("en")


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Chromium at /usr/bin/chromium (apt-get install chromium)")
async def test_staff_click_through_the_preview_in_chromium(preview: str, tmp_path: Path) -> None:
    playwright_api = pytest.importorskip("playwright.async_api")
    expect = playwright_api.expect
    home = CONTENT.text("", "en").title
    menu_id = next(c for c in CONTENT.root.children if CONTENT.nodes[c].is_menu)
    menu_title = CONTENT.text(menu_id, "en").title
    page_id = next(c for c in CONTENT.nodes[menu_id].children if CONTENT.nodes[c].type == "page")
    page_title = CONTENT.text(page_id, "en").title
    async with english_chat(preview) as page:
        bubble = page.get_by_test_id("bot-message").last
        await expect(bubble.get_by_test_id("message-text")).to_contain_text(home)
        await bubble.get_by_test_id("inline-button").filter(has_text=menu_title).click()
        await expect(bubble.get_by_test_id("message-text")).to_contain_text(menu_title)
        await bubble.get_by_test_id("inline-button").filter(has_text=page_title).click()
        await expect(bubble.get_by_test_id("message-text")).to_contain_text(page_title)
        await expect(page.get_by_test_id("bot-message")).to_have_count(1)  # edited in place
        await bubble.get_by_test_id("inline-button").filter(has_text="Back").click()
        await expect(bubble.get_by_test_id("message-text")).to_contain_text(menu_title)
        shot = tmp_path / "preview.png"
        await page.screenshot(path=str(shot), full_page=True)
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 5000


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Chromium at /usr/bin/chromium (apt-get install chromium)")
async def test_the_page_tells_staff_what_their_save_did(edited_preview: tuple[str, Path], tmp_path: Path) -> None:
    playwright_api = pytest.importorskip("playwright.async_api")
    expect = playwright_api.expect
    url, content = edited_preview
    page_file = next(p for p in sorted((content / "en").rglob("*.yaml")) if p.name != "_menu.yaml")
    good = page_file.read_text(encoding="utf-8")
    async with english_chat(url) as page:
        await expect(page.get_by_test_id("bot-message").last).to_contain_text(CONTENT.text("", "en").title)
        notice = page.get_by_test_id("notice")
        await expect(notice).to_be_hidden()

        page_file.write_text("title: [never closed\n" + good, encoding="utf-8")
        await expect(notice).to_be_visible(timeout=15000)
        await expect(notice).to_have_attribute("data-level", "error")
        await expect(notice).to_contain_text("NOT loaded")
        await expect(notice).to_contain_text(f"{page_file.relative_to(content).as_posix()}:1:8:")
        await page.screenshot(path=str(tmp_path / "notice.png"))

        page_file.write_text(good, encoding="utf-8")
        await expect(notice).to_contain_text("Your changes are loaded", timeout=15000)  # ok, or ok with warnings
        assert await notice.get_attribute("data-level") in ("ok", "warning")


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Chromium at /usr/bin/chromium (apt-get install chromium)")
async def test_emergency_answer_location_and_clear_chat_in_chromium(preview: str, tmp_path: Path) -> None:
    """On a small phone screen: numbers in the first answer, location through the dialog, then the chat clears."""
    playwright_api = pytest.importorskip("playwright.async_api")
    expect = playwright_api.expect
    async with english_chat(preview) as page:
        await page.set_viewport_size({"width": 360, "height": 740})
        await page.get_by_test_id("message-input").fill("they took my passport")
        await page.get_by_test_id("send").click()
        answer = page.get_by_test_id("bot-message").filter(has_text="Which country are you in")
        await expect(answer.get_by_test_id("message-text")).to_contain_text("🚨")
        await answer.screenshot(path=str(tmp_path / "first-answer.png"))
        await answer.get_by_test_id("inline-button").filter(has_text="Use my location").click()
        await page.get_by_test_id("reply-button").filter(has_text="Send my location").click()
        await (
            page.get_by_test_id("location-dialog").get_by_test_id("location-preset").filter(has_text="Bangkok").click()
        )
        await page.get_by_test_id("location-send").click()
        card = page.get_by_test_id("bot-message").last
        await expect(card.get_by_test_id("message-text")).to_contain_text("Help in Thailand")
        assert await page.get_by_test_id("user-message").count() >= 2
        await card.get_by_test_id("inline-button").filter(has_text="Clear this chat").click()
        await expect(page.get_by_test_id("user-message")).to_have_count(0)
        await expect(page.get_by_test_id("bot-message")).to_have_count(1)
        await expect(page.get_by_test_id("bot-message").last).to_contain_text("This chat was cleared")
        await page.screenshot(path=str(tmp_path / "cleared.png"))


DESK_ID = "-1001000000077"


@pytest.fixture
def desk_preview(tmp_path: Path) -> Iterator[str]:
    """The preview with the desk configured (HANDOFF_CHAT_ID): a simulated desk group beside the chat."""
    with running_preview(tmp_path, HANDOFF_CHAT_ID=DESK_ID) as url:
        yield url


def test_the_preview_creates_the_desk_only_when_configured(preview: str, desk_preview: str) -> None:
    with urllib.request.urlopen(preview + "/control/groups", timeout=5) as answer:
        assert json.load(answer) == [], "content staff who do not use the desk get the preview as before"
    with urllib.request.urlopen(desk_preview + "/control/groups", timeout=5) as answer:
        (group,) = json.load(answer)
    assert (group["id"], group["is_forum"], group["bot_status"], group["bot_can_manage_topics"]) == (
        int(DESK_ID),
        True,
        "administrator",
        True,
    )
    assert [m["status"] for m in group["members"]] == ["administrator"]
    assert _menus(preview) and all("talk" not in menu for menu in _menus(preview)), "no /talk without a desk"
    menus = _menus(desk_preview)
    assert len(menus) == len(_menus(preview)) and all(menu[3:5] == ["talk", "endchat"] for menu in menus)


def test_preview_desk_flag_runs_the_desk_and_sigterm_stops_it(tmp_path: Path) -> None:
    """`python -m bot preview --desk`, with no HANDOFF_CHAT_ID: the desk the staff rehearse with, opt-in."""
    with running_preview(tmp_path, "preview", "--desk") as url:  # on leaving: SIGTERM, exit code 0
        with urllib.request.urlopen(url + "/control/groups", timeout=5) as answer:
            (group,) = json.load(answer)
        assert (group["id"], group["title"], group["is_forum"]) == (PREVIEW_DESK_ID, "NGO desk (preview)", True)
        assert (group["bot_status"], group["bot_can_manage_topics"]) == ("administrator", True)
        assert [(m["id"], m["status"]) for m in group["members"]] == [(PREVIEW_STAFF_ID, "administrator")]
        assert group["topics"] == []
        assert all(menu[3:5] == ["talk", "endchat"] for menu in _menus(url)), "the bot runs with the desk set up"


def test_the_running_bot_hears_at_once_that_the_desk_removed_it(tmp_path: Path) -> None:
    """Through the real polling loop (which asks Telegram only for the update kinds it lists): the bot removed from
    the desk reaches it as `my_chat_member` at once, and the admins are told before anyone asks for a person."""
    with running_preview(tmp_path, "preview", "--desk", ADMIN_USER_IDS="900") as url:
        _call(f"{url}/control/users", {"id": 900, "first_name": "Admin", "language_code": "en"})
        _call(f"{url}/control/groups/{PREVIEW_DESK_ID}/bot", {"status": "kicked", "by": PREVIEW_STAFF_ID})
        view = _wait_for_chat(url, 900, lambda v: "kicked" in _last_bot_text(v))
        assert "bot was kicked from the supergroup chat" in _last_bot_text(view)


def _menus(url: str) -> list[list[str]]:
    """The commands of every setMyCommands call the bot made (one per menu language)."""
    with urllib.request.urlopen(url + "/control/requests", timeout=5) as answer:
        calls = [c for c in json.load(answer) if c["method"] == "setMyCommands" and c["ok"]]
    menus = [
        json.loads(c["params"]["commands"]) if isinstance(c["params"]["commands"], str) else c["params"]["commands"]
        for c in calls
    ]
    for menu in menus:
        assert all(not item["description"].startswith("command.") for item in menu), "every command is described"
    return [[item["command"] for item in menu] for menu in menus]


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Chromium at /usr/bin/chromium (apt-get install chromium)")
async def test_staff_rehearse_the_desk_in_both_panes(desk_preview: str, tmp_path: Path) -> None:
    """The person asks for a person in the chat pane; staff answer and close the case in the desk pane."""
    expect = pytest.importorskip("playwright.async_api").expect
    ui = english_ui()
    async with desk_chat(desk_preview) as (page, desk):
        await expect(desk).to_be_visible()
        await expect(desk.get_by_test_id("desk-no-topics")).to_be_visible()

        await page.get_by_test_id("message-input").fill("/talk")
        await page.get_by_test_id("send").click()
        consent = page.get_by_test_id("bot-message").last
        await expect(consent.get_by_test_id("inline-button").first).to_have_text(ui.t("button.talk_start"))
        await consent.get_by_test_id("inline-button").filter(has_text=ui.t("button.talk_start")).click()
        await expect(page.get_by_test_id("bot-message").last).to_contain_text(ui.t("handoff.opened")[:20])

        topic = desk.get_by_test_id("desk-topic")
        await expect(topic).to_have_count(1)
        await expect(topic.get_by_test_id("desk-topic-case")).to_have_text(re.compile(r"^Case \d{4}$"))
        await expect(topic.get_by_test_id("desk-topic-language")).to_have_text("en")
        await expect(topic.get_by_test_id("desk-topic-country")).to_have_count(0)  # not known yet
        await expect(topic.get_by_test_id("desk-topic-status")).to_have_text("open")
        await topic.click()

        await page.get_by_test_id("message-input").fill("My employer keeps my passport")
        await page.get_by_test_id("send").click()
        copied = desk.get_by_test_id("desk-message").filter(has_text="My employer keeps my passport")
        await expect(copied).to_have_count(1)
        assert await copied.get_attribute("data-from") == "bot", "a copy by the bot: the person is not shown"

        await desk.get_by_test_id("desk-input").fill("We can help. Which country are you in?")
        await desk.get_by_test_id("desk-send").click()
        staff_line = desk.get_by_test_id("desk-message").filter(has_text="We can help. Which country are you in?")
        await expect(staff_line).to_have_attribute("data-from", "staff")
        reply = page.get_by_test_id("bot-message").filter(has_text="We can help. Which country are you in?")
        await expect(reply).to_have_count(1)
        await page.screenshot(path=str(tmp_path / "desk.png"))

        await desk.get_by_test_id("desk-input").fill("/close")
        await desk.get_by_test_id("desk-send").click()
        await expect(page.get_by_test_id("bot-message").last).to_have_text(ui.t("handoff.ended_by_staff"))
        await expect(topic.get_by_test_id("desk-topic-status")).to_have_text("closed")
        await expect(topic).to_have_attribute("data-closed", "true")
        await expect(desk.get_by_test_id("desk-message").last).to_contain_text(ui.t("desk.closed"))
        await expect(desk.get_by_test_id("desk-error")).to_be_hidden()

        await page.set_viewport_size({"width": 360, "height": 740})  # a phone: the desk below the chat
        chat_box = await page.get_by_test_id("chat").bounding_box()
        desk_box = await desk.bounding_box()
        assert chat_box is not None and desk_box is not None and desk_box["y"] >= chat_box["y"] + chat_box["height"]
        await page.screenshot(path=str(tmp_path / "desk-phone.png"))


async def _ask_for_a_person(page: Any, ui: Any) -> None:
    """The person writes /talk and presses Start on the consent screen."""
    expect = pytest.importorskip("playwright.async_api").expect
    await page.get_by_test_id("message-input").fill("/talk")
    await page.get_by_test_id("send").click()
    consent = page.get_by_test_id("bot-message").last
    start = consent.get_by_test_id("inline-button").filter(has_text=ui.t("button.talk_start"))
    await expect(start).to_have_count(1)
    await start.click()


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Chromium at /usr/bin/chromium (apt-get install chromium)")
async def test_staff_remove_the_bot_and_add_it_back_in_chromium(desk_preview: str, tmp_path: Path) -> None:
    """Rehearsing a desk that is unavailable: the person is told so and gets the helplines, never silence."""
    expect = pytest.importorskip("playwright.async_api").expect
    ui = english_ui()
    async with desk_chat(desk_preview) as (page, desk):
        status = desk.get_by_test_id("desk-bot-status")
        toggle = desk.get_by_test_id("desk-bot-toggle")
        await expect(status).to_have_attribute("data-status", "administrator")

        await expect(toggle).to_have_text("Remove the bot")
        await toggle.click()
        await expect(status).to_have_attribute("data-status", "kicked")
        await expect(toggle).to_have_text("Add the bot back")

        await _ask_for_a_person(page, ui)
        bot_messages = page.get_by_test_id("bot-message")
        unavailable = bot_messages.filter(has_text=ui.t("handoff.unavailable"))
        await expect(unavailable).to_have_count(1)
        helplines = unavailable.locator("xpath=following-sibling::*[1]")  # the very next message
        await expect(helplines).to_have_attribute("data-testid", "bot-message")
        await expect(helplines.get_by_test_id("message-text")).to_contain_text("🚨")  # the emergency numbers
        await expect(desk.get_by_test_id("desk-no-topics")).to_be_visible()
        await page.screenshot(path=str(tmp_path / "desk-removed.png"))

        await toggle.click()
        await expect(status).to_have_attribute("data-status", "administrator")
        await expect(toggle).to_have_text("Remove the bot")
        await _ask_for_a_person(page, ui)
        await expect(bot_messages.last).to_contain_text(ui.t("handoff.opened")[:20])
        topic = desk.get_by_test_id("desk-topic")
        await expect(topic).to_have_count(1)
        await expect(topic.get_by_test_id("desk-topic-status")).to_have_text("open")
        await expect(topic.get_by_test_id("desk-topic-language")).to_have_text("en")
        await expect(desk.get_by_test_id("desk-error")).to_be_hidden()


def _png(width: int, height: int, colour: tuple[int, int, int]) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, format="PNG")
    return out.getvalue()


async def _attach(page: Any, button: Any, name: str, data: bytes) -> None:
    """Press a 📎 button and pick a picture in the file chooser it opens."""
    async with page.expect_file_chooser() as chooser:
        await button.click()
    await (await chooser.value).set_files(files=[{"name": name, "mimeType": "image/png", "buffer": data}])


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Chromium at /usr/bin/chromium (apt-get install chromium)")
async def test_photos_between_the_person_and_the_desk_in_chromium(desk_preview: str, tmp_path: Path) -> None:
    """The person sends a photo of their contract; staff answer with a photo: each arrives as a picture."""
    expect = pytest.importorskip("playwright.async_api").expect
    ui = english_ui()
    async with desk_chat(desk_preview) as (page, desk):
        await expect(desk.get_by_test_id("desk-attach-photo")).to_be_disabled()  # no topic to send it to yet
        await _ask_for_a_person(page, ui)
        await expect(page.get_by_test_id("bot-message").last).to_contain_text(ui.t("handoff.opened")[:20])
        topic = desk.get_by_test_id("desk-topic")
        await expect(topic).to_have_count(1)
        await topic.click()

        await page.get_by_test_id("message-input").fill("my contract")
        await _attach(page, page.get_by_test_id("attach-photo"), "contract.png", _png(64, 48, (200, 30, 30)))
        sent = page.get_by_test_id("user-message").filter(has=page.get_by_test_id("photo"))
        await expect(sent.get_by_test_id("photo")).to_have_js_property("naturalWidth", 64)
        await expect(sent.get_by_test_id("message-text")).to_have_text("my contract")
        await expect(page.get_by_test_id("message-input")).to_have_value("")
        at_desk = desk.get_by_test_id("desk-message").filter(has=page.get_by_test_id("photo"))
        await expect(at_desk).to_have_attribute("data-from", "bot")  # copied by the bot: the person is not shown
        await expect(at_desk.get_by_test_id("photo")).to_have_js_property("naturalWidth", 64)
        await expect(at_desk.get_by_test_id("desk-message-text")).to_have_text("my contract")

        await desk.get_by_test_id("desk-input").fill("Is this the contract you signed?")
        await _attach(page, desk.get_by_test_id("desk-attach-photo"), "sample.png", _png(80, 40, (30, 30, 200)))
        staff_photo = desk.get_by_test_id("desk-message").filter(has_text="Is this the contract you signed?")
        await expect(staff_photo).to_have_attribute("data-from", "staff")
        await expect(staff_photo.get_by_test_id("photo")).to_have_js_property("naturalWidth", 80)
        await expect(desk.get_by_test_id("desk-input")).to_have_value("")
        received = page.get_by_test_id("bot-message").filter(has_text="Is this the contract you signed?")
        await expect(received.get_by_test_id("media")).to_have_attribute("data-kind", "photo")
        await expect(received.get_by_test_id("photo")).to_have_js_property("naturalWidth", 80)
        await expect(desk.get_by_test_id("desk-error")).to_be_hidden()
        await page.screenshot(path=str(tmp_path / "desk-photos.png"))
