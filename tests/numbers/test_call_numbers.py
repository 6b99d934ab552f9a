"""Numbers wherever the text says "call": a card of a country with no lines yet still gives numbers to call."""

from __future__ import annotations

import functools
import re

from babel import Locale

from bot.bootstrap import load_live
from bot.callbacks import Header
from bot.config import PROJECT_ROOT
from bot.helplines.screens import help_screen
from bot.numbers import LRM
from bot.services import Live
from tests.botfixtures import Harness


@functools.cache
def live() -> Live:
    found, result = load_live(PROJECT_ROOT / "content", PROJECT_ROOT / "locales")
    assert found is not None, result.report.errors[:3]
    return found


def test_a_country_without_lines_shows_the_readers_own_line_for_citizens_abroad_and_the_embassy_once() -> None:
    ui = live().ui("id")
    screen, _ = help_screen(live().content, ui, Header("id", ""), "FR", None, "et")
    france = Locale.parse("id").territories["FR"]
    assert ui.t("helpline.none_yet", country=france) in screen.text
    assert ui.t("helpline.abroad_heading", country=Locale.parse("id").territories["ID"]) in screen.text
    assert f"{LRM}+622129244800{LRM}" in screen.text, "KP2MI's number for Indonesians abroad"
    assert screen.text.count(ui.t("helpline.embassy")) == 1
    assert "kedutaan" not in ui.t("helpline.none_yet", country=france), "the embassy sentence is not said twice"


def test_every_locale_says_call_next_to_a_number_on_the_cards() -> None:
    """Each card that tells the reader to call the emergency number prints that number right below."""
    content = live().content
    for locale in content.locales:
        ui = live().ui(locale)
        intro = ui.t("emergency.intro")
        for country in ("MY", "AE", "SA", "TH"):
            screen, _ = help_screen(content, ui, Header(locale, ""), country, None, "et")
            assert intro in screen.text, (locale, country)
            after = screen.text.split(intro, 1)[1].lstrip("\n\u200f")
            assert re.match(r"\S+\u00a0(<b>)?[^\n]*\u200e[0-9+]+\u200e", after), (locale, country, after[:80])


async def test_a_location_in_dubai_or_riyadh_prints_the_number_to_call(harness: Harness) -> None:
    """The card after a shared location says "call the emergency number" with the number right below it."""
    ui = harness.services.live.current.ui("en")
    for number, (point, emergency) in enumerate((((25.205, 55.271), "999"), ((24.713, 46.675), "911"))):
        user = harness.user(6500 + number, "Ana", "en")
        await user.send("help")
        await user.press(ui.t("location.use"))
        await user.share_location(*point)
        card = user.last_message.text or ""
        assert ui.t("emergency.intro") in card
        assert f"{LRM}{emergency}{LRM}" in card.split(ui.t("emergency.intro"), 1)[1].split("\n\n")[1], card[:300]
    harness.emu.assert_clean()
