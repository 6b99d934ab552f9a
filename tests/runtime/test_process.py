"""The real process (`python -m bot` in webhook mode): start-up errors, SIGHUP reload, secrets in logs, SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy.engine import make_url

from bot.config import PROJECT_ROOT
from bot.emulator import Emulator
from tests.dbfixtures import postgres_database
from tests.runtime.procs import (
    SECRET,
    USER_KEY_SECRET,
    bot_env,
    bot_process,
    free_port,
    post_update,
    replies_to,
    text_update,
)
from tests.runtime.test_admin import break_content, change_content

TOKEN = "123456:AAFakeTokenForStartupTests_abcdefghijk"


def run_cli(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run `python -m bot` with exactly `env` (plus PATH) and return what happened."""
    full = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(PROJECT_ROOT), "DATA_DIR": str(tmp_path), **env}
    return subprocess.run(
        [sys.executable, "-m", "bot"], env=full, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120
    )


BAD_SETTINGS = {
    "missing webhook secret": ({"WEBHOOK_URL": "https://bot.example.org/hook"}, "WEBHOOK_SECRET"),
    "webhook secret with a space": (
        {"WEBHOOK_URL": "https://bot.example.org/hook", "WEBHOOK_SECRET": "two words"},
        "WEBHOOK_SECRET",
    ),
    "plain http webhook to Telegram": (
        {"WEBHOOK_URL": "http://bot.example.org/hook", "WEBHOOK_SECRET": "abc"},
        "WEBHOOK_URL",
    ),
    "port not a number": ({"PORT": "eighty"}, "PORT"),
    "max connections out of range": ({"WEBHOOK_MAX_CONNECTIONS": "500"}, "WEBHOOK_MAX_CONNECTIONS"),
    "admin ids not numbers": ({"ADMIN_USER_IDS": "alice,bob"}, "ADMIN_USER_IDS"),
    "postgres replicas without a user-key secret": (
        {
            "WEBHOOK_URL": "https://bot.example.org/hook",
            "WEBHOOK_SECRET": "abc",
            "DATABASE_URL": "postgresql+asyncpg://bot:pw@db/bot",
        },
        "USER_KEY_SECRET",
    ),
    "malformed token": ({"TELEGRAM_BOT_TOKEN": "not-a-token"}, "TELEGRAM_BOT_TOKEN"),
    "unknown log level": ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
}


@pytest.mark.parametrize("case", sorted(BAD_SETTINGS))
def test_a_bad_setting_stops_the_start_with_one_clear_line(case: str, tmp_path: Path) -> None:
    overrides, variable = BAD_SETTINGS[case]
    result = run_cli({"TELEGRAM_BOT_TOKEN": TOKEN, **overrides}, tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ") and variable in lines[0]
    assert "Traceback" not in result.stderr


def test_an_unreachable_database_stops_the_start_without_showing_its_password(tmp_path: Path) -> None:
    password = "Sup3rSecretDbPassword"
    env = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": "http://127.0.0.1:9",
        "DATABASE_URL": f"postgresql+asyncpg://bot:{password}@127.0.0.1:9/bot",
    }
    result = run_cli(env, tmp_path)
    assert result.returncode == 2
    assert "cannot open the database" in result.stderr
    assert "Traceback" not in result.stderr
    assert password not in result.stderr + result.stdout
    assert TOKEN.split(":")[1] not in result.stderr + result.stdout


async def test_sighup_with_broken_content_keeps_serving_the_last_good_content(
    tmp_path: Path, content_copy: Path
) -> None:
    async with Emulator() as emu:
        user = emu.user(21, "Fa", language_code="en")
        env = bot_env(emu, free_port(), tmp_path / "data", CONTENT_DIR=str(content_copy))
        async with bot_process(env) as bot:
            status, body = await bot.health()
            good = body["version"]
            assert status == 200

            break_content(content_copy)
            bot.signal(signal.SIGHUP)
            await bot.wait_for_line("reload refused: 1 error(s); still serving version")
            assert "no-such-topic" in bot.output
            assert await bot.health() == (200, {"status": "ok", "version": good, "db": True})
            await user.send("/start")
            await emu.wait_for_request("sendMessage", count=1)
            assert "Hello. This guide" in replies_to(emu, 21)[-1]

            break_content(content_copy)  # idempotent; then repair with a real change
            menu = content_copy / "en" / "_menu.yaml"
            menu.write_text(menu.read_text().replace("  - no-such-topic\n", ""))
            change_content(content_copy)
            bot.signal(signal.SIGHUP)
            await bot.wait_for_line("content reloaded")
            status, body = await bot.health()
            assert status == 200 and body["version"] != good
            await user.send("/start")
            await emu.wait_for_request("sendMessage", count=2)
            assert "Hello again. This guide" in replies_to(emu, 21)[-1]
        assert bot.process is not None and bot.process.returncode == 0
        emu.assert_clean()


async def test_sighup_in_polling_mode_refuses_broken_content_and_serves_on(tmp_path: Path, content_copy: Path) -> None:
    async with Emulator() as emu:
        user = emu.user(23, "Ha", language_code="en")
        env = bot_env(emu, free_port(), tmp_path / "data", CONTENT_DIR=str(content_copy))
        del env["WEBHOOK_URL"], env["WEBHOOK_SECRET"]
        async with bot_process(env, ready_line="the bot is running (long polling)") as bot:
            break_content(content_copy)
            bot.signal(signal.SIGHUP)
            await bot.wait_for_line("reload refused: 1 error(s)")
            await user.send("/start")
            await emu.wait_for_request("sendMessage")
            assert "Hello. This guide" in replies_to(emu, 23)[-1]
        assert bot.process is not None and bot.process.returncode == 0
        assert emu.calls("setWebhook") == []


@pytest.fixture
def fresh_postgres_or_none() -> Iterator[str | None]:
    """A fresh PostgreSQL database when TEST_POSTGRES_URL is set, else None (the test then uses SQLite)."""
    if not os.environ.get("TEST_POSTGRES_URL", "").strip():
        yield None
    else:
        yield from postgres_database()


async def test_no_secret_reaches_the_logs_even_at_debug_level(
    tmp_path: Path, fresh_postgres_or_none: str | None
) -> None:
    db_password = "Db-Passw0rd-never-logged"
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"
    base = fresh_postgres_or_none
    if base:  # trust auth accepts any password, so a real PostgreSQL run can carry one
        database_url = make_url(base).set(password=db_password).render_as_string(hide_password=False)
    async with Emulator() as emu:
        user = emu.user(22, "Gi", language_code="en")
        env = bot_env(emu, free_port(), tmp_path / "data", LOG_LEVEL="DEBUG", DATABASE_URL=database_url)
        async with bot_process(env) as bot:
            await user.send("/start")
            await emu.wait_for_request("sendMessage", count=1)
            # an error path that logs a traceback (a 400 is final; a 500 would be retried quietly)
            emu.faults.server_error("sendMessage", status=400, times=1)
            await user.send("/help")
            await bot.wait_for_line("error while handling")
            async with aiohttp.ClientSession() as session:  # a forged request, and a duplicate
                assert await post_update(session, bot.hook_url, text_update(emu, 77, 22, "/x"), secret="guess") == 403
                for _ in range(2):
                    assert await post_update(session, bot.hook_url, text_update(emu, 78, 22, "/start")) == 200
            await emu.wait_for_request("sendMessage", count=3)
            bot.signal(signal.SIGHUP)
            await bot.wait_for_line("content reloaded")
        output = bot.output
    assert "DEBUG" in output and "the bot is running (webhook" in output
    secrets = [emu.token, emu.token.split(":")[1], SECRET, USER_KEY_SECRET]
    if base:
        secrets.append(db_password)
    for secret in secrets:
        assert secret not in output, f"a secret leaked into the logs: {secret[:4]}…"
    assert "Gi" not in output.split(), "the user's name leaked into the logs"


async def test_sigterm_with_updates_in_flight_loses_none_that_were_answered_200(tmp_path: Path) -> None:
    async with Emulator() as emu:
        users = [emu.user(100 + n, f"U{n}", language_code="en") for n in range(6)]
        env = bot_env(emu, free_port(), tmp_path / "data")
        async with bot_process(env) as bot:
            emu.faults.delay("sendMessage", seconds=2.0, times=None)  # every answer is slow
            accepted: list[int] = []
            async with aiohttp.ClientSession() as session:
                for n, user in enumerate(users):
                    if await post_update(session, bot.hook_url, text_update(emu, 500 + n, user.id, "/start")) == 200:
                        accepted.append(user.id)
                bot.signal(signal.SIGTERM)
                await bot.wait_for_line("refusing new updates")
                late = text_update(emu, 600, users[0].id, "/help")
                assert await post_update(session, bot.hook_url, late) == 503  # Telegram re-sends it elsewhere
            assert await bot.wait_exit() == 0
        assert accepted == [user.id for user in users]
        for user_id in accepted:
            assert len(replies_to(emu, user_id)) == 1, f"user {user_id} lost their answer"
        assert "stopped: 6 update(s) accepted" in bot.output
