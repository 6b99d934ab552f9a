"""The emulator marks phone numbers as Telegram documents it (the `phone_number` entity), and the numbers the bot
renders keep that form: the first answer's international numbers arrive marked, so the apps make them tappable."""

from __future__ import annotations

from bot.emulator.formatting import phone_entities
from bot.numbers import LRM
from tests.botfixtures import Harness


def test_the_documented_shape_is_marked_and_nothing_more() -> None:
    text = "Call +1-212-555-0123 or 📞 \u200e+60380008000\u200e, not 1343, 0800 1000 or 2026-12-04"
    marked = [text.encode("utf-16-le")[2 * e["offset"] : 2 * (e["offset"] + e["length"])] for e in phone_entities(text)]
    assert [m.decode("utf-16-le") for m in marked] == ["+1-212-555-0123", "+60380008000"]


async def test_the_first_answers_international_numbers_are_tappable(harness: Harness) -> None:
    user = harness.user(6400, "Sari", "id")
    await user.send("tolong")
    answer = user.last_message
    text = answer.text or ""
    numbers = [
        text.encode("utf-16-le")[2 * e["offset"] : 2 * (e["offset"] + e["length"])].decode("utf-16-le")
        for e in answer.entities
        if e["type"] == "phone_number"
    ]
    assert "+60380008000" in numbers, "Malaysia's line, as the apps link it"
    assert all(f"{LRM}{number}{LRM}" in text for number in numbers), "the marks sit outside the number"
    harness.emu.assert_clean()
