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


@pytest.fixture
def empty_db(db_url: str) -> str:
    """A migrated database in which nothing was ever counted (a bot that has just been installed)."""

    async def create() -> None:
        await (await Storage.open(db_url)).close()

    asyncio.run(create())
    return db_url


@pytest.fixture
def no_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A content folder with one campaign in campaigns.yaml that nobody has arrived through yet."""
    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "campaigns.yaml").write_text(
        "campaigns:\n  - code: new-poster\n    partner: X\n    locale: en\n  - code: Broken_Entry\n    partner: X\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("CONTENT_DIR", str(folder))
    monkeypatch.setenv("ANALYTICS_RETENTION_DAYS", "100000")  # the seeded days of 2025 stay within retention
    return folder


def test_an_empty_database_says_so_without_a_table_of_zeros(
    empty_db: str, no_content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    chart = tmp_path / "chart.png"
    assert run(["--database-url", empty_db, *PERIOD, "--plot", str(chart)]) == 0
    captured = capsys.readouterr()
    assert captured.out == (
        "No usage recorded from 2025-05-01 to 2025-05-03 (UTC) for all campaigns.\n"
        "Nothing has been recorded in this database yet.\n"
    )
    assert "%" not in captured.out and "total" not in captured.out
    assert not chart.exists()
    assert "no chart drawn" in captured.err


def test_an_empty_period_in_csv_is_the_header_only(
    empty_db: str, no_content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["--database-url", empty_db, "--format", "csv", *PERIOD]) == 0
    captured = capsys.readouterr()
    assert list(csv.reader(io.StringIO(captured.out))) == [["day", "people", *(event.value for event in Event)]]
    assert captured.err.startswith("No usage recorded from 2025-05-01 to 2025-05-03 (UTC)")


@pytest.mark.parametrize(
    ("campaign", "message"),
    [
        (
            "POSTER",
            "no campaign 'POSTER' in {content}/campaigns.yaml or in the counted data; did you mean 'poster'? "
            "(known: Broken_Entry, new-poster, poster, radio; --campaign '' means people without a campaign link)",
        ),
        (
            "nope",
            "no campaign 'nope' in {content}/campaigns.yaml or in the counted data "
            "(known: Broken_Entry, new-poster, poster, radio; --campaign '' means people without a campaign link)",
        ),
        ("new-postr", "did you mean 'new-poster'?"),
    ],
)
def test_an_unknown_campaign_is_an_error_naming_the_known_ones(
    seeded: str, no_content: Path, campaign: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["--database-url", seeded, "--campaign", campaign, *PERIOD]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert message.format(content=no_content) in captured.err


def test_an_unknown_campaign_without_a_campaigns_file(
    seeded: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["--database-url", seeded, "--campaign", "Radio", "--content", str(tmp_path), *PERIOD]) == 2
    err = capsys.readouterr().err
    assert f"no campaign 'Radio' in the counted data (and there is no {tmp_path}/campaigns.yaml); " in err
    assert "did you mean 'radio'?" in err


def test_a_campaign_nobody_came_through_yet_is_said_in_words(
    seeded: str, no_content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["--database-url", seeded, "--campaign", "new-poster", *PERIOD]) == 0
    assert capsys.readouterr().out == (
        "No usage recorded from 2025-05-01 to 2025-05-03 (UTC) for campaign 'new-poster'.\n"
        "Nothing is recorded for campaign 'new-poster' in this database (within the retention period).\n"
    )


def test_a_known_campaign_without_arrivals_in_the_period_says_when_it_had_some(
    seeded: str, no_content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["--database-url", seeded, "--campaign", "radio", "--since", "2025-05-01", "--until", "2025-05-02"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "No usage recorded from 2025-05-01 to 2025-05-02 (UTC) for campaign 'radio'.",
        "Usage is recorded for campaign 'radio' from 2025-05-03 to 2025-05-03.",
    ]


def test_a_future_period_says_so(seeded: str, no_content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--database-url", seeded, "--since", "2999-01-01", "--until", "2999-01-31"]) == 0
    out = capsys.readouterr().out
    assert "The period lies in the future: today is " in out
    assert "Usage is recorded for all campaigns from 2025-05-01 to 2025-05-03." in out


def test_a_period_past_retention_says_so(
    seeded: str, no_content: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ANALYTICS_RETENTION_DAYS", "30")
    assert run(["--database-url", seeded, "--since", "2020-01-01", "--until", "2020-01-31"]) == 0
    out = capsys.readouterr().out
    assert "The period is older than the retention period: counts are kept 30 days (ANALYTICS_RETENTION_DAYS)" in out
    # A period with data that reaches back past retention gets a note above the table.
    assert run(["--database-url", seeded, "--since", "2020-01-01", "--until", "2025-05-03"]) == 0
    out = capsys.readouterr().out
    assert "Note: days before " in out and "are no longer kept (ANALYTICS_RETENTION_DAYS=30); they show as 0." in out
    assert "total" in out


async def _views_only(url: str) -> None:
    storage = await Storage.open(url)
    recorder = AnalyticsRecorder(storage, b"s", clock=lambda: DAY1, retention_days=100_000)
    recorder.record(Event.NODE_VIEW, locale="km", campaign=None, node="fees", user_key=user_key(b"u", 1))
    await recorder.close()
    await storage.close()


def test_no_starts_means_no_funnel_percentages(
    db_url: str, no_content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    asyncio.run(_views_only(db_url))
    assert run(["--database-url", db_url, *PERIOD]) == 0
    out = capsys.readouterr().out
    assert "Funnel (event counts): start 0 (–) -> node_view 1 (–) -> helpline_shown 0 (–)" in out
    assert "%" not in out.split("Funnel")[1].split("\n")[0]


def test_the_default_period_is_30_days_with_both_ends_as_the_help_says() -> None:
    parser = argparse.ArgumentParser()
    stats.add_arguments(parser)
    assert "29 days before --until, so 30 days with both ends" in " ".join(parser.format_help().split())
    first, last = stats.period(None, "2025-05-30", datetime(2025, 5, 30, tzinfo=UTC).date())
    assert (str(first), str(last), (last - first).days + 1) == ("2025-05-01", "2025-05-30", 30)


def test_the_table_says_how_many_days_it_covers(
    seeded: str, no_content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["--database-url", seeded, *PERIOD]) == 0
    assert "Usage 2025-05-01 to 2025-05-03 (3 UTC days), all campaigns" in capsys.readouterr().out
