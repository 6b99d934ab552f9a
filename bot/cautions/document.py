"""cautions.yaml: parse and check the safe-first cautions, reporting every problem at file:line:col.

`check` also looks at every page written for the people the bot serves: a page whose English text sends the
reader to the police or an embassy needs a caution that lists it, or "if it is safe" wording of its own, or a
reviewed reason in `exempt:` (advice-without-caution).
"""

from __future__ import annotations

import re
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from bot.cautions.model import EVERY_COUNTRY, About, Caution, Cautions, CautionSource
from bot.content.diagnostics import Mark, Report
from bot.content.localized import check_texts, parse_texts
from bot.content.model import Content
from bot.content.yamlio import YamlList, YamlMap

if TYPE_CHECKING:
    from bot.content.types import LoadContext

NAME = "cautions"
REL = f"{NAME}.yaml"
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,40}$")
CODE_RE = re.compile(r"^[A-Z]{2}$")
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
TOP_KEYS = ("cautions", "exempt", "translations")
CAUTION_KEYS = {
    "id": "a short unique id (a-z, 0-9, -)",
    "about": "police | embassy: the advice the caution comes before",
    "readers": "{locales: [...], origins: [...]}: readers of these locales or from these countries; none: everyone",
    "cards": "ISO codes of the help cards it is shown on, or ['*'] for every card",
    "pages": "node ids of the pages it is shown on",
    "text": "the caution per locale: {en: ..., fa_AF: ...}",
    "sources": "where its facts come from: [{title, url, date, read_on}]",
}
READER_KEYS = ("locales", "origins")
SOURCE_KEYS = ("title", "url", "date", "read_on")
# English words of advice that can put a reader at risk, and wording that already leaves the choice to them.
RISKY = re.compile(r"\b(police|embass(?:y|ies)|consulates?)\b", re.IGNORECASE)
SAFE_WORDING = re.compile(
    r"\b(if|when|where|only if) (it is|it's|that is|it feels|you feel it is) safe\b|\bsafe for you\b", re.IGNORECASE
)


def _list(data: YamlMap, key: str, report: Report) -> list[tuple[str, Mark]]:
    raw = data.get(key)
    if raw is None:
        return []
    if not isinstance(raw, YamlList):
        report.error(data.value_mark(key), "wrong-type", f"{key} must be a list")
        return []
    return [(str(item).strip(), pos.mark) for item, pos in zip(raw, raw.item_marks, strict=True)]


def _codes(data: YamlMap, key: str, report: Report, *, every: bool = False) -> frozenset[str]:
    found: set[str] = set()
    for code, mark in _list(data, key, report):
        if CODE_RE.match(code) or (every and code == EVERY_COUNTRY):
            found.add(code)
        else:
            report.error(mark, "bad-country", f"{code!r} is not an ISO 3166 alpha-2 code like PK")
    return frozenset(found)


def _sources(data: YamlMap, report: Report) -> tuple[CautionSource, ...]:
    raw = data.get("sources")
    if raw is None:
        return ()
    if not isinstance(raw, YamlList):
        report.error(data.value_mark("sources"), "wrong-type", "sources is a list of {title, url, date, read_on}")
        return ()
    found: list[CautionSource] = []
    for item, pos in zip(raw, raw.item_marks, strict=True):
        if not isinstance(item, YamlMap):
            report.error(pos.mark, "wrong-type", "each source is {title, url, date, read_on}")
            continue
        for key in item:
            if key not in SOURCE_KEYS:
                report.error(item.key_mark(key), "unknown-key", f"unknown key {key!r}; use {', '.join(SOURCE_KEYS)}")
        values = {key: str(item.get(key, "")).strip() for key in SOURCE_KEYS}
        missing = [key for key, value in values.items() if not value]
        if missing:
            report.error(item.mark, "missing-source", f"a caution's source needs {', '.join(missing)}")
            continue
        if not values["url"].startswith("https://"):
            report.error(item.value_mark("url"), "bad-url", "a source url must start with https://")
            continue
        bad = [key for key in ("date", "read_on") if not DATE_RE.match(values[key])]
        if bad:
            for key in bad:
                report.error(item.value_mark(key), "bad-date", f"{key} is YYYY, YYYY-MM or YYYY-MM-DD")
            continue
        found.append(CautionSource(values["title"], values["url"], values["date"], values["read_on"]))
    return tuple(found)


def _caution(item: Any, mark: Mark, ctx: LoadContext, seen: set[str]) -> Caution | None:
    report = ctx.report
    if not isinstance(item, YamlMap):
        report.error(mark, "wrong-type", "each caution is {id, about, readers, cards, pages, text, sources}")
        return None
    for key in item:
        if key not in CAUTION_KEYS:
            report.error(item.key_mark(key), "unknown-key", f"unknown key {key!r}; use {', '.join(CAUTION_KEYS)}")
    ident = str(item.get("id", "")).strip()
    if not ID_RE.match(ident):
        report.error(
            item.value_mark("id") if "id" in item else mark, "bad-id", f"a caution id is a-z, 0-9, -: {ident!r}"
        )
        return None
    if ident in seen:
        report.error(item.value_mark("id"), "duplicate-id", f"caution {ident} is written twice")
        return None
    seen.add(ident)
    about_raw = str(item.get("about", "")).strip()
    if about_raw not in About._value2member_map_:
        report.error(
            item.value_mark("about") if "about" in item else mark, "unknown-value", "about is police or embassy"
        )
        return None
    readers = item.get("readers", YamlMap())
    locales: frozenset[str] = frozenset()
    origins: frozenset[str] = frozenset()
    if isinstance(readers, YamlMap):
        for key in readers:
            if key not in READER_KEYS:
                report.error(readers.key_mark(key), "unknown-key", f"unknown key {key!r}; use locales, origins")
        locales = frozenset(code for code, _ in _list(readers, "locales", report))
        origins = _codes(readers, "origins", report)
    else:
        report.error(item.value_mark("readers"), "wrong-type", "readers is {locales: [...], origins: [...]}")
    cards = _codes(item, "cards", report, every=True)
    pages = tuple(node for node, _ in _list(item, "pages", report))
    if not cards and not pages:
        report.error(mark, "missing-field", f"caution {ident} is shown nowhere: give it cards or pages")
    text = parse_texts(item, "text", report, ctx.default_locale)
    if not text:
        return None
    return Caution(ident, About(about_raw), locales, origins, cards, pages, text, _sources(item, report), mark)


def parse_cautions(data: YamlMap, ctx: LoadContext) -> Cautions:
    """Parse cautions.yaml: {cautions: [...], exempt: {node: why}, translations: {...}}."""
    from bot.helplines.document import parse_translations  # the same translations: block as helplines.yaml

    report = ctx.report
    for key in data:
        if key not in TOP_KEYS:
            report.error(data.key_mark(key), "unknown-key", f"unknown key {key!r}; use {', '.join(TOP_KEYS)}")
    items: list[Caution] = []
    raw = data.get("cautions")
    if not isinstance(raw, YamlList):
        report.error(
            data.value_mark("cautions") if "cautions" in data else data.mark, "wrong-type", "cautions is a list"
        )
    else:
        seen: set[str] = set()
        for item, pos in zip(raw, raw.item_marks, strict=True):
            caution = _caution(item, pos.mark, ctx, seen)
            if caution is not None:
                items.append(caution)
    exempt: dict[str, str] = {}
    marks_exempt = data.get("exempt")
    if isinstance(marks_exempt, YamlMap):
        for node, why in marks_exempt.items():
            if not isinstance(why, str) or not why.strip():
                report.error(marks_exempt.value_mark(node), "missing-field", f"{node}: say why it needs no caution")
                continue
            exempt[str(node)] = why.strip()
    elif marks_exempt is not None:
        report.error(data.value_mark("exempt"), "wrong-type", "exempt maps page ids to the reason they need none")
    unreviewed, marks = parse_translations(data, ctx)
    return Cautions(tuple(items), MappingProxyType(exempt), tuple(unreviewed), MappingProxyType(marks))


def _for_workers(content: Content, node_id: str) -> bool:
    """False for a page of a track written for professionals (its menu or a parent menu sets `audience`)."""
    node = content.nodes.get(node_id)
    seen: set[str] = set()
    while node is not None and node.id not in seen:  # content with errors may lack a parent: stop there
        if node.audience:
            return False
        seen.add(node.id)
        node = content.nodes.get(node.parent) if node.parent is not None else None
    return True


def check_cautions(content: Content, cautions: Cautions, report: Report) -> None:
    """Unknown pages, locales and countries; missing translations; pages with risky advice and no caution."""
    from bot.content.loader import UNREVIEWED  # lazy: the loader imports the registries
    from bot.helplines.screens import country_names  # lazy: likewise

    known = country_names("en")
    for caution in cautions.items:
        what = f"caution {caution.id}"
        for node_id in caution.pages:
            node = content.nodes.get(node_id)
            if node is None or node.is_menu:
                report.error(caution.mark, "dangling-reference", f"{what}: {node_id!r} is not a page of the content")
        for locale in sorted(caution.locales):
            if locale not in content.locales:
                report.error(caution.mark, "unknown-locale", f"{what}: readers.locales names {locale}, not a locale")
        for code in sorted((caution.cards | caution.origins) - {EVERY_COUNTRY}):
            if code not in known:
                report.error(caution.mark, "bad-country", f"{what}: {code} is not a country Babel knows")
        check_texts(content, caution.text, caution.mark, what, report)
    for node_id in cautions.exempt:
        if node_id not in content.nodes:
            report.error(Mark(REL), "dangling-reference", f"exempt: {node_id!r} is not a page of the content")
    for locale in cautions.machine_unreviewed:
        if locale in content.locales:
            report.warning(
                cautions.translation_marks.get(locale, Mark(REL)),
                UNREVIEWED,
                f"cautions in {locale} are machine translations not yet reviewed by a native speaker",
            )
    english = content.texts.get(content.default_locale, {})
    for node_id, node in content.nodes.items():
        text = english.get(node_id)
        if node.is_menu or node.type == "link" or text is None or not _for_workers(content, node_id):
            continue
        found = RISKY.search(text.plain)
        if found is None or SAFE_WORDING.search(text.plain) or cautions.covers(node_id) or node_id in cautions.exempt:
            continue
        report.warning(
            Mark(node.file),
            "advice-without-caution",
            f"{node_id} says {found.group(0)!r} with no 'if it is safe for you' and no caution in {REL} lists it: "
            "add the wording and a safer first step, or add the page to a caution's pages",
        )


SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "cautions": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "about", "text"],
                "properties": {
                    "id": {"type": "string", "pattern": ID_RE.pattern, "description": CAUTION_KEYS["id"]},
                    "about": {"enum": [a.value for a in About], "description": CAUTION_KEYS["about"]},
                    "readers": {
                        "type": "object",
                        "properties": {
                            "locales": {"type": "array", "items": {"type": "string"}},
                            "origins": {"type": "array", "items": {"type": "string", "pattern": CODE_RE.pattern}},
                        },
                        "additionalProperties": False,
                        "description": CAUTION_KEYS["readers"],
                    },
                    "cards": {"type": "array", "items": {"type": "string"}, "description": CAUTION_KEYS["cards"]},
                    "pages": {"type": "array", "items": {"type": "string"}, "description": CAUTION_KEYS["pages"]},
                    "text": {
                        "type": "object",
                        "additionalProperties": {"type": "string"},
                        "description": CAUTION_KEYS["text"],
                    },
                    "sources": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": list(SOURCE_KEYS),
                            "properties": {key: {"type": "string"} for key in SOURCE_KEYS},
                            "additionalProperties": False,
                        },
                        "description": CAUTION_KEYS["sources"],
                    },
                },
                "additionalProperties": False,
            },
        },
        "exempt": {
            "type": "object",
            "additionalProperties": {"type": "string"},
            "description": "pages reviewed as needing no caution, with the reason",
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
