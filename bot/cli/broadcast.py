"""`python -m bot broadcast NAME`: send content/broadcasts/NAME.yaml to its topic's subscribers."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from datetime import timedelta

from bot.config import ConfigError, Settings, load_settings

WAIT_POLL = 1.0  # seconds between attempts to take over a run another process holds (--wait)

HELP = "send a broadcast to its topic's subscribers (--dry-run counts them); resumable, exactly once"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of `broadcast`."""
    parser.add_argument("name", help="the broadcast: content/broadcasts/NAME.yaml")
    parser.add_argument("--dry-run", action="store_true", help="count the recipients per language; send nothing")
    parser.add_argument("--locale", help="only subscribers whose language is this locale (the rest stay pending)")
    parser.add_argument("--limit", type=int, help="send at most N messages in this run (the rest stay pending)")
    parser.add_argument("--resume", action="store_true", help="continue a run that was started and interrupted")
    parser.add_argument(
        "--wait",
        action="store_true",
        help="when another process holds the run, wait and take it over if that process dies (its lease lapses)",
    )
    parser.add_argument(
        "--resend-uncertain",
        action="store_true",
        help="with --resume: also send the uncertain messages (on their way when a run died, or timed out); "
        "those that did arrive arrive twice",
    )


async def send(settings: Settings, args: argparse.Namespace) -> int:
    """Run the broadcast; 0 when it finished or stopped cleanly, 1 when it could not start."""
    from bot.app import build_application
    from bot.bootstrap import open_services
    from bot.broadcasts.console import ProgressBar, summary_lines
    from bot.broadcasts.model import broadcasts_of
    from bot.broadcasts.sender import Sender, SendOptions
    from bot.broadcasts.store import PENDING, BroadcastStore

    async with open_services(settings, analytics=False) as services:
        live = services.live.current
        broadcast = broadcasts_of(live.content).get(args.name)
        if broadcast is None:
            known = ", ".join(broadcasts_of(live.content)) or "none"
            print(
                f"error: no broadcast {args.name!r} in {settings.content_dir}/broadcasts (known: {known})",
                file=sys.stderr,
            )
            return 1
        store = BroadcastStore(services.storage)
        started = await store.runs([broadcast.name])
        if args.resend_uncertain and not args.resume:
            print("error: --resend-uncertain goes with --resume", file=sys.stderr)
            return 1
        if started and started[0].state == "running" and not args.resume and not args.dry_run:
            print(
                f"error: broadcast {broadcast.name!r} was started before and did not finish; "
                "add --resume to continue it (nobody gets it twice)",
                file=sys.stderr,
            )
            return 1
        options = SendOptions(
            dry_run=args.dry_run,
            locale=args.locale,
            limit=args.limit,
            resend_uncertain=args.resend_uncertain,
            lease=timedelta(seconds=settings.inbox_lease_seconds),
        )
        if settings.token is None and not args.dry_run:
            print("error: TELEGRAM_BOT_TOKEN is not set", file=sys.stderr)
            return 1
        total = await store.subscriber_count(broadcast.topic)
        if started:
            total = (await store.counts(broadcast.name))[PENDING] or total
        bar = None if args.dry_run else ProgressBar(min(total, args.limit) if args.limit else total)
        if args.dry_run:
            summary = await Sender(None, services.storage, live, broadcast, options).run()
        else:
            assert settings.token is not None
            app = build_application(
                services,
                token=settings.token,
                base_url=settings.api_base_url,
                rate_limit=True,
                with_updater=False,
            )
            async with app:
                stopped = asyncio.Event()
                sender = Sender(app.bot, services.storage, live, broadcast, options, progress=bar)

                def stop() -> None:
                    stopped.set()
                    sender.stop()

                loop = asyncio.get_running_loop()
                for sig in (signal.SIGTERM, signal.SIGINT):  # stop claiming, let the sends on their way finish
                    with contextlib.suppress(NotImplementedError):
                        loop.add_signal_handler(sig, stop)
                summary = await sender.run()
                if summary.status == "busy" and args.wait:
                    print("another process holds this broadcast; waiting to take it over", file=sys.stderr)
                while summary.status == "busy" and args.wait and not stopped.is_set():
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stopped.wait(), WAIT_POLL)
                    summary = await sender.run()
        if bar is not None:
            bar.close()
        for line in summary_lines(summary):
            print(line)
        if summary.status == "busy":
            print(
                "another process holds this broadcast; if it died, --wait takes the run over once its lease lapses "
                f"(INBOX_LEASE_SECONDS, {settings.inbox_lease_seconds:g} s)",
                file=sys.stderr,
            )
        return 0 if summary.status in ("done", "partial", "dry-run", "expired") else 1


def run(args: argparse.Namespace) -> int:
    """Load the settings and send."""
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return asyncio.run(send(settings, args))
