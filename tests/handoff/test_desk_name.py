"""The desk's name comes from the content in the reader's language (handoff.yaml `organisation` per language)."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.botfixtures import SHIPPED_CONTENT, running_bot
from tests.handoff.desk_harness import ADMIN, DESK, STAFF, desk_bot


async def test_the_consent_names_the_desk_in_the_readers_language(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(SHIPPED_CONTENT, content)
    desk_file = content / "handoff.yaml"
    text = desk_file.read_text(encoding="utf-8")
    start = text.index("organisation:")
    end = text.index("\ntimezone:", start)
    named = "organisation:\n  en: Helping Hands caseworkers\n  my: ကူညီလက်များ အမှုတွဲဝန်ထမ်းများ"
    desk_file.write_text(text[:start] + named + text[end:], encoding="utf-8")
    async with running_bot(
        tmp_path, content_dir=content, handoff_chat_id=DESK, admin_ids=frozenset({ADMIN})
    ) as harness:
        group = harness.emu.group(DESK, "NGO desk")
        group.add_member(STAFF, "Case Worker", status="administrator")
        for number, (locale, name) in enumerate(
            [("my", "ကူညီလက်များ အမှုတွဲဝန်ထမ်းများ"), ("en", "Helping Hands caseworkers"), ("km", "Helping Hands")]
        ):
            user = harness.emu.user(7700 + number, "Ko", language_code=locale)
            await user.send("/talk")
            assert name in (user.last_message.text or ""), locale
            assert "our partner organisation" not in (user.last_message.text or ""), "the NGO's name replaced it"
        harness.emu.assert_clean()


async def test_the_shipped_example_desk_shows_a_generic_name_in_each_language_and_is_flagged(tmp_path: Path) -> None:
    from bot.content.loader import load_content

    codes = [item.code for item in load_content(SHIPPED_CONTENT).report.items]
    assert "desk-example" in codes, "check says the shipped desk values are an example"
    async with desk_bot(tmp_path) as harness:
        for number, (locale, name) in enumerate(
            [("en", "our partner organisation"), ("id", "organisasi mitra kami"), ("fa_AF", "موسسهٔ همکار ما")]
        ):
            user = harness.emu.user(7800 + number, "Ko", language_code=locale)
            await user.send("/talk")
            text = user.last_message.text or ""
            assert name in text and "Example" not in text, locale
        harness.emu.assert_clean()


def test_a_desk_without_the_example_line_is_not_flagged(tmp_path: Path) -> None:
    from bot.content.loader import load_content

    content = tmp_path / "content"
    shutil.copytree(SHIPPED_CONTENT, content)
    desk_file = content / "handoff.yaml"
    desk_file.write_text(desk_file.read_text(encoding="utf-8").replace("example: true\n", ""), encoding="utf-8")
    assert "desk-example" not in [item.code for item in load_content(content).report.items]
