"""User keys are stable, depend on the secret and do not reveal the Telegram id."""

from __future__ import annotations

import pytest

from bot.privacy import user_key


def test_user_key_is_stable_and_keyed() -> None:
    assert user_key(b"a", 123456789) == user_key(b"a", 123456789)
    assert user_key(b"a", 123456789) != user_key(b"b", 123456789)
    assert user_key(b"a", 123456789) != user_key(b"a", 123456780)


def test_user_key_hides_the_id() -> None:
    key = user_key(b"a", 123456789)
    assert len(key) == 64 and int(key, 16) >= 0
    assert "123456789" not in key


def test_empty_secret_is_refused() -> None:
    with pytest.raises(ValueError):
        user_key(b"", 1)
