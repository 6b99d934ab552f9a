"""Every text a reader sees in one language, as units a reviewer can read: one row of the spreadsheet each.

A unit is a title, a paragraph of a body or introduction (split at blank lines, when the translation has as many
paragraphs as the English), a button or answer label, a list of words (keywords, emergency words: one item a
line), a helpline's name, description or label, a follow-up's paragraph, or a string of the interface catalog.
Each has a stable id (`before-you-go/fees#body.2`, `@helplines#helplines.id-kp2mi.name`, `@ui#button.back`),
where it appears, its English and its translation, and the place in the translation's file it is written.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po

from bot.catalogs import catalog_path
from bot.content.diagnostics import Report
from bot.content.model import ROOT_ID, Content, TextState
from bot.content.types import NODE_TYPES, FieldKind
from bot.content.yamlio import read_yaml_file

# How important a text is, most important first: what someone in danger reads, what everyone reads first, the
# pages, the other documents, the rest of the interface.
EMERGENCY, FIRST_SCREENS, PAGES, DOCUMENTS, INTERFACE = range(5)
RANK_NAMES = ("emergency answer and help cards", "first screens", "pages", "helplines, follow-ups", "interface")
EMERGENCY_MENU = "if-something-goes-wrong"
# Interface keys a person in danger meets: the help card, the emergency answer, the helpline purposes.
EMERGENCY_KEYS = ("helpline.", "emergency.", "purpose.", "button.get_help", "location.", "command.helpline")
FIRST_KEYS = ("button.", "language.", "help.text", "command.start", "page.", "menu.", "error.")
LIST_KEYS = frozenset({"keywords", "words", "common", "negations"})  # lists as one text, an item a line
LIST_FOLDERS = frozenset({"destinations"})  # mappings whose every value is such a list (place names per country)
SKIPPED_KEYS = frozenset({"id", "translation", "machine", "reviewed"})
# Top-level documents with texts per language ({en: ..., bn: ...}); the others hold no reader text.
DOCUMENTS_WITH_TEXTS = ("helplines", "emergency-words", "cautions", "topics", "licence-checks")
FOLDER_DOCUMENTS_WITH_TEXTS = ("broadcasts",)
# Folders with one file per language (`offer-words/bn.yaml` beside `offer-words/en.yaml`), read side by side.
LANGUAGE_FOLDERS = ("offer-words",)
EMERGENCY_DOCUMENTS = ("helplines", "cautions")  # shown on the help cards and the first emergency answer
UI_PREFIX = "@ui#"
HOME = "(home)"
_PARAGRAPH_BREAK = re.compile(r"(\n[ \t]*\n+)")

Step = str | int  # a key of a mapping or an index of a list, on the way to a value inside a YAML file


def digest(text: str) -> str:
    """The short hash of a text that the spreadsheet and the review file record."""
    return hashlib.sha256(text.encode()).hexdigest()[:10]


@dataclass(frozen=True, slots=True)
class Paragraphs:
    """A text cut at its blank lines, keeping the exact separators so that joining gives the text back."""

    pieces: tuple[str, ...]
    separators: tuple[str, ...]
    lead: str
    tail: str

    @classmethod
    def of(cls, text: str) -> Paragraphs:
        """The paragraphs of `text`."""
        core = text.strip("\n")
        lead = text[: len(text) - len(text.lstrip("\n"))]
        tail = text[len(lead) + len(core) :]
        cut = _PARAGRAPH_BREAK.split(core)
        return cls(tuple(cut[0::2]), tuple(cut[1::2]), lead, tail)

    def replaced(self, index: int, text: str) -> str:
        """The whole text with paragraph `index` replaced."""
        pieces = list(self.pieces)
        pieces[index] = text
        out = [pieces[0]]
        for separator, piece in zip(self.separators, pieces[1:], strict=True):
            out += [separator, piece]
        return self.lead + "".join(out) + self.tail


@dataclass(frozen=True, slots=True)
class Text:
    """One text a reviewer reads: its id, where it is shown, the English and the translation."""

    id: str
    rank: int
    order: int
    where: str
    english: str
    translation: str
    file: str  # relative to the content folder; for the interface: the catalog's path relative to its folder
    path: tuple[Step, ...]  # inside the translation's YAML file; the catalog key for the interface
    paragraph: int | None  # which paragraph of the value, or None for all of it
    kind: str  # "markup", "text", "list" or "ui"
    node: str | None = None  # the page or menu it belongs to
    outdated: bool = False  # the English of its file changed since it was translated

    @property
    def english_hash(self) -> str:
        """The hash of the English this text was made from."""
        return digest(self.english)

    @property
    def translation_hash(self) -> str:
        """The hash of the translation as it is now."""
        return digest(self.translation)

    @property
    def is_ui(self) -> bool:
        """True for a string of the interface catalog."""
        return self.id.startswith(UI_PREFIX)


def as_cell(value: Any) -> str:
    """A YAML value as the reviewer sees it: a list of words is one item a line."""
    if isinstance(value, list):
        return "\n".join(str(item) for item in value)
    return str(value)


def node_order(content: Content) -> list[str]:
    """Every node id in the order a reader meets them: the home menu, then depth first in menu order."""
    seen: list[str] = []

    def visit(node_id: str) -> None:
        seen.append(node_id)
        for child in content.nodes[node_id].children:
            visit(child)

    visit(ROOT_ID)
    seen += [node_id for node_id in content.nodes if node_id not in set(seen)]
    return seen


# Within the emergency rank: the emergency answer (its interface text, the words that call it), the pages of what to
# do now, the help cards (helplines), then other pages that send people to the emergency numbers.
ANSWER, WORDS, ACT_NOW, HELP_CARDS, EMERGENCY_PAGES = range(5)


def _node_rank(content: Content, node_id: str) -> tuple[int, int]:
    node = content.nodes[node_id]
    if node_id.split("/", 1)[0] == EMERGENCY_MENU:
        return EMERGENCY, ACT_NOW
    if "emergency" in node.help:
        return EMERGENCY, EMERGENCY_PAGES
    if node_id == ROOT_ID or node.parent == ROOT_ID:
        return FIRST_SCREENS, 0
    return PAGES, 0


def _where(content: Content, node_id: str) -> str:
    english = content.default_locale
    chain = [content.text(parent.id, english).title for parent in content.parents(node_id)[::-1][1:]]
    return " › ".join(["Home", *chain, content.text(node_id, english).title]) if node_id else "Home"


class _Collector:
    """Walks the English and the translation of one file side by side and yields their units."""

    def __init__(self, locale: str) -> None:
        self.locale = locale
        self.texts: list[Text] = []

    def walk(
        self,
        english: Any,
        translated: Any,
        base: Mapping[str, Any],
        path: tuple[Step, ...],
        label: str,
        markup: bool,
    ) -> None:
        """Units of `english` against `translated`; `base` fills in the rest of each Text."""
        if isinstance(english, str) and isinstance(translated, str):
            self._value(english, translated, base, path, label, markup)
        elif isinstance(english, Mapping) and isinstance(english.get("label"), str) and isinstance(translated, str):
            self._value(english["label"], translated, base, path, label, False)  # an answer of a quiz
        elif isinstance(english, list) and isinstance(translated, list):
            if path and (path[-1] in LIST_KEYS or (len(path) > 1 and path[-2] in LIST_FOLDERS)):
                if all(isinstance(item, str) for item in [*english, *translated]):
                    self._add(base, path, label, as_cell(english), as_cell(translated), None, "list")
                return
            ids_en = [item.get("id") if isinstance(item, Mapping) else None for item in english]
            ids_tr = [item.get("id") if isinstance(item, Mapping) else None for item in translated]
            if all(isinstance(found, str) for found in ids_en):
                by_id = {found: index for index, found in enumerate(ids_tr) if isinstance(found, str)}
                for item, found in zip(english, ids_en, strict=True):
                    if found in by_id:
                        index = by_id[found]
                        self.walk(item, translated[index], base, (*path, index), f"{label}.{found}", markup)
            else:
                for index, (item, other) in enumerate(zip(english, translated, strict=False)):
                    self.walk(item, other, base, (*path, index), f"{label}.{index + 1}", markup)
        elif isinstance(english, Mapping) and isinstance(translated, Mapping):
            for key, value in english.items():
                if key in SKIPPED_KEYS or key not in translated:
                    continue
                self.walk(value, translated[key], base, (*path, key), f"{label}.{key}", markup)

    def _value(
        self, english: str, translated: str, base: Mapping[str, Any], path: tuple[Step, ...], label: str, markup: bool
    ) -> None:
        parts_en, parts_tr = Paragraphs.of(english), Paragraphs.of(translated)
        kind = "markup" if markup else "text"
        if len(parts_en.pieces) > 1 and len(parts_en.pieces) == len(parts_tr.pieces):
            for index, (one, other) in enumerate(zip(parts_en.pieces, parts_tr.pieces, strict=True)):
                self._add(base, path, f"{label}.{index + 1}", one, other, index, kind)
        else:
            self._add(base, path, label, english.strip(), translated.strip(), None, kind)

    def _add(
        self,
        base: Mapping[str, Any],
        path: tuple[Step, ...],
        label: str,
        english: str,
        translated: str,
        paragraph: int | None,
        kind: str,
    ) -> None:
        self.texts.append(
            Text(
                id=f"{base['prefix']}#{label.lstrip('.')}",
                rank=base["rank"],
                order=base.get("sub", 9) * 100_000 + len(self.texts),
                where=base["where"],
                english=english,
                translation=translated,
                file=base["file"],
                path=path,
                paragraph=paragraph,
                kind=kind,
                node=base.get("node"),
                outdated=base.get("outdated", False),
            )
        )


def _read(path: Path, rel: str) -> Any:
    return read_yaml_file(path, rel, Report()) if path.is_file() else None


def _node_file(content: Content, node_id: str, locale: str) -> str:
    node = content.nodes[node_id]
    rel = node.file.split("/", 1)[1] if "/" in node.file else node.file
    return f"{locale}/{rel}"


def _nodes(content: Content, locale: str, collector: _Collector) -> None:
    directory = content.directory
    for node_id in node_order(content):
        node = content.nodes[node_id]
        node_type = NODE_TYPES.get(node.type)
        if node_type is None or not node_type.text_fields:
            continue
        english_rel, rel = node.file, _node_file(content, node_id, locale)
        english, translated = _read(directory / english_rel, english_rel), _read(directory / rel, rel)
        if not isinstance(english, Mapping) or not isinstance(translated, Mapping):
            continue
        own = content.texts.get(locale, {}).get(node_id)
        rank, sub = _node_rank(content, node_id)
        base = {
            "prefix": node_id or HOME,
            "rank": rank,
            "sub": sub,
            "where": _where(content, node_id),
            "file": rel,
            "node": node_id,
            "outdated": own is not None and own.state is TextState.OUTDATED,
        }
        for name in node_type.text_fields:
            if name in english and name in translated:
                markup = node_type.fields[name].kind in (FieldKind.MARKUP, FieldKind.CUSTOM)
                collector.walk(english[name], translated[name], base, (name,), name, markup)


def _per_language(data: Any, default: str, locale: str) -> Iterator[tuple[tuple[Step, ...], str, Any, Any]]:
    """Every `{en: ..., bn: ...}` inside a document: (path to the mapping, label, English, translation)."""

    def visit(value: Any, path: tuple[Step, ...], label: str) -> Iterator[tuple[tuple[Step, ...], str, Any, Any]]:
        if isinstance(value, Mapping):
            if default in value and locale in value and not isinstance(value[default], Mapping):
                yield path, label, value[default], value[locale]
                return
            for key, item in value.items():
                if key not in SKIPPED_KEYS:
                    yield from visit(item, (*path, key), f"{label}.{key}")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                name = item.get("id") if isinstance(item, Mapping) else None
                yield from visit(item, (*path, index), f"{label}.{name if isinstance(name, str) else index + 1}")

    yield from visit(data, (), "")


def _documents(content: Content, locale: str, collector: _Collector) -> None:
    directory, default = content.directory, content.default_locale
    files = [f"{name}.yaml" for name in DOCUMENTS_WITH_TEXTS]
    for folder in FOLDER_DOCUMENTS_WITH_TEXTS:
        if (directory / folder).is_dir():
            files += sorted(f"{folder}/{path.name}" for path in (directory / folder).glob("*.yaml"))
    for rel in files:
        data = _read(directory / rel, rel)
        if not isinstance(data, Mapping):
            continue
        stem = rel.removesuffix(".yaml")
        if stem == "emergency-words":
            where = "Emergency words: a message with one of them is answered with the emergency numbers"
            base = {"prefix": f"@{stem}", "rank": EMERGENCY, "sub": WORDS, "file": rel, "where": where}
            if isinstance(data.get(default), Mapping) and isinstance(data.get(locale), Mapping):
                collector.walk(data[default], data[locale], base, (locale,), "", False)
            continue
        for path, label, english, translated in _per_language(data, default, locale):
            rank, sub = (EMERGENCY, HELP_CARDS) if stem in EMERGENCY_DOCUMENTS else (DOCUMENTS, 0)
            where = _document_where(stem, data, path)
            base = {"prefix": f"@{stem}", "rank": rank, "sub": sub, "where": where, "file": rel}
            collector.walk(english, translated, base, (*path, locale), label, stem.startswith("broadcasts/"))


def _language_file(locale: str) -> str:
    return locale.lower().replace("_", "-") + ".yaml"  # file names are lowercase a-z, 0-9 and '-'


def _language_folders(content: Content, locale: str, collector: _Collector) -> None:
    directory = content.directory
    for folder in LANGUAGE_FOLDERS:
        english_rel = f"{folder}/{_language_file(content.default_locale)}"
        rel = f"{folder}/{_language_file(locale)}"
        english, translated = _read(directory / english_rel, english_rel), _read(directory / rel, rel)
        if isinstance(english, Mapping) and isinstance(translated, Mapping):
            where = "Is this offer real? (the job-offer check): a warning sign's title, explanation and words"
            base = {"prefix": f"@{folder}", "rank": DOCUMENTS, "sub": 1, "where": where, "file": rel}
            collector.walk(english, translated, base, (), "", False)


def _document_where(stem: str, data: Mapping[str, Any], path: tuple[Step, ...]) -> str:
    if stem == "helplines" and len(path) > 1 and path[0] == "helplines" and isinstance(path[1], int):
        entry = data["helplines"][path[1]]
        return f"Get help › {entry.get('organisation', '')} ({entry.get('country', '')})"
    if stem == "helplines" and len(path) > 1 and path[0] == "emergency":
        return f"Get help › emergency number ({path[1]})"
    if stem == "cautions" and len(path) > 1 and isinstance(path[1], int):
        entry = data["cautions"][path[1]]
        return f"Caution on help cards and pages › {entry.get('id', '')}"
    if stem == "licence-checks":
        return "Check a recruiter's licence (the job-offer check and the help cards)"
    if stem == "topics":
        return "Follow-ups › topic names (/subscriptions)"
    if stem.startswith("broadcasts/"):
        return f"Follow-up message › {stem.split('/', 1)[1]}"
    return stem


def _interface(content: Content, locales_dir: Path, locale: str, collector: _Collector) -> None:
    english_path, path = catalog_path(locales_dir, content.default_locale), catalog_path(locales_dir, locale)
    if not english_path.is_file() or not path.is_file():
        return
    with english_path.open("rb") as handle:
        english = {str(m.id): str(m.string) for m in read_po(handle) if m.id and isinstance(m.string, str)}
    with path.open("rb") as handle:
        translated = {str(m.id): m for m in read_po(handle) if m.id and isinstance(m.string, str)}
    rel = path.relative_to(locales_dir).as_posix()
    for key, text in english.items():
        message = translated.get(key)
        if message is None or not message.string or message.fuzzy:
            continue
        rank = (
            EMERGENCY if key.startswith(EMERGENCY_KEYS) else FIRST_SCREENS if key.startswith(FIRST_KEYS) else INTERFACE
        )
        sub = ANSWER if key.startswith(("emergency.", "helpline.first.")) else HELP_CARDS
        base = {"prefix": "@ui", "rank": rank, "sub": sub, "where": f"Interface text › {key}", "file": rel}
        collector._add(base, (key,), key, text, str(message.string), None, "ui")


def collect(content: Content, locales_dir: Path, locale: str) -> list[Text]:
    """Every text of `locale` that has a translation, most important first (see the ranks above)."""
    collector = _Collector(locale)
    if locale != content.default_locale:
        _nodes(content, locale, collector)
        _documents(content, locale, collector)
        _language_folders(content, locale, collector)
        _interface(content, locales_dir, locale, collector)
    return sorted(collector.texts, key=lambda text: (text.rank, text.order))


def by_id(texts: Sequence[Text]) -> dict[str, Text]:
    """Texts keyed by their id."""
    return {text.id: text for text in texts}


def translation_file(content: Content, node_id: str, locale: str) -> str:
    """The translation file of a node, relative to the content folder."""
    return _node_file(content, node_id, locale)
