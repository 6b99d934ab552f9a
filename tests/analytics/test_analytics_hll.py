"""The HyperLogLog sketch: exact-ish for few users, within tolerance for thousands, merges as a union."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.analytics import hll
from bot.privacy import user_key

SECRET = b"analytics-secret"
DAY = date(2025, 3, 1)


def sketch_of(ids: range | list[int], day: date = DAY) -> bytearray:
    registers = hll.empty()
    for telegram_id in ids:
        hll.add(registers, hll.hash_user(SECRET, day, user_key(b"user-secret", telegram_id)))
    return registers


@pytest.mark.parametrize("n", [0, 1, 2, 7, 30, 100])
def test_small_counts_are_nearly_exact(n: int) -> None:
    assert abs(hll.estimate(sketch_of(range(n))) - n) <= max(1, n // 50)


@pytest.mark.parametrize("n", [5000, 20000])
def test_large_counts_are_within_tolerance(n: int) -> None:
    estimate = hll.estimate(sketch_of(range(10_000_000, 10_000_000 + n)))
    assert abs(estimate - n) / n < 0.05  # 2.3 % standard error; this input is fixed, so no flakiness


def test_repeated_users_count_once() -> None:
    assert sketch_of([5, 5, 5, 6]) == sketch_of([5, 6])


def test_hash_depends_on_secret_and_day() -> None:
    key = user_key(b"user-secret", 1)
    base = hll.hash_user(SECRET, DAY, key)
    assert base != hll.hash_user(b"other", DAY, key)
    assert base != hll.hash_user(SECRET, date(2025, 3, 2), key)


@given(st.sets(st.integers(0, 10**9), max_size=60), st.sets(st.integers(0, 10**9), max_size=60))
def test_merge_is_the_sketch_of_the_union(left: set[int], right: set[int]) -> None:
    a, b = sketch_of(sorted(left)), sketch_of(sorted(right))
    assert hll.merge(a, b) == sketch_of(sorted(left | right)) == hll.merge(b, a)


def test_malformed_sketches_are_refused() -> None:
    with pytest.raises(ValueError):
        hll.estimate(b"\x00" * 10)
    with pytest.raises(ValueError):
        hll.merge(hll.empty(), b"\x00")
