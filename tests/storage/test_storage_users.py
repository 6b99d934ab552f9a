"""User settings: upsert, first-touch campaign, validation, and /forget deleting everything."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from bot.privacy import user_key
from bot.storage import Storage, UserSettings
from bot.storage.schema import (
    broadcast_deliveries,
    chat_trail,
    handoff_cases,
    handoff_drafts,
    metadata,
    subscriptions,
    users,
)

SECRET = b"test-secret"
ALICE = user_key(SECRET, 111_222_333)
BOB = user_key(SECRET, 444_555_666)


async def test_unknown_user_has_no_settings(storage: Storage) -> None:
    assert await storage.get_user(ALICE) is None


async def test_update_creates_then_changes_only_given_fields(storage: Storage) -> None:
    created = await storage.update_user(ALICE, locale="my", country="th")
    assert (created.locale, created.country, created.home_country_asked, created.blocked) == (
        "my",
        "TH",
        False,
        False,
    )
    changed = await storage.update_user(ALICE, home_country="MM", home_country_asked=True)
    assert changed.locale == "my" and changed.country == "TH"
    assert changed.home_country == "MM" and changed.home_country_asked
    assert changed.updated_at is not None and created.updated_at is not None
    assert changed.updated_at >= created.updated_at
    assert await storage.get_user(ALICE) == changed


async def test_fields_can_be_cleared(storage: Storage) -> None:
    await storage.update_user(ALICE, country="TH")
    assert (await storage.update_user(ALICE, country=None)).country is None


async def test_campaign_is_first_touch(storage: Storage) -> None:
    await storage.set_campaign_if_absent(ALICE, "poster-bkk")
    assert (await storage.set_campaign_if_absent(ALICE, "radio")).campaign == "poster-bkk"
    assert (await storage.update_user(ALICE, campaign="radio")).campaign == "poster-bkk"
    assert (await storage.update_user(BOB, locale="km")).campaign is None
    assert (await storage.set_campaign_if_absent(BOB, "radio")).campaign == "radio"


async def test_blocked_flag_round_trips(storage: Storage) -> None:
    assert (await storage.update_user(ALICE, blocked=True)).blocked
    assert not (await storage.update_user(ALICE, blocked=False)).blocked


@pytest.mark.parametrize(
    "changes",
    [{"country": "Thailand"}, {"home_country": "1X"}, {"locale": "not a locale"}, {"campaign": "a b"}],
)
async def test_malformed_values_are_refused(storage: Storage, changes: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        await storage.update_user(ALICE, **changes)
    assert await storage.get_user(ALICE) is None


async def test_unknown_fields_are_refused(storage: Storage) -> None:
    with pytest.raises(TypeError):
        await storage.update_user(ALICE, name="Alice")
    with pytest.raises(TypeError):
        await storage.update_user(ALICE, blocked="yes")


async def test_raw_telegram_ids_are_refused_as_keys(storage: Storage) -> None:
    with pytest.raises(ValueError):
        await storage.update_user("111222333", locale="en")
    with pytest.raises(ValueError):
        await storage.get_user(ALICE.upper())


async def test_forget_deletes_every_row_about_the_user_only(storage: Storage) -> None:
    await storage.update_user(ALICE, locale="my", campaign="poster")
    await storage.update_user(BOB, locale="km")
    assert await storage.forget_user(ALICE)
    assert await storage.get_user(ALICE) is None
    assert await storage.get_user(BOB) == UserSettings(
        locale="km",
        updated_at=(await storage.get_user(BOB)).updated_at,  # type: ignore[union-attr]
    )
    async with storage.engine.connect() as connection:
        for table in metadata.sorted_tables:
            if "user_key" in table.c:
                found = await connection.scalar(
                    sa.select(sa.func.count()).select_from(table).where(table.c.user_key == ALICE)
                )
                assert found == 0, table.name
    assert not await storage.forget_user(ALICE)


def test_every_per_user_table_is_keyed_by_user_key() -> None:
    per_user = {t.name for t in metadata.sorted_tables if "user_key" in t.c}
    expected = {
        users.name,
        chat_trail.name,
        subscriptions.name,
        broadcast_deliveries.name,
        handoff_cases.name,
        handoff_drafts.name,
    }
    assert per_user == expected, "a new per-user table must have a user_key column so /forget finds it"
