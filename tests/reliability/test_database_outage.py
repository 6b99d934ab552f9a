"""PostgreSQL goes away mid-run and comes back: nothing accepted is lost, nothing is answered twice.

The bot (webhook → inbox → delivery, in process) reaches PostgreSQL through a TCP proxy the test controls. Ten
people write /help and five press a country button while Telegram is slow to take the answers (3 s, so that on a
busy machine every answer is still on its way when the last update is stored); once every answer is on its way,
the proxy cuts every database connection and refuses new ones. The /help replies go out
meanwhile but their done-marks cannot be written; the presses are answered, then their handler fails on the
database (it saves the country) and waits to be retried; five more people write and the webhook answers 503
(Telegram keeps their updates and retries). When the proxy lets connections through again, every update is
answered exactly once (a retried press is not answered a second time), the inbox is empty, nothing was parked,
no apology was sent, and the next person is served.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from bot.callbacks import Header, SetCountry, encode
from bot.emulator import Emulator
from tests.dbfixtures import postgres_database
from tests.reliability.conftest import reliable_bot, settled, until
from tests.reliability.proxy import TcpProxy

pytestmark = pytest.mark.postgres

IN_FLIGHT = 10  # /help stored before the cut, their replies slowed down so the cut lands while they run
PRESSES = 5  # country presses stored before the cut: answered, then the handler fails on the database
DURING = 5  # written while the database is away: 503 until it is back
SLOW_REPLY = 3.0
REFUSALS = 10  # webhook 503s to see before the database comes back (Telegram retries every 0.2 s here)


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database (skipped with the reason when TEST_POSTGRES_URL is unset)."""
    yield from postgres_database()


def answers(emu: Emulator, method: str = "sendMessage") -> Counter[int]:
    """Successful calls of `method` per chat."""
    return Counter(int(r.params["chat_id"]) for r in emu.calls(method) if r.ok)


async def press_country(emu: Emulator, user_id: int) -> None:
    """Press "Malaysia" (where I am now) on the person's last message, as the country list's button does."""
    await emu.user(user_id).press_data(encode(Header("en"), SetCountry("c", "MY")))


async def test_database_away_and_back(tmp_path: Path, pg_url: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    url = make_url(pg_url)
    proxy = await TcpProxy(url.host or "127.0.0.1", url.port or 5432).start()
    through_proxy = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    first = tuple(range(7001, 7001 + IN_FLIGHT))
    later = tuple(range(7101, 7101 + DURING))
    pressing = tuple(range(7201, 7201 + PRESSES))
    try:
        async with reliable_bot(
            tmp_path, database_url=through_proxy, webhook_retry_delay=0.2, users=(*first, *later, *pressing, 7999)
        ) as bot:
            emu, server, delivery = bot.emu, bot.server, bot.server.delivery
            loop = asyncio.get_running_loop()
            for user_id in pressing:
                await emu.user(user_id).start()
            await settled(bot)
            started, handled_before = server.received, delivery.stats.handled
            emu.faults.delay("answerCallbackQuery", seconds=SLOW_REPLY, times=PRESSES)
            for user_id in pressing:
                await press_country(emu, user_id)
            for user_id in first:
                emu.faults.delay("sendMessage", seconds=SLOW_REPLY, chat_id=user_id)
                await emu.user(user_id).send("/help")

            async def all_replying() -> bool:  # each slowed answer consumes its fault when it reaches Telegram
                return server.received - started >= IN_FLIGHT + PRESSES and not emu.faults.active

            await until(all_replying, 20, "the first updates stored and their replies on their way")
            cut_at = loop.time()
            cut_off = proxy.cut()
            for user_id in later:
                await emu.user(user_id).send("/help")

            def refused() -> int:
                return sum("answering 503" in r.getMessage() for r in caplog.records)

            async def replies_out_and_refusals_seen() -> bool:
                sent, pressed = answers(emu), sum(r.ok for r in emu.calls("answerCallbackQuery"))
                return all(sent[u] >= 1 for u in first) and pressed == PRESSES and refused() >= REFUSALS

            await until(replies_out_and_refusals_seen, 30, "the slow replies sent and the webhook answering 503")
            waiting = len(emu.hub.pending)
            assert waiting == DURING, "Telegram still holds what was refused"
            assert all(answers(emu)[u] == 0 for u in later)
            assert delivery.stats.handled == handled_before, "no done-mark can be written while the database is away"
            proxy.restore()
            outage = loop.time() - cut_at
            await settled(bot, within=60)
            recovered = loop.time() - cut_at - outage

            sent = answers(emu)
            counts = await delivery.inbox.counts()
            print(
                f"\nOUTAGE database away {outage:.1f} s: {cut_off} connection(s) cut, {proxy.stats.refused} "
                f"refused; {IN_FLIGHT} updates in flight, {refused()} webhook 503s for {waiting} updates; "
                f"{PRESSES} presses; after restore all answered in {recovered:.1f} s: handled "
                f"{delivery.stats.handled - handled_before}, retried "
                f"{delivery.stats.retried}, parked {counts.parked}, duplicates "
                f"{sum(n - 1 for n in sent.values() if n > 1)}"
            )
            assert {u: sent[u] for u in (*first, *later)} == {u: 1 for u in (*first, *later)}, "each answered once"
            edits, pressed = answers(emu, "editMessageText"), Counter(a.user_id for a in emu.world.answers)
            assert {u: (edits[u], pressed[u]) for u in pressing} == {u: (1, 1) for u in pressing}
            assert delivery.stats.retried >= PRESSES, "the presses failed on the database and were tried again"
            assert counts.pending == 0 and counts.parked == 0 and delivery.stats.parked == 0
            assert delivery.stats.handled - handled_before == IN_FLIGHT + DURING + PRESSES
            generic = bot.services.live.current.ui("en").t("error.generic")
            assert not any(generic in str(r.params.get("text")) for r in emu.calls("sendMessage")), "no apology"
            assert [r for r in emu.requests if not r.ok and not r.injected] == []

            await emu.user(7999).send("/help")  # the process keeps serving
            await settled(bot)
            assert answers(emu)[7999] == 1
    finally:
        await proxy.close()
