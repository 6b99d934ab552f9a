"""The emulator: an aiohttp server speaking the Bot API, plus the Python control surface for tests."""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .clock import Clock
from .errors import ApiError, too_many_requests
from .faults import FaultPlan, FloodControl
from .methods import BotMethods
from .models import CallbackQuery, RecordedRequest
from .spec import BotApiSpec
from .updates import Deliver, UpdateHub
from .wire import FilePart, RawCall, read_call
from .world import World

DEFAULT_TOKEN = "1234567890:AAEmulatorTokenForOfflineTests_000000"
DEFAULT_LANGUAGES: tuple[dict[str, str], ...] = (
    {"code": "en", "name": "English"},
    {"code": "my", "name": "မြန်မာ"},
    {"code": "km", "name": "ខ្មែរ"},
    {"code": "th", "name": "ไทย"},
    {"code": "id", "name": "Indonesia"},
    {"code": "fil", "name": "Filipino"},
    {"code": "ne", "name": "नेपाली"},
    {"code": "bn", "name": "বাংলা"},
    {"code": "vi", "name": "Tiếng Việt"},
    {"code": "fa", "name": "دری"},
    {"code": "ur", "name": "اردو"},
)
if TYPE_CHECKING:
    from .groups import SimulatedGroup
    from .user import SimulatedUser

_FLOOD_COUNTED = ("send", "edit", "copy", "forward")
STATIC_DIR = Path(__file__).with_name("static")


async def _outlast_client(request: web.Request, limit: float) -> None:
    """Hold an answer until the client has hung up (its read timeout), at most `limit` seconds; aiohttp signals a
    hang-up by no event a handler can await, so this looks every 20 ms."""
    for _ in range(max(1, math.ceil(limit / 0.02))):
        if request.transport is None or request.transport.is_closing():
            return
        await asyncio.sleep(0.02)


def _loggable(params: dict[str, Any]) -> dict[str, Any]:
    return {
        k: (f"<file {v.filename} {len(v.data)} bytes>" if isinstance(v, FilePart) else v) for k, v in params.items()
    }


class Emulator:
    """An offline Telegram Bot API for one bot token, with simulated users and fault injection."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        token: str = DEFAULT_TOKEN,
        bot_name: str = "Safe Migration Bot",
        bot_username: str = "safe_migration_bot",
        spec_path: Path | None = None,
        languages: Sequence[dict[str, str]] | None = None,
        callback_query_timeout: float = 15.0,
        flood_control: bool = False,
        webhook_retry_delay: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.host = host
        self.port = port
        self.token = token
        self.bot_name = bot_name
        self.languages = list(languages or DEFAULT_LANGUAGES)
        self.spec = BotApiSpec.load(spec_path)
        self.clock = Clock(clock)
        self.world = World(self.clock, callback_query_timeout)
        self.hub = UpdateHub(webhook_retry_delay=webhook_retry_delay)
        bot_id = int(token.split(":", 1)[0]) if token.split(":", 1)[0].isdigit() else 1234567890
        self.bot_user = {"id": bot_id, "is_bot": True, "first_name": bot_name, "username": bot_username}
        self.methods = BotMethods(self.world, self.hub, self.bot_user)
        self.faults = FaultPlan()
        self.flood = FloodControl(self.clock.monotonic, enabled=flood_control)
        self.requests: list[RecordedRequest] = []
        self._request_event = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.app = self._build_app()

    # -- lifecycle ---------------------------------------------------------------------------------------

    def _build_app(self) -> web.Application:
        from .control import add_control_routes

        app = web.Application(client_max_size=50 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        add_control_routes(app, self)
        return app

    async def start(self) -> None:
        """Start serving on host:port (port 0 picks a free one)."""
        self._runner = web.AppRunner(self.app, shutdown_timeout=1.0, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        server = site._server
        if self.port == 0 and server is not None:
            self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]

    async def stop(self) -> None:
        """Stop serving; pending long polls return at once."""
        await self.hub.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Emulator:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()

    # -- addresses ---------------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """Root URL of the emulator (the chat page is served here)."""
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        """Value for ApplicationBuilder().base_url(...): PTB appends the token."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """Value for ApplicationBuilder().base_file_url(...): PTB appends the token."""
        return f"{self.url}/file/bot"

    # -- test surface --------------------------------------------------------------------------------------

    def user(
        self,
        user_id: int,
        first_name: str | None = None,
        *,
        language_code: str | None = None,
        username: str | None = None,
        last_name: str | None = None,
        blocked: bool | None = None,
    ) -> SimulatedUser:
        """Create (or update and return) a simulated user."""
        from .user import SimulatedUser

        self.world.upsert_user(
            user_id,
            first_name=first_name,
            language_code=language_code,
            username=username,
            last_name=last_name,
            blocked=blocked,
        )
        return SimulatedUser(self, user_id)

    def group(
        self,
        group_id: int,
        title: str | None = None,
        *,
        forum: bool | None = None,
        bot_status: str | None = None,
        can_manage_topics: bool | None = None,
    ) -> SimulatedGroup:
        """Create (or update and return) a supergroup the bot is in; by default a forum with the bot as an
        administrator allowed to manage topics. No update is sent: use `set_bot_status` for `my_chat_member`."""
        from .groups import BOT_STATUSES, SimulatedGroup

        if bot_status is not None and bot_status not in BOT_STATUSES:
            raise ValueError(f"bot_status must be one of {', '.join(BOT_STATUSES)}")
        self.world.upsert_group(
            group_id, title=title, is_forum=forum, bot_status=bot_status, bot_can_manage_topics=can_manage_topics
        )
        return SimulatedGroup(self, group_id)

    def advance_clock(self, seconds: float) -> float:
        """Move the emulated time forward (messages age, callback queries expire); return the new Unix time."""
        return self.clock.advance(seconds)

    def notify(self, level: str, text: str, details: Sequence[str] = ()) -> None:
        """Show a banner on the chat page: "ok", "warning" or "error", a line of text and detail lines."""
        if level not in ("ok", "warning", "error"):
            raise ValueError(f"unknown notice level {level!r}")
        self.world.set_notice(level, text, details)

    def deliver_to(self, callback: Deliver | None) -> None:
        """Deliver updates in process by awaiting `callback(update_dict)`; None restores polling/webhook."""
        self.hub.deliver = callback

    @property
    def errors(self) -> list[RecordedRequest]:
        """Calls the emulator refused, excluding injected faults and answers no client was left to read."""
        return [r for r in self.requests if not r.ok and not r.injected and not r.client_gone]

    @property
    def updates(self) -> list[dict[str, Any]]:
        """Every update produced so far, in order."""
        return list(self.hub.history)

    def calls(self, method: str) -> list[RecordedRequest]:
        """Recorded calls of one method (case-insensitive)."""
        return [r for r in self.requests if r.method.lower() == method.lower()]

    def unanswered_callback_queries(self) -> list[CallbackQuery]:
        """Button presses the bot has not answered."""
        return self.world.unanswered()

    def assert_clean(self) -> None:
        """Fail if any call was refused or any button press is unanswered."""
        problems = [f"{r.method}: {r.description}" for r in self.errors]
        problems += [f"unanswered callback query {q.id} ({q.data!r})" for q in self.unanswered_callback_queries()]
        if problems:
            raise AssertionError("Bot API misuse:\n" + "\n".join(problems))

    async def wait_for_request(self, method: str, *, count: int = 1, within: float = 10.0) -> RecordedRequest:
        """Wait until `method` has been called `count` times in total; return the last such call."""

        async def reached() -> RecordedRequest:
            while len(self.calls(method)) < count:
                event = self._request_event
                await event.wait()
            return self.calls(method)[count - 1]

        return await asyncio.wait_for(reached(), within)

    async def wait_for_poller(self, *, within: float = 10.0) -> None:
        """Wait until a getUpdates long poll is waiting for updates."""
        await asyncio.wait_for(self.hub.poller_waiting.wait(), within)

    # -- Bot API over HTTP -----------------------------------------------------------------------------------

    def _record(self, request: RecordedRequest) -> None:
        self.requests.append(request)
        self._request_event.set()
        self._request_event = asyncio.Event()

    async def _handle_api(self, request: web.Request) -> web.StreamResponse:
        method_name = request.match_info["method"]
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        spec = self.spec.method(method_name)
        if spec is None:
            self._record(RecordedRequest(method_name, {}, False, error_code=404, description="Not Found"))
            return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"}, status=404)
        raw = RawCall({}, {})
        try:
            raw = await read_call(request)
            params = self.spec.validate_call(spec, raw.form, raw.body)
        except ApiError as exc:
            return self._error(spec.name, {**raw.form, **raw.body}, exc)
        chat_id = params.get("chat_id") if isinstance(params.get("chat_id"), int) else None
        fault = self.faults.take(spec.name, chat_id)
        if fault is not None:
            if fault.kind == "delay":
                await asyncio.sleep(fault.delay)
            elif fault.kind not in ("lose_answer", "timeout"):
                return self._inject(spec.name, params, fault.kind, fault.retry_after, fault.status, request)
        if spec.name.lower().startswith(_FLOOD_COUNTED):
            retry_after = self.flood.check(chat_id)
            if retry_after is not None:
                return self._error(spec.name, params, too_many_requests(retry_after), injected=True)
        handler = self.methods.handlers.get(spec.name.lower())
        try:
            if handler is not None:
                result = await handler(params)
            elif spec.returns == ("True",):
                result = True
            else:
                raise ApiError(501, f"Not Implemented: the emulator does not implement {spec.name}")
        except ApiError as exc:
            gone = request.transport is None or request.transport.is_closing()
            return self._error(spec.name, params, exc, client_gone=gone)
        late = fault is not None and fault.kind == "timeout"  # carried out; marked so tests can tell it from others
        self._record(RecordedRequest(spec.name, _loggable(params), True, result=result, injected=late))
        if fault is not None and fault.kind == "timeout":  # done, but the answer comes after the bot gave up
            await _outlast_client(request, fault.delay)
        if fault is not None and fault.kind in ("lose_answer", "timeout"):  # done, the answer never reaches the bot
            if request.transport is not None:
                request.transport.abort()
            return web.Response(status=500)
        return web.json_response({"ok": True, "result": result})

    def _error(
        self, method: str, params: dict[str, Any], exc: ApiError, *, injected: bool = False, client_gone: bool = False
    ) -> web.Response:
        self._record(
            RecordedRequest(
                method,
                _loggable(params),
                False,
                error_code=exc.status,
                description=exc.description,
                injected=injected,
                client_gone=client_gone,
            )
        )
        return web.json_response(exc.body(), status=exc.status)

    def _inject(
        self, method: str, params: dict[str, Any], kind: str, retry_after: int, status: int, request: web.Request
    ) -> web.StreamResponse:
        if kind == "retry_after":
            return self._error(method, params, too_many_requests(retry_after), injected=True)
        if kind == "forbidden":
            blocked = ApiError(status, "Forbidden: bot was blocked by the user")
            return self._error(method, params, blocked, injected=True)
        if kind == "server_error":
            return self._error(method, params, ApiError(status, "Internal Server Error"), injected=True)
        self._record(
            RecordedRequest(
                method, _loggable(params), False, error_code=None, description="connection dropped", injected=True
            )
        )
        if request.transport is not None:
            request.transport.abort()
        return web.Response(status=500)

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        stored = self.world.files.by_path(request.match_info["path"])
        if stored is None or stored.data is None:
            return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"}, status=404)
        return web.Response(body=stored.data, content_type=stored.media.mime_type or "application/octet-stream")
