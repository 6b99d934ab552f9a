"""The /stats summary: the last 7 days of aggregate counters, as figures and as a screen in the admin's language."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date, timedelta

from bot import keyboards
from bot.analytics.events import Event
from bot.analytics.stats import query, top, totals, unique_users_per_day
from bot.callbacks import Header, Open
from bot.content.model import Content
from bot.i18n import UI
from bot.screens import Screen
from bot.storage import Storage

DAYS = 7
TOP_CAMPAIGNS = 5


@dataclass(frozen=True, slots=True)
class WeekFigures:
    """What /stats shows: event totals, people per day added up, and the campaigns that brought most starts."""

    since: date
    until: date
    starts: int
    page_views: int
    helplines: int
    people: int  # the sum of the daily estimates: someone who came on three days counts three times
    campaigns: tuple[tuple[str, int], ...]  # (code, starts), "" for people without a campaign link


async def last_week(storage: Storage, today: date) -> WeekFigures:
    """Sum the stored counters of the 7 UTC days ending `today`."""
    since = today - timedelta(days=DAYS - 1)
    rows = await query(storage, since, today)
    counts = totals(rows)
    people = await unique_users_per_day(storage, since, today)
    return WeekFigures(
        since=since,
        until=today,
        starts=counts[Event.START],
        page_views=counts[Event.NODE_VIEW],
        helplines=counts[Event.HELPLINE_SHOWN],
        people=sum(people.values()),
        campaigns=top(rows, Event.START, "campaign", TOP_CAMPAIGNS),
    )


def stats_text(ui: UI, figures: WeekFigures) -> str:
    """The summary as Telegram HTML, every label from the UI catalog."""

    def line(label: str, count: int) -> str:
        return html.escape(ui.t("admin.stats_line", event=label, count=count), quote=False)

    lines = [
        f"<b>{html.escape(ui.t('admin.stats_heading'), quote=False)}</b>",
        f"{figures.since.isoformat()} – {figures.until.isoformat()} (UTC)",
        "",
        line(ui.t("admin.stats_starts"), figures.starts),
        line(ui.t("admin.stats_page_views"), figures.page_views),
        line(ui.t("admin.stats_helplines"), figures.helplines),
        html.escape(ui.t("admin.stats_unique", count=figures.people), quote=False),
        html.escape(ui.t("admin.stats_unique_note"), quote=False),
    ]
    if figures.campaigns:
        lines += ["", f"<b>{html.escape(ui.t('admin.stats_campaigns'), quote=False)}</b>"]
        lines += [line(code or ui.t("admin.stats_no_campaign"), count) for code, count in figures.campaigns]
    return ui.direction("\n".join(lines))


def stats_screen(content: Content, ui: UI, header: Header, figures: WeekFigures) -> Screen:
    """The /stats message with a Home button."""
    rows = [[keyboards.button(ui.t("button.home"), header, Open(content.root.key))]]
    return Screen(stats_text(ui, figures), keyboards.markup(rows))
