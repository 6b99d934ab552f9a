"""Every locale that has content has every UI string, with the same placeholders; keys in code exist."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from bot.config import PROJECT_ROOT
from bot.content.loader import load_content
from bot.i18n import Catalogs, negotiate

LOCALES_DIR = PROJECT_ROOT / "locales"
CONTENT = load_content(PROJECT_ROOT / "content").content
assert CONTENT is not None


def read(locale: str) -> dict[str, str]:
    path = LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        return {str(m.id): str(m.string) for m in read_po(handle) if m.id and not m.fuzzy}


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def keys_used_in_code() -> set[str]:
    """Every literal key passed to .t(...) in the bot package, found by Babel's extractor with babel.cfg."""
    with (PROJECT_ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found = set()
    for _, _, message, _, _ in extract_from_dir(
        str(PROJECT_ROOT), method_map, options_map, keywords={"t": None}, strip_comment_tags=True
    ):
        found.add(message)
    return {key for key in found if re.fullmatch(r"[a-z_]+\.[a-z0-9_.-]+", key)}


ENGLISH = read("en")


@pytest.mark.parametrize("locale", CONTENT.locales)
def test_locale_with_content_has_every_ui_string(locale: str) -> None:
    path = LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po"
    assert path.is_file(), f"{locale} has content but no UI catalog at {path}"
    messages = read(locale)
    missing = sorted(key for key in ENGLISH if not messages.get(key))
    assert not missing, f"{locale} lacks UI strings: {missing}"
    for key, text in ENGLISH.items():
        assert placeholders(messages[key]) == placeholders(text), f"{locale} {key}: placeholders differ"


def test_every_key_used_in_code_is_in_the_english_catalog() -> None:
    used = keys_used_in_code()
    assert used, "the extractor found no keys; is the keyword still `t`?"
    assert not used - set(ENGLISH), f"keys used in code but missing from locales/en: {sorted(used - set(ENGLISH))}"


def test_every_bot_command_has_a_description_in_the_english_catalog() -> None:
    # bot/app.py builds these keys (`ui.t(f"command.{name}")`), so the extractor cannot see them.
    from bot.app import COMMANDS

    assert not [name for name in COMMANDS if f"command.{name}" not in ENGLISH]


def test_dari_never_falls_back_to_persian() -> None:
    catalogs = Catalogs.load(LOCALES_DIR, CONTENT.chains, CONTENT.default_locale)
    ui = catalogs.ui("fa_AF")
    assert ui.rtl
    assert "fa" not in CONTENT.chain("fa_AF")
    assert ui.t("button.home")


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("en-US", "en"),
        ("pt-br", "en"),
        ("my", "my"),
        ("fa", "fa_AF"),
        ("tl", "fil"),
        ("id", "id"),
        (None, "en"),
        ("!!", "en"),
        ("km-KH", "km"),
    ],
)
def test_negotiation_of_telegram_language_codes(code: str | None, expected: str) -> None:
    assert negotiate(code, CONTENT.locales, CONTENT.default_locale) == expected


def test_po_files_parse_and_declare_their_language() -> None:
    for path in sorted(Path(LOCALES_DIR).glob("*/LC_MESSAGES/messages.po")):
        with path.open("rb") as handle:
            catalog = read_po(handle)
        assert catalog.locale is not None, f"{path} has no Language header"
