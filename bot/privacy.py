"""Keyed pseudonyms for Telegram users: the raw user id is never stored, only an HMAC of it."""

from __future__ import annotations

import hashlib
import hmac
import re

USER_KEY_LENGTH = 64  # hex digits of an HMAC-SHA256
_USER_KEY = re.compile(r"^[0-9a-f]{64}$")


def user_key(secret: bytes, telegram_user_id: int) -> str:
    """Return the stable, non-reversible key for a Telegram user id (hex HMAC-SHA256 under `secret`)."""
    if not secret:
        raise ValueError("the user-key secret must not be empty")
    message = str(int(telegram_user_id)).encode("ascii")
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def checked_key(key: str) -> str:
    """Refuse anything that is not a user key (a raw Telegram id must never reach the database)."""
    if not isinstance(key, str) or not _USER_KEY.match(key):
        raise ValueError("user keys are 64 lowercase hex digits from bot.privacy.user_key()")
    return key
