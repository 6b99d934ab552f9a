"""The terminal side of a broadcast: a progress bar and the summary lines (also used by `stats`)."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from bot.broadcasts.sender import Summary

BAR = 30


class ProgressBar:
    """A one-line bar on stderr, redrawn at most ten times a second."""

    def __init__(self, total: int, stream: TextIO = sys.stderr) -> None:
        """`total`: the sends this run expects."""
        self.total = max(total, 1)
        self._stream = stream
        self._drawn = 0.0

    def __call__(self, done: int, _: int = 0) -> None:
        """Redraw with `done` finished."""
        now = time.monotonic()
        if now - self._drawn < 0.1 and done < self.total:
            return
        self._drawn = now
        filled = min(BAR, BAR * done // self.total)
        self._stream.write(f"\r[{'#' * filled}{'.' * (BAR - filled)}] {done}/{self.total}")
        self._stream.flush()

    def close(self) -> None:
        """End the bar's line."""
        self._stream.write("\n")


def summary_lines(summary: Summary) -> list[str]:
    """The summary as staff read it."""
    lines = [
        f"broadcast {summary.broadcast}: {summary.status}",
        f"  this run: sent {summary.sent}, blocked {summary.blocked}, failed {summary.failed}, "
        f"skipped {summary.skipped}, uncertain {summary.uncertain}"
        + (f", uncertain resent {summary.resent}" if summary.resent else ""),
    ]
    if summary.total:
        lines.append("  all runs: " + total_line(summary.total))
        if summary.total.get("uncertain"):
            lines.append(
                "  uncertain: on their way when a process died, or timed out; they may have arrived and are not "
                "sent again (--resume --resend-uncertain sends them, perhaps a second time)"
            )
    if summary.by_locale:
        languages = ", ".join(f"{locale} {count}" for locale, count in sorted(summary.by_locale.items()))
        lines.append(f"  by language: {languages}")
    return lines


def total_line(total: dict[str, int]) -> str:
    """Every delivery of a broadcast by state, in one line."""
    line = (
        f"sent {total.get('sent', 0)}, blocked {total.get('blocked', 0)}, failed {total.get('failed', 0)}, "
        f"skipped {total.get('skipped', 0)}, pending {total.get('pending', 0)}, uncertain {total.get('uncertain', 0)}"
    )
    if total.get("sending"):
        line += f", sending now {total['sending']}"
    return line
