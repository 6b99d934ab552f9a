"""Press every reachable button of the shipped content in every shipped locale (issues 4 and 7)."""

from __future__ import annotations

import pytest

from bot.callbacks import Open, decode
from bot.config import PROJECT_ROOT
from bot.content.loader import load_content
from tests.botfixtures import Harness
from tests.flows.crawler import crawl

LOCALES = load_content(PROJECT_ROOT / "content").content.locales  # type: ignore[union-attr]


@pytest.mark.parametrize("locale", LOCALES)
async def test_every_button_is_valid_and_answered(harness: Harness, locale: str) -> None:
    content = harness.services.live.current.content
    user = harness.user(5000 + LOCALES.index(locale), "Crawler", locale.replace("_", "-"))
    result = await crawl(user)

    harness.emu.assert_clean()  # every request valid for the Bot API, every press answered
    opened = {act.key for data in result.pressed if (d := decode(data)) and isinstance(act := d[1], Open)}
    reachable = {node.key for node in content.nodes.values() if node.type != "link"}
    assert reachable <= opened | {content.root.key}, f"never reached: {reachable - opened}"
    for data in result.pressed:
        decoded = decode(data)
        assert decoded is not None and decoded[0].locale == locale, data
    assert not harness.emu.unanswered_callback_queries()
