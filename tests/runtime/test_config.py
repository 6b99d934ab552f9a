"""Settings from the environment: webhook requirements, secrets, and one documented table of every variable."""

from __future__ import annotations

import logging
import re

import pytest

from bot.config import PROJECT_ROOT, ConfigError, Settings, load_settings
from bot.runtime import RedactSecrets

TOKEN = "123456:AAFakeTokenForConfigTests_abcdefghijk"
HOOK = {"TELEGRAM_BOT_TOKEN": TOKEN, "WEBHOOK_URL": "https://bot.example.org/tg/x", "WEBHOOK_SECRET": "s3cret_-X"}


def variables() -> set[str]:
    """Every environment variable bot/config.py reads."""
    return set(re.findall(r'\benv,\s*"([A-Z_]+)"', (PROJECT_ROOT / "bot" / "config.py").read_text()))


def test_every_variable_is_in_the_deploy_table_and_in_env_example() -> None:
    names = variables()
    assert {"TELEGRAM_BOT_TOKEN", "WEBHOOK_SECRET", "WEBHOOK_MAX_CONNECTIONS", "SHUTDOWN_GRACE_SECONDS"} <= names
    table = {m for m in re.findall(r"^\| `([A-Z_]+)` \|", (PROJECT_ROOT / "docs" / "deploy.md").read_text(), re.M)}
    example = set(re.findall(r"^#? ?([A-Z_]+)=", (PROJECT_ROOT / ".env.example").read_text(), re.M))
    assert names - table == set(), "undocumented in docs/deploy.md"
    assert names - example == set(), "missing from .env.example"


def test_webhook_mode_reads_its_settings() -> None:
    settings = load_settings({**HOOK, "WEBHOOK_MAX_CONNECTIONS": "80", "SHUTDOWN_GRACE_SECONDS": "5"})
    assert settings.webhook_mode and settings.webhook_secret == "s3cret_-X"
    assert (settings.webhook_max_connections, settings.shutdown_grace_seconds) == (80, 5.0)
    assert not load_settings({"TELEGRAM_BOT_TOKEN": TOKEN}).webhook_mode


def test_webhook_mode_requires_its_secret() -> None:
    with pytest.raises(ConfigError, match="WEBHOOK_SECRET is required"):
        load_settings({k: v for k, v in HOOK.items() if k != "WEBHOOK_SECRET"})


def test_plain_http_webhooks_only_with_a_self_hosted_bot_api_server() -> None:
    plain = {**HOOK, "WEBHOOK_URL": "http://10.0.0.5:8080/tg"}
    with pytest.raises(ConfigError, match="WEBHOOK_URL must be an https:// URL"):
        load_settings(plain)
    assert load_settings({**plain, "TELEGRAM_API_BASE_URL": "http://bot-api:8081"}).webhook_url == plain["WEBHOOK_URL"]


def test_postgres_in_webhook_mode_requires_the_shared_user_key_secret() -> None:
    pg = {**HOOK, "DATABASE_URL": "postgresql+asyncpg://bot:pw@db/bot"}
    with pytest.raises(ConfigError, match="USER_KEY_SECRET is required"):
        load_settings(pg)
    assert load_settings({**pg, "USER_KEY_SECRET": "k" * 32}).user_key_secret == "k" * 32
    # SQLite in webhook mode starts (with a warning at run time): one replica is a valid deployment.
    assert load_settings(HOOK).database_url is None


@pytest.mark.parametrize(
    ("name", "value"),
    [("WEBHOOK_MAX_CONNECTIONS", "0"), ("WEBHOOK_MAX_CONNECTIONS", "101"), ("SHUTDOWN_GRACE_SECONDS", "-1"),
     ("SHUTDOWN_GRACE_SECONDS", "nan"), ("BOT_API_RATE_LIMIT", "maybe"), ("PORT", "70000")],
)  # fmt: skip
def test_malformed_values_name_the_variable(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name):
        load_settings({**HOOK, name: value})


def test_secret_values_cover_token_webhook_user_key_and_database_password() -> None:
    settings = Settings(
        token=TOKEN,
        webhook_secret="hook-secret",
        user_key_secret="user-key-secret",
        database_url="postgresql+asyncpg://bot:db-password@db/bot",
    )
    expected = {TOKEN, TOKEN.split(":")[1], "hook-secret", "user-key-secret", "db-password"}
    assert set(settings.secret_values()) == expected


def test_the_redaction_filter_cleans_messages_arguments_and_tracebacks() -> None:
    redact = RedactSecrets(["hunter2-secret"])
    try:
        raise RuntimeError("failed calling https://api/bothunter2-secret/getMe")
    except RuntimeError as exc:
        info = (type(exc), exc, None)
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "url %s", ("/hunter2-secret/",), info)
    assert redact.filter(record)
    line = logging.Formatter().format(record)
    assert "hunter2-secret" not in line and "url /***/" in line and "bot***" in line
