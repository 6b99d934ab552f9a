"""Desk cases: numbered, one open conversation per user, the chat id dropped at close, idle and retention sweeps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.privacy import user_key
from bot.storage import Storage
from bot.storage.cases import CaseStore

SECRET = b"test-secret"
ALICE = user_key(SECRET, 111_222_333)
BOB = user_key(SECRET, 444_555_666)


async def test_cases_are_numbered_found_by_topic_and_closed_without_their_chat_id(storage: Storage) -> None:
    cases = CaseStore(storage.engine)
    first = await cases.open_case(ALICE, "chat", 111_222_333, "my", "TH")
    second = await cases.open_case(BOB, "chat", 444_555_666, "km", None)
    assert second.case_no == first.case_no + 1 and first.is_open
    await cases.set_thread(first.case_no, 42)
    found = await cases.by_thread(42)
    assert found is not None and found.case_no == first.case_no and found.chat_id == 111_222_333
    assert (await cases.open_for(ALICE)) == found
    closed = await cases.close(first.case_no)
    assert closed is not None and closed.chat_id == 111_222_333  # the case as it was, to tell the person
    assert await cases.close(first.case_no) is None
    after = await cases.by_thread(42)
    assert after is not None and after.status == "closed" and after.chat_id is None and after.closed_at
    assert await cases.open_for(ALICE) is None
    assert [c.case_no for c in await cases.open_cases_of(BOB)] == [second.case_no]


async def test_idle_cases_and_retention(storage: Storage) -> None:
    cases = CaseStore(storage.engine)
    case = await cases.open_case(ALICE, "chat", 1, "en", None)
    later = datetime.now(UTC) + timedelta(hours=80)
    assert [c.case_no for c in await cases.idle(later - timedelta(hours=72))] == [case.case_no]
    await cases.close(case.case_no)
    assert await cases.purge(datetime.now(UTC) - timedelta(days=30)) == 0
    assert await cases.purge(datetime.now(UTC) + timedelta(days=31)) == 1
    assert await cases.by_thread(0) is None


async def test_forget_deletes_the_cases(storage: Storage) -> None:
    cases = CaseStore(storage.engine)
    await cases.open_case(ALICE, "report", None, "en", None, status="closed")
    await cases.open_case(BOB, "chat", 2, "en", None)
    assert await storage.forget_user(ALICE)
    assert await cases.open_cases_of(BOB) != []
