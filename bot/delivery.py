"""Durable delivery: run the updates held in the inbox through the Application, once each, in order per chat.

An update reaches `Delivery.submit` only after it was stored in the inbox with its claim. Each chat has a lane
that handles its updates one at a time, lowest update id first; at most `concurrency` updates run at once. An
attempt starts by renewing the update's lease in the database (if another replica took the update over, this one
drops it) and ends by deleting the row; the first attempt of an update stored or taken over moments ago was counted
with it and starts without a write (`Inbox.first_attempt`). A transient failure (Telegram's 429/5xx/timeouts, a
dropped connection, the database away) is retried with a back-off, without an apology; calls that already
succeeded in an earlier attempt of the same update are answered from memory, not sent again. After
`max_attempts`, or at once for any other error, the person gets the kind error message once (from the bot's error
handler) and the update is parked.
Updates taken over from a dead replica go first in line for a slot (their people have waited longest).
A heartbeat renews this replica's leases several times per lease, so a lapsed lease means its holder is dead (or
cut off from the database); a sweep takes over lapsed updates (twice a second, or as soon as another replica's
next lease runs out), and a replica starting again under its kept owner id (`bot.storage.owner`) takes back what it
held at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import json
import logging
import random
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, TypeVar

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from telegram import Update
from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import ODVInput
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter
from telegram.ext import Application, ApplicationHandlerStop, CallbackContext
from telegram.request import BaseRequest, HTTPXRequest, RequestData

from bot.storage.inbox import Inbox

log = logging.getLogger(__name__)
T = TypeVar("T")
# What the bot asks Telegram for, in webhook and polling mode. my_chat_member: the bot added to, demoted in or
# removed from the NGO desk is known at once (an explicit list replaces Telegram's default, so every kind the
# bot handles must be named here).
ALLOWED_UPDATES = ("message", "callback_query", "my_chat_member")
AnyApplication = Application[Any, Any, Any, Any, Any, Any]
SWEEP_EVERY = 0.5  # seconds between looks for lapsed leases to take over (at most)
MIN_SWEEP_WAIT = 0.02  # seconds: the sweep wakes this long after the next lease of another replica runs out

# What a database outage looks like from the driver: worth waiting for, not a bug.
DATABASE_ERRORS: tuple[type[BaseException], ...] = (
    OperationalError,
    InterfaceError,
    PoolTimeout,
    OSError,
    TimeoutError,
)


def is_transient(error: BaseException) -> bool:
    """Whether trying the update again later may succeed: flood waits, Telegram's 5xx and timeouts, dropped
    connections, the database away. "Bad Request" and "Forbidden" answers are final."""
    if isinstance(error, RetryAfter):
        return True
    if isinstance(error, BadRequest):
        return False
    if isinstance(error, NetworkError):  # TimedOut too; Telegram's 5xx answers arrive as NetworkError
        return True
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, DATABASE_ERRORS)


class DeliveryGaveUp(Exception):
    """An update failed `max_attempts` times; handed to the error handler so the person hears from us once."""


CallKey = tuple[str, str, int]


class Attempt:
    """One attempt at one update: what went wrong, and the Bot API calls that succeeded (for the next attempt)."""

    def __init__(self, update_id: int, number: int, replay: dict[CallKey, tuple[int, bytes]]) -> None:
        """Attempt `number` of `update_id`; `replay` holds the successful calls of the earlier attempts."""
        self.update_id = update_id
        self.number = number
        self.replay = replay
        self.succeeded: dict[CallKey, tuple[int, bytes]] = {}
        self.transient: BaseException | None = None
        self.failed: BaseException | None = None
        self._seen: Counter[tuple[str, str]] = Counter()

    def key(self, url: str, data: RequestData) -> CallKey:
        """The identity of a Bot API call within this attempt: method, parameters and how many came before."""
        method = url.rsplit("/", 1)[-1].lower()
        params = json.dumps(data.json_parameters, sort_keys=True)
        self._seen[(method, params)] += 1
        return method, params, self._seen[(method, params)]

    def journal(self) -> dict[CallKey, tuple[int, bytes]]:
        """Successful calls of this attempt and the earlier ones, for the next attempt."""
        return {**self.replay, **self.succeeded}


_attempt: ContextVar[Attempt | None] = ContextVar("inbox_attempt", default=None)


def replaying_request(pool_size: int = 64, read_timeout: float = 5.0) -> ReplayingRequest:
    """The bot's Bot API transport (PTB's httpx one) with replay of calls that succeeded in an earlier attempt."""
    return ReplayingRequest(HTTPXRequest(connection_pool_size=pool_size, read_timeout=read_timeout))


class ReplayingRequest(BaseRequest):
    """Bot API transport that, inside a retried attempt, answers a call that already succeeded in an earlier
    attempt of the same update from memory instead of sending it again (no second message, no second answer),
    and treats a late answerCallbackQuery ("query is too old") as done, so the press still gets its screen."""

    def __init__(self, inner: BaseRequest) -> None:
        """Wrap the real transport."""
        self._inner = inner

    @property
    def read_timeout(self) -> float | None:
        """The wrapped transport's read timeout."""
        return self._inner.read_timeout

    async def initialize(self) -> None:
        """Initialise the wrapped transport."""
        await self._inner.initialize()

    async def shutdown(self) -> None:
        """Shut the wrapped transport down."""
        await self._inner.shutdown()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Send the call, or replay its earlier success."""
        attempt = _attempt.get()
        key = None
        if attempt is not None and request_data is not None and not request_data.contains_files:
            key = attempt.key(url, request_data)
            recorded = attempt.replay.get(key)
            if recorded is not None:
                attempt.succeeded[key] = recorded
                return recorded
        answer = await self._inner.do_request(
            url,
            method,
            request_data,
            read_timeout=read_timeout,
            write_timeout=write_timeout,
            connect_timeout=connect_timeout,
            pool_timeout=pool_timeout,
        )
        if attempt is not None and key is not None and answer[0] == 200:
            attempt.succeeded[key] = answer
        if answer[0] == 400 and url.lower().endswith("/answercallbackquery") and b"query is too old" in answer[1]:
            # The spinner is long gone (a press answered late: a backlog, a retry, a takeover). Nothing to stop:
            # carry on as if answered, so the handler still shows the screen the person asked for.
            return 200, b'{"ok":true,"result":true}'
        return answer


async def classify_error(update: object, context: CallbackContext[Any, Any, Any, Any]) -> None:
    """First error handler: a transient failure of an inbox update is kept quiet (it will be retried, or the
    person told once when it is given up); anything else goes on to the bot's own error handler."""
    attempt = _attempt.get()
    error = context.error
    if attempt is None or error is None:
        return
    if is_transient(error):
        attempt.transient = error
        raise ApplicationHandlerStop
    if isinstance(error, Forbidden) or (isinstance(error, BadRequest) and _harmless(error)):
        return  # the bot's error handler marks a blocked user / ignores a double tap: the update is done
    attempt.failed = error


def _harmless(error: BadRequest) -> bool:
    lowered = error.message.lower()
    return "message is not modified" in lowered or "query is too old" in lowered


def install_error_classifier(application: AnyApplication) -> None:
    """Put `classify_error` before every other error handler (PTB runs them in insertion order)."""
    others = dict(application.error_handlers)
    application.error_handlers.clear()
    application.error_handlers[classify_error] = True
    application.error_handlers.update(others)


def lane_of(update: Update) -> int:
    """Updates of one chat share a lane (handled one at a time, in update id order)."""
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:
        return update.effective_user.id
    return -(1 << 53) - update.update_id  # no chat: a lane of its own


class Slots:
    """At most `size` updates running at once; a waiting update taken over from a dead replica goes before the
    fresh ones (its person has waited longest), otherwise first come first served."""

    def __init__(self, size: int) -> None:
        """`size` slots, all free."""
        self._free = size
        self._waiting: list[tuple[int, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    @contextlib.asynccontextmanager
    async def slot(self, *, urgent: bool = False) -> AsyncIterator[None]:
        """Hold a slot for the body of the `async with`."""
        await self._acquire(0 if urgent else 1)
        try:
            yield
        finally:
            self._release()

    async def _acquire(self, priority: int) -> None:
        if self._free > 0 and not self._waiting:
            self._free -= 1
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiting, (priority, next(self._order), future))
        try:
            await future
        except asyncio.CancelledError:
            if future.done() and not future.cancelled():
                self._release()  # the slot came as the wait was cancelled: pass it on
            raise

    def _release(self) -> None:
        while self._waiting:
            _, _, future = heapq.heappop(self._waiting)
            if not future.done():
                future.set_result(None)
                return
        self._free += 1


@dataclass
class DeliveryStats:
    """What this replica did with the updates it held (counts only; no ids)."""

    handled: int = 0
    retried: int = 0
    parked: int = 0
    taken_over: int = 0
    interrupted: int = 0  # taken over after an attempt had started elsewhere: its reply may have gone out
    lost_lease: int = 0  # dropped because another replica had taken the update over
    handed_back: int = 0
    by_failure: Counter[str] = field(default_factory=Counter)


class Delivery:
    """Runs inbox updates through the Application; see the module docstring."""

    def __init__(
        self,
        application: AnyApplication,
        inbox: Inbox,
        *,
        concurrency: int = 16,
        max_attempts: int = 5,
        retry_base: float = 1.0,
        retry_cap: float = 60.0,
        capacity: int = 2000,
        sweep_every: float | None = None,
        heartbeat_every: float | None = None,
    ) -> None:
        """Deliver through `application`; leases are renewed every `heartbeat_every` seconds (a quarter of the
        lease by default) and lapsed ones taken over every `sweep_every` seconds (half a second, or the
        heartbeat if shorter); at most `capacity` updates are held in memory."""
        self.application = application
        self.inbox = inbox
        self.max_attempts = max_attempts
        self.retry_base = retry_base
        self.retry_cap = retry_cap
        self.capacity = capacity
        lease = inbox.lease.total_seconds()
        self.heartbeat_every = heartbeat_every if heartbeat_every is not None else lease / 4
        self.sweep_every = sweep_every if sweep_every is not None else min(SWEEP_EVERY, self.heartbeat_every)
        self.stats = DeliveryStats()
        self._slots = Slots(concurrency)
        self._urgent: set[int] = set()  # taken over from a dead replica: first in line for a slot
        self._lanes: dict[int, list[tuple[int, Update]]] = {}
        self._held: set[int] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._idle = asyncio.Event()
        self._idle.set()
        self._room = asyncio.Event()  # set while fewer than `capacity` updates are held
        self._room.set()
        self._stopping = asyncio.Event()
        self._maintainers: list[asyncio.Task[None]] = []

    @property
    def held(self) -> int:
        """Updates this replica holds in memory (queued, running or waiting to be retried)."""
        return len(self._held)

    async def start(self, *, take_all: bool = False) -> None:
        """Install the error classifier, take over what is waiting (every in-flight row with `take_all`, for a
        single SQLite process starting again; otherwise rows whose lease lapsed, and the rows this replica held
        under its kept owner id before a restart), and start the heartbeat and the sweep."""
        install_error_classifier(self.application)
        try:
            await self.take_over(lapsed_only=not take_all, own=True)
        except DATABASE_ERRORS as exc:
            log.warning("could not look for updates to take over (database: %s)", type(exc).__name__)
        self._maintainers = [asyncio.create_task(self._heartbeat()), asyncio.create_task(self._sweep())]

    def submit(self, update_id: int, update: Update) -> None:
        """Queue an update that is stored in the inbox under this replica's lease."""
        if update_id in self._held:
            return
        self._held.add(update_id)
        self._idle.clear()
        if len(self._held) >= self.capacity:
            self._room.clear()
        lane = lane_of(update)
        queue = self._lanes.get(lane)
        if queue is not None:
            heapq.heappush(queue, (update_id, update))
            return
        self._lanes[lane] = [(update_id, update)]
        task = asyncio.create_task(self._run_lane(lane))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _release(self, update_id: int) -> None:
        self._held.discard(update_id)
        self._urgent.discard(update_id)
        self.inbox.forget_counted(update_id)
        if len(self._held) < self.capacity:
            self._room.set()

    async def room(self) -> None:
        """Wait until this replica holds fewer than `capacity` updates (a poller's back-pressure)."""
        await self._room.wait()

    async def take_over(self, *, lapsed_only: bool = True, own: bool = False) -> int:
        """Take over updates from replicas that stopped renewing their leases (with `own`, also those this
        replica's id held before a restart); return how many."""
        room = self.capacity - len(self._held)
        if room <= 0 or self._stopping.is_set():
            return 0
        taken = await self.inbox.take_over(room, lapsed_only=lapsed_only, own=own)
        interrupted = sum(1 for item in taken if item.attempts > 0)
        for item in taken:
            if item.update_id not in self._held:
                self._urgent.add(item.update_id)
            self.submit(item.update_id, Update.de_json(item.payload, self.application.bot))
        if taken:
            self.stats.taken_over += len(taken)
            self.stats.interrupted += interrupted
            log.info(
                "took over %d update(s) left by a stopped process (%d may have been started)", len(taken), interrupted
            )
        return len(taken)

    async def _heartbeat(self) -> None:
        while True:
            await asyncio.sleep(self.heartbeat_every)
            try:
                await self.inbox.renew()
            except DATABASE_ERRORS as exc:
                log.warning("could not renew leases (database: %s)", type(exc).__name__)

    async def _sweep(self) -> None:
        wait = self.sweep_every
        while True:
            await asyncio.sleep(wait)
            wait = self.sweep_every
            try:
                if not await self.take_over():
                    # Wake when the next lease of another replica runs out, not up to a sweep later.
                    lapse = await self.inbox.seconds_to_lapse()
                    if lapse is not None:
                        wait = min(self.sweep_every, max(MIN_SWEEP_WAIT, lapse + MIN_SWEEP_WAIT))
            except DATABASE_ERRORS as exc:
                log.warning("could not take over updates (database: %s)", type(exc).__name__)

    async def _run_lane(self, lane: int) -> None:
        queue = self._lanes[lane]
        try:
            while queue:
                update_id, update = heapq.heappop(queue)
                if not await self._deliver(update_id, update):
                    for left_id, _ in queue:  # stopping: the rest of this chat waits for the next holder
                        self._release(left_id)
                    queue.clear()
                self._release(update_id)
        finally:
            del self._lanes[lane]
            if not self._held:
                self._idle.set()

    async def _deliver(self, update_id: int, update: Update) -> bool:
        """Attempt the update until it is done or parked; False when stopping cut it short (left to others)."""
        journal: dict[CallKey, tuple[int, bytes]] = {}
        first = True
        while True:
            async with self._slots.slot(urgent=update_id in self._urgent):
                counted = self.inbox.first_attempt(update_id) if first else None
                first = False
                number: int | None
                if counted:  # counted when stored (or taken over) moments ago, under a lease surely still ours
                    number = counted
                elif counted is not None:  # counted when stored, long enough ago that the lease may have lapsed
                    number = await self._persist(lambda: self.inbox.resume(update_id))
                else:
                    number = await self._persist(lambda: self.inbox.begin(update_id))
                if number is None:
                    self.stats.lost_lease += 1
                    log.warning("an update was taken over by another process before it started here; skipped")
                    return True
                if number > self.max_attempts:  # it was started max_attempts times and the process died each time
                    await self._give_up(update_id, update, number - 1, "interrupted")
                    return True
                attempt = Attempt(update_id, number, journal)
                token = _attempt.set(attempt)
                try:
                    await self.application.process_update(update)
                finally:
                    _attempt.reset(token)
                if attempt.transient is None:
                    if attempt.failed is not None:
                        await self._park(update_id, number, type(attempt.failed).__name__)
                    else:
                        await self._done(update_id)
                    return True
                if number >= self.max_attempts:
                    await self._give_up(update_id, update, number, type(attempt.transient).__name__)
                    return True
            self.stats.retried += 1
            journal = attempt.journal()
            delay = self._delay(attempt.transient, number)
            log.info("a transient %s; trying the update again in %.1f s", type(attempt.transient).__name__, delay)
            if await self._wait_or_stop(delay):
                return False

    def _delay(self, error: BaseException, number: int) -> float:
        if isinstance(error, RetryAfter):
            wait = error.retry_after
            seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
            return seconds + random.uniform(0.0, 0.5)
        backoff: float = min(self.retry_cap, self.retry_base * 2.0 ** (number - 1))
        return backoff * random.uniform(0.8, 1.2)

    async def _wait_or_stop(self, delay: float) -> bool:
        """Sleep `delay` seconds; True when the replica started stopping meanwhile."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), delay)
        return self._stopping.is_set()

    async def _give_up(self, update_id: int, update: Update, attempts: int, last: str) -> None:
        """Tell the person once (through the bot's error handler) and park the update."""
        await self.application.process_error(update, DeliveryGaveUp(f"gave up after {attempts} attempt(s): {last}"))
        await self._park(update_id, attempts, last)

    async def _park(self, update_id: int, attempts: int, failure: str) -> None:
        await self._persist(lambda: self.inbox.park(update_id, failure))
        self.stats.parked += 1
        self.stats.by_failure[failure] += 1
        log.warning(
            "an update was parked after %d attempt(s) (%s); the person was sent the error message", attempts, failure
        )

    async def _done(self, update_id: int) -> None:
        if await self._persist(lambda: self.inbox.done(update_id)):
            self.stats.handled += 1
        else:
            self.stats.lost_lease += 1
            log.warning("an update was finished here after another process had taken it over")

    async def _persist(self, write: Callable[[], Awaitable[T]]) -> T:
        """Run an inbox write, waiting out a database outage (the lease lapses meanwhile if it lasts)."""
        pause = 0.2
        while True:
            try:
                return await write()
            except DATABASE_ERRORS as exc:
                log.warning("inbox write failed (database: %s); retrying in %.1f s", type(exc).__name__, pause)
            except SQLAlchemyError as exc:
                if not (isinstance(exc, DBAPIError) and exc.connection_invalidated):
                    raise
                log.warning("inbox write failed (connection lost); retrying in %.1f s", pause)
            await asyncio.sleep(pause)
            pause = min(pause * 2, 5.0)

    async def stop(self, grace: float) -> int:
        """Finish what is held within `grace` seconds; hand the rest back for another replica to take over at
        once (updates waiting for a retry are handed back without waiting). Return how many were handed back."""
        self._stopping.set()
        for maintainer in self._maintainers:
            maintainer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await maintainer
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._idle.wait(), grace)
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError):
                await task
        try:
            self.stats.handed_back = await self.inbox.hand_back()
        except DATABASE_ERRORS as exc:
            log.warning(
                "could not hand unfinished updates back (database: %s); their leases will lapse", type(exc).__name__
            )
        return self.stats.handed_back
