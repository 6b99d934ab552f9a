"""`python -m bot stats`: table, CSV and PNG output from a real database; errors as one line."""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.analytics import AnalyticsRecorder, Event
from bot.cli import stats
from bot.privacy import user_key
from bot.storage import Storage

DAY1 = datetime(2025, 5, 1, 9, tzinfo=UTC)
PERIOD = ["--since", "2025-05-01", "--until", "2025-05-03"]


async def _seed(url: str) -> None:
    storage = await Storage.open(url)
    now = [DAY1]
    recorder = AnalyticsRecorder(storage, b"s", clock=lambda: now[0], retention_days=100_000)
    for group, (offset, campaign, people) in enumerate([(0, "poster", 5), (0, None, 2), (2, "radio", 3)]):
        now[0] = DAY1 + timedelta(days=offset)
        for n in range(people):
            user = user_key(b"u", 100 * group + n)
            recorder.record(Event.START, locale="km", campaign=campaign, user_key=user)
            recorder.record(Event.NODE_VIEW, locale="km", campaign=campaign, node="fees", user_key=user)
        recorder.record(Event.HELPLINE_SHOWN, locale="km", campaign=campaign, node="help", user_key=user)
    await recorder.close()
    await storage.close()


@pytest.fixture
def seeded(db_url: str) -> str:
    asyncio.run(_seed(db_url))
    return db_url


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    stats.add_arguments(parser)
    return stats.run(parser.parse_args(argv))


def test_table_shows_days_totals_and_funnel(seeded: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--database-url", seeded, *PERIOD]) == 0
    out = capsys.readouterr().out
    lines = {line.split()[0]: line.split() for line in out.splitlines() if line.strip()}
    assert lines["2025-05-01"][:5] == ["2025-05-01", "7", "7", "7", "2"]
    assert lines["2025-05-02"][1:3] == ["0", "0"]
    assert lines["total"][2:5] == ["10", "10", "3"]
    assert "start 10 (100%) -> node_view 10 (100%) -> helpline_shown 3 (30%)" in out


def test_campaign_filter(seeded: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--database-url", seeded, "--campaign", "radio", *PERIOD]) == 0
    out = capsys.readouterr().out
    assert "campaign 'radio'" in out
    total = next(line.split() for line in out.splitlines() if line.startswith("total"))
    assert total[2:5] == ["3", "3", "1"]


def test_csv_has_one_row_per_day(seeded: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--database-url", seeded, "--format", "csv", *PERIOD]) == 0
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [row["day"] for row in table] == ["2025-05-01", "2025-05-02", "2025-05-03"]
    assert [int(row["start"]) for row in table] == [7, 0, 3]
    assert [int(row["people"]) for row in table] == [7, 0, 3]
    assert [int(row["helpline_shown"]) for row in table] == [2, 0, 1]


def test_plot_writes_a_png(seeded: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "report.png"
    assert run(["--database-url", seeded, "--plot", str(target), *PERIOD]) == 0
    data = target.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 30_000
    assert "chart written" in capsys.readouterr().err


def test_default_database_comes_from_settings(
    seeded: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", seeded)
    assert run(PERIOD) == 0
    assert "2025-05-01" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "status", "message"),
    [
        (["--since", "2025-02-30"], 2, "--since must be a date"),
        (["--since", "2025-05-03", "--until", "2025-05-01"], 2, "is after --until"),
        (["--database-url", "postgresql+asyncpg://nobody@127.0.0.1:1/none"], 1, "cannot read the database"),
        (["--database-url", "sqlite+aiosqlite:////nonexistent/dir/bot.sqlite3"], 1, "no database file"),
        (["--database-url", "mysql://x@y/z"], 1, "unsupported database"),
    ],
)
def test_errors_are_one_line_and_a_status(
    argv: list[str], status: int, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(argv) == status
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and captured.err.startswith("error: ")
    assert message in captured.err and "Traceback" not in captured.err


def test_a_database_without_analytics_tables_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import sqlite3

    path = tmp_path / "other.sqlite3"
    sqlite3.connect(path).close()
    assert run(["--database-url", f"sqlite+aiosqlite:///{path}"]) == 1
    assert "no analytics tables" in capsys.readouterr().err
