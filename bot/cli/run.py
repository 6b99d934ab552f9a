"""`python -m bot [run]`: run the bot; with no TELEGRAM_BOT_TOKEN, run the offline preview instead."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from bot.bootstrap import StartupError
from bot.config import ConfigError, load_settings
from bot.logs import configure_logging

HELP = "run the bot (long polling, or webhook with WEBHOOK_URL); without a token, the offline preview"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """`run` takes its settings from the environment only."""


def run(args: argparse.Namespace) -> int:
    """Start the mode the settings ask for; a bad setting or content stops with one line."""
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level)
    from bot.runtime import protect_logs

    protect_logs(settings)
    try:
        if settings.token is None:
            from bot.runtime import run_preview

            asyncio.run(run_preview(settings, port=settings.port))
        elif settings.webhook_url is not None:
            from bot.webhook import run_webhook

            asyncio.run(run_webhook(settings))
        else:
            from bot.runtime import run_polling

            asyncio.run(run_polling(settings))
    except (StartupError, ConfigError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        logging.getLogger(__name__).info("stopped")
    return 0
