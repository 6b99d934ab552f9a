""" "This number did not work": counted per directory entry with no user key, the next line shown, the admins
told once a UTC day per entry at the threshold, and the totals in `python -m bot stats`."""

from __future__ import annotations

import argparse
import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from bot.analytics.alerts import TOLD
from bot.cli import stats
from bot.helplines import failed
from bot.storage.schema import analytics_counters, metadata
from tests.botfixtures import Harness, running_bot
from tests.helplines.flow import choose_country

ADMIN = 950


async def _tables(harness: Harness) -> dict[str, list[tuple[Any, ...]]]:
    async with harness.services.storage.engine.connect() as connection:
        return {
            table.name: sorted(map(tuple, (await connection.execute(sa.select(table))).all()), key=repr)
            for table in metadata.sorted_tables
        }


async def _report_first_line(harness: Harness, user_id: int) -> tuple[Any, list[failed.Shown]]:
    """A person in Malaysia opens the card, says the first helpline (after the emergency number) failed."""
    live = harness.services.live.current
    ui = live.ui("en")
    user = harness.user(user_id, "Rina", "en")
    await user.send("/helpline")
    await choose_country(user, ui, "Malaysia")
    await user.press(ui.t("helpline.failed.button"))
    assert ui.t("helpline.failed.which") in user.last_message.text
    shown = failed.shown_numbers(live.content, ui, "en", "MY", None, "", show_low=False)
    await user.press(shown[1].label)
    return user, shown


async def test_a_report_is_counted_per_line_with_no_user_key_and_the_next_line_is_shown(harness: Harness) -> None:
    analytics = harness.services.analytics
    assert analytics is not None
    ui = harness.services.live.current.ui("en")
    user = harness.user(9200, "Rina", "en")
    await user.send("/helpline")
    await choose_country(user, ui, "Malaysia")
    await analytics.flush()
    before = await _tables(harness)
    await user.press(ui.t("helpline.failed.button"))
    live = harness.services.live.current
    shown = failed.shown_numbers(live.content, ui, "en", "MY", None, "", show_low=False)
    assert shown[0].detail == "emergency:MY" and len(shown) >= 3
    await user.press(shown[1].label)
    text = user.last_message.text
    assert ui.t("helpline.failed.thanks") in text
    name = shown[2].label.removeprefix("📞 ")
    assert name in text, "the next line of the card is shown"
    await analytics.flush()
    after = await _tables(harness)
    # The chat trail notes the ids of every message of the chat for Clear this chat, whatever the press is; apart
    # from it, the report changed nothing but one counter: no setting, no sketch of people, no user key.
    changed = {name for name in after if after[name] != before[name]} - {"chat_trail"}
    assert changed == {"analytics_counters"}, "only a count"
    new = [row for row in after["analytics_counters"] if row not in before["analytics_counters"]]
    assert [(row[3], row[4], row[5], row[6]) for row in new] == [("number_failed", "", shown[1].detail, 1)]
    # Its next line failing too is one more count, for that line.
    await user.press(ui.t("helpline.failed.next_failed"))
    await analytics.flush()
    async with harness.services.storage.engine.connect() as connection:
        counted = dict(
            (
                await connection.execute(
                    sa.select(analytics_counters.c.detail, analytics_counters.c.count).where(
                        analytics_counters.c.event == "number_failed"
                    )
                )
            ).all()
        )
    assert counted == {shown[1].detail: 1, shown[2].detail: 1}
    harness.emu.assert_clean()


async def test_the_admins_are_told_once_a_day_per_line_at_the_threshold(tmp_path: Path, db_url: str) -> None:
    overrides: dict[str, Any] = {"admin_ids": frozenset({ADMIN}), "number_failed_threshold": 2}
    async with running_bot(tmp_path, db_url=db_url, **overrides) as harness:
        admin = harness.emu.user(ADMIN, "Admin")
        analytics = harness.services.analytics
        assert analytics is not None
        _, shown = await _report_first_line(harness, 9300)
        assert admin.bot_messages == [], "one report is below the threshold"
        await _report_first_line(harness, 9301)
        assert len(admin.bot_messages) == 1
        assert shown[1].detail in admin.bot_messages[0].text and "2" in admin.bot_messages[0].text
        await _report_first_line(harness, 9302)
        assert len(admin.bot_messages) == 1, "once a day"
        tomorrow = datetime.now(UTC) + timedelta(days=1)
        analytics._clock = lambda: tomorrow  # type: ignore[method-assign]
        await _report_first_line(harness, 9303)
        assert len(admin.bot_messages) == 1, "a new day starts from zero"
        await _report_first_line(harness, 9304)
        assert len(admin.bot_messages) == 2, "told again the next day"
        harness.emu.assert_clean()


async def test_stats_lists_the_reports_per_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    async with running_bot(tmp_path) as harness:
        _, shown = await _report_first_line(harness, 9400)
        await _report_first_line(harness, 9401)
        url = harness.services.settings.database_url
    assert url is not None
    parser = argparse.ArgumentParser()
    stats.add_arguments(parser)
    assert await asyncio.to_thread(stats.run, parser.parse_args(["--database-url", url])) == 0  # its own loop
    out = capsys.readouterr().out
    assert "Numbers reported as not working" in out
    line = next(line for line in out.splitlines() if line.strip().endswith(shown[1].detail))
    assert line.split()[0] == "2"
    assert TOLD not in out


def test_the_buttons_fit_telegrams_64_bytes_with_the_longest_campaign_and_locale() -> None:
    from bot.callbacks import Header, Licence, NumberFailed, decode, encode
    from bot.campaigns.model import CODE_MAX

    header = Header("fa_AF", "x" * CODE_MAX)
    for act in (NumberFailed("PK", failed.entry_key("emergency:PK"), "tmlecs"), Licence("PH"), Licence("")):
        data = encode(header, act)
        assert len(data.encode()) <= 64 and decode(data) == (header, act)
