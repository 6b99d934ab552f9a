"""Broadcast summaries in `python -m bot stats`, and BROADCAST_RATE checked at start."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app import build_application
from bot.broadcasts.model import broadcasts_of
from bot.broadcasts.sender import Sender
from bot.cli.stats import broadcast_lines, load_report
from bot.config import ConfigError, load_settings
from tests.botfixtures import running_bot
from tests.broadcasts.test_sender import FIRST_ID, subscribe_many


async def test_stats_shows_each_broadcast_run_with_its_deliveries(tmp_path: Path) -> None:
    async with running_bot(tmp_path, broadcast_rate=1_000.0) as harness:
        emu = harness.emu
        await subscribe_many(harness, 5)
        emu.user(FIRST_ID + 1).block()
        live = harness.services.live.current
        app = build_application(harness.services, token=emu.token, base_url=emu.url, with_updater=False)
        async with app:
            await Sender(app.bot, harness.services.storage, live, broadcasts_of(live.content)["keep-copies"]).run()
    today = datetime.now(UTC).date()
    report = await load_report(f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}", today, today, None)
    lines = broadcast_lines(report.broadcasts)
    assert lines[0] == "Broadcasts (every run, all time):"
    assert lines[1].startswith("  keep-copies: done (started ")
    assert lines[1].endswith("sent 4, blocked 1, failed 0, skipped 0, pending 0, uncertain 0")


@pytest.mark.parametrize("raw", ["0", "-5", "nan", "fast"])
def test_a_broadcast_rate_that_is_not_above_zero_is_refused(raw: str) -> None:
    with pytest.raises(ConfigError, match="BROADCAST_RATE must be a number of messages per second above 0"):
        load_settings({"BROADCAST_RATE": raw})
