"""A scripted set of journeys through the emulator: several people, some through campaign links, some not.

Shared by the exact-counter test and the privacy scan. The campaign clock is fixed (TODAY), so which campaign
is active does not depend on when the tests run; the shipped example campaigns are used.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bot.callbacks import Header, Open, encode
from bot.campaigns import campaign_lookup
from bot.emulator import SimulatedUser
from bot.i18n import native_name
from bot.storage.schema import analytics_counters
from tests.botfixtures import Harness, running_bot

TODAY = date(2026, 6, 1)  # example-jakarta, example-yangon active; example-old-fair (May 2025) over

CounterKey = tuple[str, str, str, str, str]  # campaign, locale, event, node, detail


@dataclass(frozen=True, slots=True)
class Person:
    """A simulated Telegram user and everything about them the bot must never keep or log."""

    user_id: int
    first_name: str
    username: str | None
    language_code: str


PEOPLE = (
    Person(7_310_001, "Siti Rahayu", "siti_rahayu_88", "id"),
    Person(7_310_002, "Min Thu Aung", "minthuaung_ygn", "en"),
    Person(7_310_003, "Maria Luzviminda", "luzviminda_m", "fil"),
    Person(7_310_004, "Ahmad Faizal", None, "en"),
    Person(7_310_005, "Somchai Prasert", "somchai_p", "th"),
)
FREE_TEXT = "Ahmad Faizal here, my boss in Johor Bahru keeps my passport since March"

# What the journeys below must leave in analytics_counters, exactly (search events are checked apart).
EXPECTED: Counter[CounterKey] = Counter(
    {
        ("example-jakarta", "id", "start", "before-you-go/recruiters", ""): 1,
        ("example-jakarta", "id", "node_view", "before-you-go", ""): 1,
        ("example-jakarta", "id", "node_view", "before-you-go/fees", ""): 1,
        ("example-jakarta", "id", "node_view", "", ""): 1,
        ("example-jakarta", "my", "start", "recruitment-scams/job-adverts", ""): 1,
        ("example-yangon", "en", "start", "recruitment-scams/job-adverts", ""): 1,
        ("example-yangon", "en", "node_view", "", ""): 1,
        ("example-yangon", "my", "language_changed", "", "my"): 1,
        ("example-yangon", "my", "node_view", "trafficking", ""): 1,
        ("", "fil", "start", "if-something-goes-wrong", ""): 1,
        ("", "fil", "node_view", "if-something-goes-wrong/act-now", ""): 1,
        ("", "en", "start", "", ""): 1,
        ("", "en", "node_view", "your-rights", ""): 1,
        ("", "en", "node_view", "your-rights/embassy", ""): 1,
        ("", "th", "start", "", ""): 1,
    }
)
SEARCH_EVENTS = {"search_hit", "search_miss", "helpline_shown"}  # the free text: whichever the search decides


@asynccontextmanager
async def campaign_bot(tmp_path: Path, *, db_url: str | None = None, **overrides: Any) -> AsyncIterator[Harness]:
    """The bot on the shipped content, with the campaign clock fixed at TODAY."""
    async with running_bot(tmp_path, db_url=db_url, **overrides) as harness:
        services = dataclasses.replace(harness.services, campaigns=campaign_lookup(lambda: TODAY))
        harness.app.bot_data.services = services
        harness.services = services
        yield harness


def shown(user: SimulatedUser) -> str:
    """The text of the user's latest message."""
    return user.last_message.text or ""


def _title(harness: Harness, node_id: str, locale: str) -> str:
    return harness.services.live.current.content.text(node_id, locale).title


def _ui(harness: Harness, locale: str, key: str) -> str:
    return harness.services.live.current.ui(locale).t(key)


async def run_journeys(harness: Harness) -> None:
    """Play every journey; each step asserts what the person sees, so a broken journey fails loudly."""
    content = harness.services.live.current.content
    siti, min_thu, maria, ahmad, somchai = (
        harness.emu.user(p.user_id, p.first_name, language_code=p.language_code, username=p.username) for p in PEOPLE
    )

    # Siti scans the Jakarta poster: lands on the recruiters page in Indonesian, goes back, reads fees, goes home.
    await siti.start("example-jakarta")
    assert _title(harness, "before-you-go/recruiters", "id") in shown(siti)
    await siti.press(_ui(harness, "id", "button.back"))
    await siti.press(_title(harness, "before-you-go/fees", "id"))
    assert _title(harness, "before-you-go/fees", "id") in shown(siti)
    await siti.press(_ui(harness, "id", "button.home"))

    # Min Thu opens the Yangon link forced to English, goes home, switches to Burmese, opens Trafficking.
    await min_thu.start("c-example-yangon_l-en")
    assert _title(harness, "recruitment-scams/job-adverts", "en") in shown(min_thu)
    await min_thu.press(_ui(harness, "en", "button.home"))
    await min_thu.press(_ui(harness, "en", "button.language"))
    await min_thu.press(native_name("my"))
    await min_thu.press(_title(harness, "trafficking", "my"))
    assert _title(harness, "trafficking", "my") in shown(min_thu)

    # Maria uses the link of a campaign that is over: she lands in Filipino, but is not counted for it.
    await maria.start("example-old-fair")
    assert _title(harness, "if-something-goes-wrong", "fil") in shown(maria)
    await maria.press(_title(harness, "if-something-goes-wrong/act-now", "fil"))

    # Ahmad finds the bot without a link, opens Your rights, presses a forged button, then writes to the bot.
    await ahmad.start()
    await ahmad.press(_title(harness, "your-rights", "en"))
    message = ahmad.last_message
    forged_data = encode(Header("en", "evil-ngo"), Open(content.nodes["your-rights/embassy"].key))
    forged = {"inline_keyboard": [[{"text": "forged", "callback_data": forged_data}]]}
    harness.emu.world.chats[ahmad.id][message.message_id] = dataclasses.replace(message, reply_markup=forged)
    await ahmad.press("forged", message_id=message.message_id)
    assert _title(harness, "your-rights/embassy", "en") in shown(ahmad)
    message = ahmad.last_message  # and a press with garbage data: answered kindly, logged, counted nowhere
    garbage = {"inline_keyboard": [[{"text": "garbage", "callback_data": "m9|??|x"}]]}
    harness.emu.world.chats[ahmad.id][message.message_id] = dataclasses.replace(message, reply_markup=garbage)
    await ahmad.press("garbage", message_id=message.message_id)
    assert ahmad.callback_answers[-1].text == _ui(harness, "en", "error.stale_button")
    await ahmad.send(FREE_TEXT)

    # Somchai follows a link with a campaign that does not exist: a normal start, not counted for anyone.
    await somchai.start("c-nonexistent")
    assert _title(harness, "", "th") in shown(somchai)

    # Siti later scans a Yangon leaflet: first touch keeps her with Jakarta; the leaflet's language applies.
    await siti.start("example-yangon")
    assert _title(harness, "recruitment-scams/job-adverts", "my") in shown(siti)
    harness.emu.assert_clean()


async def stored_counters(harness: Harness) -> Counter[CounterKey]:
    """Every stored counter, summed over days (a run that crosses midnight UTC still adds up)."""
    found: Counter[CounterKey] = Counter()
    table = analytics_counters
    async with harness.services.storage.engine.connect() as connection:
        for row in await connection.execute(sa.select(table)):
            values = row._mapping
            found[(values["campaign"], values["locale"], values["event"], values["node"], values["detail"])] += values[
                "count"
            ]
    return found
