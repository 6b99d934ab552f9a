"""The Gulf corridors: their lines reach the first answer, Oman's police line stands in for an emergency number,
and `check` refuses a country with lines but neither an emergency number nor a police line."""

from __future__ import annotations

import re
from pathlib import Path

from babel import Locale

from bot.content.loader import load_content
from bot.helplines.model import Directory, EmergencyKind
from tests.botfixtures import SHIPPED_CONTENT, Harness
from tests.helplines.flow import choose_country

LINE = """
  - id: xx-police
    country: OM
    organisation: Test police
    name: {en: Test police line}
    purposes: [trafficking]
    contacts:
      - phone: "800 77 444"
    source_title: Test source
    source_url: https://example.org/page
    source_date: 2026-01
    verified_on: 2026-12
    confidence: CONF
"""


def _tree(tmp_path: Path, emergency: str, line: str = LINE.replace("CONF", "H")) -> Path:
    root = tmp_path / "content"
    (root / "en").mkdir(parents=True)
    (root / "bot.yaml").write_text("default_locale: en\nlocales: [en]\n")
    (root / "en" / "_menu.yaml").write_text("title: Home\nintro: Hello.\n")
    (root / "helplines.yaml").write_text(f"emergency:\n{emergency}helplines:\n{line}")
    return root


def _codes(root: Path) -> list[str]:
    return [d.code for d in load_content(root).report.errors]


def test_a_sourced_police_line_stands_in_for_a_missing_emergency_number(tmp_path: Path) -> None:
    result = load_content(_tree(tmp_path, "  OM: {police_line: xx-police}\n"))
    assert result.content is not None, [str(d) for d in result.report.items]
    directory = result.content.documents["helplines"]
    assert isinstance(directory, Directory)
    slot = directory.emergency["OM"]
    assert slot.kind is EmergencyKind.POLICE and slot.line_id == "xx-police"
    assert slot.number.endswith("800 77444") and slot.source_url == "https://example.org/page"


def test_a_country_with_lines_but_neither_is_refused(tmp_path: Path) -> None:
    assert "no-emergency-number" in _codes(_tree(tmp_path / "a", ""))


def test_a_police_line_must_exist_be_sourced_and_be_the_countrys_own(tmp_path: Path) -> None:
    assert "unknown-helpline" in _codes(_tree(tmp_path / "a", "  OM: {police_line: no-such-line}\n"))
    low = LINE.replace("CONF", "L")
    assert "low-confidence" in _codes(_tree(tmp_path / "b", "  OM: {police_line: xx-police}\n", low))
    elsewhere = "  OM: {police_line: xx-police}\n  QA: {police_line: xx-police}\n"
    assert "wrong-country" in _codes(_tree(tmp_path / "c", elsewhere))
    both = '  OM: {police_line: xx-police, number: "999"}\n'
    assert "unknown-key" in _codes(_tree(tmp_path / "d", both))


def test_the_shipped_gulf_countries_each_have_an_emergency_slot_and_a_line() -> None:
    result = load_content(SHIPPED_CONTENT)
    assert result.content is not None
    directory = result.content.documents["helplines"]
    assert isinstance(directory, Directory)
    for country in ("SA", "AE", "QA", "KW", "OM", "BH"):
        assert country in directory.emergency, country
        assert directory.in_country(country), country
    assert directory.emergency["OM"].kind is EmergencyKind.POLICE
    assert [other.number for other in directory.emergency["SA"].also] == ["999"]
    assert [other.number for other in directory.emergency["ID"].also] == ["110"]


async def test_a_bengali_readers_first_answer_includes_saudi_arabia(harness: Harness) -> None:
    user = harness.user(7100, "Rahim", "bn")
    await user.send("বাঁচাও")
    first = user.bot_messages[0]
    names = Locale.parse("bn").territories
    labels = [label for row in first.buttons for label in row]
    assert names["SA"] in labels and names["SA"] in first.text, first.text
    assert first.text.index(names["SA"]) < first.text.index(names["BD"]), "where they work first, then home"
    assert "911" in first.text and "999" in first.text, "Saudi Arabia's 911 and police 999"
    if names["OM"] in first.text:  # Oman's police line is in its emergency slot, and only there
        assert len(re.findall(r"800\D{0,3}77\D{0,3}444", first.text)) == 1, first.text
    harness.emu.assert_clean()


async def test_omans_card_shows_its_police_hotline_in_the_emergency_slot_and_says_so(harness: Harness) -> None:
    live = harness.services.live.current
    ui = live.ui("en")
    user = harness.user(7101, "Amal", "en")
    await user.send("help me")
    await choose_country(user, ui, "Oman")
    card = user.bot_messages[-1].text
    assert ui.t("helpline.heading", country="Oman") in card
    slot = card.index("🚓")
    assert "800" in card[slot : slot + 60] and "77" in card[slot : slot + 60]
    assert ui.t("helpline.no_emergency_number", country="Oman") in card
    assert "🚨" not in card.split("\n\n", 3)[2], "no emergency number is claimed for Oman"
    harness.emu.assert_clean()
