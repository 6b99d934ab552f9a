"""Load a content directory into a frozen `Content`, reporting every problem found on the way.

Layout: `bot.yaml` (locales), optional top-level documents (`helplines.yaml` ...), and one tree per
locale: `<locale>/_menu.yaml` is the home menu, a folder is a menu, a `.yaml` file is a node.
The default locale defines the structure; other locales translate the text of the same node ids.
"""

from __future__ import annotations

import base64
import difflib
import functools
import hashlib
import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from babel import Locale, UnknownLocaleError

from bot.content import markup, parallel
from bot.content.diagnostics import Diagnostic, Mark, Report, Severity
from bot.content.model import (
    ROOT_ID,
    Content,
    Media,
    Node,
    NodeText,
    Purpose,
    Source,
    TextState,
    TranslationInfo,
)
from bot.content.parallel import CpuTimes
from bot.content.types import (
    DOCUMENT_TYPES,
    NODE_TYPES,
    SUBSCRIBE_DOCUMENT,
    DocumentType,
    Field,
    FieldKind,
    LoadContext,
    NodeType,
)
from bot.content.yamlio import YamlList, YamlMap, read_yaml_file
from bot.numbers import DIGIT_STYLES

BOT_FILE = "bot.yaml"
MENU_FILE = "_menu.yaml"
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
KEY_RE = re.compile(r"^[a-z0-9]{1,10}$")
BOT_KEYS = {"default_locale", "locales", "fallbacks", "digits"}
MEDIA_KINDS = ("photo", "voice")
MEDIA_SUFFIXES = {
    "photo": (".jpg", ".jpeg", ".png", ".webp"),
    "voice": (".ogg", ".oga", ".opus"),
}  # what Telegram takes
MISSING = "missing-translation"
UNREVIEWED = "unreviewed-translation"  # declared in the content itself; --strict lets it pass


@dataclass(frozen=True, slots=True)
class LoadResult:
    """The content (None when there were errors) and every diagnostic found."""

    content: Content | None
    report: Report


@dataclass(frozen=True, slots=True)
class BotSettings:
    """What bot.yaml says: the default locale, the enabled locales and their fallback chains."""

    default_locale: str
    locales: tuple[str, ...]
    chains: Mapping[str, tuple[str, ...]]
    digits: Mapping[str, str] = field(default_factory=dict)  # locale -> digit style (bot.numbers.DIGIT_STYLES)


@dataclass(frozen=True, slots=True)
class _Entry:
    """A node file found in a locale tree."""

    id: str
    path: Path
    rel: str
    is_menu: bool
    children: tuple[tuple[str, str], ...] = ()  # (name, child id) of a folder


@dataclass(slots=True)
class _Parsed:
    """The checked values of one file."""

    values: dict[str, Any] = field(default_factory=dict)
    fingerprint: str = ""


def node_key(node_id: str) -> str:
    """The short stable callback key of a node id: the same on every replica for the same content."""
    digest = hashlib.blake2b(node_id.encode(), digest_size=5).digest()
    return base64.b32encode(digest).decode().lower()


def display_id(node_id: str) -> str:
    """How staff see a node id in messages."""
    return node_id or "(home)"


def _suggest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _rel(directory: Path, path: Path) -> str:
    try:
        return path.relative_to(directory).as_posix()
    except ValueError:
        return path.as_posix()


# --- bot.yaml ---------------------------------------------------------------------------------------


def _babel_locale(code: Any, mark: Mark, report: Report) -> str | None:
    if not isinstance(code, str) or not code:
        report.error(mark, "wrong-type", f"a locale must be a code such as 'en' or 'fa_AF', got {code!r}")
        return None
    try:
        Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        report.error(mark, "unknown-locale", f"{code!r} is not a locale Babel knows (use codes like 'my', 'fa_AF')")
        return None
    return code


def load_bot_settings(directory: Path, report: Report) -> BotSettings | None:
    """Read and check bot.yaml; None when it cannot be used."""
    rel = BOT_FILE
    path = directory / BOT_FILE
    if not path.is_file():
        report.error(Mark(rel), "missing-file", f"{BOT_FILE} is missing from {directory}")
        return None
    data = read_yaml_file(path, rel, report)
    if data is None:
        return None
    if not isinstance(data, YamlMap):
        report.error(Mark(rel, 1, 1), "not-a-mapping", f"{BOT_FILE} must be a mapping of settings")
        return None
    for key in data:
        if key not in BOT_KEYS:
            report.error(data.key_mark(key), "unknown-key", f"unknown key {key!r}{_suggest(key, BOT_KEYS)}")
    if "default_locale" not in data:
        report.error(data.mark, "missing-field", "bot.yaml needs default_locale: the locale that defines the menus")
        return None
    default = _babel_locale(data.get("default_locale"), data.value_mark("default_locale"), report)
    raw_locales = data.get("locales")
    locales: list[str] = []
    if not isinstance(raw_locales, YamlList):
        report.error(data.value_mark("locales"), "wrong-type", "locales must be a list of locale codes")
    else:
        for item, pos in zip(raw_locales, raw_locales.item_marks, strict=True):
            code = _babel_locale(item, pos.mark, report)
            if code in locales:
                report.error(pos.mark, "duplicate-id", f"locale {code!r} is listed twice")
            elif code:
                locales.append(code)
    if default is None:
        return None
    if default not in locales:
        locales.insert(0, default)
    chains: dict[str, tuple[str, ...]] = {}
    raw_fallbacks = data.get("fallbacks")
    fallbacks: YamlMap | None = raw_fallbacks if isinstance(raw_fallbacks, YamlMap) else None
    if raw_fallbacks is not None and fallbacks is None:
        report.error(data.value_mark("fallbacks"), "wrong-type", "fallbacks must map a locale to a list of locales")
    for code in locales:
        chain = [code]
        listed = fallbacks.get(code) if fallbacks is not None else None
        if listed is not None and not isinstance(listed, YamlList):
            assert fallbacks is not None
            report.error(fallbacks.value_mark(code), "wrong-type", "a fallback chain must be a list of locales")
            listed = None
        for fallback, pos in zip(listed or (), listed.item_marks if listed else (), strict=True):
            if fallback not in locales:
                report.error(
                    pos.mark,
                    "dangling-reference",
                    f"fallback {fallback!r} of {code!r} is not an enabled locale",
                )
            elif fallback not in chain:
                chain.append(fallback)
        if default not in chain:
            chain.append(default)
        chains[code] = tuple(chain)
    for code in fallbacks or ():
        if code not in locales:
            assert fallbacks is not None
            report.error(fallbacks.key_mark(code), "dangling-reference", f"{code!r} is not an enabled locale")
    digits = _digit_styles(data, locales, report)
    return BotSettings(default, tuple(locales), MappingProxyType(chains), MappingProxyType(digits))


def _digit_styles(data: YamlMap, locales: list[str], report: Report) -> dict[str, str]:
    """bot.yaml's `digits:`: the digit style of each locale that does not write 0-9 (bot.numbers)."""
    raw = data.get("digits")
    if raw is None:
        return {}
    if not isinstance(raw, YamlMap):
        report.error(data.value_mark("digits"), "wrong-type", "digits must map a locale to a digit style")
        return {}
    styles: dict[str, str] = {}
    for code in raw:
        style = raw.get(code)
        if code not in locales:
            report.error(raw.key_mark(code), "dangling-reference", f"{code!r} is not an enabled locale")
        elif not isinstance(style, str) or style not in DIGIT_STYLES:
            known = ", ".join(sorted(DIGIT_STYLES))
            report.error(raw.value_mark(code), "unknown-value", f"digit style {style!r} is not one of {known}")
        else:
            styles[code] = style
    return styles


# --- walking a locale tree ------------------------------------------------------------------------


# Files that editors and tools leave next to the ones being edited: hidden files (.x.yaml.swp, .git), backups
# (x.yaml~, x.bak, x.orig), Emacs autosaves (#x.yaml#), temporary files and Vim's write test (4913). Never
# content, so neither loaded nor warned about; the preview's watcher ignores the same names.
EDITOR_LITTER_SUFFIXES = ("~", ".swp", ".swx", ".tmp", ".bak", ".orig")


def is_editor_litter(name: str) -> bool:
    """True for a file or folder name an editor or tool leaves behind (see EDITOR_LITTER_SUFFIXES)."""
    return name.startswith((".", "#")) or name.endswith(EDITOR_LITTER_SUFFIXES) or name.isdigit()


def _scan_tree(directory: Path, locale_dir: Path, report: Report) -> dict[str, _Entry]:
    """Find every node file of one locale tree, reporting names and links that cannot be used."""
    entries: dict[str, _Entry] = {}

    def visit(folder: Path, folder_id: str, ancestors: frozenset[Path]) -> None:
        menu = folder / MENU_FILE
        children: list[tuple[str, str]] = []
        try:
            with os.scandir(folder) as scan:
                items = sorted(scan, key=lambda e: e.name)
        except OSError as exc:
            report.error(Mark(_rel(directory, folder)), "unreadable", f"cannot read the folder: {exc.strerror}")
            return
        folder_rel = _rel(directory, folder)
        for item in items:
            name = item.name
            rel = f"{folder_rel}/{name}"
            if name == MENU_FILE or is_editor_litter(name):
                continue
            path = folder / name
            if item.is_symlink():
                try:
                    real = path.resolve(strict=True)
                except (OSError, RuntimeError):
                    report.error(Mark(rel), "symlink-loop", "this symbolic link loops or points nowhere; remove it")
                    continue
                if real in ancestors:
                    report.error(Mark(rel), "symlink-loop", "this symbolic link points back to a folder it is in")
                    continue
            is_dir = item.is_dir()
            stem, suffix = (name, "") if is_dir else os.path.splitext(name)
            if not is_dir and suffix != ".yaml":
                if suffix == ".yml":
                    report.error(Mark(rel), "bad-name", "content files end in .yaml, not .yml; rename it")
                else:
                    report.warning(Mark(rel), "ignored-file", "not a .yaml file; it is ignored")
                continue
            if not NAME_RE.match(stem):
                report.error(
                    Mark(rel),
                    "bad-name",
                    f"the name {stem!r} must use only lowercase a-z, 0-9 and '-' (it is the id)",
                )
                continue
            child_id = f"{folder_id}/{stem}" if folder_id else stem
            if child_id in entries or any(child == stem for child, _ in children):
                report.error(Mark(rel), "duplicate-id", f"{child_id!r} exists both as a file and as a folder")
                continue
            children.append((stem, child_id))
            if is_dir:
                visit(path, child_id, ancestors | {path.resolve()})
            else:
                entries[child_id] = _Entry(child_id, path, rel, is_menu=False)
        entries[folder_id] = _Entry(
            folder_id, menu, f"{folder_rel}/{MENU_FILE}", is_menu=True, children=tuple(children)
        )

    visit(locale_dir, ROOT_ID, frozenset({locale_dir.resolve()}))
    return entries


# --- fields ---------------------------------------------------------------------------------------


class _FieldChecker:
    """Checks the fields of one file against its node type and turns them into model values."""

    def __init__(self, directory: Path, data: YamlMap, ctx: LoadContext) -> None:
        self.directory = directory
        self.data = data
        self.ctx = ctx
        self.report = ctx.report

    def error(self, mark: Mark, code: str, message: str) -> None:
        self.report.error(mark, code, message)

    def check(self, name: str, spec: Field) -> Any:
        """The checked value of one field, or None when absent or wrong (after reporting)."""
        data = self.data
        value = data[name]
        kind = spec.kind
        if kind is FieldKind.MARKUP and type(value) is str:  # the bulk of the work: bodies and intros
            try:
                blocks = markup.render_blocks(value)
                parts = markup.split_parts(blocks)
            except markup.MarkupError as exc:
                pos = data.value_pos(name)
                self.error(pos.at(exc.line, exc.col) if pos else data.value_mark(name), "markup", exc.message)
                return None
            if data.cut_by_comment(name):
                self.report.warning(
                    data.value_mark(name),
                    "comment-in-text",
                    f"everything after ' #' on this line is a YAML comment, so it is not shown; write `{name}: |` "
                    "and the text on the lines under it, or put the text in quotes",
                )
            if data.folded(name):
                self.report.warning(
                    data.value_mark(name),
                    "folded-text",
                    f"this text runs over several lines without `|` after `{name}:`, so YAML joins its lines and "
                    f"the bullets run into the line before them; write `{name}: |` and indent the text under it",
                )
            return parts, markup.plain_text(blocks)
        if kind is FieldKind.TEXT and type(value) is str:  # titles
            if data.cut_by_comment(name):
                self.report.warning(
                    data.value_mark(name),
                    "comment-in-text",
                    f"everything after ' #' on this line is a YAML comment, so {name} is only {value.strip()!r}; "
                    f'put the whole text in quotes: {name}: "..."',
                )
            value = value.strip()
            if value and (not spec.max_length or len(value) <= spec.max_length):
                return value
        if kind is FieldKind.TRANSLATION and type(value) is YamlMap:
            return self._translation(value, data.mark)  # the mark is only used when it is not a mapping
        if (
            kind in (FieldKind.TEXT_LIST, FieldKind.NAMES)
            and type(value) is YamlList
            and all(type(item) is str and item.strip() for item in value)
        ):
            return tuple(v.strip() for v in value)
        mark = data.value_mark(name)  # computed only where it may be needed (a position costs time)
        if kind in (FieldKind.TEXT, FieldKind.NODE_REF, FieldKind.KEY, FieldKind.TYPE):
            if not isinstance(value, str) or not value.strip():
                self.error(mark, "wrong-type", f"{name} must be text, got {_describe(value)}")
                return None
            value = value.strip()
            if spec.max_length and len(value) > spec.max_length:
                self.error(
                    mark,
                    "too-long",
                    f"{name} is {len(value)} characters; at most {spec.max_length} fit a button",
                )
            if kind is FieldKind.KEY and not KEY_RE.match(value):
                self.error(mark, "bad-key", "key must be 1-10 characters of lowercase a-z and 0-9")
                return None
            return value
        if kind is FieldKind.MARKUP:
            if not isinstance(value, str):
                self.error(mark, "wrong-type", f"{name} must be text, got {_describe(value)}")
                return None
            try:
                blocks = markup.render_blocks(value)
                parts = markup.split_parts(blocks)
            except markup.MarkupError as exc:
                pos = data.value_pos(name)
                self.error(pos.at(exc.line, exc.col) if pos else mark, "markup", exc.message)
                return None
            return parts, markup.plain_text(blocks)
        if kind in (FieldKind.TEXT_LIST, FieldKind.NAMES, FieldKind.PURPOSES):
            if not isinstance(value, YamlList):
                hint = ""
                if isinstance(value, str) and value.strip():
                    items = ", ".join(part.strip() for part in value.split(",") if part.strip())
                    hint = f"; write {name}: [{items}]"
                self.error(mark, "wrong-type", f"{name} must be a list of texts, got {_describe(value)}{hint}")
                return None
            for index, item in enumerate(value):
                if not isinstance(item, str) or not item.strip():
                    self.error(
                        value.item_mark(index), "wrong-type", f"{name} must be a list of texts, got {_describe(item)}"
                    )
                    return None
            if kind is FieldKind.PURPOSES:
                known = [p.value for p in Purpose]
                for index, item in enumerate(value):
                    if item not in known:
                        self.error(
                            value.item_mark(index), "unknown-value", f"unknown purpose {item!r}{_suggest(item, known)}"
                        )
            return tuple(v.strip() for v in value)
        if kind is FieldKind.SOURCES:
            return self._sources(value, mark)
        if kind is FieldKind.MEDIA:
            return self._media(value, mark)
        if kind is FieldKind.TRANSLATION:
            return self._translation(value, mark)
        return value  # CUSTOM: the node type parses it

    def _sources(self, value: Any, mark: Mark) -> tuple[Source, ...] | None:
        if not isinstance(value, YamlList):
            self.error(mark, "wrong-type", "sources must be a list of {title, url}")
            return None
        found: list[Source] = []
        for item, pos in zip(value, value.item_marks, strict=True):
            if not isinstance(item, YamlMap):
                self.error(pos.mark, "wrong-type", "each source needs a title (and a url where there is one)")
                continue
            for key in item:
                if key not in ("title", "url", "no_url"):
                    self.error(item.key_mark(key), "unknown-key", f"unknown key {key!r} in a source")
            title = item.get("title")
            url = item.get("url")
            if not isinstance(title, str) or not title.strip():
                self.error(item.mark, "missing-field", "a source needs a title")
                continue
            if url is not None and (not isinstance(url, str) or not url.startswith("https://")):
                self.error(item.value_mark("url"), "bad-url", f"a source url must start with https://, got {url!r}")
                url = None
            elif url is None:
                self._source_without_url(item, title.strip())
            elif "no_url" in item:
                self.error(item.key_mark("no_url"), "conflicting-keys", "a source has a url, so it needs no no_url")
            found.append(Source(title.strip(), url))
        return tuple(found)

    def _source_without_url(self, item: YamlMap, title: str) -> None:
        """A source with no url must say why (no_url: the reason); otherwise check warns, so the gap gets filled."""
        reason = item.get("no_url")
        if reason is None:
            self.report.warning(
                item.mark,
                "source-without-url",
                f"source {title!r} has no url: add url: https://... (the page it cites), "
                "or no_url: <why there is none> when no online copy was found",
            )
        elif not isinstance(reason, str) or not reason.strip():
            self.error(item.value_mark("no_url"), "wrong-type", "no_url must say why the source has no url")

    def _media(self, value: Any, mark: Mark) -> Media | None:
        if not isinstance(value, YamlMap) or len(value) != 1 or next(iter(value)) not in MEDIA_KINDS:
            self.error(mark, "wrong-type", "media must be one of {photo: path} or {voice: path}")
            return None
        kind, path = next(iter(value.items()))
        target = (self.directory / str(path)).resolve()
        if not isinstance(path, str) or not target.is_relative_to(self.directory.resolve()) or not target.is_file():
            hint = ""
            if isinstance(path, str) and (self.directory / "media" / path).is_file():
                hint = f"; paths start at the content folder: write media/{path}"
            self.error(
                value.value_mark(kind), "missing-file", f"media file {path!r} not found in the content folder{hint}"
            )
            return None
        suffix = target.suffix.lower()
        if suffix not in MEDIA_SUFFIXES[kind]:
            self.error(
                value.value_mark(kind),
                "wrong-type",
                f"a {kind} must be a {' or '.join(MEDIA_SUFFIXES[kind])} file, not {suffix or 'a file without suffix'}",
            )
            return None
        return Media(kind, path)

    def _translation(self, value: Any, mark: Mark) -> TranslationInfo | None:
        if not isinstance(value, YamlMap):
            self.error(
                mark,
                "wrong-type",
                "translation must be a mapping: {source: ..., machine: ..., reviewed: ...}",
            )
            return None
        for key in value:
            if key not in ("source", "machine", "reviewed"):
                self.error(value.key_mark(key), "unknown-key", f"unknown key {key!r} in translation")
        source = value.get("source")
        machine = value.get("machine", False)
        reviewed = value.get("reviewed", False)
        if isinstance(source, int | float) and not isinstance(source, bool):
            source = value.plain_text("source")  # a fingerprint of digits only, written without quotes
        if source is not None and not isinstance(source, str):
            self.error(value.value_mark("source"), "wrong-type", "translation.source must be text")
            source = None
        for key, flag in (("machine", machine), ("reviewed", reviewed)):
            if not isinstance(flag, bool):
                self.error(value.value_mark(key), "wrong-type", f"translation.{key} must be true or false")
        return TranslationInfo(source, machine is True, reviewed is True)


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"{type(value).__name__} {value!r}"


def fingerprint(data: Mapping[str, Any], node_type: NodeType) -> str:
    """A short hash of the translatable text of a source file; translations record it."""
    text = {name: data[name] for name in node_type.text_fields if name in data}
    encoded = json.dumps(text, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(encoded.encode()).hexdigest()[:8]


# --- the loader -----------------------------------------------------------------------------------


class _Loader:
    """One load of one content directory."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.report = Report()
        self.digest = hashlib.sha256()
        self.sources: dict[str, YamlMap] = {}  # default-locale files by node id, for positions in structure checks
        self.flawed: set[str] = set()  # default-locale node ids whose file has an error
        self.untranslated: list[str] = []  # after _load_translation: its node ids with no translation file

    def field_mark(self, node: Node, name: str) -> Mark:
        """Where a field of a default-locale node is written; the file itself when it is not."""
        data = self.sources.get(node.id)
        return data.value_mark(name) if data is not None and name in data else Mark(node.file)

    def read_map(self, path: Path, rel: str) -> YamlMap | None:
        errors_before = len(self.report.errors)
        data = read_yaml_file(path, rel, self.report, self.digest)
        if data is None:
            if len(self.report.errors) > errors_before:
                return None
            self.report.error(Mark(rel, 1, 1), "empty-file", "the file is empty; it needs at least a title")
            return None
        if not isinstance(data, YamlMap):
            found = "a list" if isinstance(data, list) else _describe(data)
            self.report.error(
                Mark(rel, 1, 1), "not-a-mapping", f"expected a mapping of 'key: value' lines, found {found}"
            )
            return None
        return data

    def check_fields(
        self, data: YamlMap, node_type: NodeType, ctx: LoadContext, allowed: Iterable[str], translation: bool
    ) -> _Parsed:
        """Check keys, required fields and value types of one file."""
        allowed = set(allowed)
        checker = _FieldChecker(self.directory, data, ctx)
        parsed = _Parsed()
        misspelt: set[str] = set()  # required fields whose misspelling is already reported as unknown-key
        for key in data:
            if key in allowed:
                continue
            if translation and key in node_type.fields:
                self.report.error(
                    data.key_mark(key),
                    "not-translatable",
                    f"{key!r} cannot be translated: it comes from the default locale {ctx.default_locale!r}; remove it",
                )
            else:
                close = difflib.get_close_matches(key, list(allowed), n=1)
                if close and close[0] not in data:
                    misspelt.add(close[0])
                self.report.error(
                    data.key_mark(key),
                    "unknown-key",
                    f"unknown key {key!r} for a {node_type.name}{_suggest(key, allowed)}",
                )
        for name in sorted(allowed):
            spec = node_type.fields.get(name)
            if spec is None:
                spec = Field(FieldKind.TRANSLATION, "")
            if name not in data:
                if spec.required and (not translation or spec.translatable) and name not in misspelt:
                    self.report.error(data.mark, "missing-field", f"a {node_type.name} needs {name!r}")
                continue
            value = checker.check(name, spec)
            if value is not None:
                parsed.values[name] = value
        return parsed

    def load(self) -> LoadResult:
        started = parallel.cpu_times()
        settings = load_bot_settings(self.directory, self.report)
        if settings is None:
            return LoadResult(None, self.report)
        self.report.source_locale = settings.default_locale
        default_dir = self.directory / settings.default_locale
        if not default_dir.is_dir():
            self.report.error(
                Mark(BOT_FILE),
                "missing-file",
                f"the default locale folder {settings.default_locale}/ is missing",
            )
            return LoadResult(None, self.report)
        self._check_locale_folders(settings)
        entries = _scan_tree(self.directory, default_dir, self.report)
        nodes, texts, fingerprints, structures = self._load_default(entries, settings)
        all_texts: dict[str, Mapping[str, NodeText]] = {settings.default_locale: MappingProxyType(texts)}
        others = [locale for locale in settings.locales if locale != settings.default_locale]
        unreadable = frozenset(entries.keys() - nodes.keys())
        shared = _Shared(settings, nodes, fingerprints, structures, unreadable, frozenset(self.flawed))
        translated = self._translate_all(others, shared, len(entries), started)
        untranslated: dict[str, list[str]] = {}  # node id -> the locales without a translation file
        for locale in others:
            locale_texts, items, digest, missing = translated[locale]
            self.report.items.extend(items)  # in locale order, as if loaded one after the other
            self.digest.update(digest)
            all_texts[locale] = MappingProxyType(locale_texts)
            for node_id in missing:
                untranslated.setdefault(node_id, []).append(locale)
        for node_id, locales in untranslated.items():  # one line per English file, not one per language
            self.report.warning(
                Mark(nodes[node_id].file),
                MISSING,
                f"not translated into {', '.join(locales)} yet; people there see the fallback text",
            )
        keys = self._check_structure(nodes)
        documents = self._load_documents(settings)
        content = Content(
            directory=self.directory,
            default_locale=settings.default_locale,
            locales=settings.locales,
            chains=settings.chains,
            nodes=MappingProxyType(nodes),
            keys=MappingProxyType(keys),
            texts=MappingProxyType(all_texts),
            documents=MappingProxyType(documents),
            version=self.digest.hexdigest()[:12],
            digits=settings.digits,
        )
        for node in nodes.values():
            hook = NODE_TYPES[node.type].check
            if hook is not None:
                hook(content, node, self.report)
        self._check_subscribe(nodes, documents)
        for name, document in documents.items():
            doc_hook = DOCUMENT_TYPES[name].check
            if doc_hook is not None:
                doc_hook(content, document, self.report)
        return LoadResult(None if self.report.errors else content, self.report)

    def _translate(self, locale: str, shared: _Shared) -> _Translated:
        """Load one translation locale with its own report and digest, so locales can load in any process."""
        sub = _Loader(self.directory)
        texts = sub._load_translation(
            locale,
            shared.settings,
            shared.nodes,
            shared.fingerprints,
            shared.structures,
            shared.unreadable,
            shared.flawed,
        )
        return texts, sub.report.items, sub.digest.digest(), sub.untranslated

    def _translate_all(
        self, locales: list[str], shared: _Shared, files_per_locale: int, started: CpuTimes | None
    ) -> dict[str, _Translated]:
        """Every translation locale; in forked worker processes as well as here when the tree is large."""
        workers = parallel.parallel_workers(len(locales), files_per_locale, started)
        return parallel.map_locales(functools.partial(self._translate, shared=shared), locales, workers)

    def _check_locale_folders(self, settings: BotSettings) -> None:
        for item in sorted(self.directory.iterdir()):
            if (
                item.is_dir()
                and not item.name.startswith(".")
                and item.name != "media"
                and not (item.name in DOCUMENT_TYPES and DOCUMENT_TYPES[item.name].folder)
                and item.name not in settings.locales
            ):
                self.report.warning(
                    Mark(item.name),
                    "locale-disabled",
                    f"folder {item.name}/ is not in bot.yaml's locales; ignored",
                )

    def _node_type(self, entry: _Entry, data: YamlMap) -> NodeType | None:
        raw = "menu" if entry.is_menu else data.get("type", "page")
        node_type = NODE_TYPES.get(raw) if isinstance(raw, str) else None
        if node_type is None or (node_type.name == "menu") != entry.is_menu:
            choices = sorted(name for name in NODE_TYPES if name != "menu")
            hint = "menus are folders with a _menu.yaml" if raw == "menu" else f"known types: {', '.join(choices)}"
            self.report.error(data.value_mark("type"), "unknown-type", f"unknown node type {raw!r}; {hint}")
            return None
        return node_type

    def _load_default(
        self, entries: dict[str, _Entry], settings: BotSettings
    ) -> tuple[dict[str, Node], dict[str, NodeText], dict[str, str], dict[str, Any]]:
        locale = settings.default_locale
        raw_nodes: dict[str, tuple[_Entry, NodeType, _Parsed, Any]] = {}
        for entry in entries.values():
            if entry.is_menu and not entry.path.is_file():
                self.report.error(
                    Mark(_rel(self.directory, entry.path.parent)),
                    "missing-file",
                    "this folder has no _menu.yaml (it gives the menu's title and order)",
                )
                continue
            data = self.read_map(entry.path, entry.rel)
            if data is None:
                continue
            node_type = self._node_type(entry, data)
            if node_type is None:
                continue
            ctx = LoadContext(self.report, entry.rel, locale, locale)
            reported = len(self.report.items)
            parsed = self.check_fields(data, node_type, ctx, node_type.fields, translation=False)
            parsed.fingerprint = fingerprint(data, node_type)
            structure = node_type.parse_structure(data, ctx) if node_type.parse_structure else None
            text_extra = node_type.parse_text(data, ctx, structure) if node_type.parse_text else None
            if any(d.severity is Severity.ERROR for d in self.report.items[reported:]):
                self.flawed.add(entry.id)  # its fingerprint is of text about to change: not one to compare with
            raw_nodes[entry.id] = (entry, node_type, parsed, (structure, text_extra))
            self.sources[entry.id] = data
        nodes: dict[str, Node] = {}
        texts: dict[str, NodeText] = {}
        fingerprints: dict[str, str] = {}
        structures: dict[str, Any] = {}
        parents = {child_id: entry.id for entry in entries.values() for _, child_id in entry.children}
        for node_id, (entry, node_type, parsed, (structure, text_extra)) in raw_nodes.items():
            values = parsed.values
            children = self._ordered_children(entry, values.get("order"), raw_nodes) if entry.is_menu else ()
            nodes[node_id] = Node(
                id=node_id,
                key=values.get("key") or node_key(node_id),
                type=node_type.name,
                parent=parents.get(node_id) if node_id != ROOT_ID else None,
                children=children,
                file=entry.rel,
                target=values.get("target"),
                help=values.get("help", ()),
                media=values.get("media"),
                sources=values.get("sources", ()),
                extra=structure,
                subscribe=values.get("subscribe") or "",
            )
            texts[node_id] = self._text(locale, values, node_id, TextState.SOURCE, None, text_extra)
            fingerprints[node_id] = parsed.fingerprint
            structures[node_id] = structure
        if ROOT_ID not in nodes and not self.report.errors:
            self.report.error(Mark(f"{locale}/{MENU_FILE}"), "missing-file", "the home menu _menu.yaml is missing")
        audiences = {node_id: raw_nodes[node_id][2].values.get("audience") or "" for node_id in nodes}
        for node_id, node in nodes.items():
            audience, parent = audiences[node_id], node.parent
            while not audience and parent is not None and parent in nodes:
                audience, parent = audiences[parent], nodes[parent].parent
            if audience:
                nodes[node_id] = replace(node, audience=audience)
        return nodes, texts, fingerprints, structures

    def _text(
        self,
        locale: str,
        values: Mapping[str, Any],
        node_id: str,
        state: TextState,
        translation: TranslationInfo | None,
        extra: Any,
    ) -> NodeText:
        title = values.get("title") or display_id(node_id)
        rendered = values.get("body") or values.get("intro")
        parts, plain = rendered if rendered else ((), "")
        return NodeText(
            locale=locale,
            title=title,
            parts=parts,
            plain=f"{title}\n{plain}",
            keywords=values.get("keywords", ()),
            state=state,
            translation=translation,
            extra=extra,
        )

    def _ordered_children(
        self, entry: _Entry, order: tuple[str, ...] | None, raw: Mapping[str, Any]
    ) -> tuple[str, ...]:
        present = {name: child_id for name, child_id in entry.children if child_id in raw}
        all_names = {name for name, _ in entry.children}
        if order is None:
            return tuple(present[name] for name in sorted(present))
        source = self.sources.get(entry.id)
        listed = source.get("order") if source is not None else None

        def item_mark(index: int) -> Mark:
            return listed.item_mark(index) if isinstance(listed, YamlList) else Mark(entry.rel)

        chosen: list[str] = []
        for index, name in enumerate(order):
            if name in chosen:
                self.report.error(item_mark(index), "duplicate-id", f"order lists {name!r} twice")
            elif name not in all_names and isinstance(name, str) and name.endswith(".yaml") and name[:-5] in all_names:
                self.report.error(
                    item_mark(index),
                    "dangling-reference",
                    f"order names files without .yaml: write {name[:-5]!r}, not {name!r}",
                )
                chosen.append(name[:-5])
            elif name not in all_names:
                self.report.error(
                    item_mark(index),
                    "dangling-reference",
                    f"order names {name!r} but there is no {name}.yaml or {name}/ here{_suggest(name, all_names)}",
                )
            else:
                chosen.append(name)
        order_mark = source.value_mark("order") if source is not None else Mark(entry.rel)
        for name in sorted(all_names - set(chosen)):
            self.report.warning(order_mark, "not-in-order", f"{name!r} is not listed in order; it is shown last")
            chosen.append(name)
        return tuple(present[name] for name in chosen if name in present)

    def _load_translation(
        self,
        locale: str,
        settings: BotSettings,
        nodes: Mapping[str, Node],
        fingerprints: Mapping[str, str],
        structures: Mapping[str, Any],
        unreadable: frozenset[str] = frozenset(),
        flawed: frozenset[str] = frozenset(),
    ) -> dict[str, NodeText]:
        texts: dict[str, NodeText] = {}
        present: set[str] = set()  # ids with a translation file, readable or not
        orphans: dict[str, list[_Entry]] = {}  # a folder the default locale lacks -> the entries inside it
        locale_dir = self.directory / locale
        entries = _scan_tree(self.directory, locale_dir, self.report) if locale_dir.is_dir() else {}
        for entry in entries.values():
            if entry.is_menu and not entry.path.is_file():
                continue  # an untranslated menu: reported below as missing
            node = nodes.get(entry.id)
            if node is None and entry.id in unreadable:
                # The default locale's file has an error (reported there); comparing with it would only add
                # false errors here, so the translation is only read, for its own syntax errors.
                self.read_map(entry.path, entry.rel)
                continue
            if node is None:
                parts = entry.id.split("/")
                depth = len(parts) + 1 if entry.is_menu else len(parts)  # a menu is its folder
                folder = next(("/".join(parts[:n]) for n in range(1, depth) if "/".join(parts[:n]) not in nodes), None)
                if folder is not None:  # inside a folder the default locale does not have: one error for it
                    orphans.setdefault(folder, []).append(entry)
                    continue
                self.report.error(
                    Mark(entry.rel),
                    "extra-translation",
                    f"there is no {display_id(entry.id)!r} in the default locale {settings.default_locale!r} "
                    "(renamed or deleted there?)",
                )
                continue
            present.add(entry.id)
            data = self.read_map(entry.path, entry.rel)
            if data is None:
                continue
            node_type = NODE_TYPES[node.type]
            ctx = LoadContext(self.report, entry.rel, locale, settings.default_locale)
            allowed = (*node_type.text_fields, "translation")
            parsed = self.check_fields(data, node_type, ctx, allowed, translation=True)
            info = parsed.values.get("translation")
            state = TextState.CURRENT
            if node.id in flawed:
                pass  # the default locale's file has an error: whether this is outdated is known once it is fixed
            elif info is None or info.source is None:
                self.report.warning(
                    data.mark,
                    "translation-unmarked",
                    f"say which source text this translates: add translation: {{source: {fingerprints[node.id]}}}",
                )
                state = TextState.OUTDATED
            elif info.source != fingerprints[node.id]:
                translation = data.get("translation")
                self.report.warning(
                    translation.value_mark("source") if isinstance(translation, YamlMap) else data.mark,
                    "outdated-translation",
                    f"the {settings.default_locale} text changed since this was translated "
                    f"(from {info.source}, now {fingerprints[node.id]}); update it, then set source: "
                    f"{fingerprints[node.id]}",
                )
                state = TextState.OUTDATED
            extra = node_type.parse_text(data, ctx, structures[node.id]) if node_type.parse_text else None
            texts[entry.id] = self._text(locale, parsed.values, entry.id, state, info, extra)
        for folder, inside in orphans.items():
            files = sum(1 for entry in inside if entry.path.is_file())
            self.report.error(
                Mark(f"{locale}/{folder}"),
                "extra-translation",
                f"there is no folder {folder}/ in the default locale {settings.default_locale!r} (renamed or "
                f"deleted there?); rename or delete it here too: its {files} file(s) are not used",
            )
        unreviewed = sum(1 for text in texts.values() if text.machine_unreviewed)
        if unreviewed:
            self.report.warning(
                Mark(locale),
                UNREVIEWED,
                f"{unreviewed} {locale} text(s) are machine translations that no native speaker has reviewed yet",
            )
        # Untranslated nodes (a file present but broken has its own error); load() reports them per English file.
        self.untranslated = [node_id for node_id in nodes if node_id not in texts and node_id not in present]
        return texts

    def _check_structure(self, nodes: Mapping[str, Node]) -> dict[str, str]:
        keys: dict[str, str] = {}
        for node in nodes.values():
            other = keys.get(node.key)
            if other is not None:
                for first, second in ((node, nodes[other]), (nodes[other], node)):
                    self.report.error(
                        self.field_mark(first, "key"),
                        "key-collision",
                        f"the button key {node.key!r} of {display_id(first.id)!r} is also the key of "
                        f"{display_id(second.id)!r}; give one of them another `key:`",
                    )
            keys[node.key] = node.id
            if node.is_menu and not node.children:
                self.report.warning(Mark(node.file), "empty-menu", "this menu has nothing in it yet")
            if node.type == "link":
                self._check_link(node, nodes)
        return keys

    def _check_subscribe(self, nodes: Mapping[str, Node], documents: Mapping[str, Any]) -> None:
        """Every `subscribe:` names a topic of topics.yaml (a document whose `ids` are its items' ids)."""
        topics = documents.get(SUBSCRIBE_DOCUMENT)
        known: tuple[str, ...] = tuple(getattr(topics, "ids", ()))
        for node in nodes.values():
            if node.subscribe and node.subscribe not in known:
                where = f"{SUBSCRIBE_DOCUMENT}.yaml" + ("" if topics is not None else ", which is missing")
                self.report.error(
                    self.field_mark(node, "subscribe"),
                    "dangling-reference",
                    f"subscribe {node.subscribe!r} is not a topic of {where}{_suggest(node.subscribe, known)}",
                )

    def _check_link(self, node: Node, nodes: Mapping[str, Node]) -> None:
        seen = [node.id]
        current = node
        while current.type == "link":
            target = current.target or ""
            if target not in nodes:
                if current is node:
                    known = [n for n in nodes if n]
                    self.report.error(
                        self.field_mark(node, "target"),
                        "dangling-reference",
                        f"target {target!r} does not exist{_suggest(target, known)}",
                    )
                return
            if target in seen:
                self.report.error(
                    self.field_mark(node, "target"),
                    "cycle",
                    f"links go round in a circle: {' -> '.join([*seen, target])}",
                )
                return
            seen.append(target)
            current = nodes[target]

    def _load_documents(self, settings: BotSettings) -> dict[str, Any]:
        documents: dict[str, Any] = {}
        for name, document_type in DOCUMENT_TYPES.items():
            if document_type.folder:
                documents[name] = self._load_folder_document(name, document_type, settings)
                continue
            rel = f"{name}.yaml"
            path = self.directory / rel
            if not path.is_file():
                continue
            data = self.read_map(path, rel)
            if data is None:
                continue
            ctx = LoadContext(self.report, rel, settings.default_locale, settings.default_locale)
            documents[name] = document_type.parse(data, ctx)
        return documents

    def _load_folder_document(self, name: str, document_type: DocumentType, settings: BotSettings) -> Mapping[str, Any]:
        """Every `<name>/<file>.yaml`, parsed by the type, keyed by file stem (empty when the folder is absent)."""
        folder = self.directory / name
        parsed: dict[str, Any] = {}
        if not folder.is_dir():
            return MappingProxyType(parsed)
        for path in sorted(folder.iterdir()):
            rel = f"{name}/{path.name}"
            stem, suffix = os.path.splitext(path.name)
            if path.name.startswith(".") or path.is_dir() or suffix != ".yaml":
                self.report.warning(Mark(rel), "ignored-file", f"only .yaml files belong in {name}/; ignored")
                continue
            if not NAME_RE.match(stem):
                self.report.error(
                    Mark(rel), "bad-name", "file names use lowercase letters a-z, digits and '-', and end in .yaml"
                )
                continue
            data = self.read_map(path, rel)
            if data is None:
                continue
            ctx = LoadContext(self.report, rel, settings.default_locale, settings.default_locale)
            parsed[stem] = document_type.parse(data, ctx)
        return MappingProxyType(parsed)


# texts, diagnostics, digest of the files, ids with no translation file
_Translated = tuple[dict[str, NodeText], list[Diagnostic], bytes, list[str]]


@dataclass(frozen=True, slots=True)
class _Shared:
    """What every translation locale needs from the default locale."""

    settings: BotSettings
    nodes: Mapping[str, Node]
    fingerprints: Mapping[str, str]
    structures: Mapping[str, Any]
    unreadable: frozenset[str]  # ids whose default-locale file exists but could not be read as a node
    flawed: frozenset[str]  # ids whose default-locale file has an error


def load_content(directory: Path) -> LoadResult:
    """Load and check a content directory; the content is None when any error was found."""
    return _Loader(directory).load()
