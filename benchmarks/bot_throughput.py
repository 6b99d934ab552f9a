"""Menu presses per second and handler latency of the real bot, next to a minimal PTB echo bot.

Two measurements, each alternating bot and baseline (A B A B ...) and quoting medians:

1. In process: callback-query updates fed to `Application.process_update`, with a request layer that
   answers every Bot API call instantly. This is the handlers' own cost (p50/p99 per update).
2. End to end: simulated users press buttons through the Bot API emulator over HTTP (updates delivered
   in process, the bot's calls going over loopback HTTP to the emulator), many users at once.

The baseline echoes a press the way any menu bot must: answer the callback query, then edit the message
with a fixed keyboard (two Bot API calls per press), registered on the same ApplicationBuilder settings.

Run: .venv/bin/python benchmarks/bot_throughput.py [--presses 3000] [--rounds 3] [--users 20]
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, ContextTypes, Defaults
from telegram.request import BaseRequest, RequestData

from benchmarks._common import median, percentile
from bot.app import build_application
from bot.bootstrap import open_services
from bot.callbacks import Header, Open, decode, encode
from bot.config import PROJECT_ROOT, Settings
from bot.emulator import Emulator

BOT_USER = {"id": 1234567890, "is_bot": True, "first_name": "Bench", "username": "bench_bot"}
ECHO_KEYBOARD = InlineKeyboardMarkup([[InlineKeyboardButton("Again", callback_data="echo")]])


class InstantRequest(BaseRequest):
    """A request layer that answers every Bot API call at once, without a network."""

    def __init__(self) -> None:
        self.calls = 0

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    @property
    def read_timeout(self) -> float | None:
        """No timeouts: nothing waits."""
        return None

    async def do_request(
        self, url: str, method: str, request_data: RequestData | None = None, **_: Any
    ) -> tuple[int, bytes]:
        """Answer like Telegram would, minimally."""
        self.calls += 1
        name = url.rsplit("/", 1)[-1]
        if name == "getMe":
            result: Any = BOT_USER
        elif name in ("sendMessage", "editMessageText"):
            params = request_data.parameters if request_data else {}
            result = {
                "message_id": 1,
                "date": 0,
                "chat": {"id": int(params.get("chat_id", 1)), "type": "private"},
                "text": "x",
            }
        else:
            result = True
        return 200, json.dumps({"ok": True, "result": result}).encode()


def menu_buttons(message: Any) -> list[str]:
    """Labels of the menu-navigation buttons of a message (menus, pages, Back, Home, paging).

    The issue measures users "pressing menu buttons"; Get help, language and quiz buttons do other work (database
    reads and writes) and are measured by their own tests. The echo bots' buttons all count as menu buttons.
    """
    labels = []
    for row in (message.reply_markup or {}).get("inline_keyboard", []):
        for button in row:
            decoded = decode(button.get("callback_data"))
            if decoded is None or isinstance(decoded[1], Open):
                labels.append(button["text"])
    return labels


def press_update(update_id: int, user_id: int, data: str) -> dict[str, Any]:
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
                "date": 0,
                "chat": {"id": user_id, "type": "private"},
                "from": BOT_USER,
                "text": "menu",
            },
        },
    }


async def echo_press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The baseline: answer the press and edit the message with a fixed keyboard."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    await query.edit_message_text(f"pressed {query.data} ({query.id})", reply_markup=ECHO_KEYBOARD)


def sized_echo(text: str, keyboard: InlineKeyboardMarkup) -> Any:
    """The same baseline, but its fixed text and keyboard are as large as a screen of the real bot."""

    async def press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer()
        await query.edit_message_text(f"{text} {query.id}", reply_markup=keyboard)

    return press


def menu_sized_payload(content: Any) -> tuple[str, InlineKeyboardMarkup]:
    """A fixed text and keyboard the size of the home menu screen (the median screen of a menu bot)."""
    rows = [
        [InlineKeyboardButton(content.text(c, "en").title, callback_data=f"echo{i}")]
        for i, c in enumerate(content.root.children)
    ]
    rows.append([InlineKeyboardButton("Get help", callback_data="echo-help")])
    home = content.text("", "en")
    return f"<b>{home.title}</b>\n\n{home.parts[0] if home.parts else ''}", InlineKeyboardMarkup(rows)


def echo_app(handler: Any = echo_press, **builder: Any) -> Any:
    """The minimal PTB echo bot, on the same builder settings as the real bot."""
    b = (
        ApplicationBuilder()
        .token(builder.pop("token"))
        .concurrent_updates(32)
        # The same defaults as the real bot (bot.app.build_application): HTML parse mode, no link previews.
        .defaults(Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)))
    )
    if "request" in builder:
        b = b.request(builder["request"])
    if "base_url" in builder:
        b = b.base_url(builder["base_url"] + "/bot").base_file_url(builder["base_url"] + "/file/bot")
    app = b.updater(None).build()
    app.add_handler(CallbackQueryHandler(handler))
    return app


async def measure_in_process(app: Any, datas: list[str]) -> tuple[float, list[float]]:
    """Feed presses one at a time; return (updates per second, per-update latencies in ms)."""
    latencies: list[float] = []
    start = time.perf_counter()
    for index, data in enumerate(datas):
        update = Update.de_json(press_update(index + 1, 1000 + index % 50, data), app.bot)
        began = time.perf_counter()
        await app.process_update(update)
        latencies.append((time.perf_counter() - began) * 1000)
    elapsed = time.perf_counter() - start
    return len(datas) / elapsed, latencies


async def in_process(settings: Settings, presses: int, rounds: int) -> dict[str, Any]:
    """Handlers' own cost: bot vs echo bot, alternating."""
    async with open_services(settings) as services:
        content = services.live.current.content
        keys = [node.key for node in content.nodes.values()]
        rng = random.Random(7)
        datas = [encode(Header("en"), Open(rng.choice(keys))) for _ in range(presses)]
        bot = build_application(
            services, token="1234567890:BENCH", rate_limit=False, request=InstantRequest(), with_updater=False
        )
        echo = echo_app(token="1234567890:BENCH", request=InstantRequest())
        sized = echo_app(sized_echo(*menu_sized_payload(content)), token="1234567890:BENCH", request=InstantRequest())
        apps = {"bot": bot, "echo": echo, "echo_sized": sized}
        results: dict[str, list[Any]] = {name: [] for name in apps}
        async with bot, echo, sized:
            for app in apps.values():
                await measure_in_process(app, datas[:200])  # warm-up
            for _ in range(rounds):
                for name, app in apps.items():
                    results[name].append(await measure_in_process(app, datas))
    return summarise(results)


async def over_http(settings: Settings, presses: int, rounds: int, users: int) -> dict[str, Any]:
    """End to end through the emulator: many users pressing at once."""
    results: dict[str, list[Any]] = {"bot": [], "echo": []}
    async with Emulator() as emu, open_services(settings) as services:
        content = services.live.current.content
        menu_titles = [content.text(child, "en").title for child in content.root.children]
        bot = build_application(services, token=emu.token, base_url=emu.url, rate_limit=False, with_updater=False)
        echo = echo_app(token=emu.token, base_url=emu.url)
        sized = echo_app(sized_echo(*menu_sized_payload(content)), token=emu.token, base_url=emu.url)
        results["echo_sized"] = []
        async with bot, echo, sized:
            for round_index in range(rounds + 1):
                for name, app in (("bot", bot), ("echo", echo), ("echo_sized", sized)):

                    async def deliver(update: dict[str, Any], app: Any = app) -> None:
                        await app.process_update(Update.de_json(update, app.bot))

                    emu.deliver_to(deliver)
                    sims = [emu.user(100_000 + round_index * 1000 + i, "U", language_code="en") for i in range(users)]
                    # Each user opens the bot once through the real bot, so there is a menu to press.
                    emu.deliver_to(lambda u: bot.process_update(Update.de_json(u, bot.bot)))
                    for sim in sims:
                        sim.reset()
                        await sim.start()
                    emu.deliver_to(deliver)
                    per_user = presses // users
                    latencies: list[float] = []

                    async def run_user(
                        sim: Any, rng: random.Random, latencies: list[float] = latencies, per_user: int = per_user
                    ) -> None:
                        label = menu_titles[0]
                        for _ in range(per_user):
                            message = sim.last_message
                            labels = menu_buttons(message) or [label]
                            choice = rng.choice(labels)
                            began = time.perf_counter()
                            await sim.press(choice, message_id=message.message_id)
                            latencies.append((time.perf_counter() - began) * 1000)

                    start = time.perf_counter()
                    await asyncio.gather(*(run_user(s, random.Random(i)) for i, s in enumerate(sims)))
                    elapsed = time.perf_counter() - start
                    if round_index > 0:  # round 0 warms up
                        results[name].append((per_user * users / elapsed, latencies))
    return summarise(results)


def summarise(results: dict[str, list[Any]]) -> dict[str, Any]:
    """Medians over rounds of throughput and latency percentiles."""
    out: dict[str, Any] = {}
    for name, runs in results.items():
        out[name] = {
            "updates_per_s": median([r[0] for r in runs]),
            "p50_ms": median([percentile(r[1], 50) for r in runs]),
            "p99_ms": median([percentile(r[1], 99) for r in runs]),
        }
    out["ratio"] = out["bot"]["updates_per_s"] / out["echo"]["updates_per_s"]
    out["ratio_sized"] = out["bot"]["updates_per_s"] / out["echo_sized"]["updates_per_s"]
    return out


def show(title: str, figures: dict[str, Any]) -> None:
    """Print one measurement."""
    print(title)
    for name in ("bot", "echo", "echo_sized"):
        f = figures[name]
        print(
            f"  {name:<10} {f['updates_per_s']:9.0f} updates/s   p50 {f['p50_ms']:6.2f} ms   p99 {f['p99_ms']:6.2f} ms"
        )
    print(f"  bot / echo throughput: {figures['ratio']:.2f}x; bot / menu-sized echo: {figures['ratio_sized']:.2f}x")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--in-process-only", action="store_true", help="skip the slower HTTP measurement")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = dataclasses.replace(
            Settings(),
            content_dir=Path(os.environ.get("BENCH_CONTENT_DIR", PROJECT_ROOT / "content")),
            data_dir=Path(tmp),
            database_url=f"sqlite+aiosqlite:///{tmp}/bench.sqlite3",
            user_key_secret="bench",
            analytics_flush_seconds=5,
        )
        show("In process (handlers' own cost, instant Bot API):", await in_process(settings, args.presses, args.rounds))
        if args.in_process_only:
            return
        show(
            f"Through the emulator over HTTP ({args.users} users pressing at once):",
            await over_http(settings, args.presses, args.rounds, args.users),
        )


if __name__ == "__main__":
    asyncio.run(main())
