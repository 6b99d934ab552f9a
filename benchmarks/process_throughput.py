"""Menu presses per second through the real process, as a deployment runs it, next to a bare PTB menu bot.

`python -m bot` is started exactly as a user starts it (environment variables only), in long-polling or webhook
mode, on SQLite or PostgreSQL, with its Bot API pointed at a minimal Bot API stub in this process. Beside it, in
alternation (bare, bot, bare, bot, ...), a bare python-telegram-bot menu bot runs the same way: it answers each
press with answerCallbackQuery and an edit whose text and keyboard are as large as the bot's home screen, with no
database. Simulated users (50 by default) each press a menu button, wait for the edited screen, and press again;
presses/s counts the measured presses over the time they took, p50/p99 is press-to-screen. Telegram's flood limit
is off for both (against api.telegram.org the bot sends at most 30 messages/s).

Polling: the stub queues each press for getUpdates (long polling, offsets confirmed as Telegram does). Webhook: the
load generator POSTs each press to the subject's webhook with the secret header, as Telegram does.

Run: .venv/bin/python benchmarks/process_throughput.py [--mode polling|webhook] [--rounds 3] [--users 50]
         [--presses 2000] [--database-url postgresql+asyncpg://postgres@127.0.0.1/test] [--profile DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import hmac
import itertools
import json
import os
import random
import signal
import socket
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

SCRIPT = Path(__file__).resolve()
ROOT = SCRIPT.parent.parent
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402
from aiohttp import web  # noqa: E402

from benchmarks._common import median, percentile  # noqa: E402

TOKEN = "1234567890:BENCHBENCHBENCHBENCHBENCHBENCHBENCH"
SECRET = "bench-webhook-secret"
HOOK = "/hook"
BOT_USER = {"id": 1234567890, "is_bot": True, "first_name": "Bench", "username": "bench_bot"}
USER_BASE = 7_000_000


class Stub:
    """A minimal Bot API: getUpdates from a queue, every other method answered at once; it notes when each chat's
    screen arrives (editMessageText or sendMessage) and wakes whoever waits for it."""

    def __init__(self) -> None:
        self.pending: list[dict[str, Any]] = []
        self.arrived = asyncio.Event()
        self.waiting: dict[int, asyncio.Future[float]] = {}
        self.calls = 0
        self._message_ids = itertools.count(2)

    def app(self) -> web.Application:
        app = web.Application(client_max_size=4 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self.handle)
        return app

    def push(self, update: dict[str, Any]) -> None:
        self.pending.append(update)
        self.arrived.set()

    def expect(self, chat_id: int) -> asyncio.Future[float]:
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.waiting[chat_id] = future
        return future

    async def handle(self, request: web.Request) -> web.Response:
        self.calls += 1
        method = request.path.rsplit("/", 1)[-1].lower()
        params: dict[str, Any] = {}
        if request.can_read_body:
            if request.content_type == "application/json":
                params = await request.json()
            else:
                params = dict(await request.post())
        result: Any = True
        if method == "getme":
            result = BOT_USER
        elif method == "getupdates":
            result = await self.get_updates(params)
        elif method in ("sendmessage", "editmessagetext"):
            chat_id = int(params.get("chat_id", 0))
            result = {
                "message_id": int(params.get("message_id") or next(self._message_ids)),
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private", "first_name": "U"},
                "from": BOT_USER,
                "text": str(params.get("text", ""))[:50],
            }
            future = self.waiting.pop(chat_id, None)
            if future is not None and not future.done():
                future.set_result(time.perf_counter())
        elif method == "getwebhookinfo":
            result = {"url": "", "has_custom_certificate": False, "pending_update_count": 0}
        elif method in ("getmycommands",):
            result = []
        return web.json_response({"ok": True, "result": result})

    async def get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)
        self.pending = [u for u in self.pending if u["update_id"] >= offset]
        if not self.pending and timeout > 0:
            self.arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.arrived.wait(), timeout)
        return self.pending[:limit]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def press(update_id: int, user_id: int, data: str) -> dict[str, Any]:
    """A callback_query update as Telegram sends it."""
    user = {"id": user_id, "is_bot": False, "first_name": "U", "language_code": "en"}
    return {
        "update_id": update_id,
        "callback_query": {
            "id": str(update_id),
            "from": user,
            "chat_instance": "1",
            "data": data,
            "message": {
                "message_id": 1,
                "date": int(time.time()),
                "chat": {"id": user_id, "type": "private", "first_name": "U"},
                "from": BOT_USER,
                "text": "menu",
            },
        },
    }


def menu_data_and_screen() -> tuple[list[str], str, list[list[dict[str, str]]]]:
    """The bot's menu presses (callback data of every menu node), and the text and keyboard of its home screen."""
    from bot.callbacks import Header, Open, encode
    from bot.content.loader import load_content
    from bot.features import install

    install()
    content = load_content(ROOT / "content").content
    assert content is not None, "the shipped content does not load: run python -m bot check"
    datas = [encode(Header("en"), Open(node.key)) for node in content.nodes.values() if node.type != "link"]
    rows = [
        [{"text": content.text(c, "en").title, "callback_data": f"echo{i}"}]
        for i, c in enumerate(content.root.children)
    ]
    rows.append([{"text": "Get help", "callback_data": "echo-help"}])
    home = content.text("", "en")
    text = f"<b>{home.title}</b>\n\n{home.parts[0] if home.parts else ''}"
    return datas, text, rows


async def serve_bare(mode: str) -> None:
    """The bare PTB menu bot (a subprocess): answer the press, edit the message with a home-sized screen."""
    from telegram import InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, Update
    from telegram.constants import ParseMode
    from telegram.ext import ApplicationBuilder, CallbackQueryHandler, ContextTypes, Defaults

    text = os.environ["BARE_TEXT"]
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(b["text"], callback_data=b["callback_data"]) for b in row]
            for row in json.loads(os.environ["BARE_KEYBOARD"])
        ]
    )

    async def on_press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer()
        await query.edit_message_text(f"{text} {query.id}", reply_markup=keyboard)

    root = os.environ["TELEGRAM_API_BASE_URL"].rstrip("/")
    builder = (
        ApplicationBuilder()
        .token(os.environ["TELEGRAM_BOT_TOKEN"])
        .base_url(f"{root}/bot")
        .concurrent_updates(16)
        .connection_pool_size(64)
        .defaults(Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)))
    )
    stopped = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stopped.set)
    if mode == "polling":
        application = builder.get_updates_connection_pool_size(2).build()
        application.add_handler(CallbackQueryHandler(on_press))
        async with application:
            await application.start()
            assert application.updater is not None
            await application.updater.start_polling(timeout=30, allowed_updates=["message", "callback_query"])
            print("bare bot polling", flush=True)
            await stopped.wait()
            await application.updater.stop()
            await application.stop()
        return
    application = builder.updater(None).build()
    application.add_handler(CallbackQueryHandler(on_press))
    secret = os.environ["WEBHOOK_SECRET"].encode()

    async def hook(request: web.Request) -> web.Response:
        offered = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "").encode()
        if not hmac.compare_digest(offered, secret):
            return web.Response(status=403)
        await application.update_queue.put(Update.de_json(await request.json(), application.bot))
        return web.Response(text="ok")

    async def healthz(request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    app = web.Application()
    app.router.add_post(HOOK, hook)
    app.router.add_get("/healthz", healthz)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    async with application:
        await application.start()
        await web.TCPSite(runner, "127.0.0.1", int(os.environ["PORT"])).start()
        await stopped.wait()
        await application.stop()
    await runner.cleanup()


@dataclasses.dataclass(frozen=True)
class Run:
    presses_per_s: float
    p50_ms: float
    p99_ms: float
    cpu_ms: float  # the subject process's CPU time (user + system) per measured press


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used so far (Linux); 0 elsewhere. Less sensitive than presses/s to
    other work on a shared machine: it counts what the subject spends, not how long it waited for a CPU."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def start(kind: str, mode: str, env: dict[str, str], profile: Path | None) -> asyncio.subprocess.Process:
    if kind == "bot":
        args = ["-m", "bot"]
        if profile is not None:
            args = ["-m", "cProfile", "-o", str(profile), "-m", "bot"]
    else:
        args = [str(SCRIPT), "--serve-bare", mode]
    return await asyncio.create_subprocess_exec(
        sys.executable, *args, env=env, cwd=ROOT, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE
    )


async def one_run(
    kind: str, mode: str, args: argparse.Namespace, datas: list[str], screen: tuple[str, Any], id_base: int, n: int
) -> Run:
    stub = Stub()
    runner = web.AppRunner(stub.app(), access_log=None)
    await runner.setup()
    stub_port = free_port()
    await web.TCPSite(runner, "127.0.0.1", stub_port).start()
    port = free_port()
    with tempfile.TemporaryDirectory() as data:
        env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": os.environ.get("HOME", "/tmp"),
            "PYTHONPATH": str(ROOT),
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{stub_port}",
            "DATA_DIR": data,
            "USER_KEY_SECRET": "bench-user-key-secret",
            "BOT_API_RATE_LIMIT": "false",
            "LOG_LEVEL": "WARNING",
            "BARE_TEXT": screen[0],
            "BARE_KEYBOARD": json.dumps(screen[1]),
        }
        if mode == "webhook":
            env.update(
                WEBHOOK_URL=f"http://127.0.0.1:{port}{HOOK}", WEBHOOK_SECRET=SECRET, HOST="127.0.0.1", PORT=str(port)
            )
        if args.database_url:
            env["DATABASE_URL"] = args.database_url
        profile = args.profile / f"bot-{mode}-{n}.prof" if args.profile is not None and kind == "bot" else None
        process = await start(kind, mode, env, profile)
        try:
            async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=args.users)) as session:
                if mode == "webhook":
                    await wait_ready(process, session, f"http://127.0.0.1:{port}/healthz")
                else:
                    await wait_polling(process, stub)
                ids = itertools.count(id_base)

                async def one_press(user_id: int, rng: random.Random) -> float:
                    update = press(next(ids), user_id, rng.choice(datas))
                    answered = stub.expect(user_id)
                    began = time.perf_counter()
                    if mode == "webhook":
                        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
                        async with session.post(f"http://127.0.0.1:{port}{HOOK}", json=update, headers=headers) as r:
                            if r.status != 200:
                                raise SystemExit(f"{kind} answered {r.status}")
                    else:
                        stub.push(update)
                    done_at = await asyncio.wait_for(answered, 60)
                    return (done_at - began) * 1000

                async def user(index: int, count: int, latencies: list[float]) -> None:
                    rng = random.Random(index)
                    for _ in range(count):
                        latencies.append(await one_press(USER_BASE + index, rng))

                warm: list[float] = []
                await asyncio.gather(*(user(i, 4, warm) for i in range(args.users)))
                latencies: list[float] = []
                per_user = max(1, args.presses // args.users)
                cpu_before = cpu_seconds(process.pid)
                began = time.perf_counter()
                await asyncio.gather(*(user(i, per_user, latencies) for i in range(args.users)))
                elapsed = time.perf_counter() - began
                cpu = cpu_seconds(process.pid) - cpu_before
            return Run(
                len(latencies) / elapsed,
                percentile(latencies, 50),
                percentile(latencies, 99),
                cpu * 1000 / len(latencies),
            )
        finally:
            process.send_signal(signal.SIGTERM)
            # End the subject's pending long poll at once, as Telegram would when an update came (PTB's Updater
            # waits for it before stopping): otherwise every run ends with up to 30 s of waiting.
            wake = asyncio.create_task(wake_polls(stub))
            try:
                await asyncio.wait_for(process.wait(), 120)
            except TimeoutError:
                process.kill()
            finally:
                wake.cancel()
            await runner.cleanup()


async def wake_polls(stub: Stub) -> None:
    while True:
        stub.arrived.set()
        await asyncio.sleep(0.1)


async def wait_ready(process: asyncio.subprocess.Process, session: aiohttp.ClientSession, url: str) -> None:
    for _ in range(1200):
        await fail_if_exited(process)
        with contextlib.suppress(aiohttp.ClientError, OSError):
            async with session.get(url) as response:
                if response.status == 200:
                    return
        await asyncio.sleep(0.1)
    raise SystemExit("the subject did not become ready")


async def wait_polling(process: asyncio.subprocess.Process, stub: Stub) -> None:
    """Ready once the subject has asked for updates twice (its first getUpdates came back empty)."""
    for _ in range(1200):
        await fail_if_exited(process)
        if stub.calls > 3:
            stub.arrived.set()  # end its first long poll at once
            return
        await asyncio.sleep(0.1)
    raise SystemExit("the subject did not start polling")


async def fail_if_exited(process: asyncio.subprocess.Process) -> None:
    if process.returncode is not None:
        err = await process.stderr.read() if process.stderr else b""
        raise SystemExit(f"the subject exited: {err.decode()[-3000:]}")


async def main(args: argparse.Namespace) -> None:
    datas, text, rows = menu_data_and_screen()
    results: dict[str, list[Run]] = {"bare": [], "bot": []}
    id_base = int(time.time()) * 1000
    for round_no in range(1, args.rounds + 1):
        for kind in ("bare", "bot"):
            id_base += 10 * (args.presses + 10 * args.users)
            run = await one_run(kind, args.mode, args, datas, (text, rows), id_base, round_no)
            results[kind].append(run)
            print(
                f"round {round_no} {kind:4}: {run.presses_per_s:7.0f} presses/s  p50 {run.p50_ms:7.1f} ms  "
                f"p99 {run.p99_ms:7.1f} ms  CPU {run.cpu_ms:5.2f} ms/press  load {os.getloadavg()[0]:.1f}",
                flush=True,
            )
    db = "PostgreSQL" if args.database_url else "SQLite"
    bare, bot = (median([r.presses_per_s for r in results[k]]) for k in ("bare", "bot"))
    print(
        f"\n{args.mode}, bot on {db}, {args.users} users, {args.presses} presses per run, {args.rounds} rounds, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}"
    )
    print("| subject | presses/s | p50 | p99 | CPU per press |")
    print("|---|---|---|---|---|")
    for kind in ("bare", "bot"):
        runs = results[kind]
        print(
            f"| {kind} | {median([r.presses_per_s for r in runs]):.0f} | {median([r.p50_ms for r in runs]):.1f} ms | "
            f"{median([r.p99_ms for r in runs]):.1f} ms | {median([r.cpu_ms for r in runs]):.2f} ms |"
        )
    each = ", ".join(
        f"{b.presses_per_s / a.presses_per_s:.2f}" for a, b in zip(results["bare"], results["bot"], strict=True)
    )
    print(f"bot / bare: {bot / bare:.2f}x (each round: {each})")
    cpu_bare, cpu_bot = (median([r.cpu_ms for r in results[k]]) for k in ("bare", "bot"))
    if cpu_bare > 0:
        print(f"CPU per press, bot / bare: {cpu_bot / cpu_bare:.2f}x")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--mode", choices=("polling", "webhook"), default="polling")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--presses", type=int, default=2000)
    parser.add_argument("--database-url", default=None, help="run the bot on this database instead of SQLite")
    parser.add_argument(
        "--profile", type=Path, default=None, help="write a cProfile of each bot run into this directory"
    )
    parser.add_argument("--serve-bare", choices=("polling", "webhook"), help=argparse.SUPPRESS)
    return parser.parse_args()


if __name__ == "__main__":
    options = parse_args()
    if options.serve_bare:
        asyncio.run(serve_bare(options.serve_bare))
    else:
        asyncio.run(main(options))
