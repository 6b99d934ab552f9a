"""Free-text search through the emulator: pages in the user's language, spaceless scripts, typos, no match."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from bot.content.loader import load_content
from bot.search.index import SearchIndex, within_distance
from tests.botfixtures import Harness
from tests.helplines.flow import asks_country

PASSPORT_PAGE = "recruitment-scams/passport-taken"


def labels(message) -> list[str]:  # type: ignore[no-untyped-def]
    return [label for row in message.buttons for label in row]


@pytest.mark.parametrize(
    ("locale", "sentence"),
    [
        # "My employer seized my passport, what should I do?" -- the word sits mid-sentence, no spaces.
        ("th", "ฉันถูกนายจ้างยึดหนังสือเดินทางไว้ ทำยังไงดี"),
        # "My employer is keeping my passport" in Burmese.
        ("my", "ကျွန်တော့်ရဲ့ပတ်စပို့ကို အလုပ်ရှင်က သိမ်းထားတယ်"),
        ("en", "my boss has kept my pasport for months"),  # a typo
        ("id", "majikan menahan paspor saya"),
    ],
)
async def test_search_finds_the_passport_page(harness: Harness, locale: str, sentence: str) -> None:
    live = harness.services.live.current
    content = live.content
    assert PASSPORT_PAGE in content.texts[locale], "the test uses the shipped translation"
    user = harness.user(4000 + len(sentence), "Su", locale)
    await user.send(sentence)
    answer = user.last_message
    titles = labels(answer)
    if live.ui(locale).t("helpline.first.heading") in answer.text:
        # "Seized my passport" is a clear call for help: the numbers are the answer, the page one of its buttons.
        assert content.text(PASSPORT_PAGE, locale).title in titles, titles
    else:
        assert live.ui(locale).t("search.results") in answer.text
        assert content.text(PASSPORT_PAGE, locale).title in titles[:3], titles
        others = [
            t for t in titles if t not in (live.ui(locale).t("button.get_help"), live.ui(locale).t("button.home"))
        ]
        assert len(others) <= 5
    await user.press(content.text(PASSPORT_PAGE, locale).title)
    assert content.text(PASSPORT_PAGE, locale).title in user.last_message.text
    harness.emu.assert_clean()


TOOK_MY_PASSPORT = {  # what someone in danger writes first, in each shipped language (machine-translated phrasings)
    "en": ["they took my passport", "my boss took my passport", "the agent is holding my passport"],
    "id": ["paspor saya diambil majikan"],
    "th": ["นายจ้างยึดพาสปอร์ต"],
    "vi": ["chủ giữ hộ chiếu của tôi"],
    "fil": ["kinuha ang pasaporte ko"],
    "my": ["ပတ်စပို့ သိမ်းထား"],
    "ne": ["राहदानी खोसे"],
    "bn": ["পাসপোর্ট কেড়ে নিয়েছে"],
    "km": ["លិខិតឆ្លងដែន យក"],
    "fa_AF": ["پاسپورت مرا گرفتند"],
}


@pytest.mark.parametrize(
    ("locale", "sentence"), [(locale, s) for locale, sentences in TOOK_MY_PASSPORT.items() for s in sentences]
)
def test_they_took_my_passport_offers_the_passport_page_first(locale: str, sentence: str) -> None:
    """A rare verb ("took") once matched other pages by a near spelling ("look", "book") and outranked the page
    about passports; the page now names the verb, so the passport decides."""
    assert _shipped_index().offer(sentence, locale)[0] == PASSPORT_PAGE


@functools.cache
def _shipped_index() -> SearchIndex:
    loaded = load_content(Path(__file__).resolve().parents[2] / "content")
    assert loaded.content is not None
    return SearchIndex.build(loaded.content)


async def test_no_match_offers_home_and_get_help(harness: Harness) -> None:
    ui = harness.services.live.current.ui("en")
    user = harness.user(4100, "Bo", "en")
    await user.send("qwxz zzkv")
    answer = user.last_message
    assert ui.t("search.none") in answer.text
    assert labels(answer) == [ui.t("button.get_help"), ui.t("button.home")]
    await user.press(ui.t("button.get_help"))
    assert asks_country(ui, user.last_message.text)
    harness.emu.assert_clean()


async def test_user_text_is_not_logged(harness: Harness, caplog: pytest.LogCaptureFixture) -> None:
    user = harness.user(4101, "Bo", "en")
    secret = "my secret address is 12 Example Street"
    caplog.set_level("DEBUG")
    await user.send(secret)
    assert "Example Street" not in caplog.text
    harness.emu.assert_clean()


def test_fallback_locale_is_searched_after_the_users(harness: Harness) -> None:
    index = harness.services.live.current.search
    assert index is not None
    assert PASSPORT_PAGE in index.search("passport", "th"), "an English word finds pages through the fallback"


def test_common_words_alone_find_nothing(harness: Harness) -> None:
    index = harness.services.live.current.search
    assert index is not None
    assert index.search("the", "en") == ()
    assert index.search("...", "en") == ()


def test_index_is_built_when_content_loads(harness: Harness) -> None:
    live = harness.services.live.current
    assert isinstance(live.search, SearchIndex)
    assert set(live.search.locales) == set(live.content.texts)


def test_bounded_edit_distance() -> None:
    assert within_distance("pasport", "passport", 1)
    assert within_distance("recruiter", "recruitor", 1)
    assert not within_distance("visa", "fees", 1)
    assert not within_distance("contract", "contact", 0)
    assert within_distance("kitten", "sitting", 3) and not within_distance("kitten", "sitting", 2)


def test_fixture_tree_in_khmer(tmp_path: Path) -> None:
    root = tmp_path / "content"
    (root / "en").mkdir(parents=True)
    (root / "km").mkdir()
    (root / "bot.yaml").write_text("default_locale: en\nlocales: [en, km]\n")
    (root / "en" / "_menu.yaml").write_text("title: Home\n")
    (root / "en" / "passport.yaml").write_text("title: Passport\nbody: Keep your passport.\n")
    (root / "en" / "wages.yaml").write_text("title: Wages\nbody: Your pay.\n")
    (root / "km" / "passport.yaml").write_text(
        "title: លិខិតឆ្លងដែន\nbody: រក្សាលិខិតឆ្លងដែនរបស់អ្នកឱ្យបានល្អ។\n", encoding="utf-8"
    )
    (root / "km" / "wages.yaml").write_text("title: ប្រាក់ឈ្នួល\nbody: ប្រាក់ឈ្នួលរបស់អ្នក។\n", encoding="utf-8")
    content = load_content(root).content
    assert content is not None
    index = SearchIndex.build(content)
    assert index.search("ថៅកែយកលិខិតឆ្លងដែនខ្ញុំ", "km")[:1] == ("passport",)
