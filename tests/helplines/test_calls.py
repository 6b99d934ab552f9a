"""Every "call" comes with the number to call (issue 22): any text that tells the reader to call an emergency number
or a helpline is shown, in every shipped language, on a message that prints a number.

What asks is found in English, the source every translation follows: the UI catalog, every page part (with what
features add to it) and every quiz band. A new English text that asks to call and is not exercised here fails the
catalog test, so it cannot slip through unshown.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

from bot.callbacks import Header, Open, encode
from bot.catalogs import read_catalogs
from bot.content.model import Content, Node
from bot.emulator import SimulatedUser
from bot.helplines.calls import asks_to_call, page_asks_to_call
from bot.i18n import UI
from bot.numbers import phone_pattern
from bot.privacy import user_key
from bot.quiz.codec import Mode
from bot.quiz.model import QuizStructure, QuizText
from bot.quiz.screens import step
from tests.botfixtures import SHIPPED_LOCALES, Harness, running_bot
from tests.handoff.desk_harness import desk_bot
from tests.offers.test_match import INDONESIAN_SCAM

NUMBER = phone_pattern()

# The catalog texts that ask to call, and the screen each is shown on (exercised below in every language).
CATALOG_SCREENS = {
    "emergency.intro": "the help card of a country",
    "helpline.first.intro": "the first answer to someone in trouble",
    "handoff.consent": "the desk's consent screen",
    "offer.guidance.many": "the job-offer check's serious result",
}


def _live_content(harness: Harness) -> Content:
    return harness.services.live.current.content


def _ui(harness: Harness, locale: str) -> UI:
    return harness.services.live.current.ui(locale)


def _calling_pages(content: Content, english: UI, locale: str) -> Iterator[tuple[Node, int]]:
    for node in content.nodes.values():
        text = content.text(node.id, locale)
        for part in range(len(text.parts)):
            if page_asks_to_call(content, english, node, part, locale):
                yield node, part


def _calling_bands(content: Content) -> Iterator[tuple[Node, QuizStructure, str]]:
    for node in content.nodes.values():
        if node.type != "quiz" or not isinstance(node.extra, QuizStructure):
            continue
        texts = content.text(node.id, content.default_locale).extra
        assert isinstance(texts, QuizText)
        for band in node.extra.bands:
            if asks_to_call(texts.bands[band.id].guidance):
                yield node, node.extra, band.id


def _answers_for(structure: QuizStructure, band_id: str) -> tuple[int, ...]:
    """Answers that land in `band_id`: the least-scoring answer to each question, raised one question at a time."""
    band = next(b for b in structure.bands if b.id == band_id)
    answers = [min(range(q.choices), key=lambda c, q=q: q.weights[c]) for q in structure.questions]
    for index, question in enumerate(structure.questions):
        if structure.score(answers) >= band.low:
            break
        for choice in sorted(range(question.choices), key=lambda c: question.weights[c]):
            answers[index] = choice
            if structure.score(answers) >= band.low:
                break
    assert structure.band(structure.score(answers)).id == band_id, band_id
    return tuple(answers)


def _has_number(text: str | None) -> bool:
    return NUMBER.search(text or "") is not None


def test_asks_to_call_finds_the_english_instructions_and_nothing_else() -> None:
    assert asks_to_call("If you are in danger right now, call the local emergency number.")
    assert asks_to_call("In danger now? Call an emergency number first.")
    assert asks_to_call("<b>Call a helpline</b>: press Get help.")
    assert asks_to_call("Do not pay. Talk to someone you trust or a helpline first.")
    assert asks_to_call("If it is safe for you, talk first to a helpline or an organisation for Myanmar workers.")
    assert not asks_to_call("Ask for a live video call. Scammers often make excuses.")
    assert not asks_to_call("Separate them with a routine reason and call the specialist unit.")
    assert not asks_to_call("Press Get help to see helplines in the country you are in.")


def test_every_catalog_text_that_asks_to_call_is_shown_with_a_number(tmp_path: Path) -> None:
    """The English catalog's texts that ask to call are exactly those exercised in every language below."""
    english = read_catalogs(SHIPPED_LOCALES, ["en"], "en").messages["en"]
    asking = {key for key, text in english.items() if asks_to_call(text)}
    assert asking == set(CATALOG_SCREENS), (
        f"texts that ask to call but are not shown with a number here: {sorted(asking - set(CATALOG_SCREENS))}"
    )


async def test_pages_and_quiz_results_that_ask_to_call_print_numbers_in_every_language(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as harness:
        content = _live_content(harness)
        english = _ui(harness, content.default_locale)
        pages = {locale: list(_calling_pages(content, english, locale)) for locale in content.locales}
        bands = list(_calling_bands(content))
        everyone = {"if-something-goes-wrong/act-now", "trafficking/boat-journeys"}
        assert {node.id for node, _ in pages["en"]} >= everyone
        # The caution for Burmese readers ("talk first to a helpline") brings numbers to the pages it sits on.
        assert {node.id for node, _ in pages["my"]} >= {*everyone, "your-rights/at-work", "your-rights/complaints"}
        assert bands, "the job-offer self-check's serious result asks to call"
        for number, locale in enumerate(content.locales):
            user = harness.user(6100 + number, "Reader", locale)
            await user.send("/start")
            for node, part in pages[locale]:
                await user.press_data(encode(Header(locale), Open(node.key, part)))
                shown = user.last_message.text
                assert _has_number(shown), f"{node.id} part {part + 1} in {locale} says call but shows no number"
            for node, structure, band_id in bands:
                answers = _answers_for(structure, band_id)
                await user.press_data(encode(Header(locale), step(node, structure, answers, Mode.ANSWER)))
                result = user.last_message.text or ""
                assert _has_number(result), f"{node.id} band {band_id} in {locale} says call but shows no number"
        harness.emu.assert_clean()


async def test_the_readers_own_country_is_the_one_shown_when_known(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as harness:
        content = _live_content(harness)
        user = harness.user(6200, "Reader", "my")
        await user.send("/start")
        key = user_key(harness.services.user_secret, 6200)
        await harness.services.storage.update_user(key, country="MY")
        act_now = content.nodes["if-something-goes-wrong/act-now"]
        await user.press_data(encode(Header("my"), Open(act_now.key, 0)))
        shown = user.last_message.text or ""
        assert "🇲🇾" in shown and "\u200e999\u200e" in shown, shown
        assert "🇹🇭" not in shown, "the likely countries give way to the reader's own"
        # Without a country: the emergency numbers of the countries where many Burmese readers are.
        other = harness.user(6201, "Reader", "my")
        await other.send("/start")
        await other.press_data(encode(Header("my"), Open(act_now.key, 0)))
        assert "🇹🇭" in (other.last_message.text or "")


async def test_the_help_card_and_first_answer_print_numbers_in_every_language(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as harness:
        content = _live_content(harness)
        for number, locale in enumerate(content.locales):
            ui = _ui(harness, locale)
            user = harness.user(6300 + number, "Reader", locale)
            await user.send("/helpline")
            first = user.last_message.text or ""
            assert _has_number(first), locale  # the intro is left out where the screen is short of room
            country = next(label for row in user.last_message.buttons for label in row)
            await user.press(country)
            card = user.last_message.text or ""
            assert ui.t("emergency.intro") in card and _has_number(card), locale


async def test_the_offer_check_and_the_desk_consent_print_numbers_in_every_language(tmp_path: Path) -> None:
    async with desk_bot(tmp_path) as harness:
        content = _live_content(harness)
        for number, locale in enumerate(content.locales):
            ui = _ui(harness, locale)
            user: SimulatedUser = harness.user(6400 + number, "Reader", locale)
            await user.forward(INDONESIAN_SCAM, origin="channel", title="Jobs abroad")
            await user.press(ui.t("button.check_offer"))
            answer = user.last_message.text or ""
            assert ui.t("offer.guidance.many") in answer and _has_number(answer), locale
            await user.send("/talk")
            consent = user.last_message.text or ""
            assert ui.t("button.talk_start") in itertools.chain.from_iterable(user.last_message.buttons)
            assert _has_number(consent), f"the desk consent in {locale} says call but shows no number"
