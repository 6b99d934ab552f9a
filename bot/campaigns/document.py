"""campaigns.yaml: parse and check the campaign list, reporting every problem at file:line:col."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from bot.campaigns.model import CODE_MAX, CODE_RE, NAME, TOKEN_PREFIXES, Campaign, Campaigns
from bot.content.diagnostics import Mark, Report
from bot.content.model import Content
from bot.content.yamlio import YamlList, YamlMap

if TYPE_CHECKING:
    from bot.content.types import LoadContext

FILE = f"{NAME}.yaml"
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PARTNER_MAX = 120
KEYS: Mapping[str, str] = {
    "code": f"1-{CODE_MAX} characters of a-z, 0-9 and '-', starting with a letter or digit (it is in every button)",
    "partner": "the partner organisation (shown in the printable index, never to users)",
    "locale": "the language people from this link start in (an enabled locale of bot.yaml)",
    "landing": "the node id the link opens (default: the home menu), e.g. before-you-go/recruiters",
    "from": "first day arrivals are counted for the campaign, YYYY-MM-DD (UTC); default: always",
    "until": "last day arrivals are counted for the campaign, YYYY-MM-DD (UTC); default: no end",
    "note": "anything staff want to remember (where the posters hang ...); never shown to users",
}
REQUIRED = ("code", "partner", "locale")


class _Parser:
    """Turns the YAML of campaigns.yaml into Campaigns, reporting as it goes (every problem of every entry)."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.seen: dict[str, Mark] = {}

    def text(self, data: YamlMap, key: str) -> str | None:
        value = data.get(key)
        if value is None:
            if key in REQUIRED:
                self.report.error(data.mark, "missing-field", f"{key!r} is required: {KEYS[key]}")
            return None
        if not isinstance(value, str):
            # A plain scalar YAML reads as a number, a date or true/false (`code: 2026`, `locale: no`): take
            # it as written, which is what the author meant.
            written = data.plain_text(key)
            if written is not None and written.strip():
                return written.strip()
        if not isinstance(value, str) or not value.strip():
            self.report.error(
                data.value_mark(key),
                "wrong-type",
                f"{key} must be text, on one line (put it in quotes if in doubt: {key}: '...'): {KEYS[key]}",
            )
            return None
        return value.strip()

    def day(self, data: YamlMap, key: str) -> date | None:
        raw = data.get(key)
        if raw is None:
            return None
        text = str(raw).strip()
        try:
            if not DATE_RE.match(text):
                raise ValueError(text)
            return date.fromisoformat(text)
        except ValueError:
            self.report.error(data.value_mark(key), "bad-date", f"{key} must be a date like 2026-03-31, got {text!r}")
            return None

    def code(self, data: YamlMap) -> str | None:
        """The code as written (even when it has problems, to name the entry); every problem is reported."""
        code = self.text(data, "code")
        if code is None:
            return None
        mark = data.value_mark("code")
        if not CODE_RE.match(code):
            self.report.error(mark, "bad-code", f"code {code!r} must be {KEYS['code']}")
        if code.startswith(TOKEN_PREFIXES):
            self.report.error(
                mark, "bad-code", f"code {code!r} must not start with c-, l- or n- (those start deep-link tokens)"
            )
        if code in self.seen:
            first = self.seen[code]
            self.report.error(mark, "duplicate-id", f"code {code!r} is already used at line {first.line}")
        else:
            self.seen[code] = mark
        return code

    def entry(self, data: Any, mark: Mark) -> tuple[Campaign, bool] | None:
        """The entry as a Campaign and whether it is free of errors; None when it is not a mapping at all."""
        if not isinstance(data, YamlMap):
            self.report.error(mark, "wrong-type", "each campaign is a mapping: {code: ..., partner: ..., locale: ...}")
            return None
        for key in data:
            if key not in KEYS:
                self.report.error(data.key_mark(key), "unknown-key", f"unknown campaign key {key!r}")
        errors = len(self.report.errors)
        code = self.code(data)
        partner = self.text(data, "partner")
        if partner is not None and len(partner) > PARTNER_MAX:
            self.report.error(data.value_mark("partner"), "too-long", f"partner is at most {PARTNER_MAX} characters")
        locale = self.text(data, "locale")
        landing = self.text(data, "landing")
        note = self.text(data, "note") or ""
        active_from, active_until = self.day(data, "from"), self.day(data, "until")
        if active_from is not None and active_until is not None and active_from > active_until:
            self.report.error(
                data.value_mark("until"), "bad-date", f"until ({active_until}) is before from ({active_from})"
            )
        valid = len(self.report.errors) == errors and code is not None and partner is not None and locale is not None
        marks = {key: data.value_mark(key) for key in ("code", "locale", "landing", "until") if key in data}
        marks["entry"] = data.mark
        campaign = Campaign(code or "", partner or "", locale or "", landing, active_from, active_until, note, marks)
        return campaign, valid


def parse_campaigns(data: YamlMap, ctx: LoadContext) -> Campaigns:
    """Parse campaigns.yaml into Campaigns (entries with errors are reported and kept apart as `flawed`)."""
    for key in data:
        if key != "campaigns":
            ctx.report.error(data.key_mark(key), "unknown-key", f"unknown key {key!r}: {FILE} has one key, campaigns")
    raw = data.get("campaigns")
    if raw is None:
        return Campaigns()
    if not isinstance(raw, YamlList):
        ctx.report.error(data.value_mark("campaigns"), "wrong-type", "campaigns must be a list of campaigns")
        return Campaigns()
    parser = _Parser(ctx.report)
    good: list[Campaign] = []
    flawed: list[Campaign] = []
    for item, pos in zip(raw, raw.item_marks, strict=True):
        parsed = parser.entry(item, pos.mark)
        if parsed is not None:
            (good if parsed[1] else flawed).append(parsed[0])
    return Campaigns.build(good, flawed)


def _name(campaign: Campaign) -> str:
    """How a message names a campaign: its code, or where it is when it has none."""
    if campaign.code:
        return campaign.code
    return f"the campaign at line {campaign.marks.get('entry', Mark(FILE)).line}"


def closest(wanted: str, known: Sequence[str]) -> str | None:
    """The known name `wanted` was most likely meant to be: same letters in another case, else a near spelling."""
    folded = {name.replace("_", "-").lower(): name for name in known}
    exact = folded.get(wanted.replace("_", "-").lower())
    if exact is not None:
        return exact
    near = difflib.get_close_matches(wanted.lower(), list(folded), n=1, cutoff=0.75)
    return folded[near[0]] if near else None


def check_campaigns(content: Content, campaigns: Campaigns, report: Report) -> None:
    """Check what needs the whole content: enabled locales, existing landing nodes, no clash with locale codes.

    Entries that already had an error are checked too, so one run of `check` shows every problem of an entry.
    """
    bare_locales = {locale.lower() for locale in content.locales} | {
        locale.replace("_", "-").lower() for locale in content.locales
    }
    for campaign in (*campaigns.items, *campaigns.flawed):
        where = campaign.marks
        name = _name(campaign)
        if campaign.locale and campaign.locale not in content.locales:
            guess = closest(campaign.locale, content.locales)
            hint = f"; did you mean {guess!r}?" if guess else ""
            report.error(
                where.get("locale", Mark(FILE)),
                "unknown-locale",
                f"{name}: locale {campaign.locale!r} is not enabled in bot.yaml "
                f"(enabled: {', '.join(content.locales)}){hint}",
            )
        if campaign.landing is not None and campaign.landing not in content.nodes:
            report.error(
                where.get("landing", Mark(FILE)),
                "dangling-reference",
                f"{name}: landing {campaign.landing!r} is not a node id of {content.default_locale}/",
            )
        if campaign.code and campaign.code in bare_locales:
            report.error(
                where.get("code", Mark(FILE)),
                "bad-code",
                f"code {campaign.code!r} is also a locale code; a bare locale link would become this campaign",
            )
        # An ended campaign is not a mistake: its entry must stay so old posters still land on the right page.
        # `links` warns before printing posters for one; check does not (it would fail --strict by the calendar).


SCHEMA: Mapping[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "campaigns": {
            "type": "array",
            "items": {
                "type": "object",
                "required": list(REQUIRED),
                "additionalProperties": False,
                "properties": {
                    "code": {
                        "type": "string",
                        "pattern": CODE_RE.pattern,
                        "maxLength": CODE_MAX,
                        "description": KEYS["code"],
                    },
                    "partner": {"type": "string", "maxLength": PARTNER_MAX, "description": KEYS["partner"]},
                    "locale": {"type": "string", "description": KEYS["locale"]},
                    "landing": {"type": "string", "description": KEYS["landing"]},
                    # No "type": YAML 1.1 readers turn an unquoted date into a date object, editors keep text.
                    "from": {"pattern": DATE_RE.pattern, "description": KEYS["from"]},
                    "until": {"pattern": DATE_RE.pattern, "description": KEYS["until"]},
                    "note": {"type": "string", "description": KEYS["note"]},
                },
            },
        }
    },
}
