"""What Talk to a person costs a message: free text with no desk, with a desk (but no case), and relayed in a case.

With a desk configured, every free-text message first asks the database whether the person is answering a report
or has a case open (one query on two indexed tables); a message in a case also counts against the shared rate
window and notes its activity (two writes) and is copied to the desk. Measured in process (every Bot API call
answered at once), the three subjects alternating in every round, medians over rounds quoted.

Run: .venv/bin/python benchmarks/handoff.py [--messages 2000] [--rounds 3] [--database-url postgresql+asyncpg://...]
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from telegram import Update
from telegram.request import RequestData

from benchmarks._common import median, percentile
from benchmarks.bot_throughput import InstantRequest
from bot.app import build_application
from bot.bootstrap import open_services
from bot.config import PROJECT_ROOT, Settings
from bot.privacy import user_key
from bot.storage.cases import CaseStore

DESK = -1001000000001
USERS = 50
PHRASES = ("agent fee", "is this job real", "visa from a broker", "contract changed", "salary not paid")


class DeskRequest(InstantRequest):
    """Answers at once, copyMessage included (with the MessageId Telegram returns)."""

    async def do_request(
        self, url: str, method: str, request_data: RequestData | None = None, **kwargs: Any
    ) -> tuple[int, bytes]:
        """copyMessage answers a MessageId; everything else as InstantRequest."""
        if url.endswith("/copyMessage"):
            self.calls += 1
            return 200, json.dumps({"ok": True, "result": {"message_id": 1}}).encode()
        return await super().do_request(url, method, request_data, **kwargs)


def message_update(update_id: int, user_id: int, text: str) -> dict[str, Any]:
    """A private text message as Telegram sends it."""
    user = {"id": user_id, "is_bot": False, "first_name": "U", "language_code": "en"}
    chat = {"id": user_id, "type": "private"}
    return {
        "update_id": update_id,
        "message": {"message_id": update_id, "date": 0, "chat": chat, "from": user, "text": text},
    }


async def run_subject(
    settings: Settings, first_user: int, messages: int, with_cases: bool
) -> tuple[float, list[float]]:
    """Feed `messages` free-text messages from USERS people one at a time; (messages/s, latencies in ms)."""
    async with open_services(settings) as services:
        if with_cases:
            store = CaseStore(services.storage.engine)
            for uid in range(first_user, first_user + USERS):
                key = user_key(services.user_secret, uid)
                if await store.open_for(key) is None:
                    case = await store.open_case(key, "chat", uid, "en", None)
                    await store.set_thread(case.case_no, 1000 + uid)
        app = build_application(
            services, token="1234567890:BENCH", rate_limit=False, request=DeskRequest(), with_updater=False
        )
        latencies: list[float] = []
        async with app:
            start = time.perf_counter()
            for index in range(messages):
                data = message_update(index + 1, first_user + index % USERS, PHRASES[index % len(PHRASES)])
                update = Update.de_json(data, app.bot)
                began = time.perf_counter()
                await app.process_update(update)
                latencies.append((time.perf_counter() - began) * 1000)
            elapsed = time.perf_counter() - start
        return messages / elapsed, latencies


async def main(messages: int, rounds: int, database_url: str | None) -> None:
    """Alternate the three subjects for `rounds` rounds and print medians."""
    with tempfile.TemporaryDirectory() as tmp:
        base = Settings(
            content_dir=PROJECT_ROOT / "content",
            locales_dir=PROJECT_ROOT / "locales",
            data_dir=Path(tmp),
            database_url=database_url or f"sqlite+aiosqlite:///{Path(tmp) / 'bench.sqlite3'}",
            user_key_secret="bench",
            analytics_flush_seconds=3600,
            # A limit no one reaches: the benchmark measures the relay, not the refusal.
            handoff_rate_limit=10**9,
        )
        desk = dataclasses.replace(base, handoff_chat_id=DESK)
        subjects = {
            "no desk": (base, 10_000, False),
            "desk, no case": (desk, 20_000, False),
            "desk, in a case": (desk, 30_000, True),
        }
        results: dict[str, list[tuple[float, list[float]]]] = {name: [] for name in subjects}
        for settings, first, cases in subjects.values():  # warm-up: content loaded, tables created
            await run_subject(settings, first, 100, cases)
        for _ in range(rounds):
            for name, (settings, first, cases) in subjects.items():
                results[name].append(await run_subject(settings, first, messages, cases))
    backend = "PostgreSQL" if database_url else "SQLite"
    print(f"{messages} free-text messages x {rounds} rounds, {USERS} people, {backend}, in process")
    print(f"{'subject':<18}{'msgs/s':>9}{'p50 ms':>9}{'p99 ms':>9}")
    baseline = median([rate for rate, _ in results["no desk"]])
    for name, runs in results.items():
        rate = median([r for r, _ in runs])
        p50 = median([percentile(lat, 50) for _, lat in runs])
        p99 = median([percentile(lat, 99) for _, lat in runs])
        print(f"{name:<18}{rate:>9.0f}{p50:>9.2f}{p99:>9.2f}   {rate / baseline:.2f}x no desk")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    asyncio.run(main(args.messages, args.rounds, args.database_url))
