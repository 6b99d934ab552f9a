"""`check` warns when the first phone screen of a long page holds no action (estimated per script)."""

from __future__ import annotations

import shutil
from pathlib import Path

from bot.config import PROJECT_ROOT
from bot.content.diagnostics import Report
from bot.content.firstscreen import CODE, check_first_screens, first_screen
from bot.content.loader import load_content
from tests.preview.test_preview_browser import CONTENT


def test_a_burmese_first_screen_holds_fewer_letters_than_an_english_one() -> None:
    english = "\n".join(["Workers should never pay a recruitment fee to get a job abroad."] * 40)
    burmese = "\n".join(["နိုင်ငံခြား အလုပ်ရဖို့ အလုပ်ခေါ်ယူခ ဘယ်တော့မှ မပေးရပါ။"] * 40)
    assert 0 < len(first_screen(burmese, "ခေါင်းစဉ်")) < len(first_screen(english, "Title")) < len(english)


def test_a_long_page_that_opens_with_background_warns_once_naming_the_languages(tmp_path: Path) -> None:
    # Every shipped page now opens with its action in bold, so take one and strip the bold from its English text:
    # a long page with no action on its first screen in English only.
    assert CONTENT is not None
    tree = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "content", tree)
    page = tree / "en" / "trafficking" / "forced-labour.yaml"
    page.write_text(page.read_text(encoding="utf-8").replace("**", ""), encoding="utf-8")
    content = load_content(tree).content
    assert content is not None
    report = Report()
    check_first_screens(content, report)
    warned = {item.path: item.message for item in report.items if item.code == CODE}
    assert list(warned) == ["en/trafficking/forced-labour.yaml"], warned
    assert " action in en: " in warned["en/trafficking/forced-labour.yaml"], "only the language without bold is named"
    text = content.text("trafficking/forced-labour", "en")
    assert "<b>" not in first_screen(text.parts[0], text.title)
    opening_in_bold = [
        n.file
        for n in CONTENT.nodes.values()
        if n.type == "page" and CONTENT.text(n.id, "en").parts and CONTENT.text(n.id, "en").parts[0].startswith("<b>")
    ]
    shipped = Report()
    check_first_screens(CONTENT, shipped)
    assert opening_in_bold, "the shipped pages that open with their action in bold are found"
    assert not set(opening_in_bold) & {item.path for item in shipped.items if item.code == CODE}, (
        "a page that opens with its action in bold passes"
    )
