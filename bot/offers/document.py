"""offer-signs.yaml and offer-words/<locale>.yaml: parse and check them, reporting problems at file:line:col."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from pathlib import PurePosixPath
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from bot.content import markup
from bot.content.diagnostics import Mark, Report
from bot.content.model import Content
from bot.content.yamlio import YamlList, YamlMap
from bot.offers.match import make_phrase
from bot.offers.model import (
    SIGNS,
    WORDS,
    Currency,
    Destination,
    LocaleWords,
    Multiplier,
    OfferSigns,
    Phrase,
    Sign,
    SignKind,
    SignText,
    Source,
)
from bot.search.text import normalize

if TYPE_CHECKING:
    from bot.content.types import LoadContext

ID_RE = re.compile(r"^[a-z][a-z0-9-]{0,23}$")
COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
CURRENCY_RE = re.compile(r"^[A-Z]{3,4}$")
TITLE_MAX = 64  # a sign's title, also a line of the answer
EXPLAIN_MAX = 160  # what a sign means: one or two short sentences, so the answer fits one screen
WEIGHT_MAX = 10
SIGNS_MAX = 40  # the details button carries one bit per sign
SIGN_KEYS = {"id", "kind", "weight", "sources"}
TOP_KEYS = {"bands", "pages", "pay", "currencies", "multipliers", "destinations", "signs"}
WORDS_KEYS = {"machine", "reviewed", "signs", "destinations", "negations"}
SIGN_TEXT_KEYS = {"title", "explain", "words"}


def _int(value: Any, low: int, high: int) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high else None


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) and value > 0 else None


def _map(data: YamlMap, key: str, report: Report, what: str) -> YamlMap | None:
    value = data.get(key)
    if not isinstance(value, YamlMap):
        mark = data.value_mark(key) if key in data else data.mark
        report.error(mark, "missing-field" if value is None else "wrong-type", f"{key} must be a mapping: {what}")
        return None
    return value


def _names(value: Any, report: Report, mark: Mark, what: str) -> tuple[str, ...]:
    if (
        not isinstance(value, YamlList)
        or not value
        or not all(isinstance(item, str) and item.strip() for item in value)
    ):
        report.error(mark, "wrong-type", f"{what} must be a non-empty list of texts")
        return ()
    return tuple(dict.fromkeys(normalize(item.strip(), zawgyi=False) for item in value))


def _sources(value: Any, report: Report, mark: Mark, sign_id: str) -> tuple[Source, ...]:
    if not isinstance(value, YamlList) or not value:
        report.error(mark, "missing-source", f"sign {sign_id!r} needs sources: [{{title: ..., url: ...}}]")
        return ()
    found: list[Source] = []
    for item, pos in zip(value, value.item_marks, strict=True):
        if not isinstance(item, YamlMap) or not isinstance(item.get("title"), str):
            report.error(
                pos.mark, "wrong-type", "a source is {title: ..., url: https://...} or {title: ..., no_url: why}"
            )
            continue
        url = item.get("url")
        if isinstance(url, str) and url.startswith("https://"):
            found.append(Source(item["title"].strip(), url))
        elif isinstance(item.get("no_url"), str):
            found.append(Source(item["title"].strip()))
        else:
            report.error(pos.mark, "missing-url", "a source needs url: https://... or no_url: the reason")
    return tuple(found)


def _version(signs: tuple[Sign, ...]) -> str:
    """Three characters that change when the list of signs changes (the details button carries them)."""
    digest = hashlib.sha256(",".join(sign.id for sign in signs).encode()).hexdigest()
    return digest[:3]


def file_stem(locale: str) -> str:
    """The file name (without .yaml) of a locale's words: lowercase, '-' for '_' (fa_AF -> fa-af)."""
    return locale.lower().replace("_", "-")


def words_of(words: Mapping[str, LocaleWords], locale: str) -> LocaleWords | None:
    """A locale's words, whatever the file's spelling of the code."""
    return words.get(locale) or words.get(file_stem(locale))


def parse_signs(data: YamlMap, ctx: LoadContext) -> OfferSigns:
    """Parse offer-signs.yaml: the language-neutral part of the job-offer check."""
    report = ctx.report
    for key in data:
        if key not in TOP_KEYS:
            report.error(data.key_mark(key), "unknown-key", f"unknown key {key!r}; use {', '.join(sorted(TOP_KEYS))}")
    many, some = 7, 3
    bands = _map(data, "bands", report, "{many: 7, some: 3}")
    if bands is not None:
        many_value, some_value = _int(bands.get("many"), 1, 200), _int(bands.get("some"), 1, 200)
        if many_value is None or some_value is None or some_value >= many_value:
            report.error(bands.mark, "bad-bands", "bands need whole numbers with 1 <= some < many")
        else:
            many, some = many_value, some_value
    pages = _map(data, "pages", report, "{licence: node id, self_check: node id}")
    licence = pages.get("licence", "") if pages is not None else ""
    self_check = pages.get("self_check", "") if pages is not None else ""
    pay = _map(data, "pay", report, "{default_high_usd: 1000}")
    default_high = _int(pay.get("default_high_usd"), 1, 1_000_000) if pay is not None else None
    if pay is not None and default_high is None:
        report.error(pay.mark, "wrong-type", "pay.default_high_usd must be a whole number of US dollars")
    currencies: dict[str, Currency] = {}
    raw = _map(data, "currencies", report, "{THB: {per_usd: 33, names: [baht, บาท]}}")
    for code, entry in (raw or YamlMap()).items():
        rate = _number(entry.get("per_usd")) if isinstance(entry, YamlMap) else None
        if not CURRENCY_RE.match(code) or rate is None or not isinstance(entry, YamlMap):
            report.error(
                raw.value_mark(code) if raw else data.mark, "wrong-type", f"{code}: {{per_usd: number, names: [...]}}"
            )
            continue
        names = _names(entry.get("names"), report, entry.value_mark("names") if "names" in entry else entry.mark, code)
        currencies[code] = Currency(code, rate, names)
    multipliers: list[Multiplier] = []
    raw = _map(data, "multipliers", report, "{k: 1000, juta: 1000000}")
    for name, entry in (raw or YamlMap()).items():
        value = _number(entry.get("value") if isinstance(entry, YamlMap) else entry)
        currency = entry.get("currency", "") if isinstance(entry, YamlMap) else ""
        if value is None or (currency and currency not in currencies):
            report.error(
                raw.value_mark(name) if raw else data.mark, "wrong-type", f"{name}: a number, or {{value, currency}}"
            )
            continue
        multipliers.append(Multiplier(normalize(str(name), zawgyi=False), value, currency))
    destinations: dict[str, Destination] = {}
    raw = _map(data, "destinations", report, "{KH: {high_pay_usd: 700, compounds: true}}")
    for country, entry in (raw or YamlMap()).items():
        high = _int(entry.get("high_pay_usd"), 1, 1_000_000) if isinstance(entry, YamlMap) else None
        if not COUNTRY_RE.match(country) or high is None or not isinstance(entry, YamlMap):
            report.error(
                raw.value_mark(country) if raw else data.mark,
                "wrong-type",
                f"{country}: {{high_pay_usd: whole number}}",
            )
            continue
        currency = entry.get("currency", "")
        if currency and currency not in currencies:
            report.error(
                entry.value_mark("currency"), "dangling-reference", f"{country}: unknown currency {currency!r}"
            )
            currency = ""
        destinations[country] = Destination(country, high, bool(entry.get("compounds", False)), currency)
    signs: list[Sign] = []
    listed = data.get("signs")
    if not isinstance(listed, YamlList) or not listed:
        report.error(data.value_mark("signs") if "signs" in data else data.mark, "missing-field", "signs: a list")
        listed = YamlList()
    for item, pos in zip(listed, listed.item_marks, strict=True):
        if not isinstance(item, YamlMap):
            report.error(pos.mark, "wrong-type", "a sign is {id, kind, weight, sources}")
            continue
        for key in item:
            if key not in SIGN_KEYS:
                report.error(
                    item.key_mark(key), "unknown-key", f"unknown key {key!r}; use {', '.join(sorted(SIGN_KEYS))}"
                )
        sign_id, kind, weight = item.get("id"), item.get("kind"), _int(item.get("weight"), 0, WEIGHT_MAX)
        if not isinstance(sign_id, str) or not ID_RE.match(sign_id):
            report.error(item.mark, "bad-id", "id: a-z, 0-9 and '-', at most 24 characters")
            continue
        if any(sign.id == sign_id for sign in signs):
            report.error(item.value_mark("id"), "duplicate-id", f"sign {sign_id!r} is listed twice")
            continue
        if kind not in {k.value for k in SignKind}:
            report.error(
                item.value_mark("kind") if "kind" in item else item.mark,
                "wrong-type",
                f"{sign_id}: kind is one of {', '.join(k.value for k in SignKind)}",
            )
            continue
        if weight is None:
            report.error(
                item.value_mark("weight") if "weight" in item else item.mark,
                "wrong-type",
                f"{sign_id}: weight is a whole number from 0 to {WEIGHT_MAX}",
            )
            continue
        sources = _sources(
            item.get("sources"), report, item.value_mark("sources") if "sources" in item else item.mark, sign_id
        )
        signs.append(Sign(sign_id, SignKind(kind), weight, sources))
    if len(signs) > SIGNS_MAX:
        report.error(listed.mark, "too-many", f"at most {SIGNS_MAX} signs")
    return OfferSigns(
        tuple(signs),
        many,
        some,
        default_high or 1000,
        MappingProxyType(currencies),
        tuple(multipliers),
        MappingProxyType(destinations),
        licence if isinstance(licence, str) else "",
        self_check if isinstance(self_check, str) else "",
        _version(tuple(signs)),
    )


def _phrases(value: Any, report: Report, mark: Mark, what: str) -> tuple[Phrase, ...]:
    if value is None:
        return ()
    if not isinstance(value, YamlList):
        report.error(mark, "wrong-type", f"{what} must be a list of words or phrases")
        return ()
    found: list[Phrase] = []
    for item, pos in zip(value, value.item_marks, strict=True):
        phrase = make_phrase(item) if isinstance(item, str) else None
        if phrase is None:
            report.error(pos.mark, "wrong-type", f"{item!r} is not a word or phrase")
        else:
            found.append(phrase)
    return tuple(found)


def parse_words(data: YamlMap, ctx: LoadContext) -> LocaleWords:
    """Parse offer-words/<locale>.yaml: the locale's words, titles and explanations of the signs."""
    report = ctx.report
    locale = PurePosixPath(ctx.path).stem  # file names are lowercase with '-': fa-af.yaml holds fa_AF
    for key in data:
        if key not in WORDS_KEYS:
            report.error(data.key_mark(key), "unknown-key", f"unknown key {key!r}; use {', '.join(sorted(WORDS_KEYS))}")
    texts: dict[str, SignText] = {}
    raw = data.get("signs")
    if not isinstance(raw, YamlMap):
        report.error(
            data.value_mark("signs") if "signs" in data else data.mark,
            "missing-field",
            "signs: {id: {title, explain, words}}",
        )
        raw = YamlMap()
    for sign_id, entry in raw.items():
        if not isinstance(entry, YamlMap):
            report.error(raw.value_mark(sign_id), "wrong-type", f"{sign_id}: {{title, explain, words}}")
            continue
        for key in entry:
            if key not in SIGN_TEXT_KEYS:
                report.error(entry.key_mark(key), "unknown-key", f"unknown key {key!r}; use title, explain, words")
        title, explain = entry.get("title"), entry.get("explain")
        if not isinstance(title, str) or not title.strip() or len(title.strip()) > TITLE_MAX:
            report.error(
                entry.value_mark("title") if "title" in entry else entry.mark,
                "wrong-type",
                f"{sign_id}.title: a text of at most {TITLE_MAX} characters",
            )
            continue
        if not isinstance(explain, str) or not explain.strip() or len(explain.strip()) > EXPLAIN_MAX:
            report.error(
                entry.value_mark("explain") if "explain" in entry else entry.mark,
                "wrong-type",
                f"{sign_id}.explain: a text of at most {EXPLAIN_MAX} characters",
            )
            continue
        try:
            rendered, _ = markup.render_inline(" ".join(explain.split()))
        except markup.MarkupError as exc:
            report.error(entry.value_mark("explain"), "markup", f"{sign_id}.explain: {exc.message}")
            continue
        phrases = _phrases(
            entry.get("words"),
            report,
            entry.value_mark("words") if "words" in entry else entry.mark,
            f"{sign_id}.words",
        )
        texts[sign_id] = SignText(title.strip(), rendered, phrases)
    destinations: dict[str, tuple[Phrase, ...]] = {}
    places = data.get("destinations")
    if places is not None and not isinstance(places, YamlMap):
        report.error(data.value_mark("destinations"), "wrong-type", "destinations: {KH: [Cambodia, Phnom Penh]}")
    elif isinstance(places, YamlMap):
        for country, names in places.items():
            destinations[country] = _phrases(names, report, places.value_mark(country), f"destinations.{country}")
    negations = _phrases(
        data.get("negations"), report, data.value_mark("negations") if "negations" in data else data.mark, "negations"
    )
    machine = bool(data.get("machine", False)) and not bool(data.get("reviewed", False))
    return LocaleWords(locale, MappingProxyType(texts), MappingProxyType(destinations), negations, machine)


def check_signs(content: Content, signs: OfferSigns, report: Report) -> None:
    """The pages the answer links to must exist."""
    rel = f"{SIGNS}.yaml"
    for key, node_id in (("licence", signs.licence_page), ("self_check", signs.self_check)):
        if not node_id:
            report.error(Mark(rel), "missing-field", f"pages.{key} must name a page (a node id)")
        elif node_id not in content.nodes:
            report.error(Mark(rel), "dangling-reference", f"pages.{key}: no page {node_id!r}")
    licence_checks = content.documents.get("licence-checks")  # where licence-checks.yaml shows each country's check
    page = getattr(licence_checks, "page", "")
    if page and signs.licence_page and page != signs.licence_page:
        report.warning(
            Mark(rel),
            "licence-page-differs",
            f"pages.licence is {signs.licence_page!r} but licence-checks.yaml shows the countries' checks under "
            f"{page!r}: readers of the job-offer check would not see their country's",
        )
    if WORDS not in content.documents:
        report.error(Mark(rel), "missing-file", f"the signs need their words: {WORDS}/{content.default_locale}.yaml")


def check_words(content: Content, words: Mapping[str, LocaleWords], report: Report) -> None:
    """Every sign has a title and explanation in the default locale, and words where it is found by words."""
    signs = content.documents.get(SIGNS)
    if not isinstance(signs, OfferSigns):
        if words:  # content without the job-offer check has neither file
            report.error(Mark(f"{WORDS}/"), "missing-file", f"the words need {SIGNS}.yaml")
        return
    known = {sign.id: sign for sign in signs.signs}
    default = words_of(words, content.default_locale)
    enabled = {file_stem(locale) for locale in content.locales}
    for stem, entry in words.items():
        rel = f"{WORDS}/{stem}.yaml"
        locale = next((code for code in content.locales if file_stem(code) == stem), stem)
        if stem not in enabled:
            report.warning(Mark(rel), "locale-disabled", f"{locale} is not an enabled locale; its words still match")
        for sign_id in entry.signs:
            if sign_id not in known:
                report.error(Mark(rel), "dangling-reference", f"no sign {sign_id!r} in {SIGNS}.yaml")
        for country in entry.destinations:
            if country not in signs.destinations:
                report.error(Mark(rel), "dangling-reference", f"destinations.{country}: not in {SIGNS}.yaml")
        missing = [sign.id for sign in signs.signs if sign.id not in entry.signs]
        if missing and locale != content.default_locale:
            report.warning(
                Mark(rel), "missing-translation", f"{locale} lacks {', '.join(missing)}; the default language shows"
            )
    if default is None:
        report.error(
            Mark(f"{WORDS}/{content.default_locale}.yaml"), "missing-file", "the default locale's words are required"
        )
        return
    rel = f"{WORDS}/{file_stem(content.default_locale)}.yaml"
    for sign in signs.signs:
        text = default.signs.get(sign.id)
        if text is None:
            report.error(Mark(rel), "missing-field", f"sign {sign.id!r} needs a title and explain here")
        elif sign.kind in (SignKind.WORDS, SignKind.MISSING) and not any(
            sign.id in entry.signs and entry.signs[sign.id].phrases for entry in words.values()
        ):
            report.error(Mark(rel), "missing-field", f"sign {sign.id!r} is found by its words: give some")
    for locale in content.locales:
        if file_stem(locale) not in words:
            report.warning(
                Mark(f"{WORDS}/"), "missing-translation", f"{locale} has no {WORDS}/{file_stem(locale)}.yaml"
            )
    unreviewed = sorted(locale for locale, entry in words.items() if entry.machine)
    if unreviewed:
        report.warning(
            Mark(f"{WORDS}/"),
            "unreviewed-translation",
            f"offer words of {', '.join(unreviewed)} are machine translations not yet reviewed by a native speaker",
        )


_SOURCE = {
    "type": "object",
    "required": ["title"],
    "properties": {
        "title": {"type": "string"},
        "url": {"type": "string", "pattern": "^https://"},
        "no_url": {"type": "string"},
    },
    "additionalProperties": False,
}
SIGNS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["bands", "pages", "pay", "currencies", "multipliers", "destinations", "signs"],
    "additionalProperties": False,
    "properties": {
        "bands": {
            "type": "object",
            "description": "scores from `many` up: many warning signs; from `some`: some; below: none found",
            "required": ["many", "some"],
            "properties": {"many": {"type": "integer", "minimum": 1}, "some": {"type": "integer", "minimum": 1}},
            "additionalProperties": False,
        },
        "pages": {
            "type": "object",
            "required": ["licence", "self_check"],
            "properties": {
                "licence": {"type": "string", "description": "the page on checking a recruiter's licence"},
                "self_check": {"type": "string", "description": "the full self-check (a quiz)"},
            },
            "additionalProperties": False,
        },
        "pay": {
            "type": "object",
            "properties": {"default_high_usd": {"type": "integer", "minimum": 1}},
            "additionalProperties": False,
        },
        "currencies": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "required": ["per_usd", "names"],
                "properties": {
                    "per_usd": {"type": "number", "exclusiveMinimum": 0},
                    "names": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                },
                "additionalProperties": False,
            },
        },
        "multipliers": {
            "type": "object",
            "additionalProperties": {
                "oneOf": [
                    {"type": "number", "exclusiveMinimum": 0},
                    {
                        "type": "object",
                        "required": ["value"],
                        "properties": {"value": {"type": "number"}, "currency": {"type": "string"}},
                        "additionalProperties": False,
                    },
                ]
            },
        },
        "destinations": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "required": ["high_pay_usd"],
                "properties": {
                    "high_pay_usd": {"type": "integer", "minimum": 1},
                    "compounds": {"type": "boolean"},
                    "currency": {"type": "string"},
                },
                "additionalProperties": False,
            },
        },
        "signs": {
            "type": "array",
            "maxItems": SIGNS_MAX,
            "items": {
                "type": "object",
                "required": ["id", "kind", "weight", "sources"],
                "properties": {
                    "id": {"type": "string", "pattern": ID_RE.pattern},
                    "kind": {"enum": [k.value for k in SignKind]},
                    "weight": {"type": "integer", "minimum": 0, "maximum": WEIGHT_MAX},
                    "sources": {"type": "array", "items": _SOURCE, "minItems": 1},
                },
                "additionalProperties": False,
            },
        },
    },
}
WORDS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["signs"],
    "additionalProperties": False,
    "properties": {
        "machine": {"type": "boolean"},
        "reviewed": {"type": "boolean"},
        "signs": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "required": ["title", "explain"],
                "properties": {
                    "title": {"type": "string", "maxLength": TITLE_MAX},
                    "explain": {"type": "string", "maxLength": EXPLAIN_MAX},
                    "words": {"type": "array", "items": {"type": "string"}},
                },
                "additionalProperties": False,
            },
        },
        "destinations": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
        "negations": {
            "type": "array",
            "items": {"type": "string"},
            "description": "words such as 'no', 'without': a sign's words right after one do not count ('no fees')",
        },
    },
}
