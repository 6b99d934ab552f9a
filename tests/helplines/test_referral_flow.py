"""The referral flow end to end through the emulator: Get help, the country questions and the help card."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel import Locale
from babel.dates import format_skeleton

from bot.callbacks import decode
from bot.content.model import Purpose
from bot.helplines.model import Confidence, Directory, encode_purposes
from bot.numbers import localize_digits, phone
from tests.botfixtures import Harness, running_bot
from tests.helplines.flow import asks_country, choose_country


def labels(message) -> list[str]:  # type: ignore[no-untyped-def]
    return [label for row in message.buttons for label in row]


def directory(harness: Harness) -> Directory:
    found = harness.services.live.current.content.documents["helplines"]
    assert isinstance(found, Directory)
    return found


@pytest.mark.parametrize("locale", ["en", "th", "my", "id"])
async def test_country_flow_in_the_users_language(harness: Harness, locale: str) -> None:
    live = harness.services.live.current
    ui = live.ui(locale)
    user = harness.user(2000 + len(locale), "Nu", locale)
    await user.start()
    await user.press(ui.t("button.get_help"))
    question = user.last_message
    assert asks_country(ui, question.text)
    malaysia = Locale.parse(locale).territories["MY"]
    await choose_country(user, ui, malaysia)  # country names are in the user's language
    card = user.last_message
    assert card.message_id == question.message_id, "the card replaces the question in place"
    assert ui.t("helpline.heading", country=malaysia) in card.text
    assert "999" in card.text and phone("+60 3 8000 8000") in card.text
    checked = format_skeleton("yMMMM", directory(harness).by_country["MY"][0].verified_on.earliest, locale=locale)
    assert localize_digits(checked, ui.digits) in (card.text)
    # No question stands between the country and the card: the home country is an optional button on it.
    assert len(user.bot_messages) == 1, "the menu became the numbers, then the card: no extra question"
    assert ui.t("helpline.also_home_lines") in labels(card)
    settings = await harness.services.storage.get_user(_key(harness, user.id))
    assert settings is not None and settings.country == "MY" and settings.home_country is None
    harness.emu.assert_clean()


def _key(harness: Harness, user_id: int) -> str:
    from bot.privacy import user_key

    return user_key(harness.services.user_secret, user_id)


async def test_indonesian_in_malaysia_sees_both(harness: Harness) -> None:
    ui = harness.services.live.current.ui("en")
    user = harness.user(2101, "Sri", "en")
    await user.send("/helpline")
    await user.press("Malaysia")
    await user.press(ui.t("helpline.also_home_lines"))
    await user.press("Indonesia", message_id=user.last_message.message_id)
    card = user.last_message.text
    assert ui.t("helpline.heading", country="Malaysia") in card
    assert ui.t("helpline.abroad_heading", country="Indonesia") in card
    assert card.index(phone("+60 3 8000 8000")) < card.index(ui.t("helpline.abroad_heading", country="Indonesia"))
    assert phone("+62 21 29244800") in card, "KP2MI's number for Indonesians abroad"
    assert "SAPA" not in card, "a line only for people in Indonesia is not shown abroad"
    # Remembered: /helpline shows the card at once, and Change country asks again.
    await user.send("/helpline")
    assert ui.t("helpline.abroad_heading", country="Indonesia") in user.last_message.text
    await user.press(ui.t("helpline.change_country"))
    assert ui.t("helpline.ask_country") in user.last_message.text
    harness.emu.assert_clean()


async def test_forget_clears_the_country(harness: Harness) -> None:
    ui = harness.services.live.current.ui("en")
    user = harness.user(2102, "Ko", "en")
    await user.send("/helpline")
    await user.press("Thailand")
    await user.send("/forget")
    await user.press(ui.t("button.forget_confirm"))
    await user.send("/helpline")
    assert asks_country(ui, user.last_message.text)
    harness.emu.assert_clean()


async def test_get_help_on_a_page_opens_its_purposes_first(harness: Harness) -> None:
    content = harness.services.live.current.content
    page = next(n for n in content.nodes.values() if n.type == "page" and n.help and n.help[0] == "labour-rights")
    user = harness.user(2103, "Ana", "en")
    await user.send("/helpline")
    await choose_country(user, harness.services.live.current.ui("en"), "Philippines")
    await user.start(f"n-{page.key}")
    button = next(
        b for row in user.last_message.reply_markup["inline_keyboard"] for b in row if "Get help" in b["text"]
    )
    decoded = decode(button["callback_data"])
    assert decoded is not None and decoded[1].purposes == encode_purposes(page.help)  # type: ignore[attr-defined]
    await user.press("🆘 Get help")
    ordered = directory(harness).in_country("PH", [Purpose(p) for p in page.help])
    text = user.last_message.text
    positions = [text.index(entry.name["en"]) for entry in ordered]
    assert positions == sorted(positions)
    first = ordered[0]
    assert Purpose(page.help[0]) in first.purposes or not any(Purpose(page.help[0]) in e.purposes for e in ordered)
    harness.emu.assert_clean()


def test_every_screen_has_get_help(harness: Harness) -> None:
    from bot.screens import node_screen

    live = harness.services.live.current
    for node in live.content.nodes.values():
        screen = node_screen(live.content, live.ui("en"), _header("en"), node)
        texts = [b.text for row in screen.keyboard.inline_keyboard for b in row]
        assert "🆘 Get help" in texts, node.id


def _header(locale: str):  # type: ignore[no-untyped-def]
    from bot.callbacks import Header

    return Header(locale)


async def test_low_confidence_entries_are_not_shown_by_default(harness: Harness) -> None:
    low = [h for h in directory(harness).helplines if h.confidence is Confidence.LOW]
    assert low, "the shipped directory has L entries (Myanmar, Singapore NGOs)"
    ui = harness.services.live.current.ui("en")
    for number, country in enumerate(("Myanmar (Burma)", "Singapore")):
        user = harness.user(2104 + 1000 * number, "Min", "en")
        await user.send("/helpline")
        await choose_country(user, ui, country)
        text = user.last_message.text
        for entry in low:
            if entry.country in ("MM", "SG"):
                for contact in entry.contacts:
                    assert phone(contact.display) not in text
                assert entry.name["en"] not in text
    harness.emu.assert_clean()


async def test_low_confidence_entries_shown_when_enabled(tmp_path: Path) -> None:
    async with running_bot(tmp_path, show_low_confidence_helplines=True) as harness:
        user = harness.user(2105, "Min", "en")
        await user.send("/helpline")
        await user.press("Singapore")
        card = user.last_message.text
        assert phone("1800 797 7977") in card
        assert harness.services.live.current.ui("en").t("helpline.low_confidence") in card
        harness.emu.assert_clean()


def test_phone_numbers_are_plain_text_telegram_can_tap(harness: Harness) -> None:
    for entry in directory(harness).helplines:
        for contact in entry.contacts:
            if contact.kind.value in ("phone", "short_code", "whatsapp"):
                assert re.fullmatch(r"\+?[0-9 ]+", contact.display), contact.display
