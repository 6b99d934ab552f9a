"""Private-by-design analytics: aggregate counters and unique-user sketches, never ids or text."""

from __future__ import annotations

from bot.analytics.events import Event
from bot.analytics.recorder import AnalyticsRecorder

__all__ = ["AnalyticsRecorder", "Event"]
