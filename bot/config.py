"""Settings read from the environment, once, at start; a bad value stops the start with one clear line."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

T = TypeVar("T")

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def project_dir() -> Path:
    """Where the default content/, locales/ and data/ folders are: the current directory when it holds a
    content tree (`content/bot.yaml`), as when staff run the commands in their own copy; otherwise the
    folder the code is installed in (a clone, or the image's /app)."""
    here = Path.cwd()
    return here if (here / "content" / "bot.yaml").is_file() else PROJECT_ROOT


def default_content_dir() -> Path:
    """CONTENT_DIR when set, else the project's content/ folder."""
    return Path(os.environ.get("CONTENT_DIR") or project_dir() / "content")


def _project_locales_dir() -> Path:
    """The project's locales/ folder: the current directory's when it has one, else the installed one."""
    base = project_dir()
    return base / "locales" if (base / "locales").is_dir() else PROJECT_ROOT / "locales"


def default_locales_dir() -> Path:
    """LOCALES_DIR when set, else the project's locales/ folder (as the bot's settings choose it)."""
    return Path(os.environ.get("LOCALES_DIR", "").strip() or _project_locales_dir())


class ConfigError(Exception):
    """A setting is missing or malformed; the message is one line naming the variable."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Every setting of the bot; see the table in README.md."""

    token: str | None = None
    api_base_url: str | None = None
    webhook_url: str | None = None
    webhook_secret: str | None = None
    webhook_max_connections: int = 40
    host: str = "0.0.0.0"
    port: int = 8080
    database_url: str | None = None
    data_dir: Path = PROJECT_ROOT / "data"
    content_dir: Path = PROJECT_ROOT / "content"
    locales_dir: Path = PROJECT_ROOT / "locales"
    user_key_secret: str | None = None
    admin_ids: frozenset[int] = field(default_factory=frozenset)
    bot_username: str | None = None
    log_level: str = "INFO"
    analytics_flush_seconds: float = 30.0
    analytics_retention_days: int = 400
    show_low_confidence_helplines: bool = False
    helpline_max_age_days: int = 180
    number_failed_threshold: int = 3  # "this number did not work" reports of one line in a UTC day: admins told
    bot_api_rate_limit: bool = True
    broadcast_rate: float = 25.0  # Bot API messages per second in total while a broadcast runs (Telegram: ~30)
    shutdown_grace_seconds: float = 25.0
    inbox_lease_seconds: float = 3.0  # renewed by a heartbeat every quarter of it: a lapse means the holder died
    inbox_max_attempts: int = 5
    handoff_chat_id: int | None = None  # the NGO desk: a supergroup with topics (Talk to a person, reports)
    handoff_admin_ids: frozenset[int] = field(default_factory=frozenset)  # empty: every member of the desk group
    handoff_idle_hours: float = 72.0
    handoff_retention_days: int = 30
    handoff_rate_limit: int = 20  # messages a person may relay to the desk per 10 minutes
    handoff_language: str | None = None  # the language the bot speaks at the desk; None: the content's default

    @property
    def webhook_mode(self) -> bool:
        """True when the bot receives updates through a webhook rather than long polling."""
        return self.token is not None and self.webhook_url is not None

    def secret_values(self) -> tuple[str, ...]:
        """Every secret in the settings (token, its secret half, webhook and user-key secrets, DB password)."""
        values: list[str] = []
        if self.token:
            values += [self.token, self.token.split(":", 1)[-1]]
        values += [v for v in (self.webhook_secret, self.user_key_secret) if v]
        password = _database_password(self.database_url)
        if password:
            values.append(password)
        return tuple(v for v in values if len(v) >= 4)

    @property
    def effective_database_url(self) -> str:
        """The database to use: `DATABASE_URL`, or an SQLite file in the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{self.data_dir / 'bot.sqlite3'}"

    def resolve_user_key_secret(self) -> bytes:
        """The HMAC secret for user keys: the setting, or one generated once and kept in the data directory."""
        if self.user_key_secret:
            return self.user_key_secret.encode()
        path = self.data_dir / "user-key-secret"
        if not path.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(48))
        return path.read_text().strip().encode()


def _get(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name, "").strip()
    return value or None


def _parse(env: Mapping[str, str], name: str, parse: Callable[[str], T], default: T, what: str) -> T:
    raw = _get(env, name)
    if raw is None:
        return default
    try:
        return parse(raw)
    except (ValueError, TypeError):
        raise ConfigError(f"{name} must be {what}, got {raw!r}") from None


def _bool(raw: str) -> bool:
    lowered = raw.lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ValueError(raw)


def _positive_int(raw: str) -> int:
    value = int(raw)
    if value <= 0:
        raise ValueError(raw)
    return value


def _positive_float(raw: str) -> float:
    value = float(raw)
    if not value > 0 or value == float("inf"):  # also refuses NaN
        raise ValueError(raw)
    return value


def _port(raw: str) -> int:
    value = int(raw)
    if not 0 < value < 65536:
        raise ValueError(raw)
    return value


def _database_password(url: str | None) -> str | None:
    """The password inside a database URL, if any."""
    if not url:
        return None
    try:
        return urlsplit(url).password
    except ValueError:
        return None


def _max_connections(raw: str) -> int:
    value = int(raw)
    if not 1 <= value <= 100:
        raise ValueError(raw)
    return value


def _seconds(raw: str) -> float:
    value = float(raw)
    if not value >= 0:  # also refuses NaN
        raise ValueError(raw)
    return value


def _rate(raw: str) -> float:
    value = float(raw)
    if not 0 < value < float("inf"):  # also refuses NaN
        raise ValueError(raw)
    return value


def _lease(raw: str) -> float:
    value = float(raw)
    if not 1.0 <= value <= 3600.0:  # also refuses NaN
        raise ValueError(raw)
    return value


def _attempts(raw: str) -> int:
    value = int(raw)
    if not 1 <= value <= 100:
        raise ValueError(raw)
    return value


def _group_id(raw: str) -> int:
    value = int(raw)
    if value >= 0:
        raise ValueError(raw)
    return value


def _locale_code(raw: str) -> str:
    """A locale code as the content and catalogs name it: `th`, `fa_AF` (`fa-AF` accepted)."""
    language, _, region = raw.replace("-", "_").partition("_")
    if not language.isalpha() or not 2 <= len(language) <= 3 or (region and not region.isalnum()):
        raise ValueError(raw)
    return f"{language.lower()}_{region.upper()}" if region else language.lower()


def _id_set(raw: str) -> frozenset[int]:
    return frozenset(int(part) for part in raw.replace(",", " ").split())


def _url(name: str, raw: str | None, *, https: bool) -> str | None:
    if raw is None:
        return None
    parts = urlsplit(raw)
    allowed = {"https"} if https else {"http", "https"}
    if parts.scheme not in allowed or not parts.netloc:
        scheme = "an https:// URL" if https else "an http(s):// URL"
        raise ConfigError(f"{name} must be {scheme}, got {raw!r}")
    return raw


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read every setting from `env` (default: the process environment)."""
    env = os.environ if env is None else env
    token = _get(env, "TELEGRAM_BOT_TOKEN")
    if token is not None and (":" not in token or any(c.isspace() for c in token)):
        raise ConfigError("TELEGRAM_BOT_TOKEN must look like 123456:ABC-DEF... (as given by @BotFather)")
    secret = _get(env, "WEBHOOK_SECRET")
    if secret is not None and (not 1 <= len(secret) <= 256 or not all(c.isalnum() or c in "_-" for c in secret)):
        raise ConfigError("WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
    level = (_get(env, "LOG_LEVEL") or "INFO").upper()
    if level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        raise ConfigError(f"LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, got {level!r}")
    database_url = _get(env, "DATABASE_URL")
    if database_url is not None and not database_url.startswith(("sqlite", "postgresql")):
        raise ConfigError("DATABASE_URL must start with sqlite+aiosqlite:// or postgresql+asyncpg://")
    api_base_url = _url("TELEGRAM_API_BASE_URL", _get(env, "TELEGRAM_API_BASE_URL"), https=False)
    # Telegram only pushes to https://; a self-hosted Bot API server (or the emulator) also accepts http://.
    webhook_url = _url("WEBHOOK_URL", _get(env, "WEBHOOK_URL"), https=api_base_url is None)
    user_key_secret = _get(env, "USER_KEY_SECRET")
    if token is not None and webhook_url is not None:
        if secret is None:
            raise ConfigError("WEBHOOK_SECRET is required with WEBHOOK_URL (1-256 characters of A-Z a-z 0-9 _ -)")
        if database_url is not None and database_url.startswith("postgresql") and user_key_secret is None:
            raise ConfigError(
                "USER_KEY_SECRET is required in webhook mode with PostgreSQL (every replica must use the same one)"
            )
    base = project_dir()
    default = Settings(data_dir=base / "data", content_dir=base / "content", locales_dir=_project_locales_dir())
    return Settings(
        token=token,
        api_base_url=api_base_url,
        webhook_url=webhook_url,
        webhook_secret=secret,
        webhook_max_connections=_parse(
            env, "WEBHOOK_MAX_CONNECTIONS", _max_connections, default.webhook_max_connections, "a number from 1 to 100"
        ),
        host=_get(env, "HOST") or default.host,
        port=_parse(env, "PORT", _port, default.port, "a port number (1-65535)"),
        database_url=database_url,
        data_dir=Path(_get(env, "DATA_DIR") or default.data_dir),
        content_dir=Path(_get(env, "CONTENT_DIR") or default.content_dir),
        locales_dir=Path(_get(env, "LOCALES_DIR") or default.locales_dir),
        user_key_secret=user_key_secret,
        admin_ids=_parse(env, "ADMIN_USER_IDS", _id_set, frozenset(), "a comma-separated list of user ids"),
        bot_username=(_get(env, "BOT_USERNAME") or "").lstrip("@") or None,
        log_level=level,
        analytics_flush_seconds=_parse(
            env, "ANALYTICS_FLUSH_SECONDS", _seconds, default.analytics_flush_seconds, "a number of seconds"
        ),
        analytics_retention_days=_parse(
            env,
            "ANALYTICS_RETENTION_DAYS",
            _positive_int,
            default.analytics_retention_days,
            "a number of days",
        ),
        show_low_confidence_helplines=_parse(env, "SHOW_LOW_CONFIDENCE_HELPLINES", _bool, False, "true or false"),
        helpline_max_age_days=_parse(
            env, "HELPLINE_MAX_AGE_DAYS", _positive_int, default.helpline_max_age_days, "a number of days"
        ),
        number_failed_threshold=_parse(
            env,
            "NUMBER_FAILED_THRESHOLD",
            _positive_int,
            default.number_failed_threshold,
            "a number of reports",
        ),
        bot_api_rate_limit=_parse(env, "BOT_API_RATE_LIMIT", _bool, True, "true or false"),
        broadcast_rate=_parse(
            env, "BROADCAST_RATE", _rate, default.broadcast_rate, "a number of messages per second above 0"
        ),
        shutdown_grace_seconds=_parse(
            env, "SHUTDOWN_GRACE_SECONDS", _seconds, default.shutdown_grace_seconds, "a number of seconds"
        ),
        inbox_lease_seconds=_parse(
            env, "INBOX_LEASE_SECONDS", _lease, default.inbox_lease_seconds, "a number of seconds from 1 to 3600"
        ),
        inbox_max_attempts=_parse(
            env, "INBOX_MAX_ATTEMPTS", _attempts, default.inbox_max_attempts, "a number of attempts from 1 to 100"
        ),
        handoff_chat_id=_parse(
            env, "HANDOFF_CHAT_ID", _group_id, None, "the negative id of the desk supergroup (-100...)"
        ),
        handoff_admin_ids=_parse(env, "HANDOFF_ADMIN_IDS", _id_set, frozenset(), "a comma-separated list of user ids"),
        handoff_idle_hours=_parse(env, "HANDOFF_IDLE_HOURS", _positive_float, default.handoff_idle_hours, "hours"),
        handoff_retention_days=_parse(
            env, "HANDOFF_RETENTION_DAYS", _positive_int, default.handoff_retention_days, "a number of days"
        ),
        handoff_rate_limit=_parse(
            env, "HANDOFF_RATE_LIMIT", _positive_int, default.handoff_rate_limit, "a number of messages"
        ),
        handoff_language=_parse(env, "HANDOFF_LANGUAGE", _locale_code, None, "a language code such as th or fa-AF"),
    )
