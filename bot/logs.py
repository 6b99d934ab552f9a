"""Logging set-up: plain lines, and libraries that would log request URLs (with the token) kept quiet."""

from __future__ import annotations

import logging


def configure_logging(level: str = "INFO") -> None:
    """Log to stderr at `level`; HTTP client libraries only log warnings (their URLs carry the token)."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("httpx", "httpcore", "aiohttp.access", "telegram.ext.Application"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
