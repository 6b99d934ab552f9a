"""`check` warns when the first phone screen of a long page holds no action (estimated per script)."""

from __future__ import annotations

from bot.content.diagnostics import Report
from bot.content.firstscreen import CODE, check_first_screens, first_screen
from tests.preview.test_preview_browser import CONTENT


def test_a_burmese_first_screen_holds_fewer_letters_than_an_english_one() -> None:
    english = "\n".join(["Workers should never pay a recruitment fee to get a job abroad."] * 40)
    burmese = "\n".join(["နိုင်ငံခြား အလုပ်ရဖို့ အလုပ်ခေါ်ယူခ ဘယ်တော့မှ မပေးရပါ။"] * 40)
    assert 0 < len(first_screen(burmese, "ခေါင်းစဉ်")) < len(first_screen(english, "Title")) < len(english)


def test_a_long_page_that_opens_with_background_warns_once_naming_the_languages() -> None:
    assert CONTENT is not None
    report = Report()
    check_first_screens(CONTENT, report)
    warned = {item.path: item.message for item in report.items if item.code == CODE}
    assert warned, "the shipped pages that open with background are found"
    for path, message in warned.items():
        node = next(n for n in CONTENT.nodes.values() if n.file == path)
        text = CONTENT.text(node.id, CONTENT.default_locale)
        if f" {CONTENT.default_locale}," in message or message.split(" in ", 1)[1].startswith("en"):
            assert "<b>" not in first_screen(text.parts[0], text.title)
    opening_in_bold = [
        n.file
        for n in CONTENT.nodes.values()
        if n.type == "page" and CONTENT.text(n.id, "en").parts and CONTENT.text(n.id, "en").parts[0].startswith("<b>")
    ]
    assert not set(opening_in_bold) & set(warned), "a page that opens with its action in bold passes"
