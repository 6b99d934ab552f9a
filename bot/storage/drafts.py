"""Unfinished anonymous reports: which step a person is on and which of their messages answer which question.

Only message ids (in the person's own chat) are stored, never the answers' text, so a report started on one replica
(or before a restart) can be finished on another: the text the bot no longer holds is copied to the desk from the
person's chat instead (bot/handoff/report.py). One draft per user key; deleted when sent, cancelled or forgotten, and
by the sweep an hour after it was started.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.privacy import checked_key as _key
from bot.storage.cases import Case, open_case_query
from bot.storage.schema import handoff_drafts
from bot.storage.upsert import insert

STEPS = ("what", "country", "who", "shots", "follow")
ANSWERED = ("what", "country", "who")  # the steps answered with a message
MAX_SHOTS = 10  # screenshots kept per report (the column holds their ids)
SENDING = "sending"  # the step of a report on its way to the desk


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Draft:
    """A report being answered: the current step, the message answering each question so far, the screenshots."""

    user_key: str
    step: str
    what_id: int | None
    country_id: int | None
    who_id: int | None
    shots: tuple[int, ...]
    started_at: datetime

    def answer_id(self, step: str) -> int | None:
        """The id of the message that answered `step`, if any."""
        found: int | None = getattr(self, f"{step}_id")
        return found

    def answered(self, message_id: int) -> Draft:
        """The draft with `message_id` as the answer to the current question, on the next question."""
        ids = {f"{step}_id": message_id if step == self.step else self.answer_id(step) for step in ANSWERED}
        return Draft(self.user_key, next_step(self.step), shots=self.shots, started_at=self.started_at, **ids)


def _draft(row: sa.Row[tuple[object, ...]]) -> Draft:
    return _draft_values(row._asdict())


def _draft_values(values: dict[str, Any]) -> Draft:
    shots = str(values.pop("shots") or "")
    return Draft(shots=tuple(int(part) for part in shots.split(",") if part), **values)


def _prefixed(row: dict[str, Any], prefix: str) -> dict[str, Any]:
    return {name.removeprefix(prefix): value for name, value in row.items() if name.startswith(prefix)}


def _draft_query(key: str, started_after: datetime) -> sa.Select[tuple[object, ...]]:
    return sa.select(handoff_drafts).where(
        handoff_drafts.c.user_key == _key(key),
        handoff_drafts.c.started_at > started_after,
        handoff_drafts.c.step != SENDING,
    )


def next_step(step: str) -> str:
    """The question after `step` (the last one stays)."""
    index = STEPS.index(step) if step in STEPS else 0
    return STEPS[min(index + 1, len(STEPS) - 1)]


class DraftStore:
    """Async access to handoff_drafts."""

    def __init__(self, engine: AsyncEngine) -> None:
        """Use the bot's (migrated) database."""
        self._engine = engine

    async def start(self, key: str) -> Draft:
        """Start a new report for the user (an unfinished one is replaced)."""
        draft = Draft(_key(key), STEPS[0], None, None, None, (), _now())
        values = {name: getattr(draft, name) for name in Draft.__dataclass_fields__} | {"shots": ""}
        statement = insert(self._engine.dialect.name, handoff_drafts).values(values)
        statement = statement.on_conflict_do_update(
            index_elements=[handoff_drafts.c.user_key], set_={k: v for k, v in values.items() if k != "user_key"}
        )
        async with self._engine.begin() as connection:
            await connection.execute(statement)
        return draft

    async def get(self, key: str, started_after: datetime) -> Draft | None:
        """The user's report being answered, unless it was started before `started_after` (expired)."""
        async with self._engine.connect() as connection:
            row = (await connection.execute(_draft_query(key, started_after))).first()
        return None if row is None else _draft(row)

    async def where_is(self, key: str, started_after: datetime) -> tuple[Draft | None, Case | None]:
        """The user's report being answered and their open case, in one query: what every free-text message asks
        while a desk is configured."""
        person = sa.select(sa.literal(_key(key), sa.String()).label("k")).subquery("person")
        draft = _draft_query(key, started_after).subquery("draft")
        case = open_case_query(key).subquery("open_case")
        query = sa.select(
            *(column.label(f"d_{column.name}") for column in draft.c),
            *(column.label(f"c_{column.name}") for column in case.c),
        ).select_from(
            person.outerjoin(draft, draft.c.user_key == person.c.k).outerjoin(case, case.c.user_key == person.c.k)
        )
        async with self._engine.connect() as connection:
            row = (await connection.execute(query)).one()._asdict()
        found_draft = _draft_values(_prefixed(row, "d_")) if row["d_user_key"] is not None else None
        found_case = Case(**_prefixed(row, "c_")) if row["c_case_no"] is not None else None
        return found_draft, found_case

    async def save(self, draft: Draft) -> None:
        """Write the draft's step, answers and screenshots (its updates arrive in order, one at a time)."""
        statement = (
            sa.update(handoff_drafts)
            .where(handoff_drafts.c.user_key == _key(draft.user_key))
            .values(
                step=draft.step,
                what_id=draft.what_id,
                country_id=draft.country_id,
                who_id=draft.who_id,
                shots=",".join(str(shot) for shot in draft.shots[:MAX_SHOTS]),
            )
        )
        async with self._engine.begin() as connection:
            await connection.execute(statement)

    async def claim(self, key: str, started_after: datetime) -> Draft | None:
        """Mark the user's report as being sent and return it, or None when there is none (sent, cancelled,
        expired). A report left `sending` by a crash is claimed again when its update is run again: it may reach
        the desk twice, never not at all. Delete it (`drop`) once sent; `save` it back if the send failed."""
        statement = (
            sa.update(handoff_drafts)
            .where(handoff_drafts.c.user_key == _key(key), handoff_drafts.c.started_at > started_after)
            .values(step=SENDING)
            .returning(*handoff_drafts.c)
        )
        async with self._engine.begin() as connection:
            row = (await connection.execute(statement)).first()
        return None if row is None else _draft(row)

    async def drop(self, key: str) -> bool:
        """Cancel the user's report in progress; True when there was one."""
        statement = sa.delete(handoff_drafts).where(handoff_drafts.c.user_key == _key(key))
        async with self._engine.begin() as connection:
            return (await connection.execute(statement)).rowcount > 0

    async def purge(self, started_before: datetime) -> int:
        """Delete reports started before `started_before` and never finished; return how many."""
        statement = sa.delete(handoff_drafts).where(handoff_drafts.c.started_at <= started_before)
        async with self._engine.begin() as connection:
            return (await connection.execute(statement)).rowcount
