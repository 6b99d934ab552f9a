"""`python -m bot stats`: aggregate usage for a period as a table, CSV or a PNG chart."""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from bot.analytics.events import Event
from bot.analytics.stats import Summary, summarize
from bot.broadcasts.console import total_line
from bot.broadcasts.store import BroadcastStore, RunInfo
from bot.campaigns.document import FILE as CAMPAIGNS_FILE
from bot.campaigns.document import closest, parse_campaigns
from bot.config import ConfigError, Settings, default_content_dir, load_settings
from bot.content.diagnostics import Report as Diagnostics
from bot.content.types import LoadContext
from bot.content.yamlio import YamlMap, read_yaml_file
from bot.storage import Storage
from bot.storage.engine import UnsupportedDatabaseError, normalize_url
from bot.storage.schema import analytics_counters, analytics_uniques, broadcast_runs

HELP = "Show aggregate usage (events per day, people per day, funnel) as a table, CSV or PNG chart."
DEFAULT_DAYS = 30
MAX_LISTED = 20  # campaign codes named in an "unknown campaign" message


class StatsError(Exception):
    """A problem the user can fix; the message is one line."""


class UnknownCampaignError(StatsError):
    """--campaign names a code that is neither in campaigns.yaml nor in the counted data (a typo, most likely)."""


@dataclass(frozen=True, slots=True)
class PeriodReport:
    """The summary of the period, and the first and last day anything is recorded for its scope (None: never)."""

    summary: Summary
    first_day: date | None
    last_day: date | None
    broadcasts: tuple[RunInfo, ...] = ()  # every broadcast run, whatever the period

    @property
    def empty(self) -> bool:
        """True when nothing at all was recorded in the period for its scope."""
        summary = self.summary
        return not any(summary.totals.values()) and not any(day.unique_users for day in summary.days)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the options of the stats command."""
    parser.add_argument("--campaign", help="only this campaign code ('' for people without a campaign link)")
    parser.add_argument(
        "--since",
        help=f"first day, YYYY-MM-DD, included (default: {DEFAULT_DAYS - 1} days before --until, "
        f"so {DEFAULT_DAYS} days with both ends)",
    )
    parser.add_argument("--until", help="last day, YYYY-MM-DD, included (default: today, UTC)")
    parser.add_argument("--database-url", help="database to read (default: DATABASE_URL or the data directory)")
    parser.add_argument("--format", choices=("table", "csv"), default="table", help="output format")
    parser.add_argument("--plot", type=Path, metavar="FILE.png", help="also draw a chart into this PNG file")
    parser.add_argument(
        "--content",
        type=Path,
        help="content folder whose campaigns.yaml names the campaigns (default: CONTENT_DIR or ./content)",
    )


def _date(option: str, raw: str | None, default: date) -> date:
    if raw is None:
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise StatsError(f"{option} must be a date like 2025-01-31, got {raw!r}") from None


def period(since: str | None, until: str | None, today: date) -> tuple[date, date]:
    """Parse --since/--until (both days included), defaulting to the 30 days that end today."""
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


def _settings() -> Settings:
    """The settings for the content folder and the retention period; their defaults when they do not load."""
    try:
        return load_settings()
    except ConfigError:
        return Settings(content_dir=default_content_dir())


def campaign_codes(content_dir: Path) -> list[str] | None:
    """The codes written in campaigns.yaml (also those of entries with errors); None when there is no file."""
    path = content_dir / CAMPAIGNS_FILE
    if not path.is_file():
        return None
    report = Diagnostics()
    data = read_yaml_file(path, CAMPAIGNS_FILE, report)
    if not isinstance(data, YamlMap):
        return []
    campaigns = parse_campaigns(data, LoadContext(report, CAMPAIGNS_FILE, "", ""))
    return [campaign.code for campaign in (*campaigns.items, *campaigns.flawed) if campaign.code]


def unknown_campaign(code: str, in_file: list[str] | None, in_data: set[str], content_dir: Path) -> str:
    """The one-line message for a campaign code found neither in campaigns.yaml nor in the data."""
    known = sorted({*(in_file or ()), *in_data} - {""})
    where = (
        f"{content_dir / CAMPAIGNS_FILE} or in the counted data"
        if in_file is not None
        else f"the counted data (and there is no {content_dir / CAMPAIGNS_FILE})"
    )
    guess = closest(code, known)
    hint = f"; did you mean {guess!r}?" if guess else ""
    listed = ", ".join(known[:MAX_LISTED]) + (f" and {len(known) - MAX_LISTED} more" if len(known) > MAX_LISTED else "")
    names = f"known: {listed}" if known else "no campaign is known yet"
    return f"no campaign {code!r} in {where}{hint} ({names}; --campaign '' means people without a campaign link)"


async def load_report(
    url: str, since: date, until: date, campaign: str | None, content_dir: Path | None = None
) -> PeriodReport:
    """Open the database read-only (no migrations) and summarize the period.

    A campaign code that is neither in the counted data nor in `content_dir`/campaigns.yaml raises
    UnknownCampaignError, so a typo is not reported as "nobody came".
    """
    storage = await Storage.open(url, migrate=False)
    try:
        async with storage.engine.connect() as connection:
            tables = set(await connection.run_sync(lambda c: sa.inspect(c).get_table_names()))
            if not {analytics_counters.name, analytics_uniques.name} <= tables:
                raise StatsError("the database has no analytics tables yet; start the bot once to create them")
            counters = analytics_counters
            if campaign:
                in_data = set((await connection.execute(sa.select(counters.c.campaign).distinct())).scalars())
                if campaign not in in_data:
                    directory = content_dir or default_content_dir()
                    in_file = campaign_codes(directory)
                    if campaign not in (in_file or ()):
                        raise UnknownCampaignError(unknown_campaign(campaign, in_file, in_data, directory))
            span = sa.select(sa.func.min(counters.c.day), sa.func.max(counters.c.day))
            if campaign is not None:
                span = span.where(counters.c.campaign == campaign)
            first, last = (await connection.execute(span)).one()
        summary = await summarize(storage, since, until, campaign)
        runs = await BroadcastStore(storage).runs() if broadcast_runs.name in tables else []
        return PeriodReport(summary, first, last, tuple(runs))
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


def scope_of(summary: Summary) -> str:
    """Whose usage the report shows, in words."""
    if summary.campaign is None:
        return "all campaigns"
    if summary.campaign == "":
        return "people who came without a campaign link"
    return f"campaign {summary.campaign!r}"


def format_table(summary: Summary, notes: list[str] | None = None) -> str:
    """Return the report as an aligned plain-text table with the funnel and most-read pages.

    Funnel shares are of the starts; without any start in the period they are shown as "–", not as 0 %.
    """
    notes = notes or []
    starts = summary.funnel[0].count if summary.funnel else 0
    shares = [(step, f"{step.share:.0%}" if starts else "–") for step in summary.funnel]
    header, body = rows(summary)
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(cells, widths, strict=True))
        )

    days = len(summary.days)
    out = [f"Usage {summary.since} to {summary.until} ({days} UTC day{'s' * (days != 1)}), {scope_of(summary)}"]
    out += [*notes, "", line(header)]
    out.append("  ".join("-" * w for w in widths))
    out.extend(line(row) for row in body)
    out += [
        "",
        "Funnel (event counts): " + " -> ".join(f"{step.event.value} {step.count} ({share})" for step, share in shares),
    ]
    if summary.top_nodes:
        out += ["", "Most viewed pages:"] + [f"  {count:>8}  {node or '(home)'}" for node, count in summary.top_nodes]
    if summary.locales:
        out += ["", "Starts by language:"] + [
            f"  {count:>8}  {locale or '(unknown)'}" for locale, count in summary.locales
        ]
    if summary.failed_numbers:
        out += ["", "Numbers reported as not working (directory entry of content/helplines.yaml):"] + [
            f"  {count:>8}  {entry}" for entry, count in summary.failed_numbers
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


def explain_empty(report: PeriodReport, today: date, retention_days: int) -> list[str]:
    """Why nothing is shown: no data for the period, and whether the period is in the future or past retention."""
    summary = report.summary
    lines = [f"No usage recorded from {summary.since} to {summary.until} (UTC) for {scope_of(summary)}."]
    oldest = today - timedelta(days=retention_days)
    if summary.since > today:
        lines.append(f"The period lies in the future: today is {today} (UTC).")
    elif summary.until < oldest:
        lines.append(
            f"The period is older than the retention period: counts are kept {retention_days} days "
            f"(ANALYTICS_RETENTION_DAYS), the oldest day kept is {oldest}."
        )
    if report.first_day is None:
        lines.append(
            "Nothing has been recorded in this database yet."
            if summary.campaign is None
            else f"Nothing is recorded for {scope_of(summary)} in this database (within the retention period)."
        )
    else:
        lines.append(f"Usage is recorded for {scope_of(summary)} from {report.first_day} to {report.last_day}.")
    return lines


def period_notes(report: PeriodReport, today: date, retention_days: int) -> list[str]:
    """Warnings about days of the period that cannot have data: past retention, or still to come."""
    summary = report.summary
    notes: list[str] = []
    oldest = today - timedelta(days=retention_days)
    if summary.since < oldest:
        notes.append(
            f"Note: days before {oldest} are no longer kept (ANALYTICS_RETENTION_DAYS={retention_days}); "
            "they show as 0."
        )
    if summary.until > today:
        notes.append(f"Note: days after today ({today}, UTC) have no data yet; they show as 0.")
    return notes


def broadcast_lines(runs: tuple[RunInfo, ...]) -> list[str]:
    """One summary line per broadcast run: its state, when it ran, its deliveries by state."""
    lines = []
    for info in runs:
        when = f"started {info.started_at:%Y-%m-%d %H:%M}"
        if info.finished_at is not None:
            when += f", finished {info.finished_at:%Y-%m-%d %H:%M}"
        lines.append(f"  {info.broadcast}: {info.state} ({when} UTC); {total_line(info.counts)}")
    return ["Broadcasts (every run, all time):", *lines] if lines else []


def run(args: argparse.Namespace) -> int:
    """Print the report (and draw the chart); errors become one line on stderr and exit status 1 or 2.

    An unknown --campaign is exit status 2; a period without any data is said in words (exit status 0), with
    no table of zeros and no chart.
    """
    today = datetime.now(UTC).date()
    try:
        since, until = period(args.since, args.until, today)
        url = _database_url(args.database_url)
    except StatsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    settings = _settings()
    content_dir = args.content or settings.content_dir
    try:
        _check_sqlite_file(url)
        report = asyncio.run(load_report(url, since, until, args.campaign, content_dir))
    except UnknownCampaignError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
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
    summary = report.summary
    retention = settings.analytics_retention_days
    if report.empty:
        lines = explain_empty(report, today, retention)
        if args.format == "csv":
            sys.stdout.write(format_csv(summary).splitlines(keepends=True)[0])  # the header: a valid, empty sheet
            print("\n".join(lines), file=sys.stderr)
        else:
            sys.stdout.write("\n".join([*lines, *broadcast_lines(report.broadcasts)]) + "\n")
        if args.plot is not None:
            print(f"no chart drawn ({args.plot} not written): nothing was recorded in the period", file=sys.stderr)
        return 0
    notes = period_notes(report, today, retention)
    if args.format == "csv":
        sys.stdout.write(format_csv(summary))
        for note in notes:
            print(note, file=sys.stderr)
    else:
        sys.stdout.write(format_table(summary, notes))
        extra = broadcast_lines(report.broadcasts)
        if extra:
            sys.stdout.write("\n" + "\n".join(extra) + "\n")
    if args.plot is not None:
        from bot.analytics.plot import render_png  # matplotlib loads only when a chart is wanted

        try:
            render_png(summary, args.plot)
        except OSError as error:
            print(f"error: cannot write {args.plot}: {error.strerror or error}", file=sys.stderr)
            return 1
        print(f"chart written to {args.plot}", file=sys.stderr)
    return 0
