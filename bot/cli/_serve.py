"""What every long-running command shares: settings, logging without secrets, one-line errors."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Callable, Coroutine
from typing import Any

from bot.bootstrap import StartupError
from bot.config import ConfigError, Settings, load_settings
from bot.logs import configure_logging

Mode = Callable[[Settings], Coroutine[Any, Any, None]]


def serve(mode: Mode) -> int:
    """Load settings, set up logging, run `mode` until stopped; a bad setting or content is one line, exit 2."""
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level)
    from bot.runtime import protect_logs

    protect_logs(settings)
    try:
        asyncio.run(mode(settings))
    except (StartupError, ConfigError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        logging.getLogger(__name__).info("stopped")
    return 0
