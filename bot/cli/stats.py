"""`python -m bot stats`: aggregate usage for a period as a table, CSV or a PNG chart."""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from bot.analytics.events import Event
from bot.analytics.stats import Summary, summarize
from bot.config import ConfigError, load_settings
from bot.storage import Storage
from bot.storage.engine import UnsupportedDatabaseError, normalize_url
from bot.storage.schema import analytics_counters, analytics_uniques

HELP = "Show aggregate usage (events per day, people per day, funnel) as a table, CSV or PNG chart."
DEFAULT_DAYS = 30


class StatsError(Exception):
    """A problem the user can fix; the message is one line."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the options of the stats command."""
    parser.add_argument("--campaign", help="only this campaign code ('' for people without a campaign link)")
    parser.add_argument("--since", help="first day, YYYY-MM-DD (default: 30 days before --until)")
    parser.add_argument("--until", help="last day, YYYY-MM-DD (default: today, UTC)")
    parser.add_argument("--database-url", help="database to read (default: DATABASE_URL or the data directory)")
    parser.add_argument("--format", choices=("table", "csv"), default="table", help="output format")
    parser.add_argument("--plot", type=Path, metavar="FILE.png", help="also draw a chart into this PNG file")


def _date(option: str, raw: str | None, default: date) -> date:
    if raw is None:
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise StatsError(f"{option} must be a date like 2025-01-31, got {raw!r}") from None


def period(since: str | None, until: str | None, today: date) -> tuple[date, date]:
    """Parse --since/--until (inclusive), defaulting to the last 30 days."""
    last = _date("--until", until, today)
    first = _date("--since", since, last - timedelta(days=DEFAULT_DAYS - 1))
    if first > last:
        raise StatsError(f"--since ({first}) is after --until ({last})")
    return first, last


def _database_url(raw: str | None) -> str:
    if raw:
        return raw
    try:
        return load_settings().effective_database_url
    except ConfigError as error:
        raise StatsError(str(error)) from None


async def load_summary(url: str, since: date, until: date, campaign: str | None) -> Summary:
    """Open the database read-only (no migrations) and summarize the period."""
    storage = await Storage.open(url, migrate=False)
    try:
        async with storage.engine.connect() as connection:
            tables = set(await connection.run_sync(lambda c: sa.inspect(c).get_table_names()))
        if not {analytics_counters.name, analytics_uniques.name} <= tables:
            raise StatsError("the database has no analytics tables yet; start the bot once to create them")
        return await summarize(storage, since, until, campaign)
    finally:
        await storage.close()


def rows(summary: Summary) -> tuple[list[str], list[list[str]]]:
    """Return the per-day table: a header and one row per day, then a total row."""
    header = ["day", "people", *(event.value for event in Event)]
    body = [
        [day.day.isoformat(), str(day.unique_users), *(str(day.counts[event]) for event in Event)]
        for day in summary.days
    ]
    body.append(["total", "-", *(str(summary.totals[event]) for event in Event)])
    return header, body


def format_csv(summary: Summary) -> str:
    """Return the per-day table as CSV (the total row is left out)."""
    header, body = rows(summary)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(body[:-1])
    return buffer.getvalue()


def format_table(summary: Summary) -> str:
    """Return the report as an aligned plain-text table with the funnel and most-read pages."""
    header, body = rows(summary)
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(cells, widths, strict=True))
        )

    scope = "all campaigns" if summary.campaign is None else f"campaign {summary.campaign!r}"
    out = [f"Usage {summary.since} to {summary.until} (UTC days), {scope}", "", line(header)]
    out.append("  ".join("-" * w for w in widths))
    out.extend(line(row) for row in body)
    out += [
        "",
        "Funnel (event counts): "
        + " -> ".join(f"{step.event.value} {step.count} ({step.share:.0%})" for step in summary.funnel),
    ]
    if summary.top_nodes:
        out += ["", "Most viewed pages:"] + [f"  {count:>8}  {node or '(home)'}" for node, count in summary.top_nodes]
    if summary.locales:
        out += ["", "Starts by language:"] + [
            f"  {count:>8}  {locale or '(unknown)'}" for locale, count in summary.locales
        ]
    out += ["", "people = distinct users per day, estimated (about ±1.6 %); days cannot be added up into people."]
    return "\n".join(out) + "\n"


def _check_sqlite_file(url: str) -> None:
    """Refuse a missing SQLite file instead of creating an empty one."""
    parsed = normalize_url(url)
    database = parsed.database if parsed.get_backend_name() == "sqlite" else None
    if database and database != ":memory:" and not Path(database).exists():
        raise StatsError(f"no database file at {parsed.database}")


def _safe(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(malformed URL)"


def run(args: argparse.Namespace) -> int:
    """Print the report (and draw the chart); errors become one line on stderr and exit status 1 or 2."""
    try:
        since, until = period(args.since, args.until, datetime.now(UTC).date())
        url = _database_url(args.database_url)
    except StatsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    try:
        _check_sqlite_file(url)
        summary = asyncio.run(load_summary(url, since, until, args.campaign))
    except (StatsError, UnsupportedDatabaseError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except ArgumentError:
        print("error: the database URL is malformed", file=sys.stderr)
        return 1
    except (SQLAlchemyError, OSError, TimeoutError) as error:
        reason = str(getattr(error, "orig", None) or error).splitlines()[0] or type(error).__name__
        print(f"error: cannot read the database at {_safe(url)}: {reason}", file=sys.stderr)
        return 1
    sys.stdout.write(format_csv(summary) if args.format == "csv" else format_table(summary))
    if args.plot is not None:
        from bot.analytics.plot import render_png  # matplotlib loads only when a chart is wanted

        try:
            render_png(summary, args.plot)
        except OSError as error:
            print(f"error: cannot write {args.plot}: {error.strerror or error}", file=sys.stderr)
            return 1
        print(f"chart written to {args.plot}", file=sys.stderr)
    return 0
