"""Running the bot: long polling against Telegram (or a self-hosted Bot API server), or the offline preview.

Every mode runs the same Application and handlers; only the Bot API base URL differs. Webhook mode lives in
`bot.webhook` and shares the signal handling and log redaction defined here.

Long polling is durable like the webhook: the bot runs its own `getUpdates` loop instead of PTB's Updater, and
stores each fetched batch with its claims in the inbox, in one transaction, before the next `getUpdates` confirms
its offset (`DurablePoller`); `bot.delivery` then handles it as it handles a webhook's. A process killed at any moment
loses nothing: updates fetched and not stored are fetched again, stored ones are taken over at the next start.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import signal
from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import SQLAlchemyError
from telegram import Update
from telegram.error import InvalidToken, RetryAfter, TelegramError

from bot.app import BotApplication, build_application, set_commands
from bot.bootstrap import load_or_fail, open_services
from bot.config import Settings
from bot.delivery import ALLOWED_UPDATES, Delivery, DeliveryStats, replaying_request
from bot.i18n import native_name
from bot.reload import ReloadResult, reload_content
from bot.services import Live, Services
from bot.storage.inbox import Inbox
from bot.storage.owner import replica_owner
from bot.watch import signature
from bot.watch import watch as watch_files

if TYPE_CHECKING:
    from bot.emulator import Emulator

__all__ = [
    "DurablePoller",
    "RedactSecrets",
    "ReloadResult",
    "Stopper",
    "protect_logs",
    "reload_content",
    "run_polling",
    "run_preview",
]

log = logging.getLogger(__name__)
PREVIEW_PROBLEMS = 5  # problems shown on the preview page after a save; `check` lists them all
POLL_TIMEOUT = 30  # seconds one getUpdates call waits for an update
POLL_LIMIT = 100  # updates per getUpdates call (Telegram's maximum)
PREVIEW_DESK_ID = -1001000000001  # the preview's simulated desk group, when HANDOFF_CHAT_ID does not name one
PREVIEW_STAFF_ID = 700000001  # its simulated staff member, when HANDOFF_ADMIN_IDS lists nobody

# Loggers that would write message text, SQL parameters or the token-bearing Bot API URL at DEBUG level.
CHATTY_LOGGERS = ("telegram.Bot", "telegram.ext.ExtBot", "telegram.ext.Updater", "telegram.request", "aiosqlite")


class RedactSecrets(logging.Filter):
    """Replace every known secret in a log record (message, arguments, traceback) with `***`."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self._secrets = tuple(sorted({s for s in secrets if s}, key=len, reverse=True))

    def _clean(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place; never drop it."""
        if not self._secrets:
            return True
        message = record.getMessage()
        cleaned = self._clean(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._clean(record.exc_text)
        if record.stack_info:
            record.stack_info = self._clean(record.stack_info)
        return True


def protect_logs(settings: Settings) -> None:
    """Redact the settings' secrets on every root handler, and keep message-text loggers at INFO or above."""
    redact = RedactSecrets(settings.secret_values())
    for handler in logging.getLogger().handlers:
        handler.addFilter(redact)
    for name in CHATTY_LOGGERS:
        logger = logging.getLogger(name)
        if logger.getEffectiveLevel() < logging.INFO:
            logger.setLevel(logging.INFO)


class Stopper:
    """Waits for SIGTERM/SIGINT; SIGHUP runs the reload hook instead."""

    def __init__(self) -> None:
        self.stopped = asyncio.Event()
        self.on_reload: Callable[[], Awaitable[object]] | None = None
        self._reloads: set[asyncio.Task[object]] = set()

    def install(self) -> None:
        """Install the signal handlers on the running loop."""
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, self.stop)
        with contextlib.suppress(NotImplementedError, AttributeError):
            loop.add_signal_handler(signal.SIGHUP, self.reload)

    def stop(self) -> None:
        """Ask the run to stop (what SIGTERM does)."""
        self.stopped.set()

    def reload(self) -> None:
        """Start the reload hook in the background (what SIGHUP does)."""
        if self.on_reload is None:
            return
        log.info("SIGHUP: reloading the content")
        task: asyncio.Task[object] = asyncio.ensure_future(self.on_reload())
        self._reloads.add(task)
        task.add_done_callback(self._reloads.discard)

    async def wait_reloads(self) -> None:
        """Let reloads in progress finish (before the services close)."""
        if self._reloads:
            await asyncio.gather(*self._reloads, return_exceptions=True)


class DurablePoller:
    """Long polling whose offset is confirmed only after the fetched updates are stored in the inbox."""

    def __init__(
        self, application: BotApplication, delivery: Delivery, *, timeout: int = POLL_TIMEOUT, limit: int = POLL_LIMIT
    ) -> None:
        """Fetch for `application`, store and hand to `delivery`; `timeout` and `limit` go to getUpdates."""
        self.application = application
        self.delivery = delivery
        self.timeout = timeout
        self.limit = limit
        self.received = 0
        self.duplicates = 0

    async def run(self) -> None:
        """Poll until cancelled. The offset sent with each getUpdates (which confirms everything below it) only
        ever passes updates already stored, so a kill between two calls loses nothing; one fetched again after a
        kill is found claimed and dropped."""
        offset: int | None = None
        pause = 0.5
        while True:
            try:
                updates = await self.application.bot.get_updates(
                    offset=offset, limit=self.limit, timeout=self.timeout, allowed_updates=list(ALLOWED_UPDATES)
                )
            except InvalidToken:
                raise
            except RetryAfter as exc:
                wait = exc.retry_after
                await asyncio.sleep(wait.total_seconds() if isinstance(wait, timedelta) else float(wait))
                continue
            except TelegramError as exc:  # network trouble, Telegram's 5xx, another poller (409)
                log.warning("getUpdates failed (%s); polling again in %.1f s", type(exc).__name__, pause)
                await asyncio.sleep(pause)
                pause = min(pause * 2, 30.0)
                continue
            pause = 0.5
            if updates:
                await self._store(updates)
                offset = updates[-1].update_id + 1
            await self.delivery.room()  # a backlog: let delivery catch up before fetching more

    async def _store(self, updates: Sequence[Update]) -> None:
        """Store the fetched batch with its claims in one transaction (waiting out a database outage), then queue
        each update in order; updates already claimed are dropped."""
        batch: list[tuple[int, dict[str, Any]]] = [(update.update_id, update.to_dict()) for update in updates]
        pause = 0.2
        while True:
            try:
                stored = await self.delivery.inbox.accept_many(batch)
                break
            except (SQLAlchemyError, OSError) as exc:
                log.warning(
                    "cannot store fetched updates (database: %s); their offset stays unconfirmed, retrying in %.1f s",
                    type(exc).__name__,
                    pause,
                )
                await asyncio.sleep(pause)
                pause = min(pause * 2, 5.0)
        for update, fresh in zip(updates, stored, strict=True):
            if not fresh:
                self.duplicates += 1
                continue
            self.received += 1
            self.delivery.submit(update.update_id, update)


async def run_polling(
    settings: Settings,
    *,
    base_url: str | None = None,
    token: str | None = None,
    stopper: Stopper | None = None,
    live: Live | None = None,
    background: Callable[[Services], Awaitable[object]] | None = None,
) -> None:
    """Long-poll the Bot API until SIGTERM/SIGINT, through the inbox (see the module docstring); SIGHUP reloads
    the content. `live` is content the caller already loaded; `background(services)` runs beside the bot (the
    preview's file watcher) until it stops."""
    if stopper is None:
        stopper = Stopper()
        stopper.install()
    async with open_services(settings, live=live) as services:
        stopper.on_reload = lambda: reload_content(services)
        application = build_application(
            services,
            token=token or settings.token or "",
            base_url=base_url or settings.api_base_url,
            rate_limit=base_url is None and settings.bot_api_rate_limit,
            with_updater=False,
            request=replaying_request(),
        )
        owner = replica_owner(settings.data_dir)
        inbox = Inbox(
            services.storage.engine, lease=settings.inbox_lease_seconds, owner=owner.owner, count_first_attempt=True
        )
        delivery = Delivery(application, inbox, max_attempts=settings.inbox_max_attempts)
        poller = DurablePoller(application, delivery)
        try:
            async with application:
                await set_commands(application)
                await application.bot.delete_webhook(
                    drop_pending_updates=False
                )  # getUpdates is refused while one is set
                await application.start()
                # SQLite means one process: whatever a previous run left unfinished is this process's to finish now.
                await delivery.start(take_all=services.storage.dialect == "sqlite")
                polling = asyncio.create_task(poller.run())
                log.info("the bot is running (long polling), content version %s", _version(services))
                helper = asyncio.ensure_future(background(services)) if background is not None else None
                stopped = asyncio.ensure_future(stopper.stopped.wait())
                await asyncio.wait((stopped, polling), return_when=asyncio.FIRST_COMPLETED)
                log.info("stopping: finishing updates in progress")
                for task in (helper, polling, stopped):
                    if task is not None:
                        task.cancel()
                        with contextlib.suppress(asyncio.CancelledError):
                            await task
                handed_back = await delivery.stop(settings.shutdown_grace_seconds)
                if handed_back:
                    log.warning("stopping: %d unfinished update(s) left in the inbox for the next start", handed_back)
                await application.stop()
        finally:
            owner.release()
        await stopper.wait_reloads()
        log_stopped(poller.received, poller.duplicates, delivery.stats)


def log_stopped(received: int, duplicates: int, stats: DeliveryStats) -> None:
    """One line of counts when the process stops (no ids)."""
    log.info(
        "stopped: %d update(s) accepted, %d duplicate(s) ignored; %d handled, %d retried, %d parked, "
        "%d taken over (%d interrupted), %d lost to another process, %d handed back",
        received,
        duplicates,
        stats.handled,
        stats.retried,
        stats.parked,
        stats.taken_over,
        stats.interrupted,
        stats.lost_lease,
        stats.handed_back,
    )


def _version(services: Services) -> str:
    return services.live.current.content.version


async def run_preview(
    settings: Settings,
    host: str = "127.0.0.1",
    port: int = 8080,
    *,
    watch: bool = True,
    desk: bool = False,
    review: str | None = None,
    reviewer: str = "",
) -> None:
    """Start the offline emulator with its browser chat page, and the real bot polling it. With `watch`, the
    bot reloads the content and catalogs when a file under them is saved, and the page shows the outcome. With
    `desk` or HANDOFF_CHAT_ID set, a simulated desk group lets staff rehearse Talk to a person on the page. With
    `review` (a locale), /review lets a native speaker sign off or correct each text while using the bot."""
    from bot.emulator import Emulator

    roots = (settings.content_dir, settings.locales_dir)
    loaded_from = signature(roots) if watch else None  # before loading: a save during the load is seen
    live = load_or_fail(settings)
    languages = [{"code": code.replace("_", "-"), "name": native_name(code)} for code in live.content.locales]
    emulator = Emulator(host, port, languages=languages, bot_name="Safe migration guide (preview)")
    reviewing = None
    if review is not None:
        from bot.review.preview import open_review

        reviewing = open_review(emulator, settings.content_dir, settings.locales_dir, review, reviewer)
    async with emulator:
        if desk or settings.handoff_chat_id is not None:
            settings = open_preview_desk(emulator, settings)

        async def ready(services: Services) -> None:
            # Printed once the bot answers (its database is open and it polls), not when the page first loads.
            print(f"Preview: open {emulator.url}/ in a browser (Ctrl+C stops it)", flush=True)
            if reviewing is not None:

                async def reload_now() -> None:
                    show_reload(emulator, await reload_content(services))

                reviewing.reload = reload_now
                print(f"Review: open {emulator.url}/review to review the {review} texts", flush=True)
            if not watch:
                return
            print(f"Watching {settings.content_dir} and {settings.locales_dir}: saved changes load by themselves")

            async def reload() -> None:
                show_reload(emulator, await reload_content(services))

            await watch_files(roots, reload, since=loaded_from)

        await run_polling(settings, base_url=emulator.url, token=emulator.token, live=live, background=ready)


def open_preview_desk(emulator: Emulator, settings: Settings) -> Settings:
    """Create the desk group in the emulator (topics, the bot an administrator, one staff member); its settings."""
    desk_id = settings.handoff_chat_id or PREVIEW_DESK_ID
    staff = min(settings.handoff_admin_ids) if settings.handoff_admin_ids else PREVIEW_STAFF_ID
    group = emulator.group(desk_id, "NGO desk (preview)")
    group.add_member(staff, "Staff (preview)", status="administrator")
    print(f"Preview: the desk (group {desk_id}) is beside the chat; staff write there as user {staff}", flush=True)
    return dataclasses.replace(settings, handoff_chat_id=desk_id)


def show_reload(emulator: Emulator, result: ReloadResult) -> None:
    """Tell staff on the preview page (and the terminal) what their last save did."""
    if result.ok and not result.warnings:
        level, text = "ok", f"Your changes are loaded (content version {result.version})."
    elif result.ok:
        level = "warning"
        text = f"Your changes are loaded, with {result.warnings} warning(s) (run `python -m bot check`):"
    else:
        level = "error"
        text = (
            f"Your last change was NOT loaded: {result.errors} error(s). The preview still shows the last good "
            "version. Fix these and save again (`python -m bot check` lists every problem):"
        )
    emulator.notify(level, text, result.problems[:PREVIEW_PROBLEMS])
    print("\n  ".join([text, *result.problems[:PREVIEW_PROBLEMS]]), flush=True)  # one problem per line
