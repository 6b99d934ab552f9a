"""The emulator's time: wall-clock message dates and a monotonic clock for expiry, both movable forward by tests."""

from __future__ import annotations

import time
from collections.abc import Callable


class Clock:
    """Real time plus an offset that only grows: `advance(49 * 3600)` makes every message 49 hours older."""

    def __init__(self, monotonic: Callable[[], float] = time.monotonic, wall: Callable[[], float] = time.time) -> None:
        self._monotonic = monotonic
        self._wall = wall
        self.offset = 0.0

    def now(self) -> float:
        """Unix time as the emulated Telegram sees it (message `date` and `edit_date`)."""
        return self._wall() + self.offset

    def monotonic(self) -> float:
        """The monotonic clock plus the offset (callback-query expiry, flood accounting, notices)."""
        return self._monotonic() + self.offset

    def advance(self, seconds: float) -> float:
        """Move time forward by `seconds` (never back); return the new `now()`."""
        if seconds < 0:
            raise ValueError("the emulator's clock only moves forward")
        self.offset += seconds
        return self.now()
