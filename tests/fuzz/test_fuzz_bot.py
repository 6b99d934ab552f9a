"""Hostile input through the emulator to the real Application: callback data, /start payloads, message texts.

Bounded for CI (a few hundred examples, derandomized, no example database); `benchmarks/fuzz_soak.py` runs the
same properties far longer. Each example is a fresh person; see tests/fuzz/properties.py for the properties.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings

from tests.fuzz.properties import (
    BotThread,
    bot_thread,
    callback_strategy,
    check_message,
    check_press,
    check_start,
    message_texts,
    real_callback_data,
    start_payloads,
)

CI = settings(
    max_examples=60,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BotThread]:
    """One running bot for every example of the module (the examples use fresh users)."""
    with bot_thread(tmp_path_factory.mktemp("fuzz-bot")) as running:
        yield running


@pytest.fixture(scope="module")
def corpus(bot: BotThread) -> list[str]:
    """The callback data of the shipped content's keyboards."""
    return real_callback_data(*bot.content())


def test_real_callback_data_is_every_kind(corpus: list[str]) -> None:
    tags = {data.split("|")[3] for data in corpus}
    assert {"n", "s", "l", "h", "hc", "hs", "hl", "x", "f"} <= tags
    assert len(corpus) > 100


def test_callback_data(bot: BotThread, corpus: list[str]) -> None:
    @CI
    @given(data=callback_strategy(corpus))
    def press(data: str) -> None:
        check_press(bot, data)

    press()


@CI
@given(payload=start_payloads)
def test_start_payloads(bot: BotThread, payload: str) -> None:
    check_start(bot, payload)


@CI
@given(text=message_texts)
def test_message_texts(bot: BotThread, text: str) -> None:
    check_message(bot, text)


def test_fixed_hostile_messages(bot: BotThread) -> None:
    texts = ("\u202e" * 4096, "\u200b", "<b>unclosed", "&nbsp;" * 600, "ေက်ာင္းသား", "🆘" * 4096, "/start " + "x" * 65)
    for text in texts:
        check_message(bot, text)
