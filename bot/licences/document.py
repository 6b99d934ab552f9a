"""licence-checks.yaml: parse and check where to verify a recruitment agency's licence, country by country."""

from __future__ import annotations

import re
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from bot.content.diagnostics import Mark, Report
from bot.content.localized import check_texts, parse_texts
from bot.content.model import Content
from bot.content.yamlio import YamlList, YamlMap
from bot.licences.model import LicenceCheck, LicenceChecks, Role

if TYPE_CHECKING:
    from bot.content.types import LoadContext

NAME = "licence-checks"
REL = f"{NAME}.yaml"
TOP_KEYS = ("page", "texts", "countries", "translations")
TEXT_KEYS = {
    "lookup": "above a lookup: check the agency on this official list before paying anything",
    "ask": "for a country with no lookup: ask this authority, or the embassy where that is safe, before paying",
}
CHECK_KEYS = {
    "country": "ISO 3166-1 alpha-2 code",
    "role": "origin (sends workers) | destination (receives them)",
    "authority": "who licenses agencies, per locale: {en: ...}",
    "lookup": "addresses as published: https URLs, phone numbers, email addresses; none: the reader is told to ask",
    "confidence": "H (seen on an official page) or M (news or state media: shown with its source and date)",
    "source_title": "where the lookup was seen",
    "source_url": "https URL of that page",
    "source_date": "the page's date (YYYY, YYYY-MM, YYYY-MM-DD) or 'undated'",
    "read_on": "the day the page was read (YYYY-MM-DD)",
    "note": "advice for this country only, per locale",
}
CODE_RE = re.compile(r"^[A-Z]{2}$")
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
PHONE_RE = re.compile(r"^\+?[0-9][0-9 ()-]{2,18}[0-9]$")
EMAIL_RE = re.compile(r"^[^@\s]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")


def _text(data: YamlMap, key: str) -> str:
    value = data.get(key)
    return str(value).strip() if value is not None else ""


def _lookup(data: YamlMap, report: Report) -> tuple[str, ...]:
    raw = data.get("lookup")
    if raw is None:
        return ()
    if not isinstance(raw, YamlList):
        report.error(data.value_mark("lookup"), "wrong-type", "lookup is a list of addresses")
        return ()
    found: list[str] = []
    for item, pos in zip(raw, raw.item_marks, strict=True):
        value = str(item).strip()
        if value.startswith("https://") or PHONE_RE.match(value) or EMAIL_RE.match(value):
            found.append(value)
        elif value.startswith("http"):
            report.error(pos.mark, "bad-url", f"{value!r}: an address must start with https://")
        else:
            report.error(pos.mark, "wrong-type", f"{value!r} is not an https URL, a phone number or an email address")
    return tuple(found)


def _check(item: Any, mark: Mark, ctx: LoadContext, seen: set[str]) -> LicenceCheck | None:
    report = ctx.report
    if not isinstance(item, YamlMap):
        report.error(mark, "wrong-type", "each country is {country, role, authority, ...}")
        return None
    for key in item:
        if key not in CHECK_KEYS:
            report.error(item.key_mark(key), "unknown-key", f"unknown key {key!r}; use {', '.join(CHECK_KEYS)}")
    country = _text(item, "country")
    if not CODE_RE.match(country):
        report.error(item.value_mark("country") if "country" in item else mark, "bad-country", f"{country!r}")
        return None
    if country in seen:
        report.error(item.value_mark("country"), "duplicate-id", f"{country} is listed twice")
        return None
    seen.add(country)
    role = _text(item, "role")
    if role not in Role._value2member_map_:
        report.error(item.value_mark("role") if "role" in item else mark, "unknown-value", "role: origin|destination")
        return None
    authority = parse_texts(item, "authority", report, ctx.default_locale)
    lookup = _lookup(item, report)
    values = {key: _text(item, key) for key in ("confidence", "source_title", "source_url", "source_date", "read_on")}
    if lookup:
        missing = [key for key, value in values.items() if not value]
        if missing:
            report.error(mark, "missing-source", f"{country}: a lookup needs {', '.join(missing)}")
            return None
        if values["confidence"] not in ("H", "M"):
            report.error(item.value_mark("confidence"), "bad-confidence", "confidence is H or M (L is never shown)")
            return None
        if not values["source_url"].startswith("https://"):
            report.error(item.value_mark("source_url"), "bad-url", "source_url must start with https://")
            return None
        dates = (("source_date", values["source_date"] != "undated"), ("read_on", True))
        for key, dated in dates:
            if dated and not DATE_RE.match(values[key]):
                report.error(item.value_mark(key), "bad-date", f"{key} is YYYY-MM-DD (or YYYY-MM, YYYY)")
                return None
    note = parse_texts(item, "note", report, ctx.default_locale, required=False)
    if not authority:
        return None
    return LicenceCheck(country, Role(role), authority, lookup, note=note, mark=mark, **values)


def parse_licence_checks(data: YamlMap, ctx: LoadContext) -> LicenceChecks:
    """Parse licence-checks.yaml: {page, texts: {lookup, ask}, countries: [...], translations}."""
    from bot.helplines.document import parse_translations  # the same translations: block as helplines.yaml

    report = ctx.report
    for key in data:
        if key not in TOP_KEYS:
            report.error(data.key_mark(key), "unknown-key", f"unknown key {key!r}; use {', '.join(TOP_KEYS)}")
    page = _text(data, "page")
    if not page:
        report.error(data.mark, "missing-field", "page: the id of the page the checks are shown on")
    texts: dict[str, Any] = {}
    raw_texts = data.get("texts")
    if isinstance(raw_texts, YamlMap):
        for key in raw_texts:
            if key not in TEXT_KEYS:
                report.error(raw_texts.key_mark(key), "unknown-key", f"unknown text {key!r}; use lookup, ask")
        texts = {key: parse_texts(raw_texts, key, report, ctx.default_locale) for key in TEXT_KEYS}
    else:
        report.error(data.mark, "missing-field", "texts: {lookup: {en: ...}, ask: {en: ...}}")
    checks: list[LicenceCheck] = []
    raw = data.get("countries")
    if not isinstance(raw, YamlList):
        report.error(data.mark, "wrong-type", "countries is a list")
    else:
        seen: set[str] = set()
        for item, pos in zip(raw, raw.item_marks, strict=True):
            check = _check(item, pos.mark, ctx, seen)
            if check is not None:
                checks.append(check)
    unreviewed, marks = parse_translations(data, ctx)
    return LicenceChecks(page, tuple(checks), MappingProxyType(texts), tuple(unreviewed), MappingProxyType(marks))


def check_licence_checks(content: Content, checks: LicenceChecks, report: Report) -> None:
    """The page exists; countries are known; texts are translated; authorities name no unknown locale."""
    from bot.content.loader import UNREVIEWED  # lazy: the loader imports the registries
    from bot.helplines.screens import country_names  # lazy: likewise

    node = content.nodes.get(checks.page)
    if checks.page and (node is None or node.is_menu):
        report.error(Mark(REL), "dangling-reference", f"page: {checks.page!r} is not a page of the content")
    for key, texts in checks.texts.items():
        check_texts(content, texts, Mark(REL), f"texts.{key}", report)
    known = country_names("en")
    for check in checks.checks:
        if check.country not in known:
            report.error(check.mark, "bad-country", f"{check.country} is not a country Babel knows")
        for locale in check.authority:
            if locale not in content.locales:
                report.error(check.mark, "unknown-locale", f"{check.country}: authority in {locale}, not a locale")
        if check.note:
            check_texts(content, check.note, check.mark, f"{check.country} note", report)
    for locale in checks.machine_unreviewed:
        if locale in content.locales:
            report.warning(
                checks.translation_marks.get(locale, Mark(REL)),
                UNREVIEWED,
                f"licence-check texts in {locale} are machine translations not yet reviewed by a native speaker",
            )


SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["page", "texts", "countries"],
    "properties": {
        "page": {"type": "string", "description": "the id of the page the checks are shown on"},
        "texts": {
            "type": "object",
            "properties": {
                key: {"type": "object", "additionalProperties": {"type": "string"}, "description": text}
                for key, text in TEXT_KEYS.items()
            },
            "additionalProperties": False,
        },
        "countries": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["country", "role", "authority"],
                "properties": {
                    key: (
                        {"type": "array", "items": {"type": "string"}, "description": text}
                        if key == "lookup"
                        else {"type": "object", "additionalProperties": {"type": "string"}, "description": text}
                        if key in ("authority", "note")
                        else {"type": "string", "description": text}
                    )
                    for key, text in CHECK_KEYS.items()
                },
                "additionalProperties": False,
            },
        },
        "translations": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "properties": {"machine": {"type": "boolean"}, "reviewed": {"type": "boolean"}},
                "additionalProperties": False,
            },
        },
    },
    "additionalProperties": False,
}
