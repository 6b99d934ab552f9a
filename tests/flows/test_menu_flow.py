"""The menu flow end to end: /start, buttons, Back, Home, pages, sources, through the real Application."""

from __future__ import annotations

from tests.botfixtures import Harness


def labels(message) -> list[str]:  # type: ignore[no-untyped-def]
    return [label for row in message.buttons for label in row]


async def test_start_shows_home_menu_in_users_language(harness: Harness) -> None:
    content = harness.services.live.current.content
    user = harness.user(1001, "Aye", "en")
    await user.start()
    message = user.last_message
    assert content.text("", "en").title in message.text
    assert "🌐 Language" in labels(message)
    shown = labels(message)
    while "Next ▶" in labels(user.last_message):  # more than a screenful: the last entries are on the next page
        await user.press("Next ▶", message_id=message.message_id)
        shown += labels(user.last_message)
    for child in content.root.children:
        assert content.text(child, "en").title in shown
    harness.emu.assert_clean()


async def test_press_menu_page_back_home_edits_one_message(harness: Harness) -> None:
    content = harness.services.live.current.content
    user = harness.user(1002, "Nimal", "en")
    await user.start()
    first = user.last_message.message_id
    menu_id = next(c for c in content.root.children if content.nodes[c].is_menu)  # the quiz comes first
    menu = content.nodes[menu_id]
    page_id = next(c for c in menu.children if content.nodes[c].type == "page")
    await user.press(content.text(menu_id, "en").title)
    assert content.text(menu_id, "en").title in user.last_message.text
    await user.press(content.text(page_id, "en").title)
    shown = user.last_message
    assert shown.message_id == first, "a press edits the same message in place"
    assert content.text(page_id, "en").title in shown.text
    assert {"◀ Back", "🏠 Home"} <= set(labels(shown))
    await user.press("◀ Back")
    assert content.text(menu_id, "en").title in user.last_message.text
    await user.press("🏠 Home")
    assert content.text("", "en").title in user.last_message.text
    assert len(user.bot_messages) == 1
    assert all(answer for answer in user.callback_answers)
    harness.emu.assert_clean()


async def test_sources_are_shown_for_a_page(harness: Harness) -> None:
    content = harness.services.live.current.content
    page = next(n for n in content.nodes.values() if n.type == "page" and n.sources)
    user = harness.user(1003, "Sita", "en")
    await user.start(f"n-{page.key}")
    assert content.text(page.id, "en").title in user.last_message.text
    await user.press("📚 Sources")
    assert page.sources[0].title.split()[0] in user.last_message.text
    harness.emu.assert_clean()
