"""The bot with an NGO desk in the emulator, and the steps the desk tests share."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from tests.botfixtures import Harness, running_bot

DESK = -1001234567890
STAFF = 501
ADMIN = 900
MYA = 7001
AUNG = 7002


@asynccontextmanager
async def desk_bot(tmp_path: Path, db_url: str | None = None, **overrides: Any) -> AsyncIterator[Harness]:
    """The bot with a desk group (one staff member, an admin to report to)."""
    async with running_bot(
        tmp_path, db_url=db_url, handoff_chat_id=DESK, admin_ids=frozenset({ADMIN}), **overrides
    ) as running:
        group = running.emu.group(DESK, "NGO desk")
        group.add_member(STAFF, "Case Worker", status="administrator")
        running.emu.user(ADMIN, "Admin")
        yield running


async def open_case(harness: Harness, user_id: int, name: str, username: str, language: str = "my") -> None:
    """The person asks for a person and consents."""
    user = harness.emu.user(user_id, name, language_code=language, username=username)
    start = harness.services.live.current.ui(language).t("button.talk_start")
    await user.send("/talk")
    assert user.last_message.buttons[0] == [start]
    get_help = harness.services.live.current.ui(language).t("button.get_help")
    assert [get_help] in user.last_message.buttons, "the consent says call for help first: the numbers are a tap away"
    visible = harness.services.live.current.ui(language).t("handoff.consent_visible")
    assert visible in (user.last_message.text or ""), "it says the answers show on the phone"
    await user.press(start)


def topic_texts(harness: Harness, thread_id: int) -> list[str]:
    """The texts (and captions) of a desk topic, oldest first."""
    group = harness.emu.group(DESK)
    return [m.text or m.caption or "" for m in group.thread(thread_id)]
