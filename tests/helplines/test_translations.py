"""Machine-translated helpline texts reach the user in their language, and translations: is validated."""

from __future__ import annotations

import re
from pathlib import Path

from babel import Locale

from bot.content.loader import load_content
from bot.numbers import phone
from tests.botfixtures import Harness
from tests.helplines.test_checks import GOOD_ENTRY, _tree


async def test_an_indonesian_in_malaysia_reads_the_malaysian_line_in_indonesian(harness: Harness) -> None:
    ui = harness.services.live.current.ui("id")
    user = harness.user(3101, "Siti", "id")
    await user.start()
    await user.press(ui.t("button.get_help"))
    await user.press(Locale.parse("id").territories["MY"])
    card = user.bot_messages[0].text or ""
    assert "Laporkan perdagangan orang dan penyelundupan migran." in card
    assert "Report trafficking and migrant smuggling." not in card
    assert phone("+60 3 8000 8000") in card, "the number itself is unchanged"


def test_translations_reject_a_locale_the_content_does_not_have(tmp_path: Path) -> None:
    root = _tree(tmp_path, GOOD_ENTRY.replace("VERIFIED", "2026-11"))
    path = root / "helplines.yaml"
    declared = "translations:\n  en: {machine: false}\n  xx: {machine: true, reviewed: false}\n"
    path.write_text(declared + path.read_text())
    result = load_content(root)
    found = [str(d) for d in result.report.errors if d.code == "unknown-locale"]
    assert len(found) == 1 and found[0].startswith("helplines.yaml:3:3: error:"), found
    assert "'xx'" in found[0]
    assert not [d for d in result.report.warnings if d.code == "unreviewed-translation"], "xx is not warned about"


def test_translations_reject_unknown_keys_and_non_booleans(tmp_path: Path) -> None:
    root = _tree(tmp_path, GOOD_ENTRY.replace("VERIFIED", "2026-11"))
    path = root / "helplines.yaml"
    path.write_text("translations:\n  en: {machine: yes please, checked: true}\n" + path.read_text())
    errors = [str(d) for d in load_content(root).report.errors]
    assert any(re.match(r"helplines\.yaml:2:\d+: error: .*\[unknown-key\]", e) for e in errors), errors
    assert any(re.match(r"helplines\.yaml:2:\d+: error: .*\[wrong-type\]", e) for e in errors), errors


def test_one_warning_per_unreviewed_machine_locale(tmp_path: Path) -> None:
    root = _tree(tmp_path, GOOD_ENTRY.replace("VERIFIED", "2026-11"))
    path = root / "helplines.yaml"
    path.write_text("translations:\n  en: {machine: true, reviewed: false}\n" + path.read_text())
    warnings = [d for d in load_content(root).report.warnings if d.code == "unreviewed-translation"]
    assert [str(d).split(": warning")[0] for d in warnings] == ["helplines.yaml:2:3"]
