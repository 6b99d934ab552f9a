"""How tall a message is on a cheap phone: an estimate per script, for answers that must fit one screen.

The phone is 360×740 CSS px (the common cheap Android size). Telegram's chat area there is about 600 px high
(740 less the status bar, the chat's title bar and the input bar), and a message bubble about 288 px wide, which
leaves about 252 px of text per line. How many characters fill that line and how tall a line is depends on the
script: Burmese lines are half again as tall as Latin ones. The figures below were measured in Chromium with the
Noto fonts (tests/preview/test_numbers_browser.py renders the real answers and checks the estimate is not low).
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["CHAT_HEIGHT", "Script", "estimate_height", "keyboard_height", "script_of"]

CHAT_HEIGHT = 600  # CSS px of a 360×740 phone's chat area that one answer may take
BUBBLE_PADDING = 20  # above and below the text of a bubble
BUTTON_ROW = 44  # one row of an inline keyboard, with its gap


@dataclass(frozen=True, slots=True)
class Script:
    """Characters per line of a phone's message bubble, and a line's height in CSS px."""

    name: str
    per_line: float
    line_height: float


# Measured on 3,000 characters of each language's pages set as one paragraph in a 252 px wide bubble (16 px Noto
# fonts): characters rounded down and heights up, so that the estimate errs on the tall side.
SCRIPTS = {
    "LATIN": Script("latin", 28, 23),
    "THAI": Script("thai", 34, 25),
    "MYANMAR": Script("myanmar", 29, 36),
    "KHMER": Script("khmer", 33, 23),
    "DEVANAGARI": Script("devanagari", 36, 25),
    "BENGALI": Script("bengali", 31, 25),
    "ARABIC": Script("arabic", 32, 23),
}
_TAG = re.compile(r"<[^>]+>")


def _script_name(char: str) -> str:
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0] if name else ""


def script_of(text: str) -> Script:
    """The script most letters of `text` are written in (Latin when none is known)."""
    counts = Counter(_script_name(char) for char in text if char.isalpha())
    for name, _ in counts.most_common():
        if name in SCRIPTS:
            return SCRIPTS[name]
    return SCRIPTS["LATIN"]


def estimate_height(telegram_html: str, script: Script | None = None) -> float:
    """The height in CSS px of a message bubble holding `telegram_html` on a 360 px phone (estimate)."""
    text = html.unescape(_TAG.sub("", telegram_html))
    found = script or script_of(text)
    lines = sum(max(1, math.ceil(len(line) / found.per_line)) for line in text.split("\n"))
    return lines * found.line_height + BUBBLE_PADDING


def keyboard_height(rows: Sequence[object]) -> float:
    """The height of an inline keyboard of `rows` under a message."""
    return len(rows) * BUTTON_ROW
