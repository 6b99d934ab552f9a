"""Who a page is for is part of search: workers are not sent to the officers' track (`audience: officers`).

A person who did not come in through the officers' track is offered pages for workers whenever any match; the
officers' pages are shown to them only when nothing else matches. A person who came in through a campaign
landing on the track gets the officers' pages ranked like any other.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.campaigns.model import campaigns_of
from bot.config import PROJECT_ROOT
from bot.content.loader import load_content
from bot.search.index import RESULTS, SearchIndex
from tests.botfixtures import Harness

CONTENT = load_content(PROJECT_ROOT / "content").content
assert CONTENT is not None
INDEX = SearchIndex.build(CONTENT)
OFFICERS = frozenset(node_id for node_id, node in CONTENT.nodes.items() if node.audience == "officers")
# The shipped campaign that lands on the officers' track (an example in campaigns.yaml, active from 2026-12-01).
TRACK_CAMPAIGN = next(c.code for c in campaigns_of(CONTENT).items if c.landing in OFFICERS)

# A worker's own words (not emergency words, so the answer is the list of pages), in ten languages. Each
# matches "Signs to look for in a passenger" (someone else holds the passport or ticket, a one-way ticket, not
# knowing the employer's name): the plain ranking puts that officers' page first.
VICTIMS_WORDS = [
    ("en", "someone else holds my ticket"),
    ("en", "my passport and ticket are with the agent"),
    ("en", "the agent answers for me"),
    ("id", "agen memegang paspor saya"),
    ("id", "saya tidak tahu nama majikan saya"),
    ("fil", "hawak ng ahente ang pasaporte ko"),
    ("th", "ตั๋วเที่ยวเดียว"),
    ("th", "ฉันกลัวที่สนามบิน"),
    ("vi", "không biết tên chủ"),
    ("km", "សំបុត្រទៅតែម្ខាង"),
    ("bn", "একমুখী টিকিট"),
    ("fa_AF", "تکت یک طرفه"),
    ("ne", "एकतर्फी टिकट"),
]


def labels(message) -> list[str]:  # type: ignore[no-untyped-def]
    return [label for row in message.buttons for label in row]


def test_the_officers_track_is_marked_and_a_campaign_lands_on_it() -> None:
    assert "frontline/passenger-signs" in OFFICERS and "frontline" in OFFICERS
    assert dict(INDEX.audiences) == dict.fromkeys(OFFICERS, "officers")
    assert INDEX.reader(TRACK_CAMPAIGN) == "officers"
    assert INDEX.reader(TRACK_CAMPAIGN.upper()) == "officers"
    assert INDEX.reader("example-jakarta") == "" and INDEX.reader("") == "" and INDEX.reader("no-such") == ""


@pytest.mark.parametrize(("locale", "words"), VICTIMS_WORDS)
def test_victims_words_are_offered_worker_pages_and_no_officers_page(locale: str, words: str) -> None:
    assert INDEX.search(words, locale)[0] in OFFICERS, "the plain ranking puts an officers' page first"
    offered = INDEX.offer(words, locale)
    assert offered, "worker pages match these words"
    assert not OFFICERS & set(offered), offered
    workers = [node_id for node_id in INDEX.search(words, locale, limit=1000) if node_id not in OFFICERS]
    assert list(offered) == workers[:RESULTS], "the worker pages keep their order and fill every slot"


@pytest.mark.parametrize(("locale", "words"), VICTIMS_WORDS)
def test_someone_from_the_officers_campaign_gets_the_plain_ranking(locale: str, words: str) -> None:
    offered = INDEX.offer(words, locale, TRACK_CAMPAIGN)
    assert offered == INDEX.search(words, locale)
    assert offered[0] in OFFICERS


@pytest.mark.parametrize(("locale", "words"), [("en", "passenger indicators"), ("en", "companion escort")])
def test_officers_pages_are_shown_when_nothing_else_matches(locale: str, words: str) -> None:
    # Someone who opened ?start=frontline (not remembered) still finds the track by its own words.
    offered = INDEX.offer(words, locale)
    assert offered and set(offered) <= OFFICERS
    assert offered == INDEX.search(words, locale)


def test_the_rule_on_a_small_tree(tmp_path: Path) -> None:
    root = tmp_path / "content"
    (root / "en" / "staff").mkdir(parents=True)
    (root / "bot.yaml").write_text("default_locale: en\nlocales: [en]\n")
    (root / "en" / "_menu.yaml").write_text("title: Home\n")
    (root / "en" / "ticket.yaml").write_text("title: Your ticket home\nbody: Buy your own ticket home.\n")
    for number in range(30):  # pages on other things, so that "ticket" is a rare word
        (root / "en" / f"other-{number}.yaml").write_text(f"title: Topic {number}\nbody: Wages and rest days.\n")
    (root / "en" / "staff" / "_menu.yaml").write_text("title: For staff\naudience: officers\n")
    for number in range(RESULTS + 1):  # more officers' pages than result slots, each a better match
        (root / "en" / "staff" / f"ticket-{number}.yaml").write_text(
            f"title: Ticket check {number}\nbody: Check the ticket, the ticket and the ticket.\n"
        )
    (root / "campaigns.yaml").write_text(
        "campaigns:\n"
        "  - {code: staff-card, partner: Training, locale: en, landing: staff}\n"
        "  - {code: poster, partner: NGO, locale: en, landing: ticket}\n"
    )
    content = load_content(root).content
    assert content is not None
    index = SearchIndex.build(content)
    assert index.search("ticket", "en")[0].startswith("staff/")
    assert index.offer("ticket", "en") == ("ticket",), "officers' pages take no slot from the worker page"
    assert index.offer("ticket", "en", "poster") == ("ticket",)
    assert index.offer("ticket", "en", "staff-card") == index.search("ticket", "en")
    assert index.offer("ticket check", "en") == ("ticket",)
    assert set(index.offer("check", "en")) <= {f"staff/ticket-{n}" for n in range(RESULTS + 1)}, "nothing else matches"
    assert index.offer("check", "en")
    assert index.offer("zzqx", "en") == ()


async def test_workers_in_several_languages_see_no_officers_page(harness: Harness) -> None:
    live = harness.services.live.current
    for number, (locale, words) in enumerate(VICTIMS_WORDS):
        ui = live.ui(locale)
        user = harness.user(7600 + number, "Mai", locale.replace("_", "-"))
        await user.send(words)
        answer = user.last_message
        assert ui.t("search.results") in answer.text, (locale, words)
        officer_titles = {live.content.text(node_id, locale).title for node_id in OFFICERS}
        titles = labels(answer)
        assert not officer_titles & set(titles), (locale, words, titles)
        best = INDEX.offer(words, locale)[0]
        assert titles[0] == live.content.text(best, locale).title, "a worker page comes first"
    harness.emu.assert_clean()


async def test_a_visitor_from_the_officers_campaign_finds_the_officers_pages(harness: Harness) -> None:
    live = harness.services.live.current
    words = "someone else holds my ticket"
    signs = live.content.text("frontline/passenger-signs", "en").title

    officer = harness.user(7700, "Officer", "en")
    await officer.start(TRACK_CAMPAIGN)  # the briefing card's link: lands on the track, the campaign is kept
    await officer.send(words)
    assert labels(officer.last_message)[0] == signs

    worker = harness.user(7701, "Mai", "en")
    await worker.start()
    await worker.send(words)
    assert signs not in labels(worker.last_message)

    # The track's own link is not remembered: its pages come when nothing for workers matches.
    visitor = harness.user(7702, "Officer", "en")
    await visitor.start("frontline")
    await visitor.send("passenger indicators")
    assert labels(visitor.last_message)[0] == signs
    harness.emu.assert_clean()
