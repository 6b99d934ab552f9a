"""Admin commands: /reload answers admins only; broken content is refused and the last good content keeps serving."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.bootstrap import load_live
from bot.catalogs import CatalogError
from bot.config import PROJECT_ROOT
from bot.reload import reload_content
from tests.botfixtures import running_bot

ADMIN = 4242
OTHER = 777


def break_content(content_dir: Path) -> None:
    """Make the home menu list a topic that does not exist (a load error)."""
    menu = content_dir / "en" / "_menu.yaml"
    menu.write_text(menu.read_text().replace("  - your-rights\n", "  - your-rights\n  - no-such-topic\n"))


def change_content(content_dir: Path) -> None:
    """A valid edit of the home menu's intro."""
    menu = content_dir / "en" / "_menu.yaml"
    menu.write_text(menu.read_text().replace("Hello. This guide", "Hello again. This guide"))


async def test_reload_for_a_non_admin_looks_exactly_like_an_unknown_command(tmp_path: Path, content_copy: Path) -> None:
    async with running_bot(tmp_path, content_dir=content_copy, admin_ids=frozenset({ADMIN})) as bot:
        user = bot.user(OTHER)
        await user.send("/nosuchcommand")
        unknown = user.last_message
        version = bot.services.live.current.content.version
        change_content(content_copy)
        await user.send("/reload")
        answer = user.last_message
        assert (answer.text, answer.buttons) == (unknown.text, unknown.buttons)
        assert bot.services.live.current.content.version == version, "a non-admin must not trigger a reload"
        bot.emu.assert_clean()


async def test_admin_reload_serves_new_content_and_reports_the_version(tmp_path: Path, content_copy: Path) -> None:
    async with running_bot(tmp_path, content_dir=content_copy, admin_ids=frozenset({ADMIN})) as bot:
        admin = bot.user(ADMIN)
        old = bot.services.live.current.content.version
        change_content(content_copy)
        await admin.send("/reload")
        new = bot.services.live.current.content.version
        assert new != old
        assert admin.last_message.text is not None and new in admin.last_message.text
        assert "Content reloaded" in admin.last_message.text
        await admin.send("/start")
        assert "Hello again." in (admin.last_message.text or "")
        bot.emu.assert_clean()


async def test_admin_reload_of_broken_content_is_refused_and_reported(tmp_path: Path, content_copy: Path) -> None:
    async with running_bot(tmp_path, content_dir=content_copy, admin_ids=frozenset({ADMIN})) as bot:
        admin = bot.user(ADMIN)
        old = bot.services.live.current.content.version
        break_content(content_copy)
        await admin.send("/reload")
        report = admin.last_message.text or ""
        assert "previous content is still being served" in report
        assert "no-such-topic" in report
        assert bot.services.live.current.content.version == old
        await admin.send("/start")
        assert "Hello. This guide" in (admin.last_message.text or "")
        bot.emu.assert_clean()


async def test_reload_result_carries_the_error_count(tmp_path: Path, content_copy: Path) -> None:
    async with running_bot(tmp_path, content_dir=content_copy) as bot:
        break_content(content_copy)
        result = await reload_content(bot.services)
        assert not result.ok and result.errors >= 1 and "no-such-topic" in result.first_error


async def test_a_reload_with_a_broken_interface_text_is_refused(tmp_path: Path, content_copy: Path) -> None:
    locales = tmp_path / "locales"
    shutil.copytree(PROJECT_ROOT / "locales", locales)
    async with running_bot(tmp_path, content_dir=content_copy, locales_dir=locales) as bot:
        before = bot.services.live.current
        catalog = locales / "id" / "LC_MESSAGES" / "messages.po"
        text = catalog.read_text(encoding="utf-8")
        catalog.write_text(text.replace("{total}", "{total", 1), encoding="utf-8")  # a translator's slip
        result = await reload_content(bot.services)
        assert not result.ok and result.errors == 1, "like check: a broken interface text is an error"
        assert "id/LC_MESSAGES/messages.po:" in result.first_error and "[catalog-placeholder]" in result.first_error
        assert bot.services.live.current is before, "the last good version keeps serving"


def test_a_broken_english_interface_text_stops_the_start(tmp_path: Path) -> None:
    """English has no fallback: the users would see a key such as 'page.counter'."""
    locales = tmp_path / "locales"
    shutil.copytree(PROJECT_ROOT / "locales", locales)
    catalog = locales / "en" / "LC_MESSAGES" / "messages.po"
    catalog.write_text(catalog.read_text(encoding="utf-8").replace("{total}", "{total", 1), encoding="utf-8")
    with pytest.raises(
        CatalogError, match=r"en/LC_MESSAGES/messages.po:\d+: error: page.counter: .*catalog-placeholder"
    ):
        load_live(PROJECT_ROOT / "content", locales)
