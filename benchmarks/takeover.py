"""How soon the updates of a killed replica are answered by the survivor: SIGKILL one of two replicas on PostgreSQL.

Two real `python -m bot` processes in webhook mode share one PostgreSQL database and talk to the Bot API emulator.
1,000 people each send /help, posted alternately to both replicas (16 at a time), as a load balancer would; once a
quarter have been answered, replica A is killed with SIGKILL; posts A can no longer take are retried on B, as
Telegram retries. For the updates A had accepted (answered 200) but not yet answered at the kill, the figure is
the time from the kill to their answer by B; a run reports the last of them (the person who waited longest),
how many were answered later than 15 s after the kill (Telegram's limit for answering a button press), lost
updates (never answered) and duplicates (answered twice). With --restart-after S, A is started again S seconds
after the kill (same data directory), as a supervisor would.

Run: .venv/bin/python benchmarks/takeover.py --database-url postgresql+asyncpg://postgres@127.0.0.1/test
         [--runs 5] [--updates 1000] [--lease SECONDS] [--restart-after SECONDS]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import aiohttp
import asyncpg  # type: ignore[import-untyped]
from sqlalchemy.engine import make_url

from benchmarks._common import median, percentile
from bot.emulator import Emulator
from tests.runtime.procs import BotProcess, bot_env, free_port, post_update, text_update

POSTS_AT_ONCE = 16
TOO_OLD = 15.0  # seconds: Telegram refuses to answer a button press later than this


async def one_run(database_url: str, updates: int, lease: float | None, restart_after: float | None) -> dict[str, Any]:
    async with Emulator() as emu:
        answered_at: dict[int, list[float]] = {}
        original = emu.methods.handlers["sendmessage"]

        quarter, everyone = asyncio.Event(), asyncio.Event()

        async def timed_send(params: dict[str, Any]) -> Any:
            result = await original(params)
            answered_at.setdefault(int(params["chat_id"]), []).append(time.monotonic())
            if len(answered_at) >= updates // 4:
                quarter.set()
            if len(answered_at) >= updates:
                everyone.set()
            return result

        emu.methods.handlers["sendmessage"] = timed_send
        extra = {"DATABASE_URL": database_url, "LOG_LEVEL": "INFO"}  # B's "took over" line marks the takeover
        if lease is not None:
            extra["INBOX_LEASE_SECONDS"] = str(lease)
        with tempfile.TemporaryDirectory() as tmp:
            a = BotProcess(bot_env(emu, free_port(), Path(tmp) / "a", **extra))
            b = BotProcess(bot_env(emu, free_port(), Path(tmp) / "b", **extra))
            await a.start()
            await b.start()
            restarted: BotProcess | None = None
            try:
                users = [emu.user(800_000 + n, f"P{n}", language_code="en") for n in range(updates)]
                payloads = [text_update(emu, 1 + n, user.id, "/help") for n, user in enumerate(users)]
                killed = asyncio.Event()
                kill_at = 0.0
                taken_at: list[float] = []
                accepted_by_a: set[int] = set()
                async with aiohttp.ClientSession() as session:
                    slots = asyncio.Semaphore(POSTS_AT_ONCE)

                    async def deliver(n: int, update: dict[str, Any]) -> None:
                        target = a if n % 2 == 0 else b
                        chat = users[n].id
                        async with slots:
                            while True:
                                replica = b if killed.is_set() else target
                                status = None
                                with contextlib.suppress(aiohttp.ClientError, OSError):
                                    status = await post_update(session, replica.hook_url, update)
                                if status == 200:
                                    if replica is a and not killed.is_set():
                                        accepted_by_a.add(chat)
                                    return
                                target = b

                    async def kill_a() -> None:
                        nonlocal kill_at, restarted
                        await quarter.wait()
                        assert a.process is not None
                        a.process.kill()
                        kill_at = time.monotonic()
                        killed.set()
                        seen = sum("took over" in line for line in b.lines)
                        await a.process.wait()
                        with contextlib.suppress(AssertionError):
                            await b.wait_for_line("took over", count=seen + 1, within=60)
                            taken_at.append(time.monotonic())
                        if restart_after is not None:
                            await asyncio.sleep(max(0.0, kill_at + restart_after - time.monotonic()))
                            restarted = BotProcess(a.env)
                            await restarted.start()

                    await asyncio.gather(kill_a(), *(deliver(n, u) for n, u in enumerate(payloads)))
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(everyone.wait(), 180)
            finally:
                await b.stop()
                if restarted is not None:
                    await restarted.stop()
        left = [chat for chat in accepted_by_a if min(answered_at.get(chat, [float("inf")])) > kill_at]
        waits = [min(answered_at[chat]) - kill_at for chat in left if chat in answered_at]
        counts = Counter({chat: len(times) for chat, times in answered_at.items()})
        return {
            "left_by_a": len(left),
            "taken_s": taken_at[0] - kill_at if taken_at else float("nan"),
            "last_s": max(waits) if waits else 0.0,
            "p50_s": percentile(waits, 50) if waits else 0.0,
            "too_old": sum(1 for w in waits if w > TOO_OLD),
            "lost": sum(1 for user in users if counts[user.id] == 0),
            "duplicates": sum(1 for n in counts.values() if n > 1),
        }


async def fresh_database(url: str) -> tuple[str, str]:
    """Create an empty database next to `url`; its URL and name."""
    parsed = make_url(url)
    name = f"bench_takeover_{uuid.uuid4().hex[:12]}"
    dsn = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return parsed.set(drivername="postgresql+asyncpg", database=name).render_as_string(hide_password=False), name


async def drop_database(url: str, name: str) -> None:
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


async def main(args: argparse.Namespace) -> None:
    runs = []
    for number in range(1, args.runs + 1):
        url, name = await fresh_database(args.database_url)
        try:
            run = await one_run(url, args.updates, args.lease, args.restart_after)
        finally:
            await drop_database(args.database_url, name)
        runs.append(run)
        print(
            f"run {number}: {run['left_by_a']} left by A at the kill; B took them over {run['taken_s']:.1f} s after "
            f"the kill; last answered {run['last_s']:.1f} s after the "
            f"kill (median {run['p50_s']:.1f} s); {run['too_old']} later than {TOO_OLD:.0f} s; lost {run['lost']}; "
            f"duplicates {run['duplicates']}",
            flush=True,
        )
    lasts = [r["last_s"] for r in runs]
    takes = [r["taken_s"] for r in runs]
    print(
        f"\n{args.runs} runs, {args.updates} updates, lease {args.lease or 'default'}, restart "
        f"{args.restart_after if args.restart_after is not None else 'no'}; {os.cpu_count()} CPUs, load average "
        f"{os.getloadavg()[0]:.1f}"
    )
    print(
        f"taken over after: median {median(takes):.1f} s, worst {max(takes):.1f} s; "
        f"last update of the killed replica answered after: median {median(lasts):.1f} s, worst {max(lasts):.1f} s; "
        f"lost {sum(r['lost'] for r in runs)}; duplicates per run {[r['duplicates'] for r in runs]}"
    )


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database-url", required=True, help="a PostgreSQL server (a fresh database per run)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--updates", type=int, default=1000)
    parser.add_argument("--lease", type=float, default=None, help="INBOX_LEASE_SECONDS (default: the bot's)")
    parser.add_argument("--restart-after", type=float, default=None)
    return parser.parse_args()


if __name__ == "__main__":
    asyncio.run(main(parse_args()))
