"""Safe-first cautions: checked at load, shown before police lines and embassy advice to the readers they are for."""

from __future__ import annotations

import re
from pathlib import Path

from babel import Locale

from bot.cautions.model import Cautions
from bot.content.loader import load_content
from bot.content.localized import pick
from tests.botfixtures import Harness
from tests.helplines.flow import choose_country

# A number as cards show it: its icon, then (after spaces and direction marks) the digits.
POLICE_LINE = re.compile("[🚨🚓📞][\\s\u00a0\u200e\u200f]*\\+?[0-9]")


def _cautions(harness: Harness) -> Cautions:
    found = harness.services.live.current.content.documents["cautions"]
    assert isinstance(found, Cautions)
    return found


def _text(harness: Harness, caution_id: str, locale: str) -> str:
    content = harness.services.live.current.content
    caution = next(c for c in _cautions(harness).items if c.id == caution_id)
    return pick(caution.text, content.chain(locale))


def _before_any_police_line(text: str, caution: str) -> None:
    assert caution in text, text
    first = POLICE_LINE.search(text)
    assert first is not None, "the answer has numbers"
    assert text.index(caution) < first.start(), f"the caution comes before the first number:\n{text}"


async def test_a_dari_reader_sees_the_caution_before_any_police_line(harness: Harness) -> None:
    user = harness.user(9100, "Ahmad", "fa")
    caution = _text(harness, "afghans-police", "fa_AF")
    await user.send("help")
    first = user.bot_messages[0]
    _before_any_police_line(first.text, caution)
    ui = harness.services.live.current.ui("fa_AF")
    await choose_country(user, ui, Locale.parse("fa_AF").territories["PK"])
    card = user.message(first.message_id)
    assert card is not None and ui.t("helpline.heading", country=Locale.parse("fa_AF").territories["PK"]) in card.text
    _before_any_police_line(card.text, caution)
    harness.emu.assert_clean()


async def test_the_caution_follows_the_stored_home_country_on_the_card(harness: Harness) -> None:
    """An English reader sees no Afghan caution on Pakistan's card, until they say they come from Afghanistan."""
    live = harness.services.live.current
    ui = live.ui("en")
    caution = _text(harness, "afghans-police", "en")
    user = harness.user(9101, "Sam", "en")
    await user.send("/helpline")
    await choose_country(user, ui, "Pakistan")
    assert caution not in user.last_message.text
    await user.press(ui.t("helpline.also_home_lines"))
    await user.press(ui.t("button.next"))  # Afghanistan has no lines: the second page of the list
    await user.press("Afghanistan")
    _before_any_police_line(user.last_message.text, caution)
    harness.emu.assert_clean()


async def test_a_burmese_reader_sees_the_caution_on_the_embassy_page(harness: Harness) -> None:
    content = harness.services.live.current.content
    key = content.nodes["your-rights/embassy"].key
    caution = _text(harness, "myanmar-embassy", "my")
    reader = harness.user(9102, "Aung", "my")
    await reader.start(f"n-{key}_l-my")
    page = reader.last_message.text
    assert content.text("your-rights/embassy", "my").title in page
    assert caution in page and page.index(caution) < page.index(content.text("your-rights/embassy", "my").parts[0][:20])
    other = harness.user(9103, "Sari", "id")
    await other.start(f"n-{key}_l-id")
    assert _text(harness, "myanmar-embassy", "id") not in other.last_message.text, "only for Myanmar readers"
    harness.emu.assert_clean()


async def test_a_burmese_reader_sees_the_embassy_caution_on_every_card(harness: Harness) -> None:
    ui = harness.services.live.current.ui("my")
    reader = harness.user(9104, "Aung", "my")
    await reader.send("/helpline")
    await choose_country(reader, ui, Locale.parse("my").territories["TH"])
    card = reader.last_message.text
    caution = _text(harness, "myanmar-embassy", "my")
    assert caution in card and card.index(caution) < card.index(ui.t("helpline.embassy")[:12])
    harness.emu.assert_clean()


CAUTIONS = """
cautions:
  - id: test-caution
    about: police
    readers: {locales: [xx], origins: [QQ]}
    cards: [PK, ZZZ]
    pages: [nowhere/page]
    text: {en: "If it is safe for you, call a helpline first."}
"""


def _tree(tmp_path: Path, cautions: str, body: str = "Go to the police.") -> Path:
    root = tmp_path / "content"
    (root / "en").mkdir(parents=True)
    (root / "th").mkdir(parents=True)
    (root / "bot.yaml").write_text("default_locale: en\nlocales: [en, th]\n")
    (root / "en" / "_menu.yaml").write_text("title: Home\nintro: Hello.\norder: [advice]\n")
    (root / "en" / "advice.yaml").write_text(f"title: Advice\nbody: {body}\n")
    (root / "cautions.yaml").write_text(cautions)
    return root


def test_check_refuses_unknown_pages_locales_and_countries(tmp_path: Path) -> None:
    result = load_content(_tree(tmp_path, CAUTIONS))
    found = {(d.code, d.severity.value) for d in result.report.items if d.path == "cautions.yaml"}
    assert ("dangling-reference", "error") in found
    assert ("unknown-locale", "error") in found
    assert ("bad-country", "error") in found
    assert ("missing-translation", "warning") in found, "no Thai text"


def test_check_warns_about_police_advice_no_caution_covers(tmp_path: Path) -> None:
    empty = "cautions: []\n"
    warned = [d for d in load_content(_tree(tmp_path, empty)).report.warnings if d.code == "advice-without-caution"]
    assert [d.path for d in warned] == ["en/advice.yaml"]
    safe = _tree(tmp_path / "safe", empty, "If it is safe for you, call a helpline first, then the police.")
    assert not [d for d in load_content(safe).report.warnings if d.code == "advice-without-caution"]
    listed = CAUTIONS.replace("nowhere/page", "advice").replace("[xx]", "[th]").replace("ZZZ", "IR")
    listed = listed.replace('first."}', 'first.", th: "ถ้าปลอดภัย โทรหาสายด่วนก่อน"}').replace("QQ", "AF")
    result = load_content(_tree(tmp_path / "listed", listed))
    assert not [d for d in result.report.items if d.path == "cautions.yaml" or d.code == "advice-without-caution"]


def test_the_shipped_cautions_cover_every_page_that_sends_readers_to_the_police_or_an_embassy(
    harness: Harness,
) -> None:
    """Also with the safe wording of the pages taken away: the cautions alone cover them."""
    from bot.cautions.document import RISKY

    content = harness.services.live.current.content
    cautions = _cautions(harness)
    english = content.texts[content.default_locale]
    risky = [
        node_id
        for node_id, node in content.nodes.items()
        if not node.is_menu and node.type == "page" and not node.audience and RISKY.search(english[node_id].plain)
    ]
    assert risky, "the shipped pages do mention the police and embassies"
    uncovered = [n for n in risky if not cautions.covers(n) and n not in cautions.exempt]
    assert uncovered == []
