"""Render a report summary as a PNG chart for NGO reports (matplotlib, Agg, no global pyplot state)."""

from __future__ import annotations

from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure

from bot.analytics.events import Event
from bot.analytics.stats import Summary

_LABELS = {
    Event.START: "Started the bot",
    Event.NODE_VIEW: "Page views",
    Event.HELPLINE_SHOWN: "Helpline shown",
    Event.QUIZ_FINISHED: "Scam check finished",
}
_COLOURS = {
    Event.START: "#1b6ca8",
    Event.NODE_VIEW: "#7aa95c",
    Event.HELPLINE_SHOWN: "#d1495b",
    Event.QUIZ_FINISHED: "#edae49",
}


def render_png(summary: Summary, path: Path) -> None:
    """Draw daily activity and the start -> page views -> helpline funnel into `path`."""
    figure = Figure(figsize=(11, 8.5), layout="constrained")
    FigureCanvasAgg(figure)
    daily, funnel = figure.subplots(2, 1, height_ratios=[3, 2])
    scope = f"campaign “{summary.campaign}”" if summary.campaign else "all campaigns"
    if summary.campaign == "":
        scope = "people who came without a campaign link"
    figure.suptitle(f"Bot usage {summary.since:%d %b %Y} – {summary.until:%d %b %Y}, {scope}", fontsize=15)

    days = [figures.day for figures in summary.days]
    for event, label in _LABELS.items():
        values = [figures.counts[event] for figures in summary.days]
        daily.plot(days, values, marker="o", markersize=3, linewidth=2, label=label, color=_COLOURS[event])
    users = [figures.unique_users for figures in summary.days]
    daily.plot(days, users, linestyle="--", linewidth=1.5, color="#444444", label="People (estimated)")
    locator = AutoDateLocator()  # type: ignore[no-untyped-call]  # matplotlib.dates is unannotated
    daily.xaxis.set_major_locator(locator)
    daily.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    daily.set_ylabel("per day")
    daily.set_ylim(bottom=0)
    daily.grid(alpha=0.3)
    daily.legend(loc="upper left", frameon=False, ncols=3)
    daily.set_title("Activity per day", loc="left")

    labels = [_LABELS[step.event] for step in summary.funnel]
    starts = summary.funnel[0].count if summary.funnel else 0
    counts = [step.count for step in summary.funnel]
    bars = funnel.barh(labels, counts, color=[_COLOURS[step.event] for step in summary.funnel])
    funnel.invert_yaxis()
    funnel.bar_label(
        bars,
        labels=[  # without any start the shares say nothing: "–", not a misleading 0 %
            f"{step.count:,}  ({step.share:.0%} of starts)" if starts else f"{step.count:,}  (– of starts)"
            for step in summary.funnel
        ],
        padding=4,
    )
    funnel.set_xlim(0, max([*counts, 1]) * 1.35)
    funnel.set_title("Funnel over the whole period (counts of events)", loc="left")
    funnel.grid(axis="x", alpha=0.3)
    figure.supxlabel(
        "Aggregate counts only; no personal data is kept. People per day are estimated (about ±1.6 %).",
        fontsize=8,
        color="#555555",
    )
    figure.savefig(path, dpi=150)
