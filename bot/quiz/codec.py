"""The quiz's answers so far, packed into one callback field so no answer is ever stored.

Field layout (base64url characters, all allowed by the button codec):

    <mode:1><version:3><count:1><answers:ceil(count/3)><check:2>

- mode: `a` an answer was given, `b` Back, `r` Start over. Only these letters are format 1; anything
  else (an older or newer format) is not understood and answered as a stale button.
- version: three characters of the quiz structure's hash; a button made before the quiz changed
  carries the old version and the quiz restarts kindly.
- count: how many answers follow (0..63).
- answers: three answers (0..3 each, base 4) per character, the last one padded with zeros.
- check: 12 bits of a hash over the node key and everything before it, so a flipped or cut
  character is caught (a forged but well-formed sequence is still only someone's own answers).

For 15 questions the field is 1 + 3 + 1 + 5 + 2 = 12 characters.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_INDEX = {char: index for index, char in enumerate(ALPHABET)}
MAX_CHOICES = 4
MAX_ANSWERS = len(ALPHABET) - 1
VERSION_CHARS = 3
CHECK_CHARS = 2
PER_CHAR = 3  # base-4 digits per base-64 character


class Mode(StrEnum):
    """Which button produced the state; it only decides what is counted, never what is shown."""

    ANSWER = "a"
    BACK = "b"
    RESTART = "r"


@dataclass(frozen=True, slots=True)
class QuizState:
    """A decoded quiz button: how it was pressed, the quiz version it was made for, the answers so far."""

    mode: Mode
    version: str
    answers: tuple[int, ...]


def version_of(material: str) -> str:
    """The three-character version of a quiz structure described by `material`."""
    digest = hashlib.sha256(material.encode()).digest()
    return "".join(ALPHABET[b % 64] for b in digest[:VERSION_CHARS])


def _check(key: str, body: str) -> str:
    digest = hashlib.blake2b(f"{key}|{body}".encode(), digest_size=2).digest()
    value = int.from_bytes(digest, "big") >> 4  # 12 bits
    return ALPHABET[value >> 6] + ALPHABET[value & 63]


def _pack(answers: Sequence[int]) -> str:
    chars = []
    for start in range(0, len(answers), PER_CHAR):
        group = list(answers[start : start + PER_CHAR]) + [0] * (PER_CHAR - len(answers[start : start + PER_CHAR]))
        chars.append(ALPHABET[group[0] * 16 + group[1] * 4 + group[2]])
    return "".join(chars)


def encode_state(key: str, state: QuizState) -> str:
    """The callback field of `state` for the quiz with node key `key`; raises ValueError for impossible input."""
    answers = state.answers
    if len(answers) > MAX_ANSWERS or any(not 0 <= a < MAX_CHOICES for a in answers):
        raise ValueError("a quiz state holds at most 63 answers of 0..3")
    if len(state.version) != VERSION_CHARS or any(c not in _INDEX for c in state.version):
        raise ValueError(f"bad quiz version {state.version!r}")
    body = f"{state.mode.value}{state.version}{ALPHABET[len(answers)]}{_pack(answers)}"
    return body + _check(key, body)


def decode_state(key: str, text: str) -> QuizState | None:
    """The state carried by a button of the quiz `key`, or None when it is malformed or was tampered with."""
    head = 1 + VERSION_CHARS + 1
    if len(text) < head + CHECK_CHARS or any(c not in _INDEX for c in text):
        return None
    try:
        mode = Mode(text[0])
    except ValueError:
        return None
    count = _INDEX[text[head - 1]]
    packed = text[head:-CHECK_CHARS]
    if len(packed) != -(-count // PER_CHAR):
        return None
    body = text[:-CHECK_CHARS]
    if text[-CHECK_CHARS:] != _check(key, body):
        return None
    digits: list[int] = []
    for char in packed:
        value = _INDEX[char]
        digits.extend((value >> 4, (value >> 2) & 3, value & 3))
    if any(digits[count:]):
        return None  # padding must be zero: only one text per state
    return QuizState(mode, text[1 : head - 1], tuple(digits[:count]))
