"""Licence checks by country under the "check a recruiter" page: the reader's own country at once, any other one
a tap away, an address only where a source shows one."""

from __future__ import annotations

from pathlib import Path

from babel import Locale

from bot.content.loader import load_content
from bot.content.localized import pick
from bot.licences.model import LicenceChecks
from tests.botfixtures import Harness

PAGE = "before-you-go/recruiters"
ADDRESS_MARKS = ("🌐", "📞", "✉️")


def _checks(harness: Harness) -> LicenceChecks:
    found = harness.services.live.current.content.documents["licence-checks"]
    assert isinstance(found, LicenceChecks)
    return found


async def _open_page(harness: Harness, user_id: int, locale: str) -> str:
    content = harness.services.live.current.content
    user = harness.user(user_id, "Reader", locale)
    await user.start(f"n-{content.nodes[PAGE].key}_l-{locale.replace('_', '-')}")
    labels = [label for row in user.last_message.buttons for label in row]
    return user.last_message.text + "\n" + "\n".join(labels)  # the buttons too


async def test_a_filipino_reader_sees_the_dmw_lookup_with_its_source(harness: Harness) -> None:
    ui = harness.services.live.current.ui("fil")
    text = await _open_page(harness, 9500, "fil")
    assert "https://dmw.gov.ph/licensed-recruitment-agencies" in text
    dmw = _checks(harness).of("PH")
    assert dmw is not None and dmw.confidence == "M"
    assert ui.t("licence.seen_in", source=dmw.source_title, date=dmw.source_date) in text, (
        "an M address shows its source"
    )
    assert ui.t("licence.other_country") in text, "a way to another country"
    harness.emu.assert_clean()


async def test_a_nepali_reader_sees_the_authority_and_no_address(harness: Harness) -> None:
    content = harness.services.live.current.content
    text = await _open_page(harness, 9501, "ne")
    dofe = _checks(harness).of("NP")
    assert dofe is not None and not dofe.lookup
    assert pick(dofe.authority, content.chain("ne")) in text
    assert pick(_checks(harness).texts["ask"], content.chain("ne")) in text
    assert not any(mark in text for mark in ADDRESS_MARKS), "no address for Nepal"
    assert "dmw.gov.ph" not in text
    harness.emu.assert_clean()


async def test_an_english_reader_chooses_a_country_and_can_see_another(harness: Harness) -> None:
    live = harness.services.live.current
    ui = live.ui("en")
    user = harness.user(9502, "Reader", "en")
    await user.start(f"n-{live.content.nodes[PAGE].key}")
    assert ui.t("licence.choose") in user.last_message.text
    labels = [label for row in user.last_message.buttons for label in row]
    assert "🇱🇰 Sri Lanka" in labels and "🇳🇵 Nepal" in labels and "🇸🇦 Saudi Arabia" in labels
    await user.press("🇱🇰 Sri Lanka")
    text = user.last_message.text
    assert "https://www.slbfe.lk/licensed-recruitment-agencies-in-sri-lanka/" in text and "1989" in text
    assert "seen in" not in text, "an H address needs no news source"
    await user.press(ui.t("licence.other_country"))
    assert ui.t("licence.pick") in user.last_message.text
    await user.press("🇳🇵 Nepal")
    assert "Department of Foreign Employment" in user.last_message.text
    assert not any(mark in user.last_message.text for mark in ADDRESS_MARKS)
    await user.press(ui.t("licence.back"))
    assert live.content.text(PAGE, "en").title in user.last_message.text
    harness.emu.assert_clean()


async def test_every_language_reaches_a_check_in_its_own_words(harness: Harness) -> None:
    """Readers of a language whose origin has a check see it at once, the others the choice."""
    content = harness.services.live.current.content
    for index, locale in enumerate(content.locales):
        ui = harness.services.live.current.ui(locale)
        text = await _open_page(harness, 9600 + index, locale)
        names = Locale.parse(locale).territories
        mine = [
            c
            for c in _checks(harness).checks
            if ui.t("licence.heading", country=names.get(c.country, c.country)) in text
        ]
        assert mine or ui.t("licence.choose") in text, locale
    harness.emu.assert_clean()


DOC = """
page: PAGE
texts:
  lookup: {en: "Check here:"}
  ask: {en: "Ask them."}
countries:
  - country: PH
    role: origin
    authority: {en: DMW}
    lookup: [http://example.org/list]
    confidence: M
    source_title: News
    source_url: https://example.org/news
    source_date: "2024-09"
    read_on: "2026-12"
  - country: NP
    role: origin
    authority: {en: DoFE}
    lookup: ["https://example.org/x"]
"""


def _tree(tmp_path: Path, doc: str) -> Path:
    root = tmp_path / "content"
    (root / "en").mkdir(parents=True)
    (root / "th").mkdir(parents=True)
    (root / "bot.yaml").write_text("default_locale: en\nlocales: [en, th]\n")
    (root / "en" / "_menu.yaml").write_text("title: Home\nintro: Hello.\norder: [recruiters]\n")
    (root / "en" / "recruiters.yaml").write_text("title: Recruiters\nbody: Check the agency.\n")
    (root / "licence-checks.yaml").write_text(doc)
    return root


def test_check_refuses_unsourced_or_insecure_addresses_and_unknown_pages(tmp_path: Path) -> None:
    result = load_content(_tree(tmp_path, DOC.replace("PAGE", "nowhere")))
    found = {(d.code, d.severity.value) for d in result.report.items if d.path == "licence-checks.yaml"}
    assert ("dangling-reference", "error") in found
    assert ("bad-url", "error") in found, "http address"
    assert ("missing-source", "error") in found, "an address without its source"
    assert ("missing-translation", "warning") in found, "no Thai text"
    good = DOC.replace("PAGE", "recruiters").replace("http://example.org/list", "https://example.org/list")
    good = good.replace('    lookup: ["https://example.org/x"]\n', "")
    good = good.replace('"Check here:"}', '"Check here:", th: "ตรวจสอบที่นี่:"}').replace(
        '"Ask them."}', '"Ask them.", th: "ถาม"}'
    )
    result = load_content(_tree(tmp_path / "good", good))
    assert not [str(d) for d in result.report.items if d.path == "licence-checks.yaml"]
