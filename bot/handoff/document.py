"""handoff.yaml: the desk's organisation, time zone and hours, checked at file:line:col."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import time
from types import MappingProxyType
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.content.diagnostics import Report
from bot.content.model import Content
from bot.content.yamlio import YamlMap
from bot.handoff.model import DAYS, DeskHours

if TYPE_CHECKING:
    from bot.content.types import LoadContext

EXAMPLE_CODE = "desk-example"
SPAN_RE = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")
KEYS: Mapping[str, str] = {
    "organisation": "who reads the messages, as people should see it (the NGO's name): one name, or one per "
    "language ({en: ..., my: ...}; en required), so each reader sees the name in their language",
    "timezone": "the desk's time zone, an IANA name such as Asia/Bangkok",
    "hours": "opening hours per day: {mon: '09:00-17:00', ...}; a day left out is closed",
    "example": "true while these are the shipped example values, not the partner NGO's: `check` warns and the bot "
    "says so at start; delete the line once organisation, timezone and hours are the NGO's",
}
SCHEMA: Mapping[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["organisation", "timezone", "hours"],
    "properties": {
        "organisation": {
            "description": KEYS["organisation"],
            "oneOf": [
                {"type": "string"},
                {"type": "object", "required": ["en"], "additionalProperties": {"type": "string"}},
            ],
        },
        "timezone": {"type": "string", "description": KEYS["timezone"]},
        "example": {"type": "boolean", "description": KEYS["example"]},
        "hours": {
            "type": "object",
            "description": KEYS["hours"],
            "additionalProperties": False,
            "properties": {day: {"type": "string", "pattern": SPAN_RE.pattern} for day in DAYS},
        },
    },
}


def _span(text: str) -> tuple[time, time] | None:
    match = SPAN_RE.match(text.strip())
    if match is None:
        return None
    h1, m1, h2, m2 = (int(group) for group in match.groups())
    if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59 or (h2 == 24 and m2):
        return None
    closes = time(23, 59, 59) if h2 == 24 else time(h2, m2)
    opens = time(h1, m1)
    return (opens, closes) if opens < closes else None


def parse_desk(data: YamlMap, ctx: LoadContext) -> DeskHours:
    """Parse handoff.yaml; every problem is reported, and a closed desk (no hours) is allowed."""
    report = ctx.report
    for key in data:
        if key not in KEYS:
            report.error(data.key_mark(key), "unknown-key", f"unknown key {key!r} (known: {', '.join(KEYS)})")
    organisation = data.get("organisation")
    names: dict[str, str] = {}
    if isinstance(organisation, YamlMap):  # one name per language
        for locale, value in organisation.items():
            if isinstance(value, str) and value.strip():
                names[str(locale)] = value.strip()
            else:
                report.error(organisation.value_mark(locale), "wrong-type", f"the {locale} name must be text")
        organisation = names.get("en", "")
    if not isinstance(organisation, str) or not organisation.strip():
        where = data.value_mark("organisation") if "organisation" in data else data.mark
        report.error(where, "missing-field", f"'organisation' is required: {KEYS['organisation']}")
        organisation = ""
    zone = data.get("timezone")
    if not isinstance(zone, str) or not zone.strip():
        where = data.value_mark("timezone") if "timezone" in data else data.mark
        report.error(where, "missing-field", f"'timezone' is required: {KEYS['timezone']}")
        zone = "UTC"
    else:
        try:
            ZoneInfo(zone.strip())
        except (ZoneInfoNotFoundError, ValueError):
            report.error(data.value_mark("timezone"), "bad-timezone", f"unknown time zone {zone!r}")
            zone = "UTC"
    hours: dict[int, tuple[time, time]] = {}
    raw = data.get("hours")
    if not isinstance(raw, YamlMap):
        where = data.value_mark("hours") if "hours" in data else data.mark
        report.error(where, "missing-field", f"'hours' is required: {KEYS['hours']}")
    else:
        for day, value in raw.items():
            if day not in DAYS:
                report.error(raw.key_mark(day), "unknown-key", f"unknown day {day!r} (days: {', '.join(DAYS)})")
                continue
            text = raw.plain_text(day) or (value if isinstance(value, str) else "")
            span = _span(str(text))
            if span is None:
                report.error(raw.value_mark(day), "bad-hours", f"{day} must be like '09:00-17:00', got {text!r}")
                continue
            hours[DAYS.index(day)] = span
    example = data.get("example", False)
    if not isinstance(example, bool):
        report.error(data.value_mark("example"), "wrong-type", f"'example' must be true or false: {KEYS['example']}")
        example = False
    elif example:
        report.warning(
            data.value_mark("example"),
            EXAMPLE_CODE,
            "these are example values (example: true): before turning the desk on (HANDOFF_CHAT_ID), write the "
            "partner NGO's name in each language, its time zone and hours, then delete `example: true`",
        )
    return DeskHours(organisation.strip(), zone.strip(), hours, MappingProxyType(names), example=example)


def check_desk(content: Content, desk: DeskHours, report: Report) -> None:
    """Nothing to cross-check with the rest of the content (the desk itself is a setting)."""
