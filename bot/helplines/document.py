"""helplines.yaml: parse and check the helpline directory, reporting every problem at file:line:col."""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

import phonenumbers
from babel import Locale

from bot.content.diagnostics import Mark, Report
from bot.content.model import Content, Purpose
from bot.content.yamlio import YamlList, YamlMap
from bot.helplines.model import (
    Confidence,
    Contact,
    ContactKind,
    Directory,
    EmergencyKind,
    EmergencyNumber,
    Helpline,
    OtherNumber,
    PartialDate,
    Reach,
    Serves,
)

if TYPE_CHECKING:
    from bot.content.types import LoadContext

NAME = "helplines"
DEFAULT_MAX_AGE_DAYS = 180
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,40}$")
DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
HOURS_RE = re.compile(r"^(24/7|([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d)$")
# A national short code as published: an optional "+CC " or "(0x) "/"0xx-" prefix, then 3-6 digits.
SHORT_CODE_RE = re.compile(r"^(?:\+(?P<cc>\d{1,3})[ -]?|\(?(?P<area>0\d{1,3})\)?[ -]?)?(?P<code>\d{3,6})$")
EMAIL_RE = re.compile(r"^[^@\s]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")
_ENGLISH = Locale("en")
ENTRY_KEYS = {
    "id": "a short unique id (a-z, 0-9, -)",
    "country": "ISO 3166-1 alpha-2 code of the country the line is in",
    "organisation": "who runs the line",
    "name": "the line's name per locale: {en: ..., id: ...}",
    "description": "what the line is for, per locale",
    "purposes": "helpline purposes",
    "contacts": "phones, short codes, WhatsApp, email, URLs",
    "serves": "in-country | nationals-abroad | both",
    "languages": "language codes served",
    "hours": "24/7 or HH:MM-HH:MM",
    "days": "every-day | weekdays (Monday to Friday) | saturday-thursday (the Gulf working week)",
    "timezone": "IANA time zone of the hours",
    "source_title": "the source as cited",
    "source_url": "https URL of the source",
    "source_date": "YYYY, YYYY-MM or YYYY-MM-DD, or 'undated'",
    "verified_on": "when staff last checked the entry against its source",
    "confidence": "H, M or L",
    "note": "doubts, inconsistencies, how it was checked (staff only)",
}
CONTACT_KINDS = {kind.value for kind in ContactKind}
CONTACT_KEYS = CONTACT_KINDS | {"reach", "label", "validated", "note"}
EMERGENCY_KEYS = {"number", "confidence", "source_title", "source_url", "note", "label", "also", "police_line"}
DAYS = ("every-day", "weekdays", "saturday-thursday")
OTHER_KEYS = {"number", "label", "source_title", "source_url", "note"}
EMERGENCY_RE = re.compile(r"^\d{2,4}$")
TRANSLATION_KEYS = {"machine", "reviewed"}


class _Parser:
    """Turns the YAML of helplines.yaml into a Directory, reporting as it goes."""

    def __init__(self, ctx: LoadContext) -> None:
        self.ctx = ctx
        self.report: Report = ctx.report

    def error(self, mark: Mark, code: str, message: str) -> None:
        self.report.error(mark, code, message)

    def text(self, data: YamlMap, key: str, *, required: bool = True) -> str:
        value = data.get(key)
        if value is None:
            if required:
                self.error(data.mark, "missing-field", f"{key!r} is required: {ENTRY_KEYS.get(key, key)}")
            return ""
        if not isinstance(value, str) or not value.strip():
            self.error(data.value_mark(key), "wrong-type", f"{key} must be text")
            return ""
        return value.strip()

    def localized(self, data: YamlMap, key: str, *, required: bool) -> Mapping[str, str]:
        value = data.get(key)
        if value is None:
            if required:
                self.error(data.mark, "missing-field", f"{key!r} is required, at least in {self.ctx.default_locale}")
            return {}
        if isinstance(value, str):
            return {self.ctx.default_locale: value.strip()}
        if not isinstance(value, YamlMap) or not all(isinstance(v, str) and v.strip() for v in value.values()):
            self.error(data.value_mark(key), "wrong-type", f"{key} must map locales to text: {{en: ...}}")
            return {}
        if self.ctx.default_locale not in value:
            self.error(data.value_mark(key), "missing-field", f"{key} needs a {self.ctx.default_locale} text")
        return {locale: text.strip() for locale, text in value.items()}

    def partial_date(self, data: YamlMap, key: str, *, allow_undated: bool) -> PartialDate | None:
        raw = data.get(key)
        if raw is None:
            self.error(data.mark, "missing-field", f"{key!r} is required: {ENTRY_KEYS[key]}")
            return None
        text = str(raw).strip()
        if allow_undated and text == "undated":
            return None
        found = DATE_RE.match(text)
        try:
            if found is None:
                raise ValueError(text)
            year, month, day = (int(g) if g else None for g in found.groups())
            assert year is not None
            parsed = PartialDate(year, month, day)
            parsed.latest  # noqa: B018 - validates month and day
        except ValueError:
            hint = " or 'undated'" if allow_undated else ""
            self.error(
                data.value_mark(key), "bad-date", f"{key} must be YYYY, YYYY-MM or YYYY-MM-DD{hint}, got {text!r}"
            )
            return None
        return parsed

    def https(self, data: YamlMap, key: str, value: Any) -> str:
        if not isinstance(value, str) or not re.match(r"^https://[^\s/]+\.[^\s]+$", value.strip()):
            self.error(data.value_mark(key), "bad-url", f"{key} must be an https:// URL, got {value!r}")
            return ""
        return value.strip()

    def country(self, data: YamlMap, key: str, value: Any) -> str:
        if not isinstance(value, str) or len(value) != 2 or not value.isupper() or value not in _ENGLISH.territories:
            self.error(
                data.value_mark(key),
                "bad-country",
                f"{key} must be an ISO 3166-1 alpha-2 code such as MY, got {value!r}",
            )
            return ""
        return value

    def confidence(self, data: YamlMap) -> Confidence | None:
        raw = data.get("confidence")
        try:
            return Confidence(str(raw))
        except ValueError:
            self.error(data.value_mark("confidence"), "bad-confidence", f"confidence must be H, M or L, got {raw!r}")
            return None

    # --- contacts ----------------------------------------------------------------------------------

    def contact(self, item: Any, mark: Mark, country: str) -> Contact | None:
        if not isinstance(item, YamlMap):
            self.error(mark, "wrong-type", "a contact is a mapping such as {phone: '+62 21 29244800'}")
            return None
        for key in item:
            if key not in CONTACT_KEYS:
                self.error(item.key_mark(key), "unknown-key", f"unknown contact key {key!r}")
        kinds = [key for key in item if key in CONTACT_KINDS]
        if len(kinds) != 1:
            self.error(item.mark, "wrong-type", f"a contact has exactly one of {', '.join(sorted(CONTACT_KINDS))}")
            return None
        kind = ContactKind(kinds[0])
        raw = item[kind.value]
        vmark = item.value_mark(kind.value)
        if not isinstance(raw, str) or not raw.strip():
            self.error(vmark, "wrong-type", f"{kind.value} must be text (quote numbers: '1343')")
            return None
        raw = raw.strip()
        reach = Reach.ANYWHERE
        if "reach" in item:
            try:
                reach = Reach(item["reach"])
            except ValueError:
                self.error(
                    item.value_mark("reach"), "unknown-value", "reach must be anywhere, in-country or from-abroad"
                )
        label = self.localized(item, "label", required=False)
        note = item.get("note", "")
        validated = item.get("validated", True)
        if not isinstance(validated, bool):
            self.error(item.value_mark("validated"), "wrong-type", "validated must be true or false")
            validated = True
        if not validated and not (isinstance(note, str) and note.strip()):
            self.error(item.mark, "missing-field", "a contact with validated: false needs a note saying why")
        note = note.strip() if isinstance(note, str) else ""
        if kind in (ContactKind.PHONE, ContactKind.WHATSAPP):
            return self.phone(kind, raw, vmark, country, reach, label, validated, note)
        if kind is ContactKind.SHORT_CODE:
            return self.short_code(raw, vmark, country, reach, label, note)
        if kind is ContactKind.EMAIL:
            if not EMAIL_RE.match(raw):
                self.error(vmark, "bad-email", f"{raw!r} is not an email address")
                return None
            return Contact(kind, raw, raw, reach, label, True, note)
        url = self.https(item, kind.value, raw)
        return Contact(kind, url, url.removeprefix("https://").rstrip("/"), reach, label, True, note) if url else None

    def phone(
        self,
        kind: ContactKind,
        raw: str,
        mark: Mark,
        country: str,
        reach: Reach,
        label: Mapping[str, str],
        validated: bool,
        note: str,
    ) -> Contact | None:
        if not validated:
            digits = re.sub(r"[\s()-]", "", raw)
            if not re.match(r"^\+?\d{3,15}$", digits):
                self.error(mark, "bad-phone", f"{raw!r}: only digits, spaces, '-', '()' and a leading '+' are allowed")
                return None
            return Contact(kind, digits, raw.replace("-", " "), reach, label, False, note)
        try:
            number = phonenumbers.parse(raw, country or None)
        except phonenumbers.NumberParseException as exc:
            self.error(mark, "bad-phone", f"{raw!r} is not a phone number: {exc}")
            return None
        if not phonenumbers.is_valid_number(number):
            self.error(
                mark,
                "bad-phone",
                f"{raw!r} is not a valid {country} number according to phonenumbers; if it is a short code use "
                "short_code:, if it is published like this use validated: false with a note",
            )
            return None
        region = phonenumbers.region_code_for_number(number)
        if country and region != country and kind is not ContactKind.WHATSAPP:
            self.error(mark, "bad-phone", f"{raw!r} is a number of {region}, but the entry is in {country}")
            return None
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        style = (
            phonenumbers.PhoneNumberFormat.NATIONAL
            if reach is Reach.IN_COUNTRY
            else phonenumbers.PhoneNumberFormat.INTERNATIONAL
        )
        display = phonenumbers.format_number(number, style).replace("-", " ").replace("(", "").replace(")", "")
        return Contact(kind, e164, display, reach, label, True, note)

    def short_code(
        self, raw: str, mark: Mark, country: str, reach: Reach, label: Mapping[str, str], note: str
    ) -> Contact | None:
        found = SHORT_CODE_RE.match(raw)
        if found is None:
            self.error(
                mark, "bad-phone", f"{raw!r} is not a short code: 3-6 digits, optionally after '(02) ' or '+82-'"
            )
            return None
        calling = found.group("cc")
        if calling and country and int(calling) != phonenumbers.country_code_for_region(country):
            self.error(mark, "bad-phone", f"+{calling} is not the calling code of {country}")
            return None
        prefix = f"+{calling} " if calling else (f"{found.group('area')} " if found.group("area") else "")
        digits = (f"+{calling}" if calling else found.group("area") or "") + found.group("code")
        return Contact(ContactKind.SHORT_CODE, digits, prefix + found.group("code"), reach, label, True, note)

    # --- entries -----------------------------------------------------------------------------------

    def entry(self, data: Any, mark: Mark, seen: dict[str, Mark]) -> Helpline | None:
        if not isinstance(data, YamlMap):
            self.error(mark, "wrong-type", "each helpline is a mapping of fields")
            return None
        for key in data:
            if key not in ENTRY_KEYS:
                self.error(data.key_mark(key), "unknown-key", f"unknown helpline key {key!r}")
        errors = len(self.report.errors)
        entry_id = self.text(data, "id")
        if entry_id and not ID_RE.match(entry_id):
            self.error(data.value_mark("id"), "bad-name", "id must be lowercase a-z, 0-9 and '-'")
        elif entry_id in seen:
            self.error(data.value_mark("id"), "duplicate-id", f"id {entry_id!r} is used twice")
        seen[entry_id] = data.mark
        country = self.country(data, "country", data.get("country"))
        if not data.get("source_url") or not data.get("source_title"):
            self.error(
                data.mark,
                "missing-source",
                "every helpline needs source_title and source_url: where the number was published",
            )
        source_url = self.https(data, "source_url", data["source_url"]) if data.get("source_url") else ""
        purposes: list[Purpose] = []
        raw_purposes = data.get("purposes")
        if not isinstance(raw_purposes, YamlList) or not raw_purposes:
            self.error(data.value_mark("purposes"), "missing-field", "purposes must be a non-empty list")
        else:
            for item, pos in zip(raw_purposes, raw_purposes.item_marks, strict=True):
                try:
                    purposes.append(Purpose(item))
                except ValueError:
                    known = ", ".join(p.value for p in Purpose)
                    self.error(pos.mark, "unknown-value", f"unknown purpose {item!r}; known: {known}")
        contacts: list[Contact] = []
        raw_contacts = data.get("contacts")
        if not isinstance(raw_contacts, YamlList) or not raw_contacts:
            self.error(data.value_mark("contacts"), "missing-field", "contacts must be a non-empty list")
        else:
            for item, pos in zip(raw_contacts, raw_contacts.item_marks, strict=True):
                contact = self.contact(item, pos.mark, country)
                if contact is not None:
                    contacts.append(contact)
        serves = Serves.IN_COUNTRY
        try:
            serves = Serves(data.get("serves", "in-country"))
        except ValueError:
            self.error(
                data.value_mark("serves"), "unknown-value", "serves must be in-country, nationals-abroad or both"
            )
        languages: list[str] = []
        raw_languages = data.get("languages", YamlList())
        if not isinstance(raw_languages, list):
            self.error(data.value_mark("languages"), "wrong-type", "languages must be a list of language codes")
        else:
            marks = getattr(raw_languages, "item_marks", [])
            for index, code in enumerate(raw_languages):
                if not isinstance(code, str) or code not in _ENGLISH.languages:
                    where = marks[index].mark if index < len(marks) else data.value_mark("languages")
                    self.error(where, "unknown-locale", f"{code!r} is not a language code Babel knows (id, my, km ...)")
                else:
                    languages.append(code)
        hours = str(data.get("hours", "")).strip()
        if hours and not HOURS_RE.match(hours):
            self.error(data.value_mark("hours"), "bad-hours", f"hours must be 24/7 or HH:MM-HH:MM, got {hours!r}")
        days = str(data.get("days", "")).strip()
        if days and days not in DAYS:
            self.error(data.value_mark("days"), "unknown-value", f"days must be one of {', '.join(DAYS)}")
        timezone = self.text(data, "timezone", required=bool(hours) and hours != "24/7")
        if timezone:
            try:
                zoneinfo.ZoneInfo(timezone)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                self.error(data.value_mark("timezone"), "bad-timezone", f"{timezone!r} is not an IANA time zone")
        source_date = self.partial_date(data, "source_date", allow_undated=True)
        if data.get("source_date") == "undated" and not data.get("note"):
            self.error(data.value_mark("source_date"), "missing-field", "an undated source needs a note saying so")
        verified_on = self.partial_date(data, "verified_on", allow_undated=False)
        confidence = self.confidence(data)
        name = self.localized(data, "name", required=True)
        description = self.localized(data, "description", required=False)
        organisation = self.text(data, "organisation")
        source_title = self.text(data, "source_title", required=False)
        note = self.text(data, "note", required=False)
        if len(self.report.errors) > errors or verified_on is None or confidence is None:
            return None
        return Helpline(
            id=entry_id,
            country=country,
            organisation=organisation,
            name=name,
            description=description,
            purposes=tuple(purposes),
            contacts=tuple(contacts),
            serves=serves,
            languages=tuple(languages),
            hours=hours + (f" {days}" if days else ""),
            timezone=timezone,
            source_title=source_title,
            source_url=source_url,
            source_date=source_date,
            verified_on=verified_on,
            confidence=confidence,
            note=note,
            line=data.value_mark("verified_on").line,
        )

    def emergency(self, data: Any, mark: Mark, lines: Mapping[str, Helpline]) -> dict[str, EmergencyNumber]:
        found: dict[str, EmergencyNumber] = {}
        if data is None:
            return found
        if not isinstance(data, YamlMap):
            self.error(mark, "wrong-type", "emergency maps country codes to {number, source_title, confidence}")
            return found
        for code, item in data.items():
            country = self.country(data, code, code)
            if not isinstance(item, YamlMap):
                self.error(
                    data.value_mark(code), "wrong-type", "an emergency number is {number, source_title, confidence}"
                )
                continue
            for key in item:
                if key not in EMERGENCY_KEYS:
                    self.error(item.key_mark(key), "unknown-key", f"unknown key {key!r}")
            if "police_line" in item:
                police = self.police_line(item, country, lines)
                if police is not None:
                    found[country] = police
                continue
            number = str(item.get("number", "")).strip()
            if not EMERGENCY_RE.match(number):
                self.error(item.value_mark("number"), "bad-phone", f"an emergency number is 2-4 digits, got {number!r}")
                continue
            title = item.get("source_title")
            if not isinstance(title, str) or not title.strip():
                self.error(
                    item.mark, "missing-source", "every emergency number needs source_title: where it was published"
                )
                continue
            url = self.https(item, "source_url", item["source_url"]) if "source_url" in item else ""
            confidence = self.confidence(item)
            label = self.localized(item, "label", required=False)
            also = self.other_numbers(item)
            if country and confidence is not None:
                found[country] = EmergencyNumber(
                    country, number, title.strip(), confidence, url, EmergencyKind.EMERGENCY, label, also
                )
        return found

    def police_line(self, item: YamlMap, country: str, lines: Mapping[str, Helpline]) -> EmergencyNumber | None:
        """The emergency slot of a country with no sourced emergency number: a sourced police line of its own."""
        for key in ("number", "source_title", "source_url", "confidence", "also"):
            if key in item:
                self.error(
                    item.key_mark(key),
                    "unknown-key",
                    f"{key!r} does not go with police_line: the number and its source come from the helpline entry",
                )
        line_id = str(item.get("police_line", "")).strip()
        line = lines.get(line_id)
        if line is None:
            self.error(
                item.value_mark("police_line"),
                "unknown-helpline",
                f"police_line names {line_id!r}, which is no helpline entry (give the id of the sourced police line)",
            )
            return None
        if line.country != country:
            self.error(item.value_mark("police_line"), "wrong-country", f"{line_id!r} is a line of {line.country}")
            return None
        if line.confidence is Confidence.LOW:
            self.error(
                item.value_mark("police_line"),
                "low-confidence",
                f"{line_id!r} has confidence L: a police line standing in for the emergency number must be H or M",
            )
            return None
        dialable = next((c for c in line.contacts if c.kind in (ContactKind.PHONE, ContactKind.SHORT_CODE)), None)
        if dialable is None:
            self.error(item.value_mark("police_line"), "missing-field", f"{line_id!r} has no phone number to show")
            return None
        return EmergencyNumber(
            country,
            dialable.display,
            line.source_title,
            line.confidence,
            line.source_url,
            EmergencyKind.POLICE,
            self.localized(item, "label", required=False),
            (),
            line.id,
        )

    def other_numbers(self, item: YamlMap) -> tuple[OtherNumber, ...]:
        """also: [{number, label, source_title, source_url}] beside an emergency number."""
        raw = item.get("also")
        if raw is None:
            return ()
        if not isinstance(raw, YamlList):
            self.error(item.value_mark("also"), "wrong-type", "also is a list of {number, label, source_title}")
            return ()
        found: list[OtherNumber] = []
        for other, pos in zip(raw, raw.item_marks, strict=True):
            if not isinstance(other, YamlMap):
                self.error(pos.mark, "wrong-type", "each of also is {number, label, source_title, source_url}")
                continue
            for key in other:
                if key not in OTHER_KEYS:
                    self.error(other.key_mark(key), "unknown-key", f"unknown key {key!r}")
            number = str(other.get("number", "")).strip()
            if not EMERGENCY_RE.match(number):
                self.error(other.value_mark("number"), "bad-phone", f"a further number is 2-4 digits, got {number!r}")
                continue
            title = other.get("source_title")
            if not isinstance(title, str) or not title.strip():
                self.error(other.mark, "missing-source", "every further number needs source_title")
                continue
            url = self.https(other, "source_url", other["source_url"]) if "source_url" in other else ""
            label = self.localized(other, "label", required=True)
            found.append(OtherNumber(number, label, title.strip(), url))
        return tuple(found)


def parse_translations(data: YamlMap, ctx: LoadContext) -> tuple[list[str], dict[str, Mark]]:
    """translations: {locale: {machine: true, reviewed: false}} -> (unreviewed machine locales, locale marks)."""
    unreviewed: list[str] = []
    marks: dict[str, Mark] = {}
    raw = data.get("translations")
    if raw is None:
        return unreviewed, marks
    if not isinstance(raw, YamlMap):
        ctx.report.error(
            data.value_mark("translations"), "wrong-type", "translations maps locales to {machine: ..., reviewed: ...}"
        )
        return unreviewed, marks
    for locale, info in raw.items():
        marks[str(locale)] = raw.key_mark(locale)
        if not isinstance(info, YamlMap):
            ctx.report.error(raw.value_mark(locale), "wrong-type", f"{locale}: use {{machine: true, reviewed: false}}")
            continue
        for key in info:
            if key not in TRANSLATION_KEYS:
                ctx.report.error(info.key_mark(key), "unknown-key", f"unknown key {key!r}; use machine, reviewed")
        flags = {key: info.get(key, False) for key in sorted(TRANSLATION_KEYS)}
        bad = [key for key, flag in flags.items() if not isinstance(flag, bool)]
        for key in bad:
            ctx.report.error(info.value_mark(key), "wrong-type", f"{key} must be true or false")
        if not bad and flags["machine"] and not flags["reviewed"]:
            unreviewed.append(str(locale))
    return unreviewed, marks


def parse_helplines(data: YamlMap, ctx: LoadContext) -> Directory:
    """Parse helplines.yaml into a Directory (entries with errors are reported and left out)."""
    parser = _Parser(ctx)
    for key in data:
        if key not in ("helplines", "emergency", "translations"):
            ctx.report.error(
                data.key_mark(key),
                "unknown-key",
                f"unknown key {key!r}: helplines.yaml has helplines, emergency and translations",
            )
    entries: list[Helpline] = []
    raw = data.get("helplines")
    if not isinstance(raw, YamlList):
        ctx.report.error(data.value_mark("helplines"), "wrong-type", "helplines must be a list of entries")
    else:
        seen: dict[str, Mark] = {}
        for item, pos in zip(raw, raw.item_marks, strict=True):
            entry = parser.entry(item, pos.mark, seen)
            if entry is not None:
                entries.append(entry)
    by_id = {entry.id: entry for entry in entries}
    emergency = parser.emergency(data.get("emergency"), data.value_mark("emergency"), by_id)
    unreviewed, marks = parse_translations(data, ctx)
    return Directory.build(entries, emergency, unreviewed, marks)


def max_age_days() -> int:
    """The age after which an entry counts as stale: HELPLINE_MAX_AGE_DAYS, else 180."""
    from bot.config import ConfigError, load_settings  # lazy: reading settings is not import-time work

    try:
        return load_settings().helpline_max_age_days
    except ConfigError:
        return DEFAULT_MAX_AGE_DAYS


def check_helplines(content: Content, directory: Directory, report: Report, *, today: date | None = None) -> None:
    """Warn about entries not verified for too long, and countries with lines but no emergency number."""
    from bot.content.loader import UNREVIEWED  # lazy: the loader imports this module through the registry

    today = today or date.today()
    limit = max_age_days()
    for entry in directory.helplines:
        age = (today - entry.verified_on.earliest).days
        if age > limit:
            report.warning(
                Mark(f"{NAME}.yaml", entry.line, 1),
                "stale-helpline",
                f"{entry.id!r} was last verified {entry.verified_on} ({age} days ago; the limit is {limit}): "
                "check it against its source and update verified_on",
            )
        if age < -1:
            report.error(Mark(f"{NAME}.yaml", entry.line, 1), "bad-date", f"{entry.id!r}: verified_on is in the future")
    for locale, mark in directory.translation_marks.items():
        if locale not in content.locales:
            known = ", ".join(content.locales)
            report.error(mark, "unknown-locale", f"translations: {locale!r} is not a locale of the content ({known})")
    for locale in directory.machine_unreviewed:
        if locale in content.locales:
            report.warning(
                directory.translation_marks.get(locale, Mark(f"{NAME}.yaml")),
                UNREVIEWED,
                f"helpline texts in {locale} are machine translations not yet reviewed by a native speaker",
            )
    for country in sorted(directory.by_country):
        if country not in directory.emergency:
            report.error(
                Mark(f"{NAME}.yaml"),
                "no-emergency-number",
                f"{country} has helplines but neither an emergency number nor a police line: add one under "
                f"emergency: ({{number: ..., source_title: ...}} or {{police_line: <id of a sourced police line>}})",
            )


_LOCALIZED: Mapping[str, Any] = {
    "description": "text per locale: {en: ..., id: ...}",
    "oneOf": [{"type": "string"}, {"type": "object", "additionalProperties": {"type": "string"}}],
}
SCHEMA: Mapping[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "translations": {
            "type": "object",
            "description": "per locale: were the names, descriptions and labels machine-translated, reviewed?",
            "additionalProperties": {
                "type": "object",
                "properties": {"machine": {"type": "boolean"}, "reviewed": {"type": "boolean"}},
                "additionalProperties": False,
            },
        },
        "emergency": {
            "type": "object",
            "patternProperties": {
                "^[A-Z]{2}$": {
                    "type": "object",
                    "description": "{number, source_title, confidence} or, where no emergency number was sourced, "
                    "{police_line: <id of a sourced police line of the country>}",
                    "properties": {
                        **{key: {"type": "string"} for key in sorted(EMERGENCY_KEYS - {"label", "also"})},
                        "label": _LOCALIZED,
                        "also": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["number", "label", "source_title"],
                                "properties": {
                                    **{key: {"type": "string"} for key in sorted(OTHER_KEYS - {"label"})},
                                    "label": _LOCALIZED,
                                },
                                "additionalProperties": False,
                            },
                        },
                    },
                    "additionalProperties": False,
                }
            },
        },
        "helplines": {
            "type": "array",
            "items": {
                "type": "object",
                "required": [
                    "id",
                    "country",
                    "organisation",
                    "name",
                    "purposes",
                    "contacts",
                    "source_url",
                    "source_title",
                    "source_date",
                    "verified_on",
                    "confidence",
                ],
                "additionalProperties": False,
                "properties": {key: {"description": description} for key, description in ENTRY_KEYS.items()},
            },
        },
    },
}
