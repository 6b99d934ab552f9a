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
