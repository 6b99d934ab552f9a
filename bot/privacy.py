"""Keyed pseudonyms for Telegram users: the raw user id is never stored, only an HMAC of it."""

from __future__ import annotations

import hashlib
import hmac

USER_KEY_LENGTH = 64  # hex digits of an HMAC-SHA256


def user_key(secret: bytes, telegram_user_id: int) -> str:
    """Return the stable, non-reversible key for a Telegram user id (hex HMAC-SHA256 under `secret`)."""
    if not secret:
        raise ValueError("the user-key secret must not be empty")
    message = str(int(telegram_user_id)).encode("ascii")
    return hmac.new(secret, message, hashlib.sha256).hexdigest()
