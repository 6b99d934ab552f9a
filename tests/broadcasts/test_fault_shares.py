"""The emulator's fault shares: a reproducible share of calls failed with 403, 5xx or a timeout, in Python and HTTP."""

from __future__ import annotations

from collections import Counter

import aiohttp
import pytest
from telegram import Bot
from telegram.error import Forbidden, NetworkError, TimedOut
from telegram.request import HTTPXRequest

from bot.emulator import Emulator
from bot.emulator.faults import Fault, FaultPlan, fault_from_json


def test_a_share_is_reproducible_and_about_its_size() -> None:
    """The same seed picks the same calls whatever the order between chats; another seed picks others."""
    fault = Fault("server_error", "sendMessage", times=None, share=0.05, seed=7)
    picked = [chat for chat in range(10_000) if fault.picks(chat, 0)]
    assert 400 < len(picked) < 600
    assert picked == [chat for chat in reversed(range(10_000)) if fault.picks(chat, 0)][::-1]
    other = Fault("server_error", "sendMessage", times=None, share=0.05, seed=8)
    assert picked != [chat for chat in range(10_000) if other.picks(chat, 0)]
    assert sum(fault.picks(picked[0], call) for call in range(1, 100)) < 20, "a retry is a new draw"


def test_several_shares_on_one_method_give_a_call_at_most_one_fault() -> None:
    """Tried oldest first: a call picked by two shares gets the older one's fault."""
    plan = FaultPlan()
    plan.share("forbidden", 0.5, method="sendMessage", seed=1)
    plan.share("server_error", 0.5, method="sendMessage", seed=1)
    kinds = Counter(
        fault.kind if (fault := plan.take("sendMessage", chat)) is not None else "ok" for chat in range(2_000)
    )
    assert 900 < kinds["forbidden"] < 1_100
    assert 400 < kinds["server_error"] < 600  # half of the other half
    assert plan.take("getMe", None) is None


def test_a_share_from_a_control_call() -> None:
    """A share over HTTP fires always unless `times` says otherwise; a bad share is refused."""
    fault = fault_from_json({"kind": "forbidden", "method": "sendMessage", "share": 0.05, "seed": 3})
    assert (fault.times, fault.status, fault.share, fault.seed) == (None, 403, 0.05, 3)
    assert fault_from_json({"kind": "timeout"}).times == 1
    with pytest.raises(ValueError, match="kind"):
        fault_from_json({"kind": "meteor"})
    with pytest.raises(ValueError, match="share"):
        FaultPlan().add(fault_from_json({"kind": "drop", "share": 1.5}))


async def test_ptb_gets_forbidden_network_error_and_timed_out() -> None:
    """403 is Forbidden, 500 NetworkError; a timeout is carried out and then TimedOut at the client."""
    request = HTTPXRequest(read_timeout=0.5)
    async with Emulator() as emu, Bot(emu.token, base_url=emu.base_url, request=request) as bot:
        emu.user(7, "Aung")
        emu.faults.forbidden("sendMessage")
        with pytest.raises(Forbidden, match=r"^Forbidden: bot was blocked by the user$"):
            await bot.send_message(7, "one")
        emu.faults.server_error("sendMessage")
        with pytest.raises(NetworkError):
            await bot.send_message(7, "two")
        emu.faults.timeout("sendMessage")
        with pytest.raises(TimedOut):
            await bot.send_message(7, "three")
        await bot.send_message(7, "four")
        assert [m.text for m in emu.user(7).bot_messages] == ["three", "four"], "the timed-out call was carried out"
        late = emu.calls("sendMessage")[2]
        assert late.ok and late.injected
        assert emu.errors == []


async def test_shares_over_http() -> None:
    """POST /control/faults with a share programs it; DELETE clears it."""
    async with Emulator() as emu, aiohttp.ClientSession(emu.url) as http:
        body = {"kind": "server_error", "method": "sendMessage", "share": 0.25, "seed": 5, "status": 502}
        async with http.post("/control/faults", json=body) as response:
            assert response.status == 200
        (fault,) = emu.faults.active
        assert (fault.kind, fault.share, fault.seed, fault.status, fault.times) == ("server_error", 0.25, 5, 502, None)
        async with http.post("/control/faults", json={"kind": "drop", "share": 2}) as response:
            assert response.status == 400
        async with http.delete("/control/faults") as response:
            assert response.status == 200
        assert emu.faults.active == []
