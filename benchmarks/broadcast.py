"""Broadcast rate as a share of BROADCAST_RATE under the emulator's flood limits, and reply latency with and without
a broadcast running.

Three kinds of run, alternating in every round (broadcast, replies, both, ...) and quoted as medians:

- **broadcast**: the real Sender sends one broadcast to N subscribers through the bot's Application and its
  replies-first limiter, against the emulator with Telegram's flood limits on (30 messages/s overall, 1/s per chat
  with a burst of 3). Rate = messages sent / wall time of the run (snapshot, claims and finishes included).
- **replies**: P people press a menu button every 1.5 s (under the per-chat limit), K times each; latency is from
  the press to the bot having finished with it (its answer and edit sent).
- **both**: the same presses while the same broadcast runs. Here the broadcast gives way to the replies by design,
  so the figure to hold to the target is everything the bot sent (broadcast and replies) per second, as a share.

Run: .venv/bin/python benchmarks/broadcast.py [--subscribers 250] [--rate 25] [--pressers 10] [--presses 6]
[--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import random
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa
from telegram import Update

from benchmarks._common import median, percentile
from bot.app import BotApplication, build_application
from bot.bootstrap import open_services
from bot.broadcasts.model import broadcasts_of
from bot.broadcasts.sender import Sender
from bot.config import PROJECT_ROOT, Settings
from bot.emulator import Emulator, SimulatedUser
from bot.privacy import user_key
from bot.services import Services
from bot.storage.schema import subscriptions

FIRST_SUBSCRIBER = 900_000
FIRST_PRESSER = 90_000
PRESS_EVERY = 1.5  # seconds between one person's presses: under Telegram's 1 message/s per chat
COUNTED = ("send", "edit", "copy", "forward")  # what counts towards Telegram's limits


@dataclass(frozen=True, slots=True)
class Run:
    """What one run measured."""

    kind: str
    seconds: float = 0.0
    broadcast_sent: int = 0
    all_sent: int = 0  # every counted Bot API call during the broadcast (broadcast and replies)
    retry_afters: int = 0
    latencies: tuple[float, ...] = ()


@asynccontextmanager
async def bot(tmp: Path, rate: float, subscribers: int) -> AsyncIterator[tuple[Emulator, Services, BotApplication]]:
    """A fresh database with `subscribers`, the emulator with flood limits, and the bot's Application."""
    settings = dataclasses.replace(
        Settings(),
        content_dir=PROJECT_ROOT / "content",
        data_dir=tmp,
        database_url=f"sqlite+aiosqlite:///{tmp}/bench.sqlite3",
        user_key_secret="bench",
        analytics_flush_seconds=3600,
        broadcast_rate=rate,
    )
    async with Emulator(flood_control=True) as emu, open_services(settings) as services:
        rows = []
        for n in range(subscribers):
            chat = FIRST_SUBSCRIBER + n
            emu.user(chat, "S", language_code="en")
            rows.append(
                {"user_key": user_key(services.user_secret, chat), "topic": "before-you-leave", "chat_id": chat,
                 "locale": "en", "subscribed_at": datetime.now(UTC)}
            )  # fmt: skip
        if rows:
            async with services.storage.engine.begin() as connection:
                await connection.execute(sa.insert(subscriptions), rows)
        app = build_application(services, token=emu.token, base_url=emu.url, rate_limit=True, with_updater=False)

        async def deliver(update: dict[str, Any]) -> None:
            await app.process_update(Update.de_json(update, app.bot))

        emu.deliver_to(deliver)
        async with app:
            yield emu, services, app


async def press(user: SimulatedUser, presses: int, rng: random.Random, latencies: list[float]) -> None:
    """Press a button of the last message every PRESS_EVERY seconds (/start where there is none)."""
    await asyncio.sleep(rng.uniform(0, PRESS_EVERY))
    for _ in range(presses):
        message = user.last_message
        if not message.buttons:
            await user.send("/start")
            message = user.last_message
        began = time.perf_counter()
        await user.press(rng.choice([row[0] for row in message.buttons]), message_id=message.message_id)
        latencies.append((time.perf_counter() - began) * 1000)
        await asyncio.sleep(PRESS_EVERY)


def counted(emu: Emulator, since: int) -> int:
    """Successful calls that count towards Telegram's limits, recorded after index `since`."""
    return sum(1 for r in emu.requests[since:] if r.ok and r.method.lower().startswith(COUNTED))


async def one_run(kind: str, args: argparse.Namespace, index: int) -> Run:
    """One broadcast, replies or both run on a fresh database."""
    with tempfile.TemporaryDirectory() as tmp:
        subscribers = args.subscribers if kind != "replies" else 0
        async with bot(Path(tmp), args.rate, subscribers) as (emu, services, app):
            pressers = [emu.user(FIRST_PRESSER + n, "P", language_code="en") for n in range(args.pressers)]
            if kind != "broadcast":
                for user in pressers:
                    await user.send("/start")
                await asyncio.sleep(2.0)  # the per-chat bucket refills after /start
            live = services.live.current
            latencies: list[float] = []
            rng = random.Random(index)
            since = len(emu.requests)
            began = time.perf_counter()
            jobs: list[Any] = []
            if kind != "replies":
                sender = Sender(app.bot, services.storage, live, broadcasts_of(live.content)["keep-copies"])
                jobs.append(sender.run())
            if kind != "broadcast":
                jobs += [press(user, args.presses, random.Random(rng.random()), latencies) for user in pressers]
            results = await asyncio.gather(*jobs)
            if kind != "replies":
                seconds = time.perf_counter() - began  # the broadcast ends last: presses stop before it
                summary = results[0]
                total = counted(emu, since)
                limiter = app.bot.rate_limiter
                inner: Any = getattr(limiter, "inner", None)
                return Run(kind, seconds, summary.sent, total, getattr(inner, "retry_afters", 0), tuple(latencies))
            return Run(kind, latencies=tuple(latencies))


def report(runs: list[Run], rate: float) -> None:
    """Medians over rounds."""
    by_kind: dict[str, list[Run]] = {}
    for run in runs:
        by_kind.setdefault(run.kind, []).append(run)
    alone = by_kind["broadcast"]
    both = by_kind["both"]
    replies = by_kind["replies"]
    share = median([r.broadcast_sent / r.seconds / rate for r in alone])
    speed = median([r.broadcast_sent / r.seconds for r in alone])
    print(f"broadcast alone: {speed:.2f} msg/s = {share:.1%} of {rate:g}")
    print(f"  429 answers: {[r.retry_afters for r in alone]}")
    print(
        f"broadcast with presses: broadcast {median([r.broadcast_sent / r.seconds for r in both]):.2f} msg/s, "
        f"everything sent {median([r.all_sent / r.seconds for r in both]):.2f} msg/s = "
        f"{median([r.all_sent / r.seconds / rate for r in both]):.1%} of {rate:g}; 429 answers "
        f"{[r.retry_afters for r in both]}"
    )
    for name, group in (("replies without a broadcast", replies), ("replies during a broadcast", both)):
        print(
            f"{name}: p50 {median([percentile(r.latencies, 50) for r in group]):.1f} ms, "
            f"p99 {median([percentile(r.latencies, 99) for r in group]):.1f} ms "
            f"({len(group[0].latencies)} presses a run)"
        )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=250)
    parser.add_argument("--rate", type=float, default=25.0, help="BROADCAST_RATE")
    parser.add_argument("--pressers", type=int, default=10)
    parser.add_argument("--presses", type=int, default=6)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    runs: list[Run] = []
    for round_index in range(args.rounds):
        for kind in ("broadcast", "replies", "both"):
            run = await one_run(kind, args, round_index)
            print(f"  round {round_index + 1} {kind}: {run.seconds:.1f} s, {run.broadcast_sent} broadcast", flush=True)
            runs.append(run)
    report(runs, args.rate)


if __name__ == "__main__":
    asyncio.run(main())
