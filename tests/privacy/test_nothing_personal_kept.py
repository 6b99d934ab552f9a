"""After the journeys, no table row and no log line holds a simulated person's id, name, username or message."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from bot.logs import QUIET, configure_logging
from bot.runtime import CHATTY_LOGGERS, protect_logs
from tests.privacy.journeys import FREE_TEXT, PEOPLE, campaign_bot, run_journeys

EMULATOR_LOGGERS = "bot.emulator"  # the emulator plays Telegram, which does know its users


def needles() -> list[str]:
    """Everything that would identify a simulated person or repeat what they wrote."""
    found: list[str] = [FREE_TEXT, "Johor Bahru", "keeps my passport"]
    for person in PEOPLE:
        found.append(str(person.user_id))
        found.append(person.first_name)
        found.extend(part for part in person.first_name.split() if len(part) >= 4)
        if person.username:
            found.append(person.username)
    return found


def _pattern(word: str) -> str:
    """A needle as a regular expression. A number (a Telegram id) is found as a whole number only: id 7001 is in
    "7001" and "user7001", not in the timestamp 1765117001.2 (a substring match failed this test by the clock)."""
    if word.isdigit():
        return rf"(?<![0-9]){word}(?![0-9])"
    return re.escape(word)


def leaks(value: Any, words: list[str]) -> list[str]:
    """The needles found in one stored value (text, number, bytes)."""
    if value is None:
        return []
    if isinstance(value, bytes | bytearray | memoryview):
        data = bytes(value)
        return [word for word in words if re.search(_pattern(word).encode(), data, re.IGNORECASE)]
    text = str(value)
    return [word for word in words if re.search(_pattern(word), text, re.IGNORECASE)]


@contextmanager
def production_logging_at_debug() -> Iterator[None]:
    """Every logger at DEBUG, then the bot's own set-up for LOG_LEVEL=DEBUG (which quiets chatty libraries)."""
    manager = logging.root.manager
    names = [*manager.loggerDict, *QUIET, *CHATTY_LOGGERS]
    saved = {name: logging.getLogger(name).level for name in names}
    root_level = logging.getLogger().level
    try:
        for name in names:
            logging.getLogger(name).setLevel(logging.DEBUG)
        logging.getLogger().setLevel(logging.DEBUG)
        configure_logging("DEBUG")
        yield
    finally:
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)
        logging.getLogger().setLevel(root_level)


async def table_leaks(harness: Any, words: list[str]) -> list[str]:
    """Scan every table of the database (reflected, so tables added later are scanned too): all rows, all columns."""
    found: list[str] = []
    async with harness.services.storage.engine.connect() as connection:
        metadata = sa.MetaData()
        await connection.run_sync(metadata.reflect)
        assert {"users", "analytics_counters", "analytics_uniques"} <= set(metadata.tables)
        for table in metadata.sorted_tables:
            for row in await connection.execute(sa.select(table)):
                for column, value in row._mapping.items():
                    found += [f"{table.name}.{column}: {word!r}" for word in leaks(value, words)]
    return found


async def test_no_table_and_no_log_line_holds_personal_data(
    tmp_path: Path, db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    words = needles()
    with production_logging_at_debug():
        caplog.set_level(logging.DEBUG)
        async with campaign_bot(tmp_path, db_url=db_url) as harness:
            protect_logs(harness.services.settings)
            await run_journeys(harness)
            assert harness.services.analytics is not None
            await harness.services.analytics.flush()
            stored = await table_leaks(harness, words)
            users = await harness.services.storage.engine.connect()
            try:
                count = (await users.execute(sa.text("SELECT COUNT(*) FROM users"))).scalar_one()
            finally:
                await users.close()
    assert count >= 2, "the scan saw the rows the journeys wrote (Siti and Min Thu have a campaign)"
    assert stored == [], f"personal data in the database: {stored}"

    records = [r for r in caplog.records if not r.name.startswith(EMULATOR_LOGGERS)]
    assert any(r.name.startswith("bot.") for r in records), "the bot's own log lines were captured"
    logged = []
    for record in records:
        line = record.getMessage() + (record.exc_text or "") + repr(getattr(record, "args", ""))
        logged += [f"{record.name}: {word!r}" for word in leaks(line, words)]
    assert logged == [], f"personal data in log lines: {logged}"


def test_the_scan_finds_what_it_looks_for() -> None:
    words = needles()
    assert leaks(f"chat_id={PEOPLE[0].user_id}", words)
    assert leaks(b"\x00" + PEOPLE[1].username.encode() + b"\x00", words)  # type: ignore[union-attr]
    assert leaks("hello SITI RAHAYU", words)
    assert not leaks("example-jakarta id node_view before-you-go", words)
