"""Running the bot: long polling against Telegram (or a self-hosted Bot API server), or the offline preview.

Every mode runs the same Application and handlers; only the Bot API base URL differs. Webhook mode lives in
`bot.webhook` and shares the signal handling and log redaction defined here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING

from bot.app import build_application, set_commands
from bot.bootstrap import load_or_fail, open_services
from bot.config import Settings
from bot.i18n import native_name
from bot.reload import ReloadResult, reload_content
from bot.services import Live, Services
from bot.watch import signature
from bot.watch import watch as watch_files

if TYPE_CHECKING:
    from bot.emulator import Emulator

__all__ = ["RedactSecrets", "ReloadResult", "Stopper", "protect_logs", "reload_content", "run_polling", "run_preview"]

log = logging.getLogger(__name__)
PREVIEW_PROBLEMS = 5  # problems shown on the preview page after a save; `check` lists them all

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


async def run_polling(
    settings: Settings,
    *,
    base_url: str | None = None,
    token: str | None = None,
    stopper: Stopper | None = None,
    live: Live | None = None,
    background: Callable[[Services], Awaitable[object]] | None = None,
) -> None:
    """Long-poll the Bot API until SIGTERM/SIGINT; SIGHUP reloads the content. `live` is content the caller
    already loaded; `background(services)` runs beside the bot (the preview's file watcher) until it stops."""
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
        )
        async with application:
            await set_commands(application)
            assert application.updater is not None
            await application.updater.start_polling(drop_pending_updates=False)
            await application.start()
            log.info("the bot is running (long polling), content version %s", _version(services))
            helper = asyncio.ensure_future(background(services)) if background is not None else None
            await stopper.stopped.wait()
            log.info("stopping: finishing updates in progress")
            if helper is not None:
                helper.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await helper
            await application.updater.stop()
            await application.stop()
        await stopper.wait_reloads()


def _version(services: Services) -> str:
    return services.live.current.content.version


async def run_preview(settings: Settings, host: str = "127.0.0.1", port: int = 8080, *, watch: bool = True) -> None:
    """Start the offline emulator with its browser chat page, and the real bot polling it. With `watch`, the
    bot reloads the content and catalogs when a file under them is saved, and the page shows the outcome."""
    from bot.emulator import Emulator

    roots = (settings.content_dir, settings.locales_dir)
    loaded_from = signature(roots) if watch else None  # before loading: a save during the load is seen
    live = load_or_fail(settings)
    languages = [{"code": code.replace("_", "-"), "name": native_name(code)} for code in live.content.locales]
    async with Emulator(host, port, languages=languages, bot_name="Safe migration guide (preview)") as emulator:

        async def ready(services: Services) -> None:
            # Printed once the bot answers (its database is open and it polls), not when the page first loads.
            print(f"Preview: open {emulator.url}/ in a browser (Ctrl+C stops it)", flush=True)
            if not watch:
                return
            print(f"Watching {settings.content_dir} and {settings.locales_dir}: saved changes load by themselves")

            async def reload() -> None:
                show_reload(emulator, await reload_content(services))

            await watch_files(roots, reload, since=loaded_from)

        await run_polling(settings, base_url=emulator.url, token=emulator.token, live=live, background=ready)


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
