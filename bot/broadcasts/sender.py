"""Send a broadcast to its topic's subscribers: at most once each, resumable, one replica at a time, replies first.

Each recipient's delivery row is claimed (`pending` -> `sending`) in the database right before the message goes
out, once the rate limiter has given the send its turn, and finished (`sent`, `blocked`, `failed`, `skipped`) as
soon as Telegram answers. A crash between the two leaves `sending`; the next holder of the run reports those rows
`uncertain` (so are sends that timed out) and does not send them again unless staff ask (`resend_uncertain`): a
resumed run continues with the rows still `pending`, so nobody gets the message twice. Pacing and 429 back-off
happen in the bot's rate limiter (`bot.limiter`).
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
    UNCERTAIN,
    BroadcastStore,
    Recipient,
    utc_now,
)
from bot.callbacks import Header, Open, Subscription, encode
from bot.limiter import BULK, PREPAID, bulk_limiter
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
    resend_uncertain: bool = False  # send the uncertain rows again (those that did arrive arrive twice)


@dataclass(frozen=True, slots=True)
class Summary:
    """What a run did (this run's sends) and where the broadcast stands (all runs)."""

    broadcast: str
    status: str  # done, partial (pending rows left), busy (another replica holds it), expired, dry-run
    sent: int = 0
    blocked: int = 0
    failed: int = 0
    skipped: int = 0
    uncertain: int = 0  # this run's timeouts, plus rows a dead process left on their way found at the start
    resent: int = 0  # uncertain rows made pending again for resend_uncertain
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
        self._stopping = False
        self._found_uncertain = 0
        self._resent = 0
        self._keyboards: dict[str, InlineKeyboardMarkup] = {}

    def stop(self) -> None:
        """Claim nothing more; the sends on their way finish and the run is handed back (SIGTERM, shutdown)."""
        self._stopping = True

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
        if state == DONE and self._options.resend_uncertain and await self._store.reopen(name):
            state = await self._store.acquire(name, self._owner, self._options.lease)
        if state is None:
            return await self._summary("busy")
        if state != RUNNING:
            return await self._summary(state)
        self._found_uncertain = await self._store.mark_uncertain(name)
        if self._options.resend_uncertain:
            self._resent = await self._store.requeue_uncertain(name)
            self._found_uncertain = 0
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
            self._broadcast.name,
            status,
            c[SENT],
            c[BLOCKED],
            c[FAILED],
            c[SKIPPED],
            c[UNCERTAIN] + self._found_uncertain,
            self._resent,
            total,
            dict(self._locales),
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

    def _halted(self) -> bool:
        return self._lost_lease or self._stopping or self._broadcast.expired(utc_now())

    async def _send_all(self) -> None:
        name, options = self._broadcast.name, self._options
        slots = asyncio.Semaphore(options.concurrency)
        tasks: set[asyncio.Task[None]] = set()
        budget = options.limit if options.limit is not None else -1
        limiter = bulk_limiter(self._bot.rate_limiter) if self._bot is not None else None
        after = ""
        while budget != 0 and not self._halted():
            recipients = await self._store.pending(name, self._broadcast.topic, after, options.batch)
            if not recipients:
                break
            for recipient in recipients:
                after = recipient.user_key
                if budget == 0 or self._halted():
                    break
                if options.locale is not None and recipient.locale != options.locale:
                    continue
                if recipient.blocked or not recipient.chat_id:
                    if await self._store.claim(name, recipient.user_key):
                        await self._finish(recipient, SKIPPED, 0)
                    continue
                await slots.acquire()
                # Claim as late as possible: once the limiter has given this send its turn, so that a crash leaves
                # claimed-but-unsent (uncertain) only the sends that really were on their way.
                if limiter is not None:
                    await limiter.bulk_token()
                if self._halted() or not await self._store.claim(name, recipient.user_key):  # another replica had it
                    slots.release()
                    if self._halted():
                        break
                    continue
                budget -= 1
                mark = PREPAID if limiter is not None else BULK
                task = asyncio.create_task(self._deliver(recipient, slots, mark))
                tasks.add(task)
                task.add_done_callback(tasks.discard)
        if tasks:
            await asyncio.gather(*tasks)

    async def _finish(self, recipient: Recipient, state: str, attempts: int) -> None:
        await self._store.finish(self._broadcast.name, recipient.user_key, state, attempts)
        self._counts[state] += 1
        if self._progress is not None:
            self._progress(sum(self._counts.values()), 0)

    async def _deliver(self, recipient: Recipient, slots: asyncio.Semaphore, mark: str) -> None:
        try:
            locale, html = self._broadcast.text(self._live.content.chain(recipient.locale))
            state, attempts = await self._send(recipient.chat_id, html, self._keyboard(locale), mark)
            if state == BLOCKED:
                await self._storage.update_user(recipient.user_key, blocked=True)
            if state == SENT:
                self._locales[locale] += 1
            await self._finish(recipient, state, attempts)
        finally:
            slots.release()

    async def _send(self, chat_id: int, html: str, keyboard: InlineKeyboardMarkup, mark: str) -> tuple[str, int]:
        """Send once; retry what surely did not arrive (5xx, 429 past the limiter) a bounded number of times."""
        delay = self._options.retry_delay
        attempt = 0
        while True:
            attempt += 1
            try:
                assert self._bot is not None, "only a dry run has no bot"
                await self._bot.send_message(chat_id, html, reply_markup=keyboard, rate_limit_args=mark)
                return SENT, attempt
            except Forbidden:
                return BLOCKED, attempt
            except BadRequest:
                return FAILED, attempt
            except TimedOut:
                return UNCERTAIN, attempt  # it may have arrived: not sent twice unless asked (docs/broadcasts.md)
            except (RetryAfter, NetworkError):
                if attempt >= self._options.max_attempts:
                    return FAILED, attempt
            mark = BULK  # a retry waits for a token of its own
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


__all__ = ["SENDING", "UNCERTAIN", "SendOptions", "Sender", "Summary"]
