"""Running the bot: long polling against Telegram (or a self-hosted Bot API server), or the offline preview.

Every mode runs the same Application and handlers; only the Bot API base URL differs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Callable

from bot.app import build_application, set_commands
from bot.bootstrap import StartupError, load_live, open_services
from bot.config import Settings
from bot.i18n import native_name
from bot.services import Services

log = logging.getLogger(__name__)


class Stopper:
    """Waits for SIGTERM/SIGINT; SIGHUP calls the reload hook instead."""

    def __init__(self) -> None:
        self.stopped = asyncio.Event()
        self.on_reload: Callable[[], None] | None = None

    def install(self) -> None:
        """Install the signal handlers on the running loop."""
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, self.stopped.set)
        with contextlib.suppress(NotImplementedError, AttributeError):
            loop.add_signal_handler(signal.SIGHUP, self._reload)

    def _reload(self) -> None:
        if self.on_reload is not None:
            self.on_reload()


def reload_content(services: Services) -> tuple[bool, str]:
    """Load the content again; serve it only when it has no errors. Returns (ok, one-line summary)."""
    settings = services.settings
    try:
        live, result = load_live(settings.content_dir, settings.locales_dir)
    except Exception as exc:  # noqa: BLE001 - any failure keeps the last good content serving
        log.error("reload refused: %s", exc)
        return False, str(exc)
    if live is None:
        errors = result.report.errors
        for diagnostic in errors[:20]:
            log.error("reload refused: %s", diagnostic)
        return False, f"{len(errors)} error(s); first: {errors[0]}"
    services.live.replace(live)
    log.info("content reloaded: version %s, %d nodes", live.content.version, len(live.content.nodes))
    return True, f"version {live.content.version}, {len(live.content.nodes)} nodes"


async def run_polling(settings: Settings, *, base_url: str | None = None, token: str | None = None) -> None:
    """Long-poll the Bot API until SIGTERM/SIGINT; SIGHUP reloads the content."""
    stopper = Stopper()
    stopper.install()
    async with open_services(settings) as services:
        stopper.on_reload = lambda: reload_content(services) and None
        application = build_application(
            services,
            token=token or settings.token or "",
            base_url=base_url or settings.api_base_url,
            rate_limit=base_url is None,
        )
        async with application:
            await set_commands(application)
            assert application.updater is not None
            await application.updater.start_polling(drop_pending_updates=False)
            await application.start()
            log.info("the bot is running (long polling)")
            await stopper.stopped.wait()
            log.info("stopping: finishing updates in progress")
            await application.updater.stop()
            await application.stop()


async def run_preview(settings: Settings, host: str = "127.0.0.1", port: int = 8080) -> None:
    """Start the offline emulator with its browser chat page, and the real bot polling it."""
    from bot.emulator import Emulator

    live, result = load_live(settings.content_dir, settings.locales_dir)
    if live is None:
        raise StartupError(f"the content has {len(result.report.errors)} error(s): {result.report.errors[0]}")
    languages = [{"code": code.replace("_", "-"), "name": native_name(code)} for code in live.content.locales]
    async with Emulator(host, port, languages=languages, bot_name="Safe migration guide (preview)") as emulator:
        print(f"Preview: open {emulator.url}/ in a browser (Ctrl+C stops it)", flush=True)
        await run_polling(settings, base_url=emulator.url, token=emulator.token)
