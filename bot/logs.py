"""Logging set-up: plain lines, and no personal data — libraries that log ids or tokens are kept quiet.

PTB logs every Bot API call with its parameters (chat ids, message text) at DEBUG, and HTTP clients log
URLs that contain the bot token at INFO. LOG_LEVEL therefore applies to the bot's own loggers; those
libraries never log below WARNING, whatever LOG_LEVEL says.
"""

from __future__ import annotations

import logging

QUIET = ("httpx", "httpcore", "aiohttp.access", "telegram", "apscheduler")


def configure_logging(level: str = "INFO") -> None:
    """Log to stderr: the bot at `level`, libraries that could leak personal data at WARNING."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
