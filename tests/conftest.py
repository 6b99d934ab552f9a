"""Shared fixtures: the real bot Application driven through the Bot API emulator, and both databases.

With REQUIRE_SERVICES=1 (set by .ci/run) a test skipped because PostgreSQL, Chromium or zbar is missing
fails instead, so CI can never pass by skipping them.
"""

from __future__ import annotations

import os
from collections.abc import Generator

import pytest

from bot.features import install

install()  # the feature content types, as the CLI and the bot register them
pytest_plugins = ["tests.dbfixtures", "tests.botfixtures"]

SERVICE_WORDS = ("postgres", "chromium", "zbar", "browser")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, None, None]:
    """Turn a skip for a missing service into a failure when services are required."""
    outcome = yield
    report = outcome.get_result()
    if not report.skipped or os.environ.get("REQUIRE_SERVICES") != "1":
        return
    reason = str(report.longrepr[-1] if isinstance(report.longrepr, tuple) else report.longrepr).lower()
    if any(word in reason for word in SERVICE_WORDS):
        report.outcome = "failed"
        report.longrepr = f"REQUIRE_SERVICES=1 but the test was skipped: {reason}"
