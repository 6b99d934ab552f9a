"""Fault injection (429, 403, 5xx, delays, dropped connections, answers lost or late after the call), shares of
calls failed at random but reproducibly, and flood accounting."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

FaultKind = Literal["retry_after", "server_error", "forbidden", "delay", "drop", "lose_answer", "timeout"]
FAULT_KINDS: tuple[FaultKind, ...] = (
    "retry_after",
    "server_error",
    "forbidden",
    "delay",
    "drop",
    "lose_answer",
    "timeout",
)
TIMEOUT_WAIT = 60.0  # seconds a "timeout" answer is held at most, waiting for the client to give up


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
    share: float = 1.0  # the fraction of matching calls it fires on, picked reproducibly from `seed`
    seed: int = 0

    def matches(self, method: str, chat_id: int | None) -> bool:
        """Whether this fault applies to a call of `method` for `chat_id`."""
        if self.method is not None and self.method.lower() != method.lower():
            return False
        return self.chat_id is None or self.chat_id == chat_id

    def picks(self, chat_id: int | None, call: int) -> bool:
        """Whether a share fault fires on the `call`-th (from 0) matching call for `chat_id` (None: calls without
        a chat); a pure function of seed, kind, chat and call, so a run is reproducible whatever the call order
        between chats, and a retry for the same chat is a new draw."""
        if self.share >= 1.0:
            return True
        if self.share <= 0.0:
            return False
        digest = hashlib.blake2b(f"{self.seed}:{self.kind}:{chat_id}:{call}".encode(), digest_size=8).digest()
        return int.from_bytes(digest, "big") / 2**64 < self.share


@dataclass
class _Armed:
    """A programmed fault and how many more times it fires (None = always)."""

    fault: Fault
    left: int | None
    calls: dict[int | None, int] = field(default_factory=dict)  # matching calls seen per chat (share faults)


class FaultPlan:
    """The programmed faults; each call consumes at most one matching fault, oldest first."""

    def __init__(self) -> None:
        self._faults: list[_Armed] = []

    def add(self, fault: Fault) -> Fault:
        """Program `fault`; return it."""
        if fault.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {fault.kind!r}")
        if not 0.0 <= fault.share <= 1.0:
            raise ValueError(f"share must be between 0 and 1, got {fault.share!r}")
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

    def forbidden(self, method: str | None = None, *, chat_id: int | None = None, times: int | None = 1) -> Fault:
        """Answer 403 "Forbidden: bot was blocked by the user" (PTB raises Forbidden); the user's state is unchanged."""
        return self.add(Fault("forbidden", method, chat_id, times, status=403))

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

    def timeout(
        self,
        method: str | None = None,
        *,
        chat_id: int | None = None,
        times: int | None = 1,
        seconds: float = TIMEOUT_WAIT,
    ) -> Fault:
        """Carry the call out, then hold the answer until the client gives up (its read timeout, PTB's TimedOut),
        at most `seconds`: the bot cannot know that its call succeeded."""
        return self.add(Fault("timeout", method, chat_id, times, delay=seconds))

    def share(
        self,
        kind: FaultKind,
        fraction: float,
        *,
        method: str | None = None,
        chat_id: int | None = None,
        seed: int = 0,
        times: int | None = None,
        retry_after: int = 5,
        status: int | None = None,
        delay: float | None = None,
    ) -> Fault:
        """Fail about `fraction` of the matching calls with `kind`, picked reproducibly from `seed` (see
        `Fault.picks`); `times` bounds how often it fires (None: no bound). Faults are tried oldest first, so of
        several shares on one method a call gets at most one, the oldest that picks it."""
        if status is None:
            status = 403 if kind == "forbidden" else 500
        if delay is None:
            delay = TIMEOUT_WAIT if kind == "timeout" else 0.0
        fault = Fault(kind, method, chat_id, times, retry_after, status, delay, share=fraction, seed=seed)
        return self.add(fault)

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
                if armed.fault.share < 1.0:
                    call = armed.calls.get(chat_id, 0)
                    armed.calls[chat_id] = call + 1
                    if not armed.fault.picks(chat_id, call):
                        continue
                if armed.left is not None:
                    armed.left -= 1
                    if armed.left <= 0:
                        self._faults.remove(armed)
                return armed.fault
        return None


def fault_from_json(body: Mapping[str, Any]) -> Fault:
    """The fault a control call describes: `{kind, method?, chat_id?, times?, retry_after?, status?, delay?, share?,
    seed?}` (`times` defaults to 1, or to always for a share); raises ValueError for a malformed one."""
    kind = body.get("kind")
    if kind not in FAULT_KINDS:
        raise ValueError(f'"kind" must be one of {", ".join(FAULT_KINDS)}')
    share = float(body.get("share", 1.0))
    times = body.get("times", None if share < 1.0 else 1)
    if times is not None and (not isinstance(times, int) or times < 1):
        raise ValueError('"times" must be a positive whole number or null')
    default_status = 403 if kind == "forbidden" else 500
    default_delay = TIMEOUT_WAIT if kind == "timeout" else 0.0
    return Fault(
        kind,
        body.get("method"),
        body.get("chat_id"),
        times,
        int(body.get("retry_after", 5)),
        int(body.get("status", default_status)),
        float(body.get("delay", default_delay)),
        share,
        int(body.get("seed", 0)),
    )


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
