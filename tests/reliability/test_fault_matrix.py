"""The fault matrix: each Bot API fault the emulator can inject, against each kind of conversation step.

For every cell the person gets their answer (for 403: is marked blocked), the update is handled once (one
done-mark, nothing parked, no apology), and the bot keeps serving the next person. Webhook → inbox → delivery
in process on SQLite; docs/reliability.md has the table and what each fault means.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.emulator import Emulator
from bot.privacy import user_key
from tests.reliability.conftest import FakeClock, reliable_bot, settled

FAULTS = ("429", "500", "timeout", "lost", "drop", "403", "not_modified", "too_old")
FLOWS = ("menu", "search", "help", "quiz", "campaign")
PRESSES = ("menu", "quiz")  # a press edits the message in place; the rest answer with a new message
CELLS = [(f, w) for f in FAULTS for w in FLOWS if f not in ("not_modified", "too_old") or w in PRESSES]
QUIZ_KEY = "4teyqvt2"  # content/en/job-offer-check.yaml
CAMPAIGN = "example-jakarta"  # content/campaigns.yaml
READ_TIMEOUT = 0.5


def ok_calls(emu: Emulator, method: str, chat_id: int) -> int:
    """Successful calls of `method` for `chat_id`."""
    return sum(1 for r in emu.calls(method) if r.ok and r.params.get("chat_id") == chat_id)


@pytest.mark.parametrize(("fault", "flow"), CELLS)
async def test_fault_matrix_cell(tmp_path: Path, fault: str, flow: str) -> None:
    clock = FakeClock()
    async with reliable_bot(tmp_path, clock=clock, read_timeout=READ_TIMEOUT) as bot:
        emu, delivery = bot.emu, bot.server.delivery
        user = emu.user(4242, "Ana", language_code="en")
        press = flow in PRESSES
        method = "editMessageText" if press else "sendMessage"
        if flow == "menu":
            await user.start()
        elif flow == "quiz":
            await user.start(f"n-{QUIZ_KEY}")
        if press:
            await settled(bot)
            label, message_id = user.last_message.buttons[0][0], user.last_message.message_id
        before, handled_before, sent_before = ok_calls(emu, method, user.id), delivery.stats.handled, len(emu.requests)

        if fault == "429":
            emu.faults.retry_after(method, seconds=1, chat_id=user.id)
        elif fault == "500":
            emu.faults.server_error(method, chat_id=user.id)
        elif fault == "timeout":  # Telegram does the call, but its answer comes after the bot stopped waiting
            emu.faults.delay(method, seconds=READ_TIMEOUT * 2, chat_id=user.id)
        elif fault == "lost":  # Telegram carries the call out, but its answer never reaches the bot
            emu.faults.lose_answer(method, chat_id=user.id)
        elif fault == "drop":
            emu.faults.drop(method, chat_id=user.id)
        elif fault == "403":
            user.block()
        elif fault == "not_modified":  # a double tap: the second press lands before the first edit is shown
            emu.faults.delay(method, seconds=0.3, chat_id=user.id)
        elif fault == "too_old":  # the press is answered after Telegram's 15 s
            emu.faults.delay("answerCallbackQuery", seconds=0.3)

        updates = 1
        if flow in PRESSES:
            await user.press(label, message_id=message_id)
            if fault == "not_modified":
                await user.press(label, message_id=message_id)
                updates = 2
            if fault == "too_old":
                clock.now += 20
        elif flow == "search":
            await user.send("passport")
        elif flow == "help":
            await user.send("/helpline")
        else:
            await user.start(CAMPAIGN)
        await settled(bot)

        answered = ok_calls(emu, method, user.id) - before
        counts = await delivery.inbox.counts()
        print(
            f"\nMATRIX {fault:>12} × {flow:<8} answers {answered}, handled {delivery.stats.handled - handled_before}, "
            f"retried {delivery.stats.retried}, parked {counts.parked}"
        )
        assert counts.parked == 0 and delivery.stats.parked == 0, "nothing may be given up"
        assert delivery.stats.handled - handled_before == updates, "each update handled (done-marked) once"
        if fault == "403":
            settings = await bot.services.storage.get_user(user_key(bot.services.user_secret, user.id))
            assert settings is not None and settings.blocked
            assert answered == 0
        elif fault == "timeout" and not press:
            # The first sendMessage went through after the bot gave up waiting; the retry sends it again. We
            # prefer a second copy to silence (docs/reliability.md), and it is at most one.
            assert answered in (1, 2)
        elif fault == "lost" and not press:
            # The message went out but the bot never heard so: the retry sends the second copy, always.
            assert answered == 2
        else:
            assert answered == 1
        if press and fault != "too_old":  # a query too old can no longer be answered by anyone
            assert emu.unanswered_callback_queries() == []
        generic = bot.services.live.current.ui("en").t("error.generic")
        assert not any(generic in str(r.params.get("text")) for r in emu.calls("sendMessage")), "no apology"
        refused = {str(r.description) for r in emu.requests[sent_before:] if not r.ok and not r.injected}
        not_modified = {
            "Bad Request: message is not modified: specified new message content and reply markup "
            "are exactly the same as a current content and reply markup of the message"
        }
        allowed = {
            "403": {"Forbidden: bot was blocked by the user"},
            "not_modified": not_modified,
            "lost": not_modified,  # the retried edit finds the screen already shown
            "too_old": {"Bad Request: query is too old and response timeout expired or query ID is invalid"},
        }.get(fault, set())
        assert refused <= allowed, refused

        other = emu.user(4343, "Bo", language_code="en")  # the process keeps serving
        await other.send("/help")
        await settled(bot)
        assert ok_calls(emu, "sendMessage", other.id) == 1
