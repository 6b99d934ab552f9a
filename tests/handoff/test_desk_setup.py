"""Setting up a desk: one of the bot's admins adds it to a group and is told the group's id (HANDOFF_CHAT_ID), so
an NGO never has to ask a third-party bot for it. Anyone else adding the bot to a group is ignored."""

from __future__ import annotations

from pathlib import Path

from tests.botfixtures import running_bot
from tests.handoff.desk_harness import ADMIN, STAFF

NEW_GROUP = -1009876543210
OTHER_GROUP = -1009876543211


async def test_an_admin_adding_the_bot_to_a_group_is_told_its_id(tmp_path: Path) -> None:
    async with running_bot(tmp_path, admin_ids=frozenset({ADMIN})) as harness:  # no desk set up yet
        harness.emu.user(ADMIN, "Admin")
        group = harness.emu.group(NEW_GROUP, "Our NGO desk")
        group.add_member(ADMIN, "Admin", status="creator")
        await group.set_bot_status("administrator", by=ADMIN)
        (told,) = [m for m in group.messages if m.from_bot]
        assert f"HANDOFF_CHAT_ID={NEW_GROUP}" in (told.text or "")
        assert told.text == harness.services.live.current.ui("en").t("desk.setup", id=NEW_GROUP)

        stranger = harness.emu.group(OTHER_GROUP, "Someone's group")
        stranger.add_member(STAFF, "Stranger", status="creator")
        await stranger.set_bot_status("member", by=STAFF)
        assert [m for m in stranger.messages if m.from_bot] == []  # not one of the bot's admins: nothing said
        harness.emu.assert_clean()
