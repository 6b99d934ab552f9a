"""A broadcast to 300 subscribers while the emulator fails 5 % of sends with 403, 5 % with 500 and 2 % by timeout."""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from pathlib import Path

from telegram.request import HTTPXRequest

from bot.app import build_application
from bot.broadcasts.model import broadcasts_of
from bot.broadcasts.sender import Sender, SendOptions
from bot.broadcasts.store import BLOCKED, FAILED, PENDING, SENT, SKIPPED, UNCERTAIN
from bot.privacy import user_key
from tests.botfixtures import running_bot
from tests.broadcasts.test_sender import FIRST_ID, subscribe_many

COUNT = 300
MAX_ATTEMPTS = 3


async def test_a_broadcast_through_403_500_and_timeouts(tmp_path: Path) -> None:
    """Blocked users are marked and skipped later, 500s retried (bounded) and delivered, timeouts uncertain and not
    sent again, nobody gets it twice, and the summary says what the emulator saw."""
    async with running_bot(tmp_path, broadcast_rate=5_000.0) as harness:
        emu = harness.emu
        await subscribe_many(harness, COUNT)
        emu.faults.share("forbidden", 0.05, method="sendMessage", seed=14)
        emu.faults.share("server_error", 0.05, method="sendMessage", seed=14)
        emu.faults.share("timeout", 0.02, method="sendMessage", seed=14)
        live = harness.services.live.current
        broadcast = broadcasts_of(live.content)["keep-copies"]
        storage = harness.services.storage
        request = HTTPXRequest(read_timeout=1.0, connection_pool_size=32)  # a timeout costs one second, not sixty
        app = build_application(
            harness.services, token=emu.token, base_url=emu.url, with_updater=False, request=request
        )
        options = SendOptions(concurrency=16, max_attempts=MAX_ATTEMPTS, retry_delay=0.01)
        async with app:
            summary = await Sender(app.bot, storage, live, broadcast, options).run()
            again = await Sender(app.bot, storage, live, broadcast, options).run()

            # What the emulator saw, per chat, in order: "ok", "late" (carried out, answer past the timeout) or a code.
            seen: dict[int, list[str]] = defaultdict(list)
            for request_ in emu.calls("sendMessage"):
                chat = int(str(request_.params["chat_id"]))
                answer = (
                    "late" if request_.ok and request_.injected else "ok" if request_.ok else str(request_.error_code)
                )
                seen[chat].append(answer)
            outcome = Counter(calls[-1] for calls in seen.values())
            retried = [calls for calls in seen.values() if calls[0] == "500"]
            assert len(seen) == COUNT and outcome["403"] > 0 and outcome["late"] > 0 and retried
            assert all(len(calls) <= MAX_ATTEMPTS for calls in seen.values()), "retries are bounded"
            assert all(calls[:-1] == ["500"] * (len(calls) - 1) for calls in seen.values()), "only 500s are retried"
            assert any(calls[-1] == "ok" for calls in retried), "a 500 retried is delivered"
            delivered = Counter(chat for chat, calls in seen.items() for call in calls if call in ("ok", "late"))
            assert max(delivered.values()) == 1, "nobody gets it twice"

            assert summary.status == "done"
            assert summary.sent == outcome["ok"]
            assert summary.blocked == outcome["403"]
            assert summary.uncertain == outcome["late"]
            assert summary.failed == outcome["500"]
            assert summary.skipped == 0
            assert summary.sent + summary.blocked + summary.uncertain + summary.failed == COUNT
            assert summary.total.get(PENDING, 0) == 0
            assert (summary.total[SENT], summary.total[BLOCKED], summary.total[UNCERTAIN], summary.total[FAILED]) == (
                summary.sent,
                summary.blocked,
                summary.uncertain,
                summary.failed,
            )
            assert again.status == "done" and again.sent == 0, "uncertain rows are not sent again by default"
            assert len(emu.calls("sendMessage")) == sum(len(calls) for calls in seen.values())

            blocked = sorted(chat for chat, calls in seen.items() if calls[-1] == "403")
            for chat in blocked:
                settings = await storage.get_user(user_key(harness.services.user_secret, chat))
                assert settings is not None and settings.blocked, "a 403 marks the user blocked"

            # The next broadcast to the topic, with Telegram well again: the blocked are skipped, the rest get it.
            emu.faults.clear()
            before = len(emu.calls("sendMessage"))
            follow_up = dataclasses.replace(broadcast, name="keep-copies-again")
            later = await Sender(app.bot, storage, live, follow_up, options).run()
        later_chats = [int(str(r.params["chat_id"])) for r in emu.calls("sendMessage")[before:]]
        assert later.status == "done"
        assert later.skipped == len(blocked) and later.total[SKIPPED] == len(blocked)
        assert later.sent == COUNT - len(blocked) and sorted(set(later_chats)) == sorted(set(seen) - set(blocked))
        assert len(later_chats) == len(set(later_chats))
        assert min(later_chats) >= FIRST_ID
        print(dict(outcome), "retried after a 500:", len(retried))
