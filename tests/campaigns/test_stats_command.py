"""/stats: admins get the last 7 days in their language; anyone else gets exactly the unknown-command answer."""

from __future__ import annotations

from pathlib import Path

from bot.app import COMMANDS
from tests.privacy.journeys import campaign_bot

ADMIN = 9_100_001


async def test_admin_sees_the_last_seven_days_in_their_language(tmp_path: Path) -> None:
    async with campaign_bot(tmp_path, admin_ids=frozenset({ADMIN})) as bot:
        live = bot.services.live.current
        for n, payload in enumerate(["example-jakarta", "example-jakarta", "example-yangon", None]):
            await bot.user(9_200_000 + n, "P", "en").start(payload)
        reader = bot.user(9_200_010, "R", "en")
        await reader.start("example-jakarta")
        await reader.press(live.ui("id").t("button.home"))  # a page view, in the campaign's language

        admin = bot.user(ADMIN, "Admin", "id")
        await admin.send("/stats")  # the counters are still in memory: /stats flushes them first
        ui = live.ui("id")
        text = admin.last_message.text or ""
        lines = text.splitlines()
        assert lines[0] == ui.t("admin.stats_heading")
        assert ui.t("admin.stats_line", event=ui.t("admin.stats_starts"), count=5) in lines
        assert ui.t("admin.stats_line", event=ui.t("admin.stats_page_views"), count=1) in lines
        assert ui.t("admin.stats_line", event=ui.t("admin.stats_helplines"), count=0) in lines
        assert ui.t("admin.stats_unique", count=5) in lines
        top = lines[lines.index(ui.t("admin.stats_campaigns")) :]
        assert top[1:] == [
            ui.t("admin.stats_line", event="example-jakarta", count=3),
            ui.t("admin.stats_line", event=ui.t("admin.stats_no_campaign"), count=1),
            ui.t("admin.stats_line", event="example-yangon", count=1),
        ]
        bot.emu.assert_clean()


async def test_non_admins_get_the_unknown_command_answer(tmp_path: Path) -> None:
    async with campaign_bot(tmp_path, admin_ids=frozenset({ADMIN})) as bot:
        user = bot.user(9_300_001, "Nobody", "th")
        await user.send("/nosuchcommand")
        unknown = user.last_message
        await user.send("/stats")
        answer = user.last_message
        assert answer.message_id != unknown.message_id
        assert (answer.text, answer.reply_markup) == (unknown.text, unknown.reply_markup)
        assert "stats" not in COMMANDS, "no hint in the command menu"
        bot.emu.assert_clean()
