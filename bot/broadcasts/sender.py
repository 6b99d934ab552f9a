"""Send a broadcast to its topic's subscribers: exactly once, resumable, one replica at a time, replies first.

Each recipient's delivery row is claimed (`pending` -> `sending`) in the database before the message goes out and
finished (`sent`, `blocked`, `failed`, `skipped`) after. A crash between the two leaves `sending`, which is never
sent again: a resumed run continues with the rows still `pending`, so nobody gets the message twice. Pacing and
429 back-off happen in the bot's rate limiter (`bot.limiter`), to which every send is marked `BULK`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import ExtBot

from bot.broadcasts.model import Broadcast
from bot.broadcasts.store import (
    BLOCKED,
    DONE,
    EXPIRED,
    FAILED,
    PENDING,
    RUNNING,
    SENDING,
    SENT,
    SKIPPED,
    BroadcastStore,
    Recipient,
    utc_now,
)
from bot.callbacks import Header, Open, Subscription, encode
from bot.limiter import BULK
from bot.services import Live
from bot.storage import Storage

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SendOptions:
    """How to run a broadcast."""

    dry_run: bool = False
    locale: str | None = None  # only subscribers whose language is this one (the others stay pending)
    limit: int | None = None  # at most this many sends in this run (the rest stay pending)
    concurrency: int = 8  # sends in flight at once (each already claimed in the database)
    max_attempts: int = 3  # for 5xx and dropped connections; 429 is retried by the limiter
    retry_delay: float = 0.5  # seconds before a retry, doubled each time
    lease: timedelta = timedelta(seconds=30)
    batch: int = 500


@dataclass(frozen=True, slots=True)
class Summary:
    """What a run did (this run's sends) and where the broadcast stands (all runs)."""

    broadcast: str
    status: str  # done, partial (pending rows left), busy (another replica holds it), expired, dry-run
    sent: int = 0
    blocked: int = 0
    failed: int = 0
    skipped: int = 0
    total: dict[str, int] = field(default_factory=dict)  # every delivery of the broadcast by state
    by_locale: dict[str, int] = field(default_factory=dict)  # this run's (or the dry run's) messages by language


Progress = Callable[[int, int], None]  # (finished in this run, to go in this run)


class Sender:
    """One run of one broadcast by one process."""

    def __init__(
        self,
        bot: ExtBot[Any] | None,
        storage: Storage,
        live: Live,
        broadcast: Broadcast,
        options: SendOptions = SendOptions(),
        *,
        progress: Progress | None = None,
        owner: str | None = None,
    ) -> None:
        """`owner` names this process in the lease (random by default)."""
        self._bot = bot
        self._storage = storage
        self._store = BroadcastStore(storage)
        self._live = live
        self._broadcast = broadcast
        self._options = options
        self._progress = progress
        self._owner = owner or secrets.token_hex(8)
        self._counts: Counter[str] = Counter()
        self._locales: Counter[str] = Counter()
        self._lost_lease = False
        self._keyboards: dict[str, InlineKeyboardMarkup] = {}

    async def run(self) -> Summary:
        """Send to every pending recipient (or, with dry_run, count them); the summary at the end."""
        name = self._broadcast.name
        if self._broadcast.expired(utc_now()):
            if not self._options.dry_run:
                state = await self._store.acquire(name, self._owner, self._options.lease)
                if state == RUNNING:
                    await self._store.release(name, self._owner, EXPIRED)
            return await self._summary(EXPIRED)
        if self._options.dry_run:
            return await self._dry_run()
        state = await self._store.acquire(name, self._owner, self._options.lease)
        if state is None:
            return await self._summary("busy")
        if state != RUNNING:
            return await self._summary(state)
        await self._store.snapshot(name, self._broadcast.topic)
        renewer = asyncio.create_task(self._renew())
        try:
            await self._send_all()
        finally:
            renewer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renewer
        counts = await self._store.counts(name)
        finished = counts[PENDING] == 0 and not self._lost_lease
        await self._store.release(name, self._owner, DONE if finished else RUNNING)
        return await self._summary(DONE if finished else "partial")

    async def _summary(self, status: str) -> Summary:
        c = self._counts
        total = await self._store.counts(self._broadcast.name)
        return Summary(
            self._broadcast.name, status, c[SENT], c[BLOCKED], c[FAILED], c[SKIPPED], total, dict(self._locales)
        )

    async def _dry_run(self) -> Summary:
        """Count the current subscribers by the language they would get, sending and writing nothing."""
        after = ""
        while True:
            found = await self._subscribers(after)
            if not found:
                break
            for key, locale in found:
                self._locales[self._language(locale)] += 1
                after = key
        return Summary(self._broadcast.name, "dry-run", by_locale=dict(self._locales))

    async def _subscribers(self, after: str) -> list[tuple[str, str]]:
        import sqlalchemy as sa

        from bot.storage.schema import subscriptions as s

        query = (
            sa.select(s.c.user_key, s.c.locale)
            .where(s.c.topic == self._broadcast.topic, s.c.user_key > after)
            .order_by(s.c.user_key)
            .limit(self._options.batch)
        )
        async with self._storage.engine.connect() as connection:
            return [(str(k), str(loc)) for k, loc in (await connection.execute(query)).all()]

    def _language(self, locale: str) -> str:
        return self._broadcast.text(self._live.content.chain(locale))[0]

    async def _renew(self) -> None:
        interval = self._options.lease.total_seconds() / 3
        while True:
            await asyncio.sleep(interval)
            if not await self._store.renew(self._broadcast.name, self._owner, self._options.lease):
                log.warning("broadcast lease lost to another replica; stopping this run")
                self._lost_lease = True
                return

    async def _send_all(self) -> None:
        name, options = self._broadcast.name, self._options
        slots = asyncio.Semaphore(options.concurrency)
        tasks: set[asyncio.Task[None]] = set()
        budget = options.limit if options.limit is not None else -1
        after = ""
        while budget != 0 and not self._lost_lease:
            recipients = await self._store.pending(name, self._broadcast.topic, after, options.batch)
            if not recipients:
                break
            for recipient in recipients:
                after = recipient.user_key
                if budget == 0 or self._lost_lease or self._broadcast.expired(utc_now()):
                    break
                if options.locale is not None and recipient.locale != options.locale:
                    continue
                if recipient.blocked or not recipient.chat_id:
                    if await self._store.claim(name, recipient.user_key):
                        await self._finish(recipient, SKIPPED, 0)
                    continue
                await slots.acquire()
                if not await self._store.claim(name, recipient.user_key):  # another replica had it
                    slots.release()
                    continue
                budget -= 1
                task = asyncio.create_task(self._deliver(recipient, slots))
                tasks.add(task)
                task.add_done_callback(tasks.discard)
        if tasks:
            await asyncio.gather(*tasks)

    async def _finish(self, recipient: Recipient, state: str, attempts: int) -> None:
        await self._store.finish(self._broadcast.name, recipient.user_key, state, attempts)
        self._counts[state] += 1
        if self._progress is not None:
            self._progress(sum(self._counts.values()), 0)

    async def _deliver(self, recipient: Recipient, slots: asyncio.Semaphore) -> None:
        try:
            locale, html = self._broadcast.text(self._live.content.chain(recipient.locale))
            state, attempts = await self._send(recipient.chat_id, html, self._keyboard(locale))
            if state == BLOCKED:
                await self._storage.update_user(recipient.user_key, blocked=True)
            if state == SENT:
                self._locales[locale] += 1
            await self._finish(recipient, state, attempts)
        finally:
            slots.release()

    async def _send(self, chat_id: int, html: str, keyboard: InlineKeyboardMarkup) -> tuple[str, int]:
        """Send once; retry what surely did not arrive (5xx, 429 past the limiter) a bounded number of times."""
        delay = self._options.retry_delay
        attempt = 0
        while True:
            attempt += 1
            try:
                assert self._bot is not None, "only a dry run has no bot"
                await self._bot.send_message(chat_id, html, reply_markup=keyboard, rate_limit_args=BULK)
                return SENT, attempt
            except Forbidden:
                return BLOCKED, attempt
            except BadRequest:
                return FAILED, attempt
            except TimedOut:
                return FAILED, attempt  # it may have arrived: never sent twice (see docs/broadcasts.md)
            except (RetryAfter, NetworkError):
                if attempt >= self._options.max_attempts:
                    return FAILED, attempt
            await asyncio.sleep(delay)
            delay *= 2

    def _keyboard(self, locale: str) -> InlineKeyboardMarkup:
        found = self._keyboards.get(locale)
        if found is None:
            content, ui = self._live.content, self._live.ui(locale)
            header = Header(locale)
            rows = []
            node = content.node(self._broadcast.button) if self._broadcast.button is not None else None
            if node is not None:
                title = content.text(node.id, locale).title
                rows.append([InlineKeyboardButton(title, callback_data=encode(header, Open(node.key)))])
            stop = encode(header, Subscription(self._broadcast.topic, "s"))
            rows.append([InlineKeyboardButton(ui.t("broadcast.stop"), callback_data=stop)])
            found = self._keyboards[locale] = InlineKeyboardMarkup(rows)
        return found


__all__ = ["SENDING", "SendOptions", "Sender", "Summary"]
