"""`python -m bot [run]`: run the bot; with no TELEGRAM_BOT_TOKEN, run the offline preview instead."""

from __future__ import annotations

import argparse

from bot.cli._serve import serve
from bot.config import Settings

HELP = "run the bot (long polling, or webhook with WEBHOOK_URL); without a token, the offline preview"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """`run` takes its settings from the environment only."""


async def chosen_mode(settings: Settings) -> None:
    """The mode the settings ask for: preview without a token, webhook with WEBHOOK_URL, else polling."""
    if settings.token is None:
        from bot.runtime import run_preview

        await run_preview(settings, port=settings.port)
    elif settings.webhook_url is not None:
        from bot.webhook import run_webhook

        await run_webhook(settings)
    else:
        from bot.runtime import run_polling

        await run_polling(settings)


def run(args: argparse.Namespace) -> int:
    """Start the mode the settings ask for; a bad setting or content stops with one line."""
    return serve(chosen_mode)
