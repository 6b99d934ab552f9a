"""Webhook mode: an aiohttp server that takes Telegram's pushes, stores them durably, and feeds the bot.

Delivery semantics: a POST is answered 200 only after the update was claimed and stored in the shared database's
inbox, in one transaction (`bot.storage.inbox`). From then on the update survives the process: `bot.delivery`
handles it and deletes it when done; if this replica dies first, another one (or this one, restarted) takes it
over once its lease lapses. A repeated id (Telegram retrying, or the same update reaching two replicas) is answered
200 and dropped. If the database cannot be reached the answer is 503, so Telegram retries later, maybe on another
replica. See docs/reliability.md for what is and is not guaranteed.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError
from telegram import Update

from bot.app import BotApplication, build_application, set_commands
from bot.bootstrap import open_services
from bot.config import ConfigError, Settings
from bot.delivery import ALLOWED_UPDATES, Delivery, replaying_request
from bot.reload import reload_content
from bot.runtime import Stopper, log_stopped
from bot.services import Services
from bot.storage.inbox import Inbox
from bot.storage.owner import replica_owner

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
HEALTH_PATH = "/healthz"
MAX_BODY = 1024 * 1024  # Telegram's updates are a few kilobytes
PING_TIMEOUT = 3.0
# Telegram gives up on an update after a day at most; claims older than this are pruned, once an hour.
CLAIM_RETENTION = timedelta(days=2)
PRUNE_EVERY = 3600.0


class WebhookServer:
    """The HTTP face of one replica: the webhook route, the readiness probe, and the drain switch."""

    def __init__(
        self, application: BotApplication, services: Services, delivery: Delivery, *, path: str, secret: str
    ) -> None:
        """Serve `application` at `path`, accepting only requests that carry `secret`; `delivery` runs them."""
        self.application = application
        self.services = services
        self.delivery = delivery
        self.path = path or "/"
        self._secret = secret.encode()
        self.accepting = True
        self.received = 0
        self.duplicates = 0
        self._receiving = 0
        self._idle = asyncio.Event()
        self._idle.set()

    def web_app(self) -> web.Application:
        """The aiohttp application with the webhook and /healthz routes."""
        app = web.Application(client_max_size=MAX_BODY)
        app.router.add_post(self.path, self.handle_update)
        app.router.add_get(HEALTH_PATH, self.healthz)
        return app

    def _authorised(self, request: web.Request) -> bool:
        offered = request.headers.get(SECRET_HEADER, "").encode("utf-8", "replace")
        return hmac.compare_digest(offered, self._secret)

    async def handle_update(self, request: web.Request) -> web.Response:
        """Check the secret, store the update with its claim, queue it and answer at once."""
        if not self.accepting:
            return web.Response(status=503, text="stopping")
        if not self._authorised(request):
            return web.Response(status=403, text="forbidden")
        self._receiving += 1
        self._idle.clear()
        try:
            return await self._accept(request)
        finally:
            self._receiving -= 1
            if self._receiving == 0:
                self._idle.set()

    async def _accept(self, request: web.Request) -> web.Response:
        try:
            data: Any = json.loads(await request.read())
            update_id = data["update_id"]
            if not isinstance(update_id, int) or isinstance(update_id, bool):
                raise TypeError("update_id")
            update = Update.de_json(data, self.application.bot)
        except (ValueError, TypeError, KeyError):
            return web.Response(status=400, text="not an update")
        try:
            stored = await self.delivery.inbox.accept(update_id, data)
        except (SQLAlchemyError, OSError) as exc:
            log.warning("cannot store an update (database: %s); answering 503 so Telegram retries", type(exc).__name__)
            return web.Response(status=503, text="database unavailable")
        if not stored:
            self.duplicates += 1
            log.debug("an update was already claimed; ignored")
            return web.Response(text="duplicate")
        self.received += 1
        self.delivery.submit(update_id, update)
        return web.Response(text="ok")

    async def healthz(self, request: web.Request) -> web.Response:
        """Ready (200) when accepting, with content loaded and the database answering; 503 otherwise."""
        try:
            db = await asyncio.wait_for(self.services.storage.ping(), PING_TIMEOUT)
        except TimeoutError:
            db = False
        ready = db and self.accepting
        status = "ok" if ready else ("stopping" if not self.accepting else "unavailable")
        body = {"status": status, "version": self.services.live.current.content.version, "db": db}
        return web.json_response(body, status=200 if ready else 503)

    async def drain(self) -> None:
        """Stop accepting (503 from now on) and wait until every request already past the door has been queued."""
        self.accepting = False
        await self._idle.wait()


async def prune_claims(services: Services, inbox: Inbox, every: float = PRUNE_EVERY) -> None:
    """Forget old update-id claims and parked updates now and then (any replica may; the deletes are idempotent)."""
    while True:
        try:
            cutoff = datetime.now(UTC) - CLAIM_RETENTION
            removed = await services.storage.prune_updates(cutoff)
            parked = await inbox.prune_parked(cutoff)
            log.debug("pruned %d old update claim(s) and %d parked update(s)", removed, parked)
        except (SQLAlchemyError, OSError) as exc:
            log.warning("could not prune old update claims: %s", type(exc).__name__)
        await asyncio.sleep(every)


@asynccontextmanager
async def serving(
    application: BotApplication,
    services: Services,
    settings: Settings,
    *,
    register: bool = True,
) -> AsyncIterator[WebhookServer]:
    """Start the Application and the HTTP server and register the webhook; on exit drain, finish and stop."""
    assert settings.webhook_url is not None and settings.webhook_secret is not None
    owner = replica_owner(settings.data_dir)
    inbox = Inbox(
        services.storage.engine, lease=settings.inbox_lease_seconds, owner=owner.owner, count_first_attempt=True
    )
    delivery = Delivery(application, inbox, max_attempts=settings.inbox_max_attempts)
    server = WebhookServer(
        application, services, delivery, path=urlsplit(settings.webhook_url).path, secret=settings.webhook_secret
    )
    runner = web.AppRunner(server.web_app(), access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    try:
        async with application:
            await set_commands(application)
            await application.start()
            # SQLite means one process: whatever a previous run left unfinished is this process's to finish now.
            await delivery.start(take_all=services.storage.dialect == "sqlite")
            await web.TCPSite(runner, settings.host, settings.port).start()
            if register:
                await application.bot.set_webhook(
                    url=settings.webhook_url,
                    secret_token=settings.webhook_secret,
                    allowed_updates=list(ALLOWED_UPDATES),
                    max_connections=settings.webhook_max_connections,
                    drop_pending_updates=False,
                )
            pruner = asyncio.create_task(prune_claims(services, inbox))
            try:
                yield server
            finally:
                pruner.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await pruner
                await server.drain()
                log.info("stopping: finishing %d accepted update(s)", delivery.held)
                grace = settings.shutdown_grace_seconds
                handed_back = await delivery.stop(grace)
                if handed_back:
                    log.warning("stopping: %d unfinished update(s) handed back to the other replicas", handed_back)
                await application.stop()
                # The webhook stays registered: other replicas keep serving it.
    finally:
        await runner.cleanup()
        owner.release()


async def run_webhook(settings: Settings, *, stopper: Stopper | None = None) -> None:
    """Serve the webhook until SIGTERM/SIGINT; SIGHUP reloads the content."""
    if settings.token is None or settings.webhook_url is None or settings.webhook_secret is None:
        raise ConfigError("webhook mode needs TELEGRAM_BOT_TOKEN, WEBHOOK_URL and WEBHOOK_SECRET")
    if stopper is None:
        stopper = Stopper()
        stopper.install()
    async with open_services(settings) as services:
        if services.storage.dialect == "sqlite":
            log.warning("webhook mode on SQLite: run one replica only (several replicas need PostgreSQL)")
        stopper.on_reload = lambda: reload_content(services)
        application = build_application(
            services,
            token=settings.token,
            base_url=settings.api_base_url,
            rate_limit=settings.bot_api_rate_limit,
            with_updater=False,
            request=replaying_request(),
        )
        async with serving(application, services, settings) as server:
            version = services.live.current.content.version
            log.info("the bot is running (webhook on %s:%d), content version %s", settings.host, settings.port, version)
            await stopper.stopped.wait()
            log.info("stopping: refusing new updates (503) so Telegram sends them to another replica")
        await stopper.wait_reloads()
        log_stopped(server.received, server.duplicates, server.delivery.stats)
    # Leaving open_services flushed the analytics and closed the database.
