"""Helpers for broadcast tests with real processes: subscribers written to the database, `python -m bot broadcast`
run as a subprocess against an in-test emulator, deliveries counted per chat."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from bot.config import PROJECT_ROOT
from bot.emulator import Emulator
from bot.privacy import user_key
from bot.storage import Storage
from bot.storage.schema import broadcast_deliveries, subscriptions
from tests.runtime.procs import USER_KEY_SECRET, BotProcess, bot_env, free_port

TOPIC = "before-you-leave"
BROADCAST = "keep-copies"  # the shipped example, to TOPIC
RUN_WITHIN = 60.0


def key_of(user_id: int) -> str:
    """The user key a subprocess started with `bot_env` computes for `user_id`."""
    return user_key(USER_KEY_SECRET.encode(), user_id)


async def subscribe(url: str, emu: Emulator, ids: Sequence[int], locale: str = "en") -> None:
    """Migrate the database at `url` and subscribe `ids` (also created in the emulator) to TOPIC."""
    rows = []
    for user_id in ids:
        emu.user(user_id, "Sub", language_code=locale)
        rows.append(
            {"user_key": key_of(user_id), "topic": TOPIC, "chat_id": user_id, "locale": locale,
             "subscribed_at": datetime.now(UTC)}
        )  # fmt: skip
    storage = await Storage.open(url)
    try:
        async with storage.engine.begin() as connection:
            await connection.execute(sa.insert(subscriptions), rows)
    finally:
        await storage.close()


def delivered(emu: Emulator, ids: Sequence[int]) -> Counter[int]:
    """Messages the emulator accepted per chat, for the chats of `ids` (every one present, 0 if none)."""
    wanted = set(ids)
    found = Counter(int(r.params["chat_id"]) for r in emu.calls("sendMessage") if r.ok)
    return Counter({chat: found[chat] for chat in wanted})


async def states(storage: Storage, broadcast: str = BROADCAST) -> dict[str, str]:
    """Each delivery's state by user key."""
    d = broadcast_deliveries
    query = sa.select(d.c.user_key, d.c.state).where(d.c.broadcast == broadcast)
    async with storage.engine.connect() as connection:
        return {str(key): str(state) for key, state in (await connection.execute(query)).all()}


async def until(condition: Callable[[], Awaitable[bool]], within: float, what: str) -> None:
    """Poll `condition()` until it is true; fail with `what` after `within` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not await condition():
        if loop.time() > deadline:
            raise AssertionError(f"not reached within {within:.0f} s: {what}")
        await asyncio.sleep(0.05)


def broadcast_env(emu: Emulator, data_dir: Path, url: str, **extra: str) -> dict[str, str]:
    """The environment of `python -m bot ...` on database `url`, whose Bot API is the emulator."""
    env = bot_env(emu, free_port(), data_dir, DATABASE_URL=url, **extra)
    env.pop("WEBHOOK_URL")
    return env


class BroadcastProcess(BotProcess):
    """`python -m bot broadcast NAME [options]` as a subprocess; its output lines are collected."""

    def __init__(self, env: dict[str, str], *args: str) -> None:
        """`args`: the command line after `python -m bot`."""
        super().__init__({**env, "PORT": env.get("PORT", "0")})
        self.args = args

    async def start(self) -> None:
        """Start the process (no readiness to wait for)."""
        self.process = await asyncio.create_subprocess_exec(
            self.python,
            "-m",
            "bot",
            *self.args,
            env=self.env,
            cwd=PROJECT_ROOT,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        self._reader = asyncio.create_task(self._read())

    async def finish(self, within: float = RUN_WITHIN) -> int:
        """Wait for the process to exit by itself; its exit code."""
        try:
            return await self.wait_exit(within)
        except TimeoutError:
            raise AssertionError(f"the broadcast did not finish within {within:.0f} s:\n{self.output}") from None


async def run_broadcast(env: dict[str, str], *args: str) -> BroadcastProcess:
    """Run `python -m bot broadcast BROADCAST args` to its end; fail with its output unless it exits 0."""
    process = BroadcastProcess(env, "broadcast", BROADCAST, *args)
    await process.start()
    code = await process.finish()
    assert code == 0, f"exit {code}:\n{process.output}"
    return process
