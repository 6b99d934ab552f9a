"""Menu paging, long pages, media by file_id, stale buttons after reload, languages, deep links,
/forget, commands and errors — the real Application through the emulator."""

from __future__ import annotations

import dataclasses
import logging
import shutil
from pathlib import Path

import pytest

from bot.bootstrap import load_live
from bot.callbacks import Header, Open, encode
from bot.config import PROJECT_ROOT
from bot.privacy import user_key
from tests.botfixtures import SHIPPED_LOCALES, Harness, running_bot

FLOWS = PROJECT_ROOT / "tests" / "fixtures" / "flows"


def labels(message) -> list[str]:  # type: ignore[no-untyped-def]
    return [label for row in message.buttons for label in row]


@pytest.fixture
async def flows(tmp_path: Path):  # type: ignore[no-untyped-def]
    content = tmp_path / "content"
    shutil.copytree(FLOWS, content)
    async with running_bot(tmp_path, content_dir=content) as running:
        yield running


async def test_a_menu_with_many_items_pages_through_them(flows: Harness) -> None:
    user = flows.user(2001, "Pa", "en")
    await user.start()
    await user.press("Many items")
    first = labels(user.last_message)
    assert "Item 01" in first and "Item 09" not in first
    assert "Page 1 of 3" in user.last_message.text
    await user.press("Next ▶")
    assert "Item 09" in labels(user.last_message)
    await user.press("Item 10")
    await user.press("◀ Back")  # back to the screenful that lists item 10
    assert "Item 10" in labels(user.last_message) and "Page 2 of 3" in user.last_message.text
    flows.emu.assert_clean()


async def test_a_long_page_is_split_into_parts(flows: Harness) -> None:
    user = flows.user(2002, "Lo", "en")
    await user.start()
    await user.press("A long page")
    assert "Part 1 of" in user.last_message.text
    await user.press("Next ▶")
    assert "Part 2 of" in user.last_message.text
    await user.press("◀ Previous")
    assert "Part 1 of" in user.last_message.text
    flows.emu.assert_clean()  # every part fits Telegram's 4096 characters


async def test_a_link_button_opens_its_target(flows: Harness) -> None:
    user = flows.user(2003, "Li", "en")
    await user.start()
    await user.press("Jump to the long page")
    assert "A long page" in user.last_message.text


async def test_media_is_uploaded_once_then_sent_by_file_id(flows: Harness) -> None:
    for user_id in (2004, 2005):
        user = flows.user(user_id, "Me", "en")
        await user.start()
        await user.press("With a picture")
        assert user.last_message.media is not None
    uploads = [call.params.get("photo") for call in flows.emu.calls("sendPhoto")]
    assert len(uploads) == 2
    assert not isinstance(uploads[1], str) or uploads[1] != uploads[0]
    assert isinstance(uploads[1], str), "the second send re-uses Telegram's file_id"
    flows.emu.assert_clean()


async def test_a_press_on_a_node_removed_by_a_reload_answers_kindly(flows: Harness) -> None:
    user = flows.user(2006, "St", "en")
    await user.start()
    content_dir = flows.services.settings.content_dir
    (content_dir / "en" / "picture.yaml").unlink()
    (content_dir / "en" / "_menu.yaml").write_text("title: Flow home\norder: [many, long, shortcut]\n")
    live, result = load_live(content_dir, SHIPPED_LOCALES)
    assert live is not None, result.report.errors
    flows.services.live.replace(live)
    await user.press("With a picture", message_id=user.last_message.message_id)
    assert user.callback_answers[-1].text == "That button is out of date. Here is the main menu."
    assert "Flow home" in user.last_message.text
    flows.emu.assert_clean()


async def test_garbage_button_data_answers_kindly_in_the_users_language(harness: Harness) -> None:
    user = harness.user(2007, "Ga", "my")
    await user.start()
    message = user.last_message
    # Forge a keyboard the bot never sent, as a tampering client could.
    forged = {"inline_keyboard": [[{"text": "x", "callback_data": "m9|??|x"}]]}
    harness.emu.world.chats[2007][message.message_id] = dataclasses.replace(message, reply_markup=forged)
    await user.press("x", message_id=message.message_id)
    answer = user.callback_answers[-1].text
    ui = harness.services.live.current.ui("my")
    assert answer == ui.t("error.stale_button")
    harness.emu.assert_clean()


async def test_language_is_negotiated_then_switched_and_stored(harness_db: Harness) -> None:
    content = harness_db.services.live.current.content
    user = harness_db.user(2008, "Ko", "fa-IR")  # a Persian-speaking phone gets Dari, the closest we ship
    await user.start()
    assert content.text("", "fa_AF").title in user.last_message.text
    await user.press("🌐 " + harness_db.services.live.current.ui("fa_AF").t("button.language").split(" ", 1)[-1])
    await user.press("မြန်မာ")
    assert content.text("", "my").title in user.last_message.text
    await user.start()  # a new /start remembers the choice
    assert content.text("", "my").title in user.last_message.text
    key = user_key(b"test-secret", 2008)
    stored = await harness_db.services.storage.get_user(key)
    assert stored is not None and stored.locale == "my"
    harness_db.emu.assert_clean()


@pytest.mark.parametrize(
    ("payload", "locale", "expect_home"),
    [
        ("my", "my", True),
        ("l-km", "km", True),
        ("", "en", True),
        ("%%bad%%", "en", True),
        ("x" * 65, "en", True),
        ("l-zz_n-nothing", "en", True),
    ],
)
async def test_deep_links_choose_language_or_fall_back(
    harness: Harness, payload: str, locale: str, expect_home: bool
) -> None:
    content = harness.services.live.current.content
    user = harness.user(2100 + len(payload), "De", "en")
    await user.start(payload or None)
    assert content.text("", locale).title in user.last_message.text
    harness.emu.assert_clean()


async def test_deep_link_lands_on_a_node_in_a_language(harness: Harness) -> None:
    content = harness.services.live.current.content
    node = next(n for n in content.nodes.values() if n.type == "page")
    user = harness.user(2200, "Dl", "en")
    await user.start(f"l-th_n-{node.key}")
    assert content.text(node.id, "th").title in user.last_message.text


async def test_forget_deletes_everything_after_confirmation(harness_db: Harness) -> None:
    user = harness_db.user(2300, "Fo", "en")
    await user.start()
    await user.press("🌐 Language")
    await user.press("Tiếng Việt")
    key = user_key(b"test-secret", 2300)
    assert await harness_db.services.storage.get_user(key) is not None
    await user.send("/forget")
    ui = harness_db.services.live.current.ui("vi")
    await user.press(ui.t("button.cancel"))
    assert await harness_db.services.storage.get_user(key) is not None
    await user.send("/forget")
    await user.press(ui.t("button.forget_confirm"))
    assert ui.t("forget.done") in user.last_message.text
    assert await harness_db.services.storage.get_user(key) is None
    harness_db.emu.assert_clean()


async def test_commands_are_registered_per_language(harness: Harness) -> None:
    registry = harness.emu.world.commands
    default = registry.get(None, None)
    assert {"start", "help", "language", "privacy", "forget"} <= {c["command"] for c in default}
    assert registry.get(None, "my")[0]["description"] == harness.services.live.current.ui("my").t("command.start")
    assert registry.get(None, "tl"), "Filipino is registered under Telegram's two-letter code"
    assert registry.get(None, "fa"), "Dari is registered under 'fa'"


async def test_privacy_and_help_answer_in_the_users_language(harness: Harness) -> None:
    user = harness.user(2400, "Pr", "th")
    ui = harness.services.live.current.ui("th")
    await user.send("/privacy")
    assert ui.t("privacy.text", days=30).splitlines()[0] in user.last_message.text
    assert "/talk" in user.last_message.text and " 30 " in user.last_message.text  # cases and their retention
    assert "{" not in user.last_message.text
    await user.send("/help")
    assert ui.t("help.text").splitlines()[0] in user.last_message.text
    await user.send("/nonsense")
    assert ui.t("error.unknown_command") in user.last_message.text


async def test_a_failing_telegram_call_gets_an_apology_and_no_personal_data_in_logs(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    user = harness.user(2500, "Secretname", "en")
    await user.start()
    harness.emu.faults.server_error("editMessageText", times=1)
    await user.press(
        harness.services.live.current.content.text(harness.services.live.current.content.root.children[0], "en").title
    )
    assert harness.services.live.current.ui("en").t("error.generic") in user.last_message.text
    assert user.callback_answers, "the press was still answered"
    # What production logs: the bot's own loggers at any level, libraries at WARNING (see bot/logs.py).
    for record in caplog.records:
        if not record.name.startswith("bot.") and record.levelno < logging.WARNING:
            continue
        line = record.getMessage()
        assert "2500" not in line and "Secretname" not in line


async def test_a_user_who_blocked_the_bot_is_marked(harness: Harness) -> None:
    user = harness.user(2600, "Bl", "en")
    await user.start()
    user.block()
    await user.send("/help")
    stored = await harness.services.storage.get_user(user_key(b"test-secret", 2600))
    assert stored is not None and stored.blocked
    user.unblock()
    await user.send("/help")  # writing to the bot again means they unblocked it
    stored = await harness.services.storage.get_user(user_key(b"test-secret", 2600))
    assert stored is not None and not stored.blocked
    assert user.last_message.text


def test_callback_data_always_fits() -> None:
    assert len(encode(Header("fa_AF", "x" * 16), Open("abcdefgh", 99)).encode()) <= 64
