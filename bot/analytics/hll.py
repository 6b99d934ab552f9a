"""HyperLogLog sketches: estimate distinct users per day without keeping any identifier.

The hashed input is HMAC-SHA256(secret, day || user_key). Because the secret is needed, nobody holding a
database dump can test whether a given Telegram id is in a sketch (ids are few enough to enumerate); because
the day is mixed in, the same person falls into unrelated registers on different days, so sketches of two
days cannot be joined to follow anyone. A register keeps only the largest leading-zero run seen, so a sketch
of many users reveals nothing about any one of them. Sketches of the same day merge by register-wise max,
which is how replicas combine their counts.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from datetime import date

PRECISION = 12
REGISTERS = 1 << PRECISION  # 4096 one-byte registers: about 1.6 % standard error
_SUFFIX_BITS = 64 - PRECISION
_ALPHA = 0.7213 / (1 + 1.079 / REGISTERS)


def empty() -> bytearray:
    """Return a sketch that has seen nobody."""
    return bytearray(REGISTERS)


def hash_user(secret: bytes, day: date, user_key: str) -> int:
    """Return the 64-bit keyed hash of a user on a day (the only thing a sketch ever sees)."""
    message = f"{day.isoformat()}|{user_key}".encode()
    return int.from_bytes(hmac.new(secret, message, hashlib.sha256).digest()[:8], "big")


def add(registers: bytearray, hashed: int) -> None:
    """Add one 64-bit hash to the sketch in place."""
    index = hashed >> _SUFFIX_BITS
    suffix = hashed & ((1 << _SUFFIX_BITS) - 1)
    rank = _SUFFIX_BITS - suffix.bit_length() + 1
    if rank > registers[index]:
        registers[index] = rank


def merge(left: bytes | bytearray, right: bytes | bytearray) -> bytearray:
    """Return the sketch of the union: the register-wise maximum."""
    if len(left) != REGISTERS or len(right) != REGISTERS:
        raise ValueError(f"sketches must have {REGISTERS} registers")
    return bytearray(max(a, b) for a, b in zip(left, right, strict=True))


def estimate(registers: bytes | bytearray) -> int:
    """Return the estimated number of distinct users (linear counting for small numbers)."""
    if len(registers) != REGISTERS:
        raise ValueError(f"sketches must have {REGISTERS} registers")
    zeros = registers.count(0)
    if zeros == REGISTERS:
        return 0
    raw = _ALPHA * REGISTERS * REGISTERS / sum(2.0**-r for r in registers)
    if raw <= 2.5 * REGISTERS and zeros:
        return round(REGISTERS * math.log(REGISTERS / zeros))
    return round(raw)
