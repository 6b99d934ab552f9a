"""Numbers as one unit: every phone number, time and time range the bot renders goes through here.

A person in danger must read a number whole and in the right order, in every script and in right-to-left text,
on a narrow phone screen, and be able to tap it. So:

- **Order.** In a right-to-left paragraph the Unicode bidirectional algorithm (which Telegram's apps apply) lays
  out groups of digits separated by spaces from right to left: "111 247 786" is drawn "786 247 111". Each number
  is put between two LEFT-TO-RIGHT MARKs (U+200E): strong left-to-right characters on both sides make every digit,
  "+", "-" and ":" between them left-to-right, so the groups keep their order. A mark is used rather than an isolate
  (U+2066 … U+2069) because it is as old as Unicode's bidirectional algorithm itself: phones whose fonts predate
  isolates draw them as boxes, and a mark is invisible everywhere.
- **One line, and tappable.** Telegram makes a number in a message tappable by itself (a `phone_number` entity):
  a bot cannot mark one (HTML has no tag for it and `tel:` links are refused), and the Bot API documents no rule
  beyond its example "+1-212-555-0123". Every separator is a risk to one side: a space or a hyphen lets the line
  break inside the number (Chromium breaks "+852-2157-9537" after a hyphen on a 360 px screen), a no-break space
  or a word joiner is not a character phone-number detectors accept (Telegram's Android app, whose source is
  public, looks for numbers only in text with six digits in a row, plain spaces allowed). So a phone number is
  written as its digits alone, after "+" when international: "+60380008000" never breaks (Unicode line breaking
  allows no break between digits) and is what every detector and dialler takes. Phone numbers are therefore always
  written with the digits 0-9, whatever the locale's digit style, and the marks sit outside the number. The
  grouping of the published form is lost; the directory keeps it (`display`) for staff. The icon before a number
  is joined to it with a no-break space; the dash of a time range with WORD JOINERs (U+2060).
- **Digit style.** Every other number (page counters, hours, counts) follows the locale's digit style, set in
  `content/bot.yaml` (`digits:`), so one message never mixes "পাতা 1 / 2" with "৪৮ ঘণ্টা".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

__all__ = [
    "DIGIT_STYLES",
    "LRM",
    "NBSP",
    "WJ",
    "clock",
    "hours_range",
    "latin_digits",
    "localize_digits",
    "phone",
    "phone_pattern",
    "with_icon",
]

LRM = "\u200e"  # LEFT-TO-RIGHT MARK
NBSP = "\u00a0"  # NO-BREAK SPACE
WJ = "\u2060"  # WORD JOINER: no line break on either side
RANGE_DASH = "\u2013"  # EN DASH between the two ends of a range

# The digits 0-9 of each style a locale may choose in bot.yaml (`digits:`); "latin" is the default.
DIGIT_STYLES: Mapping[str, str] = MappingProxyType(
    {
        "latin": "0123456789",
        "bengali": "০১২৩৪৫৬৭৮৯",
        "devanagari": "०१२३४५६७८९",
        "myanmar": "၀၁၂၃၄၅၆၇၈၉",
        "khmer": "០១២៣៤៥៦៧៨៩",
        "thai": "๐๑๒๓๔๕๖๗๘๙",
        "persian": "۰۱۲۳۴۵۶۷۸۹",  # Extended Arabic-Indic, as written in Dari and Persian
        "arabic": "٠١٢٣٤٥٦٧٨٩",
    }
)
_TABLES = {style: str.maketrans("0123456789", digits) for style, digits in DIGIT_STYLES.items()}
_TO_LATIN = str.maketrans({d: str(i) for digits in DIGIT_STYLES.values() for i, d in enumerate(digits)})
_PHONE = re.compile(r"^\+?\d+(?:[ -]\d+)*$")
_CLOCK = re.compile(r"^\d{1,2}:\d{2}$")


def localize_digits(text: str, style: str) -> str:
    """`text` with its ASCII digits written in `style` (unknown styles and "latin" leave it as it is)."""
    table = _TABLES.get(style)
    return text if table is None or style == "latin" else text.translate(table)


def latin_digits(text: str) -> str:
    """`text` with digits of any known style written 0-9."""
    return text.translate(_TO_LATIN)


def phone(number: str) -> str:
    """A phone number or short code as one left-to-right, unbreakable, dialable unit.

    `number` is digits in groups separated by spaces or hyphens, optionally after "+" ("+60 3 8000 8000",
    "0800-1000", "112"): the result is LRM "+60380008000" LRM. Anything else (a number published with
    parentheses) keeps its characters, with its spaces made no-break, between the same marks."""
    text = latin_digits(number.strip())
    body = re.sub(r"[ -]", "", text) if _PHONE.match(text) else re.sub(r"\s+", NBSP, text)
    return LRM + body + LRM


def phone_pattern() -> re.Pattern[str]:
    """What `phone` renders, found in text: the marks around an optional "+" and digits."""
    return re.compile(LRM + r"(\+?[0-9]+)" + LRM)


def with_icon(icon: str, unit: str) -> str:
    """An icon kept on the same line as the number after it."""
    return icon + NBSP + unit


def clock(time: str, style: str = "latin") -> str:
    """A time of day such as "07:30" as one left-to-right unit in the locale's digits."""
    return LRM + localize_digits(time.strip(), style) + LRM


def hours_range(hours: str, style: str = "latin") -> str:
    """Opening hours "07:30-21:00" as one unbreakable left-to-right unit, "07:30–21:00" in the locale's digits.

    Anything that is not a range of two times is returned with its digits localized, between the marks."""
    start, sep, end = hours.strip().partition("-")
    if sep and _CLOCK.match(start.strip()) and _CLOCK.match(end.strip()):
        body = localize_digits(start.strip(), style) + WJ + RANGE_DASH + WJ + localize_digits(end.strip(), style)
        return LRM + body + LRM
    return LRM + localize_digits(hours.strip(), style) + LRM
