"""`python -m bot preview [--port N]`: the offline preview in a browser, on the bundled content."""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.bootstrap import StartupError
from bot.config import ConfigError, load_settings
from bot.logs import configure_logging

HELP = "preview the bot in a browser chat page, offline (default http://127.0.0.1:8080/)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of `preview`."""
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port to listen on (default 8080)")


def run(args: argparse.Namespace) -> int:
    """Run the emulator and the real bot against it until Ctrl+C."""
    from bot.runtime import run_preview

    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level)
    try:
        asyncio.run(run_preview(settings, host=args.host, port=args.port))
    except StartupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        pass
    return 0
