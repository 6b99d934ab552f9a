"""Emergency words: every shipped locale's words bring the help card first, Zawgyi included."""

from __future__ import annotations

import pytest
import yaml

from bot.helplines.words import EmergencyWords
from bot.numbers import phone
from tests.botfixtures import SHIPPED_CONTENT, Harness
from tests.helplines.flow import asks_country, choose_country

WORDS = yaml.safe_load((SHIPPED_CONTENT / "emergency-words.yaml").read_text(encoding="utf-8"))
SHIPPED_LOCALES = yaml.safe_load((SHIPPED_CONTENT / "bot.yaml").read_text(encoding="utf-8"))["locales"]

# "Save me" (Unicode: ကယ်ပါ) typed with a Zawgyi font: the asat is U+1039 there.
ZAWGYI_SAVE_ME = "\u1000\u101a\u1039\u1015\u102b"
# "They took my passport" in a sentence, typed in Zawgyi (medials and the e-vowel in Zawgyi order).
ZAWGYI_SENTENCE = "\u1031\u1000\u103a\u1038\u1007\u1030\u1038\u103b\u1015\u1033\u104d \u1000\u101a\u1039\u1015\u102b"


def test_every_shipped_locale_has_emergency_words() -> None:
    assert set(SHIPPED_LOCALES) <= set(WORDS)


@pytest.mark.parametrize("locale", SHIPPED_LOCALES)
async def test_each_locales_words_bring_the_help_card(harness: Harness, locale: str) -> None:
    ui = harness.services.live.current.ui(locale)
    user = harness.user(3000 + SHIPPED_LOCALES.index(locale), "Ma", locale)
    await user.send("/helpline")
    await choose_country(user, ui, harness_country(locale))
    first_word = WORDS[locale]["words"][0]
    last_word = WORDS[locale]["words"][-1]
    for number, word in enumerate((first_word, last_word)):
        before = len(user.bot_messages)
        await user.send(f"{'...' if number else ''}{word}!")
        answer = user.bot_messages[before]
        assert ui.t("helpline.emergency", number=phone("191")) in answer.text, (locale, word)
    harness.emu.assert_clean()


def harness_country(locale: str) -> str:
    from babel import Locale

    return Locale.parse(locale).territories["TH"]


async def test_emergency_word_without_a_country_gives_numbers_and_asks(harness: Harness) -> None:
    ui = harness.services.live.current.ui("id")
    user = harness.user(3100, "Dewi", "id")
    await user.send("tolong saya, paspor saya diambil majikan")
    first = user.bot_messages[0].text
    assert "999" in first and phone("+60 3 8000 8000") in first, "Malaysia, the first likely country for Indonesian"
    assert asks_country(ui, first)
    harness.emu.assert_clean()


async def test_ordinary_text_is_not_an_emergency(harness: Harness) -> None:
    ui = harness.services.live.current.ui("en")
    user = harness.user(3101, "Lin", "en")
    await user.send("/helpline")
    await choose_country(user, ui, "Thailand")
    before = len(user.bot_messages)
    await user.send("how much are recruitment fees")
    answers = user.bot_messages[before:]
    assert len(answers) == 1 and ui.t("search.results") in answers[0].text
    harness.emu.assert_clean()


async def test_zawgyi_input_matches(harness: Harness) -> None:
    ui = harness.services.live.current.ui("my")
    user = harness.user(3102, "Aung", "my")
    await user.send("/helpline")
    await choose_country(user, ui, harness_country("my"))
    before = len(user.bot_messages)
    await user.send(ZAWGYI_SENTENCE)
    assert ui.t("helpline.emergency", number=phone("191")) in user.bot_messages[before].text
    harness.emu.assert_clean()


def test_zawgyi_is_detected_and_converted(harness: Harness) -> None:
    from bot.search.text import normalize, zawgyi_probability

    assert zawgyi_probability(ZAWGYI_SAVE_ME) > 0.95
    assert normalize(ZAWGYI_SAVE_ME) == "ကယ်ပါ"
    unicode_text = "ကျေးဇူးတင်ပါတယ်"
    assert normalize(unicode_text) == unicode_text, "Unicode Burmese is left alone"
    words = harness.services.live.current.content.documents["emergency-words"]
    assert isinstance(words, EmergencyWords)
    assert words.match(ZAWGYI_SAVE_ME) is not None
    assert words.match("ကျေးဇူးတင်ပါတယ်") is None


def test_words_match_whole_words_only(harness: Harness) -> None:
    words = harness.services.live.current.content.documents["emergency-words"]
    assert isinstance(words, EmergencyWords)
    assert words.match("THEY TOOK MY PASSPORT") is not None
    assert words.match("Cuu toi") is not None, "Vietnamese typed without accents"
    assert words.match("helpline numbers for Japan") is None
    assert words.match("what documents do I need") is None
