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
        f"skipped {summary.skipped}",
    ]
    if summary.total:
        t = summary.total
        lines.append(
            f"  all runs: sent {t['sent']}, blocked {t['blocked']}, failed {t['failed']}, skipped {t['skipped']}, "
            f"pending {t['pending']}, uncertain (interrupted while sending, not re-sent) {t['sending']}"
        )
    if summary.by_locale:
        languages = ", ".join(f"{locale} {count}" for locale, count in sorted(summary.by_locale.items()))
        lines.append(f"  by language: {languages}")
    return lines
