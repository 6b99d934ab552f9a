"""Fault injection (429, 5xx, delays, dropped connections, answers lost after the call) and flood accounting."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

FaultKind = Literal["retry_after", "server_error", "delay", "drop", "lose_answer"]
FAULT_KINDS: tuple[FaultKind, ...] = ("retry_after", "server_error", "delay", "drop", "lose_answer")


@dataclass(frozen=True)
class Fault:
    """One programmed fault: what happens, to which method/chat, and how many times (None = always)."""

    kind: FaultKind
    method: str | None = None
    chat_id: int | None = None
    times: int | None = 1
    retry_after: int = 5
    status: int = 500
    delay: float = 0.0

    def matches(self, method: str, chat_id: int | None) -> bool:
        """Whether this fault applies to a call of `method` for `chat_id`."""
        if self.method is not None and self.method.lower() != method.lower():
            return False
        return self.chat_id is None or self.chat_id == chat_id


@dataclass
class _Armed:
    """A programmed fault and how many more times it fires (None = always)."""

    fault: Fault
    left: int | None


class FaultPlan:
    """The programmed faults; each call consumes at most one matching fault, oldest first."""

    def __init__(self) -> None:
        self._faults: list[_Armed] = []

    def add(self, fault: Fault) -> Fault:
        """Program `fault`; return it."""
        if fault.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {fault.kind!r}")
        self._faults.append(_Armed(fault, fault.times))
        return fault

    def retry_after(
        self,
        method: str | None = None,
        *,
        seconds: int = 5,
        chat_id: int | None = None,
        times: int | None = 1,
    ) -> Fault:
        """Answer 429 "Too Many Requests: retry after N" with parameters.retry_after."""
        return self.add(Fault("retry_after", method, chat_id, times, retry_after=seconds))

    def server_error(
        self,
        method: str | None = None,
        *,
        status: int = 500,
        chat_id: int | None = None,
        times: int | None = 1,
    ) -> Fault:
        """Answer with a 5xx status (PTB raises NetworkError)."""
        return self.add(Fault("server_error", method, chat_id, times, status=status))

    def delay(
        self, method: str | None = None, *, seconds: float, chat_id: int | None = None, times: int | None = 1
    ) -> Fault:
        """Answer normally after waiting `seconds`."""
        return self.add(Fault("delay", method, chat_id, times, delay=seconds))

    def drop(self, method: str | None = None, *, chat_id: int | None = None, times: int | None = 1) -> Fault:
        """Close the connection without answering."""
        return self.add(Fault("drop", method, chat_id, times))

    def lose_answer(self, method: str | None = None, *, chat_id: int | None = None, times: int | None = 1) -> Fault:
        """Carry the call out (the message is sent, the edit made), then close the connection without answering:
        Telegram's timeout, where the bot cannot know that its call succeeded."""
        return self.add(Fault("lose_answer", method, chat_id, times))

    def clear(self) -> None:
        """Remove every programmed fault."""
        self._faults.clear()

    @property
    def active(self) -> list[Fault]:
        """Faults that will still fire."""
        return [armed.fault for armed in self._faults]

    def take(self, method: str, chat_id: int | None) -> Fault | None:
        """The fault that applies to this call, consuming one of its repetitions."""
        for armed in self._faults:
            if armed.fault.matches(method, chat_id):
                if armed.left is not None:
                    armed.left -= 1
                    if armed.left <= 0:
                        self._faults.remove(armed)
                return armed.fault
        return None


class FloodControl:
    """Telegram-like flood limits: ~1 message/s per chat with a small burst, 30 messages/s overall."""

    def __init__(
        self,
        clock: Callable[[], float],
        *,
        enabled: bool = False,
        per_chat_rate: float = 1.0,
        per_chat_burst: int = 3,
        global_rate: float = 30.0,
    ) -> None:
        self.enabled = enabled
        self._clock = clock
        self._per_chat_rate = per_chat_rate
        self._per_chat_burst = float(per_chat_burst)
        self._global_rate = global_rate
        self._chats: dict[int, tuple[float, float]] = {}
        self._global: tuple[float, float] = (global_rate, clock())

    @staticmethod
    def _refill(bucket: tuple[float, float], rate: float, cap: float, now: float) -> float:
        tokens, stamp = bucket
        return min(cap, tokens + (now - stamp) * rate)

    def check(self, chat_id: int | None) -> int | None:
        """Consume one message for `chat_id`; return retry_after seconds if over the limit."""
        if not self.enabled:
            return None
        now = self._clock()
        chat_tokens = self._per_chat_burst
        if chat_id is not None:
            bucket = self._chats.get(chat_id, (self._per_chat_burst, now))
            chat_tokens = self._refill(bucket, self._per_chat_rate, self._per_chat_burst, now)
        global_tokens = self._refill(self._global, self._global_rate, self._global_rate, now)
        if chat_tokens < 1:
            return max(1, math.ceil((1 - chat_tokens) / self._per_chat_rate))
        if global_tokens < 1:
            return max(1, math.ceil((1 - global_tokens) / self._global_rate))
        if chat_id is not None:
            self._chats[chat_id] = (chat_tokens - 1, now)
        self._global = (global_tokens - 1, now)
        return None
