"""The quiz answer encoding: round trips, always fits a button, and catches tampering."""

from __future__ import annotations

import string

from hypothesis import given
from hypothesis import strategies as st

from bot.callbacks import MAX_BYTES, Header, Quiz, decode, encode
from bot.quiz import codec
from bot.quiz.codec import ALPHABET, Mode, QuizState, decode_state, encode_state, version_of

LONGEST_HEADER = Header("fa_AF", "c" * 16)  # the longest locale we ship and the longest campaign code
LONGEST_KEY = "k" * 10  # a `key:` override may be 10 characters; generated keys are 8

answers = st.lists(st.integers(0, 3), max_size=15).map(tuple)
versions = st.text(ALPHABET, min_size=3, max_size=3)
modes = st.sampled_from(list(Mode))
keys = st.text(string.ascii_lowercase + string.digits, min_size=1, max_size=10)


@given(answers, versions, modes, keys)
def test_any_answer_sequence_round_trips_through_the_button(
    chosen: tuple[int, ...], version: str, mode: Mode, key: str
) -> None:
    state = QuizState(mode, version, chosen)
    data = encode(LONGEST_HEADER, Quiz(key, encode_state(key, state)))
    decoded = decode(data)
    assert decoded is not None
    header, act = decoded
    assert header == LONGEST_HEADER and isinstance(act, Quiz) and act.key == key
    assert decode_state(act.key, act.state) == state


@given(answers, versions, modes)
def test_fifteen_answers_always_fit_64_bytes_with_the_longest_header(
    chosen: tuple[int, ...], version: str, mode: Mode
) -> None:
    data = encode(LONGEST_HEADER, Quiz(LONGEST_KEY, encode_state(LONGEST_KEY, QuizState(mode, version, chosen))))
    assert len(data.encode()) <= MAX_BYTES


def test_fifteen_answers_take_twelve_characters() -> None:
    field = encode_state("abcdefgh", QuizState(Mode.ANSWER, "abc", (3,) * 15))
    assert len(field) == 12
    data = encode(LONGEST_HEADER, Quiz(LONGEST_KEY, field))
    assert len(data.encode()) == 51  # 13 bytes to spare with the longest header and key


def test_a_changed_quiz_has_another_version() -> None:
    assert version_of("a") != version_of("b")
    assert len(version_of("anything")) == 3


def _state() -> tuple[str, str]:
    key = "abcdefgh"
    return key, encode_state(key, QuizState(Mode.ANSWER, "xY_", (0, 1, 2, 3, 2, 1, 0)))


def test_every_single_character_change_is_caught_or_harmless() -> None:
    key, field = _state()
    caught = accepted = 0
    for index in range(len(field)):
        for char in ALPHABET:
            if char == field[index]:
                continue
            changed = field[:index] + char + field[index + 1 :]
            state = decode_state(key, changed)
            if state is None:
                caught += 1
            else:
                accepted += 1
                assert all(0 <= a <= 3 for a in state.answers)  # even a lucky forgery is only answers
    assert caught / (caught + accepted) > 0.99


def test_cut_padded_or_moved_data_is_rejected() -> None:
    key, field = _state()
    assert decode_state(key, field[:-1]) is None
    assert decode_state(key, field + "A") is None
    assert decode_state(key, field[1:]) is None
    assert decode_state("otherkey", field) is None  # a state made for another quiz
    assert decode_state(key, "") is None
    assert decode_state(key, "a!bcdefgh") is None


def test_an_unknown_format_letter_is_rejected() -> None:
    key, field = _state()
    for letter in "xz0":
        assert decode_state(key, letter + field[1:]) is None


def test_nonzero_padding_is_rejected() -> None:
    key = "abcdefgh"
    field = encode_state(key, QuizState(Mode.ANSWER, "abc", (1,)))  # one answer in a three-answer character
    body = field[:-2]
    forged_body = body[:-1] + ALPHABET[ALPHABET.index(body[-1]) | 1]
    forged = forged_body + codec._check(key, forged_body)
    assert decode_state(key, forged) is None
