"""Run the real bot (`python -m bot`) as a subprocess in webhook mode against an in-test emulator."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp

from bot.config import PROJECT_ROOT, Settings
from bot.emulator import Emulator

SECRET = "test-webhook-secret_123"
USER_KEY_SECRET = "test-user-key-secret-0123456789"
HOOK_PATH = "/telegram/hook"
# How long a started process may take to become ready, and to stop; generous, since CI machines are slow.
START_WITHIN = 60.0
STOP_WITHIN = 60.0


def free_port() -> int:
    """A TCP port that was free a moment ago on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def bot_env(emu: Emulator, port: int, data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a webhook-mode bot whose Bot API is the emulator."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key in {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT", "PYTHONHASHSEED"}
    }
    env.update(
        TELEGRAM_BOT_TOKEN=emu.token,
        TELEGRAM_API_BASE_URL=emu.url,
        WEBHOOK_URL=f"http://127.0.0.1:{port}{HOOK_PATH}",
        WEBHOOK_SECRET=SECRET,
        HOST="127.0.0.1",
        PORT=str(port),
        DATA_DIR=str(data_dir),
        USER_KEY_SECRET=USER_KEY_SECRET,
        ANALYTICS_FLUSH_SECONDS="3600",
        PYTHONPATH=str(PROJECT_ROOT),
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


class BotProcess:
    """One `python -m bot` subprocess, its stderr lines, and its HTTP endpoints."""

    def __init__(
        self,
        env: Mapping[str, str],
        *,
        python: str = sys.executable,
        cwd: Path = PROJECT_ROOT,
        ready_line: str | None = None,
    ) -> None:
        """Prepare the process; it counts as started at /healthz 200, or at `ready_line` (polling has no server)."""
        self.env = dict(env)
        self.ready_line = ready_line
        self.python = python
        self.cwd = cwd
        self.port = int(self.env["PORT"])
        self.lines: list[str] = []
        self.process: asyncio.subprocess.Process | None = None
        self._reader: asyncio.Task[None] | None = None
        self._new_line = asyncio.Event()

    @property
    def url(self) -> str:
        """Root URL of this bot's HTTP server."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def hook_url(self) -> str:
        """Where this replica serves the webhook."""
        return self.url + HOOK_PATH

    @property
    def output(self) -> str:
        """Everything the process wrote to stderr and stdout so far."""
        return "\n".join(self.lines)

    async def start(self) -> None:
        """Start the process and wait until /healthz answers 200."""
        self.process = await asyncio.create_subprocess_exec(
            self.python,
            "-m",
            "bot",
            env=self.env,
            cwd=self.cwd,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        self._reader = asyncio.create_task(self._read())
        if self.ready_line is not None:
            await self.wait_for_line(self.ready_line)
        else:
            await self.wait_ready()

    async def _read(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        async for raw in self.process.stdout:
            self.lines.append(raw.decode(errors="replace").rstrip("\n"))
            self._new_line.set()
            self._new_line = asyncio.Event()

    async def wait_ready(self, within: float = START_WITHIN) -> None:
        """Poll /healthz until it answers 200; fail with the output if the process exits first."""

        async def ready() -> None:
            async with aiohttp.ClientSession() as session:
                while True:
                    assert self.process is not None
                    if self.process.returncode is not None:
                        raise AssertionError(f"the bot exited with {self.process.returncode}:\n{self.output}")
                    with contextlib.suppress(aiohttp.ClientError, OSError):
                        async with session.get(self.url + "/healthz") as response:
                            if response.status == 200:
                                return
                    await asyncio.sleep(0.1)

        try:
            await asyncio.wait_for(ready(), within)
        except TimeoutError:
            raise AssertionError(f"the bot did not become ready:\n{self.output}") from None

    async def wait_for_line(self, needle: str, *, count: int = 1, within: float = START_WITHIN) -> str:
        """Wait until `count` output lines contain `needle`; return the last one."""

        async def seen() -> str:
            while True:
                matches = [line for line in self.lines if needle in line]
                if len(matches) >= count:
                    return matches[count - 1]
                await self._new_line.wait()

        try:
            return await asyncio.wait_for(seen(), within)
        except TimeoutError:
            raise AssertionError(f"no line with {needle!r} in:\n{self.output}") from None

    async def health(self) -> tuple[int, dict[str, Any]]:
        """GET /healthz: status and JSON body."""
        async with aiohttp.ClientSession() as session, session.get(self.url + "/healthz") as response:
            return response.status, await response.json()

    def signal(self, sig: signal.Signals) -> None:
        """Send `sig` to the process."""
        assert self.process is not None
        self.process.send_signal(sig)

    async def wait_exit(self, within: float = STOP_WITHIN) -> int:
        """Wait for the process to exit; return its exit code."""
        assert self.process is not None
        code = await asyncio.wait_for(self.process.wait(), within)
        if self._reader is not None:
            await self._reader
        return code

    async def stop(self) -> None:
        """SIGTERM the process if it still runs, and reap it (killing it if it hangs)."""
        if self.process is None or self.process.returncode is not None:
            if self._reader is not None:
                await self._reader
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            await self.wait_exit()
        except TimeoutError:
            self.process.kill()
            await self.process.wait()


@asynccontextmanager
async def bot_process(env: Mapping[str, str], **kwargs: Any) -> AsyncIterator[BotProcess]:
    """A started bot process, stopped on exit."""
    bot = BotProcess(env, **kwargs)
    try:
        await bot.start()
        yield bot
    finally:
        await bot.stop()


async def post_update(
    session: aiohttp.ClientSession, url: str, update: Mapping[str, Any], *, secret: str | None = SECRET
) -> int:
    """POST an Update to a webhook as Telegram does; return the HTTP status."""
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    async with session.post(url, json=dict(update), headers=headers) as response:
        return response.status


def text_update(emu: Emulator, update_id: int, user_id: int, text: str) -> dict[str, Any]:
    """An Update carrying `text` from a simulated user (stored in the emulator's chat like a real message)."""
    from bot.emulator.user import command_entities

    user = emu.world.require_user(user_id)
    message = emu.world.add_message(user_id, False, text=text, entities=tuple(command_entities(text)))
    return {"update_id": update_id, "message": message.to_api(user.to_api(), user.chat_api())}


def replies_to(emu: Emulator, chat_id: int) -> list[str]:
    """Texts the bot sent to `chat_id` (sendMessage calls that succeeded), oldest first."""
    return [str(r.params.get("text")) for r in emu.calls("sendMessage") if r.ok and r.params.get("chat_id") == chat_id]


def webhook_settings(emu: Emulator, tmp_path: Path, database_url: str | None = None, **overrides: Any) -> Settings:
    """Settings for a webhook-mode bot on a free local port, talking to `emu`, with the shipped content."""
    port = free_port()
    return dataclasses.replace(
        Settings(),
        token=emu.token,
        api_base_url=emu.url,
        webhook_url=f"http://127.0.0.1:{port}{HOOK_PATH}",
        webhook_secret=SECRET,
        host="127.0.0.1",
        port=port,
        content_dir=PROJECT_ROOT / "content",
        locales_dir=PROJECT_ROOT / "locales",
        data_dir=tmp_path / "data",
        database_url=database_url or f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}",
        user_key_secret=USER_KEY_SECRET,
        analytics_flush_seconds=3600,
        **overrides,
    )
