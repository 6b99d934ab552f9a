"""Webhook mode under load: updates/s accepted and answered, and post-to-answer latency, next to a minimal echo bot.

The bot runs as its own process (`python -m bot`, webhook mode, SQLite or --database-url) with its Bot API pointed at
an emulator that lives in this process, together with the load generator: an aiohttp client posting N text-message
updates (one simulated user each, so nothing waits on per-chat order) to the webhook on loopback, `--concurrency`
at a time, with the secret header. For each update we record when it was posted and when the emulator received the
bot's sendMessage for that chat.

- accepted/s: N / time until the last POST was answered (200 = claimed and queued);
- processed/s: N / time until the emulator saw the last answer;
- p50/p99 latency: POST sent -> the bot's answer recorded by the emulator.

The baseline is a minimal PTB echo bot served the same way (aiohttp webhook with the secret check, Application
without updater fed through update_queue, 32 concurrent updates, one reply_text per message), no database. Runs
alternate bot and baseline (A B A B ...), figures are medians. Telegram's flood limit is switched off
(BOT_API_RATE_LIMIT=false) for both: against api.telegram.org the bot would send at most 30 messages/s.

Run: .venv/bin/python benchmarks/webhook_load.py [--updates 1000] [--concurrency 32] [--rounds 3]
                                              [--database-url postgresql+asyncpg://postgres@127.0.0.1/test]
"""

from __future__ import annotations

import argparse
import asyncio
import hmac
import os
import signal
import socket
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCRIPT = Path(__file__).resolve()
ROOT = SCRIPT.parent.parent
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402

from benchmarks._common import median, percentile  # noqa: E402
from bot.emulator import Emulator  # noqa: E402
from bot.emulator.user import command_entities  # noqa: E402

SECRET = "bench-webhook-secret"
PATH = "/hook"
USER_BASE = 5_000_000


@dataclass(frozen=True)
class Result:
    """One run's figures."""

    accepted_per_s: float
    processed_per_s: float
    p50_ms: float
    p99_ms: float
    rejected: int


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def serve_baseline() -> None:
    """The baseline process: a minimal PTB echo bot behind an aiohttp webhook (reads the same env as the bot)."""
    from aiohttp import web
    from telegram import Update
    from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None and update.message.text is not None
        await update.message.reply_text(update.message.text)

    root = os.environ["TELEGRAM_API_BASE_URL"].rstrip("/")
    application = (
        ApplicationBuilder()
        .token(os.environ["TELEGRAM_BOT_TOKEN"])
        .base_url(f"{root}/bot")
        .updater(None)
        .concurrent_updates(32)
        .connection_pool_size(64)
        .build()
    )
    application.add_handler(MessageHandler(filters.TEXT, echo))
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
    app.router.add_post(PATH, hook)
    app.router.add_get("/healthz", healthz)
    stopped = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stopped.set)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    async with application:
        await application.start()
        await web.TCPSite(runner, "127.0.0.1", int(os.environ["PORT"])).start()
        await stopped.wait()
        await application.stop()
    await runner.cleanup()


async def start_process(kind: str, env: dict[str, str], port: int) -> asyncio.subprocess.Process:
    """Start the bot or the baseline and wait for /healthz."""
    args = ["-m", "bot"] if kind == "bot" else [str(SCRIPT), "--serve-baseline"]
    process = await asyncio.create_subprocess_exec(
        sys.executable, *args, env=env, cwd=ROOT, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE
    )
    async with aiohttp.ClientSession() as session:
        for _ in range(600):
            if process.returncode is not None:
                err = await process.stderr.read() if process.stderr else b""
                raise SystemExit(f"{kind} exited: {err.decode()[-2000:]}")
            try:
                async with session.get(f"http://127.0.0.1:{port}/healthz") as response:
                    if response.status == 200:
                        return process
            except (aiohttp.ClientError, OSError):
                pass
            await asyncio.sleep(0.1)
    raise SystemExit(f"{kind} did not become ready")


async def one_run(kind: str, updates: int, concurrency: int, database_url: str | None, id_base: int) -> Result:
    """Post `updates` updates to a fresh `kind` process and time the answers (update ids from `id_base` on)."""
    async with Emulator() as emu:
        answered: dict[int, float] = {}
        all_answered, warm = asyncio.Event(), asyncio.Event()
        total = updates + concurrency  # the warm-up uses one user per concurrent slot
        original = emu.methods.handlers["sendmessage"]

        async def timed_send(params: dict[str, Any]) -> Any:
            result = await original(params)
            answered.setdefault(int(params["chat_id"]), time.perf_counter())
            if len(answered) >= concurrency:
                warm.set()
            if len(answered) >= total:
                all_answered.set()
            return result

        emu.methods.handlers["sendmessage"] = timed_send
        payloads = []
        for n in range(total):
            user = emu.world.upsert_user(USER_BASE + n, first_name=f"U{n}", language_code="en")
            message = emu.world.add_message(user.id, False, text="/start", entities=tuple(command_entities("/start")))
            payloads.append({"update_id": id_base + n, "message": message.to_api(user.to_api(), user.chat_api())})

        port = free_port()
        with tempfile.TemporaryDirectory() as data:
            env = {
                "PATH": os.environ.get("PATH", ""),
                "PYTHONPATH": str(ROOT),
                "TELEGRAM_BOT_TOKEN": emu.token,
                "TELEGRAM_API_BASE_URL": emu.url,
                "WEBHOOK_URL": f"http://127.0.0.1:{port}{PATH}",
                "WEBHOOK_SECRET": SECRET,
                "HOST": "127.0.0.1",
                "PORT": str(port),
                "DATA_DIR": data,
                "USER_KEY_SECRET": "bench-user-key-secret",
                "BOT_API_RATE_LIMIT": "false",
                "LOG_LEVEL": "WARNING",
            }
            if database_url:
                env["DATABASE_URL"] = database_url
            process = await start_process(kind, env, port)
            try:
                url = f"http://127.0.0.1:{port}{PATH}"
                headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
                connector = aiohttp.TCPConnector(limit=concurrency)
                async with aiohttp.ClientSession(connector=connector) as session:
                    sent: dict[int, float] = {}
                    rejected = 0
                    queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

                    async def worker() -> None:
                        nonlocal rejected
                        while not queue.empty():
                            payload = queue.get_nowait()
                            chat = payload["message"]["chat"]["id"]
                            sent[chat] = time.perf_counter()
                            async with session.post(url, json=payload, headers=headers) as response:
                                if response.status != 200:
                                    rejected += 1

                    for payload in payloads[:concurrency]:  # warm-up: connections, caches, first queries
                        queue.put_nowait(payload)
                    await asyncio.gather(*(worker() for _ in range(concurrency)))
                    await asyncio.wait_for(warm.wait(), 120)
                    for payload in payloads[concurrency:]:
                        queue.put_nowait(payload)
                    began = time.perf_counter()
                    await asyncio.gather(*(worker() for _ in range(concurrency)))
                    accepted_at = time.perf_counter()
                    await asyncio.wait_for(all_answered.wait(), 300)
                measured = [USER_BASE + n for n in range(concurrency, total)]
                latencies = [(answered[c] - sent[c]) * 1000 for c in measured]
                last = max(answered[c] for c in measured)
                return Result(
                    accepted_per_s=updates / (accepted_at - began),
                    processed_per_s=updates / (last - began),
                    p50_ms=percentile(latencies, 50),
                    p99_ms=percentile(latencies, 99),
                    rejected=rejected,
                )
            finally:
                process.send_signal(signal.SIGTERM)
                await asyncio.wait_for(process.wait(), 120)


async def main(args: argparse.Namespace) -> None:
    """Alternate baseline and bot runs and print the medians."""
    results: dict[str, list[Result]] = {"baseline": [], "bot": []}
    id_base = int(time.time()) * 1000  # fresh update ids per run: a shared database remembers old claims
    for round_no in range(1, args.rounds + 1):
        for kind in ("baseline", "bot"):
            id_base += args.updates + args.concurrency
            result = await one_run(kind, args.updates, args.concurrency, args.database_url, id_base)
            results[kind].append(result)
            print(
                f"round {round_no} {kind:8}: accepted {result.accepted_per_s:7.0f}/s  "
                f"processed {result.processed_per_s:7.0f}/s  p50 {result.p50_ms:6.1f} ms  "
                f"p99 {result.p99_ms:6.1f} ms  rejected {result.rejected}",
                flush=True,
            )
    load = os.getloadavg()[0]
    db = "PostgreSQL" if args.database_url else "SQLite"
    print(
        f"\n{args.updates} updates, concurrency {args.concurrency}, {args.rounds} rounds, bot on {db}, "
        f"{os.cpu_count()} CPUs, load average {load:.1f}"
    )
    print("| subject | accepted/s | processed/s | p50 latency | p99 latency |")
    print("|---|---|---|---|---|")
    for kind in ("baseline", "bot"):
        runs = results[kind]
        print(
            f"| {kind} | {median([r.accepted_per_s for r in runs]):.0f} | "
            f"{median([r.processed_per_s for r in runs]):.0f} | {median([r.p50_ms for r in runs]):.1f} ms | "
            f"{median([r.p99_ms for r in runs]):.1f} ms |"
        )


def parse_args() -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--updates", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database-url", default=None, help="run the bot on this database instead of SQLite")
    parser.add_argument("--serve-baseline", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()


if __name__ == "__main__":
    options = parse_args()
    asyncio.run(serve_baseline() if options.serve_baseline else main(options))
