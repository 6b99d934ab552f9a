"""The frontline officers' track (issue 17): its deep link, a crawl in every locale it ships in, its self-check."""

from __future__ import annotations

import pytest

from bot.callbacks import Open, Quiz, decode
from bot.config import PROJECT_ROOT
from bot.content.loader import load_content
from bot.content.model import Content
from bot.deeplinks import Landing, parse_payload
from tests.botfixtures import Harness
from tests.flows.crawler import crawl

TRACK = "frontline"
CONTENT = load_content(PROJECT_ROOT / "content").content
assert CONTENT is not None
SHIPPED_IN = tuple(
    locale for locale in CONTENT.locales if locale == CONTENT.default_locale or TRACK in CONTENT.texts[locale]
)
REQUIRED = ("en", "id", "th", "fil", "vi", "km", "my")


def _in_track(content: Content, node_id: str) -> bool:
    return node_id == TRACK or node_id.startswith(TRACK + "/")


def test_the_track_ships_in_the_required_locales_with_every_page_translated() -> None:
    assert set(REQUIRED) <= set(SHIPPED_IN)
    ids = [node_id for node_id in CONTENT.nodes if _in_track(CONTENT, node_id)]
    assert {f"{TRACK}/passenger-signs", f"{TRACK}/talk-alone", f"{TRACK}/referral", f"{TRACK}/do-not"} <= set(ids)
    assert CONTENT.nodes[f"{TRACK}/officer-check"].type == "quiz"
    for locale in SHIPPED_IN:
        for node_id in ids:
            text = CONTENT.texts[locale].get(node_id)
            assert text is not None, (locale, node_id)
            if locale != CONTENT.default_locale:  # marked like every other machine translation
                assert text.translation is not None and text.translation.machine and not text.translation.reviewed


def test_every_page_of_the_track_cites_its_sources_with_urls() -> None:
    for node_id, node in CONTENT.nodes.items():
        if _in_track(CONTENT, node_id) and node.type != "menu":
            assert node.sources, node_id
            assert all(source.url and source.url.startswith("https://") for source in node.sources), node_id


def test_the_home_menu_has_an_entry_for_officers() -> None:
    assert TRACK in CONTENT.root.children


@pytest.mark.parametrize(
    ("payload", "locale", "node"),
    [
        ("frontline", None, "frontline"),
        ("frontline_l-th", "th", "frontline"),
        ("l-km_frontline", "km", "frontline"),
        ("before-you-go", None, "before-you-go"),  # any top-level menu is a track
        ("frontlines", None, None),
        ("l-frontline", None, None),
    ],
)
def test_a_track_is_its_own_deep_link(payload: str, locale: str | None, node: str | None) -> None:
    request = parse_payload(payload, CONTENT)
    assert (request.locale, request.node_id, request.campaign) == (locale, node, None)


def test_a_campaign_code_can_carry_the_track() -> None:
    def lookup(content: Content, code: str) -> Landing | None:
        return Landing("airport-7", "id", None) if code == "airport-7" else None

    request = parse_payload("c-airport-7_frontline", CONTENT, lookup)
    assert (request.locale, request.node_id, request.campaign) == ("id", "frontline", "airport-7")


@pytest.mark.parametrize("locale", SHIPPED_IN)
async def test_the_track_is_reached_by_its_deep_link_and_crawled(harness: Harness, locale: str) -> None:
    content = harness.services.live.current.content
    user = harness.user(7100 + SHIPPED_IN.index(locale), "Officer", locale.replace("_", "-"))
    await user.start(TRACK)
    assert content.text(TRACK, locale).title in (user.last_message.text or "")

    keys = {node.key for node_id, node in content.nodes.items() if _in_track(content, node_id)}

    def follow(data: str) -> bool:
        decoded = decode(data)
        if decoded is None:
            return False
        act = decoded[1]
        return (isinstance(act, Open) and act.key in keys) or isinstance(act, Quiz)

    result = await crawl(user, payload=TRACK, follow=follow)
    harness.emu.assert_clean()
    assert not harness.emu.unanswered_callback_queries()
    opened = {act.key for data in result.pressed if (d := decode(data)) and isinstance(act := d[1], Open)}
    assert keys - {content.nodes[TRACK].key} <= opened
    for data in result.pressed:
        decoded = decode(data)
        assert decoded is not None and decoded[0].locale == locale, data
    quiz_intro = content.text(f"{TRACK}/officer-check", locale).parts[0]
    assert any(quiz_intro[:20] in screen for screen in result.screens)
