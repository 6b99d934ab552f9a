"""What the desk feature keeps in one process's memory: the text of unfinished reports' answers, the desk's health.

Everything that must hold across replicas and restarts (the report's step and which message answers which question,
the rate window, the out-of-hours notice) is in the database (bot/storage/drafts.py, bot/storage/cases.py). The
answers' text is not: it is kept here until the report is sent, and a report finished elsewhere copies the answers
from the person's chat instead.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

DRAFT_TTL = 3600.0  # seconds: an unfinished report is dropped an hour after it was started


@dataclass(slots=True)
class Answers:
    """The text of one person's answers so far, by the id of the message that gave it."""

    texts: dict[int, str] = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)


class HandoffState:
    """Per-process memory of the desk feature; losing it (a restart, another replica) loses no report."""

    def __init__(self) -> None:
        """Start empty, with the desk presumed reachable."""
        self._answers: dict[str, Answers] = {}
        self.desk_down: str | None = None  # why this process last found the desk unreachable (shared: desk_health)

    def remember(self, key: str, message_id: int, text: str) -> None:
        """Hold the text of an answer until the report is sent."""
        self._expire()
        self._answers.setdefault(key, Answers()).texts[message_id] = text

    def answer(self, key: str, message_id: int) -> str | None:
        """The text of an answer, when this process still holds it."""
        held = self._answers.get(key)
        return None if held is None else held.texts.get(message_id)

    def forget(self, key: str) -> None:
        """Drop the answers held for a user (sent, cancelled, a new report, /forget)."""
        self._answers.pop(key, None)

    def _expire(self) -> None:
        now = time.monotonic()
        for key in [key for key, held in self._answers.items() if now - held.started > DRAFT_TTL]:
            del self._answers[key]
