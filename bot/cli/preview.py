"""`python -m bot preview [--port N] [--no-watch] [--desk] [--review LOCALE]`: the offline preview in a browser;
saved changes reload; with --desk (or HANDOFF_CHAT_ID set) a simulated desk group beside the chat; with --review a
native speaker reviews a language's texts while using the bot."""

from __future__ import annotations

import argparse

from bot.cli._serve import serve
from bot.config import Settings

HELP = "preview the bot in a browser chat page, offline (default http://127.0.0.1:8080/)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of `preview`."""
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port to listen on (default: PORT, else 8080)")
    parser.add_argument(
        "--no-watch",
        dest="watch",
        action="store_false",
        help="do not reload the content when a file is saved (by default saved changes show up by themselves)",
    )
    parser.add_argument(
        "--review",
        metavar="LOCALE",
        help="review a language while using the bot: the English beside each text, 'looks right' or 'edit' "
        "(open /review; see docs/reviewing.md)",
    )
    parser.add_argument("--reviewer", default="", help="with --review: your initials or name, kept with each sign-off")
    parser.add_argument(
        "--desk",
        action="store_true",
        help="rehearse Talk to a person: a simulated desk group beside the chat (also on when HANDOFF_CHAT_ID is set)",
    )


def run(args: argparse.Namespace) -> int:
    """Run the emulator and the real bot against it until Ctrl+C."""

    async def preview(settings: Settings) -> None:
        from bot.runtime import run_preview

        await run_preview(
            settings,
            host=args.host,
            port=args.port or settings.port,
            watch=args.watch,
            desk=args.desk,
            review=args.review,
            reviewer=args.reviewer,
        )

    return serve(preview)
