"""The first answer to someone in danger: numbers with no tap, the card right after the country, location."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml
from babel import Locale

from bot.helplines.likely import LikelyCountries
from bot.helplines.locate import CountryLocator, locator
from bot.helplines.screens import FIRST_ANSWER_BUDGET, FIRST_ANSWER_COUNTRIES
from bot.numbers import phone
from bot.privacy import user_key
from bot.storage.schema import metadata
from tests.botfixtures import SHIPPED_CONTENT, Harness
from tests.helplines.flow import asks_country

WORDS = yaml.safe_load((SHIPPED_CONTENT / "emergency-words.yaml").read_text(encoding="utf-8"))
SHIPPED_LOCALES = yaml.safe_load((SHIPPED_CONTENT / "bot.yaml").read_text(encoding="utf-8"))["locales"]
# A dialable number as the answer shows it (bot.numbers.phone): 🚨 or 📞, then the number between its marks.
NUMBER = re.compile(r"(?:🚨|📞)\u00a0(?:<b>)?\u200e\+?[0-9]+\u200e")


def labels(message) -> list[str]:  # type: ignore[no-untyped-def]
    return [label for row in message.buttons for label in row]


def likely(harness: Harness) -> LikelyCountries:
    found = harness.services.live.current.content.documents["likely-countries"]
    assert isinstance(found, LikelyCountries)
    return found


@pytest.mark.parametrize("locale", SHIPPED_LOCALES)
async def test_a_new_users_emergency_phrase_gets_numbers_with_no_tap(harness: Harness, locale: str) -> None:
    live = harness.services.live.current
    ui = live.ui(locale)
    user = harness.user(6000 + SHIPPED_LOCALES.index(locale), "Ni", locale)
    phrase = WORDS[locale]["words"][-1]
    await user.send(f"please... {phrase}")  # inside a longer message
    first = user.bot_messages[0]
    assert first.message_id == min(m.message_id for m in user.bot_messages), "the help answer comes first"
    assert ui.t("helpline.first.heading") in first.text, "in the user's language"
    assert asks_country(ui, first.text)
    numbers = NUMBER.findall(first.text)
    assert numbers, first.text
    assert len(first.text) <= FIRST_ANSWER_BUDGET + 400, "one screen on a phone"
    shown = [
        code
        for code in likely(harness).for_locale(live.content.chain(locale))
        if Locale.parse(locale).territories[code] in labels(first)
    ]
    assert 1 <= len(shown) <= FIRST_ANSWER_COUNTRIES
    assert ui.t("location.use") in labels(first) and ui.t("helpline.other_country") in labels(first)
    # The best guess is tappable and its card follows with no further question.
    best = Locale.parse(locale).territories[shown[0]]
    await user.press(best)
    card = user.message(first.message_id)
    assert card is not None and ui.t("helpline.heading", country=best) in card.text
    assert ui.t("helpline.ask_home_country") not in "".join(m.text for m in user.bot_messages)
    harness.emu.assert_clean()


async def test_indonesian_first_answer_leads_with_malaysia_and_the_line_for_indonesians_abroad(
    harness: Harness,
) -> None:
    user = harness.user(6100, "Sari", "id")
    await user.send("tolong saya")
    text = user.bot_messages[0].text
    malaysia = Locale.parse("id").territories["MY"]
    indonesia = Locale.parse("id").territories["ID"]
    assert text.index(malaysia) < text.index(indonesia), "destinations first, then the home country"
    assert phone("+60 3 8000 8000") in text and "999" in text
    assert phone("+62 21 29244800") in text, "KP2MI's number for Indonesians abroad, from the content"
    harness.emu.assert_clean()


async def test_a_known_country_goes_straight_to_its_card(harness: Harness) -> None:
    ui = harness.services.live.current.ui("en")
    user = harness.user(6101, "Ko", "en")
    await user.send("/helpline")
    await user.press("Thailand")
    before = len(user.bot_messages)
    await user.send("they took my passport")
    answer = user.bot_messages[before]
    assert ui.t("helpline.heading", country="Thailand") in answer.text and "191" in answer.text
    harness.emu.assert_clean()


@pytest.mark.parametrize(
    ("point", "country"),
    [((3.1390, 101.6869), "MY"), ((13.7563, 100.5018), "TH"), ((24.7136, 46.6753), "SA")],
    ids=["Kuala Lumpur", "Bangkok", "Riyadh"],
)
async def test_shared_location_picks_the_country_and_is_kept_nowhere(
    harness: Harness, tmp_path: Path, caplog: pytest.LogCaptureFixture, point: tuple[float, float], country: str
) -> None:
    caplog.set_level("DEBUG")
    ui = harness.services.live.current.ui("en")
    user = harness.user(6200, "Aye", "en")
    await user.send("help")
    await user.press(ui.t("location.use"))
    assert user.reply_keyboard() == [[ui.t("location.send")], [ui.t("location.cancel")]]
    await user.share_location(*point)
    name = Locale.parse("en").territories[country]
    assert ui.t("location.found", country=name) in user.bot_messages[-2].text
    assert ui.t("helpline.heading", country=name) in user.last_message.text
    assert user.reply_keyboard() is None, "the location keyboard is taken away"
    assert [m for m in user.messages if m.location is not None] == [], "the map is gone from the chat once read"
    settings = await harness.services.storage.get_user(user_key(harness.services.user_secret, user.id))
    assert settings is not None and settings.country == country
    # The coordinates are in no log line and no table.
    if harness.services.trail is not None:
        await harness.services.trail.flush()
    if harness.services.analytics is not None:
        await harness.services.analytics.flush()
    traces = [f"{point[0]}", f"{point[1]}", f"{point[1]:.3f}", f"{point[1]:.2f}"]
    assert not [t for t in traces if t in caplog.text]
    async with harness.services.storage.engine.connect() as connection:
        for table in metadata.sorted_tables:
            rows = (await connection.execute(sa.select(table))).all()
            dump = repr(rows)
            assert not [t for t in traces if t in dump], table.name
    harness.emu.assert_clean()


async def test_cancelling_the_location_keyboard(harness: Harness) -> None:
    ui = harness.services.live.current.ui("th")
    user = harness.user(6201, "Som", "th")
    await user.send("/helpline")
    await user.press(ui.t("location.use"))
    await user.press_reply_button(ui.t("location.cancel"))
    assert ui.t("location.cancelled") in user.last_message.text
    assert user.reply_keyboard() is None
    harness.emu.assert_clean()


async def test_a_location_at_sea_asks_for_the_country(harness: Harness) -> None:
    ui = harness.services.live.current.ui("en")
    user = harness.user(6202, "Sea", "en")
    await user.share_location(0.0, -140.0)  # the middle of the Pacific
    assert ui.t("location.unknown") in user.bot_messages[-2].text
    assert ui.t("helpline.ask_country") in user.last_message.text
    harness.emu.assert_clean()


def test_locator_finds_countries_near_their_capitals_and_refuses_nonsense() -> None:
    found = locator()
    assert found.country(14.5995, 120.9842) == "PH"
    assert found.country(-6.2088, 106.8456) == "ID"
    assert found.country(27.7172, 85.3240) == "NP"
    assert found.country(float("nan"), 0.0) is None
    assert found.country(95.0, 0.0) is None
    tiny = CountryLocator.from_places([(0.0, 0.0, "AA"), (0.0, 2.0, "BB")])
    assert tiny.country(0.0, 0.8) == "AA" and tiny.country(0.0, 1.2) == "BB"
    assert tiny.country(0.0, 60.0) is None, "too far from any place"


async def test_a_clear_call_for_help_ends_on_the_numbers_with_the_best_page_as_a_button(harness: Harness) -> None:
    live = harness.services.live.current
    ui = live.ui("en")
    user = harness.user(6300, "Pat", "en")
    await user.send("my boss took my passport, they took my passport")
    assert len(user.bot_messages) == 1, "one answer: the numbers are the last thing on screen"
    answer = user.last_message
    assert ui.t("helpline.first.heading") in answer.text
    assert live.search is not None
    found = live.search.search("my boss took my passport, they took my passport", "en")
    assert any(live.content.nodes[node].audience for node in found), "the officers' pages match the words too"
    best = next(node for node in found if not live.content.nodes[node].audience)
    assert live.content.text(best, "en").title in labels(answer), "the page for the person, not for officers"
    officer_titles = {live.content.text(n, "en").title for n, node in live.content.nodes.items() if node.audience}
    assert not officer_titles & set(labels(answer))
    harness.emu.assert_clean()


async def test_a_common_word_in_an_ordinary_question_brings_the_page_on_the_same_message(harness: Harness) -> None:
    live = harness.services.live.current
    ui = live.ui("en")
    user = harness.user(6301, "Jo", "en")
    await user.send("help me choose a recruitment agency")
    assert len(user.bot_messages) == 1, "nothing sent after the numbers pushes them off the screen"
    answer = user.last_message
    assert ui.t("helpline.first.heading") in answer.text
    assert live.search is not None
    found = [
        n for n in live.search.search("help me choose a recruitment agency", "en") if not live.content.nodes[n].audience
    ]
    assert live.content.text(found[0], "en").title in labels(answer), "the best page is a button on the answer"
    harness.emu.assert_clean()


@pytest.mark.parametrize(("locale", "word"), [("id", "tolong"), ("en", "Help!"), ("my", "ကူညီပါ")])
async def test_a_bare_help_word_brings_the_numbers_alone(harness: Harness, locale: str, word: str) -> None:
    live = harness.services.live.current
    user = harness.user(6302 + ["id", "en", "my"].index(locale), "Ani", locale)
    await user.send(word)
    assert len(user.bot_messages) == 1, "one answer, the numbers last on the screen"
    pages = {live.content.text(n, locale).title for n, node in live.content.nodes.items() if node.type == "page"}
    assert not pages & set(labels(user.last_message)), "no page for a word that asks for nothing else"
    harness.emu.assert_clean()
