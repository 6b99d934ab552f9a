"""After scripted journeys through the emulator the aggregate counters are exact, per campaign x event x node."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import sqlalchemy as sa

from bot.analytics import hll
from bot.privacy import user_key
from bot.storage.schema import analytics_uniques
from tests.privacy.journeys import EXPECTED, PEOPLE, SEARCH_EVENTS, campaign_bot, run_journeys, stored_counters


async def test_counters_are_exact_after_the_journeys(tmp_path: Path, db_url: str) -> None:
    async with campaign_bot(tmp_path, db_url=db_url) as harness:
        await run_journeys(harness)
        recorder = harness.services.analytics
        assert recorder is not None
        assert await stored_counters(harness) == Counter(), "nothing is written before a flush"
        await recorder.flush()
        stored = await stored_counters(harness)

        searches = Counter({key: n for key, n in stored.items() if key[2] in SEARCH_EVENTS})
        assert sum(n for key, n in searches.items() if key[2] != "helpline_shown") == 1, searches
        assert {key[:2] for key in searches} == {("", "en")}, "Ahmad's message counts for no campaign, in English"
        assert Counter({key: n for key, n in stored.items() if key[2] not in SEARCH_EVENTS}) == EXPECTED
        assert not any(key[0] == "evil-ngo" for key in stored), "a forged campaign in a button is never counted"
        assert not any(key[0] == "example-old-fair" for key in stored), "an expired campaign gets no new arrivals"

        # First touch: only the campaign code is kept with the (pseudonymous) user, and only while it is active.
        storage = harness.services.storage
        secret = harness.services.user_secret
        campaigns = []
        for person in PEOPLE:
            settings = await storage.get_user(user_key(secret, person.user_id))
            campaigns.append(settings.campaign if settings else None)
        assert campaigns == ["example-jakarta", "example-yangon", None, None, None]

        # People are estimated from day-salted sketches: five distinct people, in seven campaign x locale cells.
        async with storage.engine.connect() as connection:
            sketches = [
                (row.campaign, row.locale, row.registers)
                for row in await connection.execute(sa.select(analytics_uniques))
            ]
        cells = {(campaign, locale): hll.estimate(registers) for campaign, locale, registers in sketches}
        assert cells == {
            ("example-jakarta", "id"): 1,
            ("example-jakarta", "my"): 1,
            ("example-yangon", "en"): 1,
            ("example-yangon", "my"): 1,
            ("", "fil"): 1,
            ("", "en"): 1,
            ("", "th"): 1,
        }
        merged = hll.empty()
        for _, _, registers in sketches:
            merged = hll.merge(merged, registers)
        assert hll.estimate(merged) == len(PEOPLE)
