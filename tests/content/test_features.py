"""The content engine imports no feature; features plug their types in through `bot.features`."""

from __future__ import annotations

import subprocess
import sys

from bot.content.types import DOCUMENT_TYPES, NODE_TYPES
from bot.features import install

FEATURE_PACKAGES = ("bot.helplines", "bot.campaigns", "bot.quiz", "bot.broadcasts", "bot.search")


def test_content_engine_imports_no_feature() -> None:
    """Loading and checking content pulls in no feature module by itself."""
    code = (
        "import sys, bot.content.loader, bot.content.schema, bot.content.types;"
        f"print(','.join(m for m in sys.modules if m.startswith({FEATURE_PACKAGES!r})))"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert found == ""


def test_install_registers_every_feature_type_once() -> None:
    """`install` is idempotent and registers the features' document and node types."""
    install()
    install()
    assert {"helplines", "emergency-words", "likely-countries", "campaigns"} <= set(DOCUMENT_TYPES)
    assert "quiz" in NODE_TYPES
