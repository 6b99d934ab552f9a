"""Numbers as one unit (bot.numbers): whole, in order and dialable in Dari, Burmese and English.

The order is checked with GNU FriBidi, an implementation of the Unicode bidirectional algorithm (the one
Telegram's apps apply), on the lines the bot really renders; line breaking and layout are checked in Chromium by
tests/preview/test_numbers_browser.py.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import re
from pathlib import Path

import pytest

from bot.bootstrap import load_live
from bot.callbacks import Header
from bot.config import PROJECT_ROOT
from bot.helplines.screens import directory_of, first_help_screen, help_screen, helpline_card
from bot.i18n import UI
from bot.numbers import LRM, NBSP, WJ, clock, hours_range, latin_digits, localize_digits, phone, with_icon
from bot.services import Live


@functools.cache
def live() -> Live:
    found, result = load_live(PROJECT_ROOT / "content", PROJECT_ROOT / "locales")
    assert found is not None, result.report.errors[:3]
    return found


@functools.cache
def _fribidi() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("fribidi")
    return ctypes.CDLL(name) if name else None


FRIBIDI_PAR_RTL = 0x00000111  # FRIBIDI_PAR_RTL: a right-to-left paragraph, as Telegram lays out a Dari message
FRIBIDI_PAR_LTR = 0x00000110


def visual(line: str, rtl: bool) -> str:
    """`line` in the order its characters are drawn from left to right (GNU FriBidi, Unicode 6.3+ with isolates)."""
    lib = _fribidi()
    if lib is None:
        pytest.skip("needs GNU FriBidi (apt-get install libfribidi0)")
    n = len(line)
    logical = (ctypes.c_uint32 * n)(*(ord(c) for c in line))
    out = (ctypes.c_uint32 * n)()
    base = ctypes.c_uint32(FRIBIDI_PAR_RTL if rtl else FRIBIDI_PAR_LTR)
    ok = lib.fribidi_log2vis(logical, n, ctypes.byref(base), out, None, None, None)
    assert ok, "fribidi_log2vis failed"
    return "".join(chr(c) for c in out)


def drawn_digits(line: str, rtl: bool) -> str:
    """The digits of `line` as a reader sees them, left to right on the screen."""
    return re.sub(r"[^0-9+]", "", latin_digits(visual(line, rtl)))


def header(locale: str) -> Header:
    return Header(locale, "")


def test_a_phone_number_is_one_marked_left_to_right_piece() -> None:
    assert phone("+60 3 8000 8000") == f"{LRM}+60380008000{LRM}"
    assert phone("111 247 786") == f"{LRM}111247786{LRM}"
    assert phone("0800-1000") == f"{LRM}08001000{LRM}"
    assert phone("112") == f"{LRM}112{LRM}"
    assert phone("(02) 8995 6000") == f"{LRM}(02){NBSP}8995{NBSP}6000{LRM}", "kept as published, never split"
    assert phone("১১২") == f"{LRM}112{LRM}", "always the digits 0-9 that phones dial"
    assert with_icon("📞", phone("1343")) == f"📞{NBSP}{LRM}1343{LRM}", "the icon stays with its number"


def test_times_follow_the_locales_digits_and_never_break() -> None:
    assert hours_range("07:30-21:00") == f"{LRM}07:30{WJ}–{WJ}21:00{LRM}"
    assert hours_range("09:00-17:00", "persian") == f"{LRM}۰۹:۰۰{WJ}–{WJ}۱۷:۰۰{LRM}"
    assert hours_range("09:00-17:00", "myanmar") == f"{LRM}၀၉:၀၀{WJ}–{WJ}၁၇:၀၀{LRM}"
    assert clock("9:05", "bengali") == f"{LRM}৯:০৫{LRM}"
    assert localize_digits("1 / 2", "bengali") == "১ / ২"
    assert localize_digits("1 / 2", "latin") == "1 / 2"


@pytest.mark.parametrize(("number", "digits"), [("111 247 786", "111247786"), ("13 12 37", "131237")])
def test_dari_draws_the_digit_groups_in_dialling_order(number: str, digits: str) -> None:
    ui = live().ui("fa_AF")
    line = ui.direction(with_icon("📞", phone(number)) + " (" + ui.t("helpline.reach.in-country") + ")")
    assert drawn_digits(line, rtl=True) == digits
    # Without the marks the algorithm reverses the groups: the bug this module exists for.
    bare = ui.direction("📞 " + number + " (" + ui.t("helpline.reach.in-country") + ")")
    assert drawn_digits(bare, rtl=True) != digits


def test_dari_hours_read_from_opening_to_closing() -> None:
    ui = live().ui("fa_AF")
    assert ui.digits == "persian"
    line = ui.direction(ui.t("helpline.hours", hours=hours_range("09:00-17:00", ui.digits)))
    assert drawn_digits(line, rtl=True) == "09001700", "09:00–17:00, not 17:00–09:00"


@pytest.mark.parametrize("locale", ["fa_AF", "my", "en"])
def test_every_number_of_every_card_is_drawn_in_order(locale: str) -> None:
    content = live().content
    ui: UI = live().ui(locale)
    directory = directory_of(content)
    checked = 0
    for country in sorted(directory.by_country):
        screen, _ = help_screen(content, ui, header(locale), country, None, "")
        for line in screen.text.split("\n"):
            plain = re.sub(r"<[^>]+>", "", line)
            for number in re.findall(LRM + r"([^" + LRM + r"]+)" + LRM, plain):
                if re.fullmatch(r"\+?[0-9]+", number):
                    assert number in drawn_visual_runs(plain, ui.rtl), (country, number, plain)
                    checked += 1
    assert checked > 40


def drawn_visual_runs(line: str, rtl: bool) -> str:
    """The line as drawn, with the marks removed (so a number drawn in order appears as written)."""
    return visual(line, rtl).replace(LRM, "")


def test_burmese_first_answer_uses_burmese_digits_only_outside_phone_numbers() -> None:
    ui = live().ui("my")
    assert ui.digits == "myanmar"
    assert ui.t("menu.page_counter", current=1, total=2).count("၁") == 1
    first = first_help_screen(live().content, ui, header("my"), "et")
    assert first is not None
    for number in re.findall(LRM + r"([^" + LRM + r"]+)" + LRM, first.text):
        assert re.fullmatch(r"\+?[0-9]+", number), f"a phone number in dialable digits: {number!r}"


def test_english_card_keeps_latin_digits_and_marks_every_number() -> None:
    ui = live().ui("en")
    entry = next(e for e in directory_of(live().content).helplines if re.match(r"\d\d:\d\d-", e.hours))
    card = helpline_card(entry, live().content, ui, "en")
    start, end = entry.hours.split()[0].split("-")
    assert f"{LRM}{start}{WJ}–{WJ}{end}{LRM}" in card
    unmarked = re.sub(LRM + r"[^" + LRM + r"]*" + LRM, "", card)
    assert not re.search(r"\d{3}[ -]?\d{3}", unmarked), f"a phone number outside the marks: {unmarked}"


def test_the_digit_style_is_content(tmp_path: Path) -> None:
    import shutil

    from bot.content.loader import load_content

    shutil.copytree(PROJECT_ROOT / "content", tmp_path / "content")
    bot_yaml = tmp_path / "content" / "bot.yaml"
    bot_yaml.write_text(bot_yaml.read_text(encoding="utf-8") + "  th: klingon\n", encoding="utf-8")
    result = load_content(tmp_path / "content")
    assert any("klingon" in str(d) and "unknown-value" in str(d) for d in result.report.errors)


@pytest.mark.parametrize("locale", ["bn", "my", "fa_AF"])
def test_one_digit_style_per_message_besides_the_dialable_numbers(locale: str) -> None:
    """Outside the phone numbers (always 0-9, between their marks), the numbers the bot writes on a card (the
    date a line was checked, its hours) are in the language's digits: "ডিসেম্বর ২০২৬", never "ডিসেম্বর 2026"
    beside "৪৮ ঘণ্টা". (Numbers inside a line's name, such as "hotline 1300", are content.)"""
    ui = live().ui(locale)
    written = (ui.t("helpline.verified", date="").strip(), ui.t("helpline.hours", hours="").strip())
    checked = 0
    for country in ("MY", "TH", "AE", "JP"):
        screen, _ = help_screen(live().content, ui, header(locale), country, None, "")
        for line in screen.text.split("\n"):
            plain = re.sub(r"<[^>]+>", "", line).lstrip("\u200f")
            if plain.startswith(written):  # the date checked and the hours, written by the bot
                outside = re.sub(LRM + r"[^" + LRM + r"]*" + LRM, "", plain)
                assert not re.search(r"[0-9]", outside.replace("24/7", "")), (locale, country, line)
                checked += 1
    assert checked >= 4
