"""Every word for help: in each shipped language the plain word a frightened person types, and the romanised
spelling people type on phones, brings a first reply with a number; `check` holds each language's Get help
button to the same rule."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from bot.content.loader import load_content
from bot.helplines.words import check_help_labels
from tests.botfixtures import SHIPPED_CONTENT, Harness

LOCALES_DIR = SHIPPED_CONTENT.parent / "locales"
# An emergency number as the first answer shows it: the 🚨 mark, then the digits (inside whatever marks keep
# them in one left-to-right piece).
NUMBER = re.compile(r"🚨[^\n\d]{0,12}\d{2,}")

# locale -> (the plain word for help in its script, a spelling typed on phones with Latin letters)
WORDS = {
    "en": ("help", "SOS"),
    "id": ("tolong", "minta tolong"),
    "fil": ("tulong", "saklolo"),
    "th": ("ช่วย", "chuay duay"),
    "my": ("ကူညီ", "kal par"),
    "km": ("ជួយ", "chuoy phong"),
    "vi": ("cứu", "cuu toi"),
    "ne": ("मद्दत", "maddat"),
    "bn": ("সাহায্য", "sahajjo"),
    "fa_AF": ("کمک", "komak"),
}
SHIPPED_LOCALES = yaml.safe_load((SHIPPED_CONTENT / "bot.yaml").read_text(encoding="utf-8"))["locales"]


def test_the_table_covers_every_shipped_locale() -> None:
    assert set(WORDS) == set(SHIPPED_LOCALES)


@pytest.mark.parametrize(
    ("locale", "word"),
    [(locale, word) for locale, pair in WORDS.items() for word in pair]
    + [("my", "help"), ("bn", "SOS"), ("fa_AF", "help")],  # English help words work in every language
)
async def test_a_single_word_for_help_brings_a_number_first(harness: Harness, locale: str, word: str) -> None:
    ui = harness.services.live.current.ui(locale)
    user = harness.user(7200 + sum(map(ord, locale + word)) % 5000, "Ni", locale)
    await user.send(word)
    first = user.bot_messages[0]
    assert ui.t("helpline.first.heading") in first.text, (locale, word, first.text[:200])
    assert NUMBER.search(first.text), first.text
    harness.emu.assert_clean()


def test_every_shipped_get_help_button_has_a_word_that_brings_the_numbers() -> None:
    result = load_content(SHIPPED_CONTENT)
    assert result.content is not None
    assert check_help_labels(LOCALES_DIR, result.content) == []


def test_check_warns_when_the_get_help_word_brings_nothing(tmp_path: Path) -> None:
    root = tmp_path / "content"
    shutil.copytree(SHIPPED_CONTENT, root)
    words = root / "emergency-words.yaml"
    data = words.read_text(encoding="utf-8")
    assert "    - সাহায্য\n" in data
    words.write_text(data.replace("    - সাহায্য\n", ""), encoding="utf-8")  # Bengali loses its plain word
    result = load_content(root)
    assert result.content is not None
    problems = check_help_labels(LOCALES_DIR, result.content)
    assert [(Path(p.path).parts[-3], p.code) for p in problems] == [("bn", "help-label-not-emergency")]
    assert "সাহায্য নিন" in problems[0].message
