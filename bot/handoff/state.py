"""What the desk feature keeps in memory only, per process: rate windows, report drafts, the desk's health."""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field

RATE_WINDOW = 600.0  # seconds: HANDOFF_RATE_LIMIT counts the messages of the last 10 minutes
DRAFT_TTL = 3600.0  # an unfinished report is dropped after an hour
OUT_OF_HOURS_REMINDER = 6 * 3600.0  # tell someone writing out of hours again after six hours


@dataclass(slots=True)
class ReportDraft:
    """An anonymous report being answered: its texts live here only until sent (never stored, never logged)."""

    step: str = "what"  # what, country, who, shots, follow
    what: str = ""
    country: str = ""
    who: str = ""
    shots: list[int] = field(default_factory=list)  # ids of the user's photo messages, to copy to the desk
    started: float = field(default_factory=time.monotonic)


class HandoffState:
    """Per-process memory of the desk feature; losing it (a restart) loses at most unfinished reports."""

    def __init__(self) -> None:
        """Start empty, with the desk presumed reachable."""
        self._sent: dict[str, deque[float]] = {}
        self.drafts: dict[str, ReportDraft] = {}
        self.desk_down: str | None = None  # Telegram's words for why the desk cannot be reached
        self._told: dict[int, float] = {}  # case number -> when the person was last told the desk is closed
        self.last_sweep = 0.0

    def allow(self, key: str, limit: int, now: float | None = None) -> bool:
        """Count one relayed message for `key`; False when more than `limit` in the last ten minutes."""
        now = time.monotonic() if now is None else now
        window = self._sent.setdefault(key, deque())
        while window and now - window[0] > RATE_WINDOW:
            window.popleft()
        if len(window) >= limit:
            return False
        window.append(now)
        return True

    def draft(self, key: str) -> ReportDraft | None:
        """The user's unfinished report, unless it expired."""
        found = self.drafts.get(key)
        if found is not None and time.monotonic() - found.started > DRAFT_TTL:
            del self.drafts[key]
            return None
        return found

    def should_tell_closed(self, case_no: int, now: float | None = None) -> bool:
        """True at most once per six hours per case: the person is told the desk is closed."""
        now = time.monotonic() if now is None else now
        last = self._told.get(case_no)
        if last is not None and now - last < OUT_OF_HOURS_REMINDER:
            return False
        self._told[case_no] = now
        return True

    def forget(self, key: str) -> None:
        """Drop everything held for a user (/forget)."""
        self._sent.pop(key, None)
        self.drafts.pop(key, None)
