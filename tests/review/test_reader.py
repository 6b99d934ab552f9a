"""What the reader is told: an unreviewed machine translation says so and offers the page in English; once a native
speaker has signed off every text of the page, the line and the button go away."""

from __future__ import annotations

from pathlib import Path

from bot.content.loader import load_content
from bot.i18n import native_name
from tests.botfixtures import running_bot
from tests.review.helpers import copy_project, fill, review, rows

PAGE = "if-something-goes-wrong/act-now"
NOTICE = "🤖 যন্ত্রে অনুবাদ করা।"  # the start of review.machine_notice in Bengali
SHOW = "ইংরেজিতে দেখুন"


async def test_an_unreviewed_page_says_so_and_shows_the_english_and_back(tmp_path: Path) -> None:
    content_dir, locales_dir = copy_project(tmp_path)
    content = load_content(content_dir).content
    assert content is not None
    node = content.nodes[PAGE]
    bengali, english = content.text(PAGE, "bn"), content.text(PAGE, "en")
    assert bengali.machine_unreviewed
    async with running_bot(tmp_path, content_dir=content_dir, locales_dir=locales_dir) as harness:
        user = harness.user(2301, "Rina", "bn")
        await user.start(f"n-{node.key}")
        page = user.last_message
        assert page.text is not None
        assert bengali.title in page.text and NOTICE in page.text
        await user.press(SHOW)
        shown = user.last_message
        assert shown.text is not None
        assert english.title in shown.text and bengali.title not in shown.text
        assert NOTICE not in shown.text and SHOW not in str(shown.reply_markup)
        await user.press(f"↩ {native_name('bn')}")  # one tap back to Bengali
        back = user.last_message
        assert back.text is not None
        assert bengali.title in back.text and NOTICE in back.text
        harness.emu.assert_clean()


async def test_a_page_whose_every_text_is_reviewed_has_no_marker(tmp_path: Path) -> None:
    content_dir, locales_dir = copy_project(tmp_path)
    book = tmp_path / "bn.xlsx"
    assert review(tmp_path, "export", "--locale", "bn", "-o", str(book)) == 0
    fill(book, {text_id: ("ok", None) for text_id in rows(book) if text_id.startswith(f"{PAGE}#")})
    assert review(tmp_path, "import", str(book), "--reviewer", "RK") == 0
    content = load_content(content_dir).content
    assert content is not None and not content.text(PAGE, "bn").machine_unreviewed
    async with running_bot(tmp_path, content_dir=content_dir, locales_dir=locales_dir) as harness:
        user = harness.user(2302, "Rina", "bn")
        await user.start(f"n-{content.nodes[PAGE].key}")
        page = user.last_message
        assert page.text is not None
        assert content.text(PAGE, "bn").title in page.text
        assert NOTICE not in page.text and SHOW not in str(page.reply_markup)
        harness.emu.assert_clean()
