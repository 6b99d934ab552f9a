"""The media file_id cache is per bot and can be overwritten or dropped."""

from __future__ import annotations

from bot.storage import Storage


async def test_file_ids_are_cached_per_bot(storage: Storage) -> None:
    assert await storage.get_file_id(1, "poster.jpg#abc") is None
    await storage.set_file_id(1, "poster.jpg#abc", "FILE-1")
    await storage.set_file_id(2, "poster.jpg#abc", "FILE-2")
    assert await storage.get_file_id(1, "poster.jpg#abc") == "FILE-1"
    assert await storage.get_file_id(2, "poster.jpg#abc") == "FILE-2"
    await storage.set_file_id(1, "poster.jpg#abc", "FILE-3")
    assert await storage.get_file_id(1, "poster.jpg#abc") == "FILE-3"
    await storage.delete_file_id(1, "poster.jpg#abc")
    assert await storage.get_file_id(1, "poster.jpg#abc") is None
    assert await storage.get_file_id(2, "poster.jpg#abc") == "FILE-2"


async def test_ping_reports_readiness(storage: Storage) -> None:
    assert await storage.ping()
    await storage.close()
    assert await storage.ping()  # the engine reconnects on demand after dispose


async def test_ping_is_false_when_the_database_is_gone(db_url: str) -> None:
    broken = await Storage.open(db_url)
    await broken.close()
    unreachable = Storage.__new__(Storage)
    from bot.storage.engine import create_engine

    Storage.__init__(unreachable, create_engine("postgresql+asyncpg://nobody@127.0.0.1:1/none"))
    try:
        assert not await unreachable.ping()
    finally:
        await unreachable.close()
