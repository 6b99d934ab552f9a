"""The Sources screen shows each source with a url as a link to it, and one without as plain text."""

from __future__ import annotations

from tests.botfixtures import Harness


async def test_sources_screen_links_every_url(harness: Harness) -> None:
    content = harness.services.live.current.content
    page = next(
        n
        for n in content.nodes.values()
        if n.type == "page" and any(s.url for s in n.sources) and any(not s.url for s in n.sources)
    )
    user = harness.user(1013, "Lan", "en")
    await user.start(f"n-{page.key}")
    await user.press("📚 Sources")
    message = user.last_message
    links = {entity["url"] for entity in message.entities if entity["type"] == "text_link"}
    assert links == {s.url for s in page.sources if s.url}
    for source in page.sources:
        assert source.title in message.text
        if source.url:
            assert f'<a href="{source.url}">{source.title}</a>' in message.html
        else:
            assert f">{source.title}<" not in message.html
    harness.emu.assert_clean()
