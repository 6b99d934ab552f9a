"""The reminder button of a page's `subscribe:` topic: opt-in, one label for everyone, each press says what changed."""

from __future__ import annotations

import shutil
from pathlib import Path

from bot.broadcasts.store import BroadcastStore
from bot.content.loader import load_content
from bot.features import install
from bot.privacy import user_key
from tests.botfixtures import SHIPPED_CONTENT, Harness

BUTTON = "🔔 Reminders: Before I leave"


async def test_the_page_button_starts_and_stops_the_topic(harness: Harness) -> None:
    """Opening the page subscribes nobody; a press starts the topic, the next stops it; the page stays as it is."""
    user = harness.user(5101)
    store = BroadcastStore(harness.services.storage)
    key = user_key(harness.services.user_secret, 5101)
    await user.send("/start")
    await user.press("Before you go")
    await user.press("Copy and keep your papers")
    page = user.last_message
    assert [BUTTON] in page.buttons
    assert await store.topics(key) == frozenset(), "never subscribed by default"
    await user.press(BUTTON)
    answer = user.callback_answers[-1]
    assert answer.text is not None and answer.text.startswith("🔔 You will receive: Before I leave")
    assert answer.show_alert
    assert await store.topics(key) == {"before-you-leave"}
    assert user.last_message.text == page.text and user.last_message.buttons == page.buttons, "the page stays"
    await user.press(BUTTON)
    assert user.callback_answers[-1].text == (
        "🔕 You will get no more messages about Before I leave. Tap the same button again to start."
    )
    assert await store.topics(key) == frozenset()
    await user.press("◀ Back")
    assert ["🔔 Reminders: Before I leave"] not in user.last_message.buttons, "only pages that name a topic"
    harness.emu.assert_clean()


async def test_a_menu_button_in_another_language(harness: Harness) -> None:
    """A menu can name a topic too; the label and the answer are in the user's language."""
    user = harness.user(5102, language_code="th")
    store = BroadcastStore(harness.services.storage)
    await user.send("/start")
    menu = harness.services.live.current.content.node("online-scams")
    assert menu is not None and menu.subscribe == "scam-alerts"
    title = harness.services.live.current.content.text("online-scams", "th").title
    await user.press(title)
    assert ["🔔 การแจ้งเตือน: เตือนภัยมิจฉาชีพ"] in user.last_message.buttons
    await user.press("🔔 การแจ้งเตือน: เตือนภัยมิจฉาชีพ")
    assert user.callback_answers[-1].text == "🔔 คุณจะได้รับ: เตือนภัยมิจฉาชีพ แตะปุ่มเดิมอีกครั้งเพื่อหยุด"
    assert await store.locales(user_key(harness.services.user_secret, 5102)) == {"th"}
    harness.emu.assert_clean()


def test_an_unknown_topic_is_a_dangling_reference(tmp_path: Path) -> None:
    """check names the file and line of a `subscribe:` whose topic topics.yaml does not have."""
    install()
    tree = tmp_path / "content"
    shutil.copytree(SHIPPED_CONTENT, tree)
    page = tree / "en" / "before-you-go" / "documents.yaml"
    page.write_text(page.read_text().replace("subscribe: before-you-leave", "subscribe: before-you-lave"))
    result = load_content(tree)
    assert result.content is None
    (found,) = [d for d in result.report.errors if d.code == "dangling-reference"]
    assert found.path == "en/before-you-go/documents.yaml" and found.line > 0
    assert "'before-you-lave' is not a topic of topics.yaml (did you mean 'before-you-leave'?)" in found.message
