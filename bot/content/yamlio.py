"""Safe YAML reading that remembers where every key and value is, and turns bad files into diagnostics."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.content.diagnostics import Mark, Report

MAX_FILE_BYTES = 1_000_000
# libyaml (bundled in PyYAML wheels) is much faster; both are safe loaders.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
BOM = "\ufeff"
_TAB_INDENT = re.compile(r"^ *\t", re.MULTILINE)  # a tab in the indentation of a line


class YamlMap(dict[str, Any]):
    """A YAML mapping that knows where it, its keys and its values start (positions computed on demand)."""

    mark: Mark
    _path: str
    _text: str
    _nodes: dict[str, tuple[yaml.Node, yaml.Node]]  # key -> (key node, value node); the last one when repeated

    @property
    def key_marks(self) -> dict[str, Mark]:
        """Where each key is written."""
        return {key: _mark(self._path, key_node) for key, (key_node, _) in self._nodes.items()}

    @property
    def value_marks(self) -> dict[str, ValuePos]:
        """Where each value starts, with what is needed to map offsets inside it back to the file."""
        return {key: _pos(self._path, self._text, node) for key, (_, node) in self._nodes.items()}

    def key_mark(self, key: str) -> Mark:
        """Where `key` is written, or the mapping itself when it is absent."""
        nodes = self._nodes.get(key)
        return _mark(self._path, nodes[0]) if nodes else self.mark

    def value_pos(self, key: str) -> ValuePos | None:
        """Where the value of `key` starts, or None when it is absent."""
        nodes = self._nodes.get(key)
        return _pos(self._path, self._text, nodes[1]) if nodes else None

    def value_mark(self, key: str) -> Mark:
        """Where the value of `key` starts, or the mapping itself when it is absent."""
        nodes = self._nodes.get(key)
        return _mark(self._path, nodes[1]) if nodes else self.mark


class YamlList(list[Any]):
    """A YAML sequence that knows where it and its items start (positions computed on demand)."""

    mark: Mark
    _path: str
    _text: str
    _items: list[yaml.Node]

    @property
    def item_marks(self) -> list[ValuePos]:
        """Where each item starts."""
        return [_pos(self._path, self._text, node) for node in self._items]

    def item_mark(self, index: int) -> Mark:
        """Where item `index` starts."""
        return _mark(self._path, self._items[index])


@dataclass(frozen=True, slots=True)
class ValuePos:
    """Where a scalar value starts and how to map an offset inside it back to the file."""

    mark: Mark
    block: bool
    quoted: bool
    source_lines: tuple[str, ...]

    def at(self, offset_line: int, offset_col: int) -> Mark:
        """The file position of (line, column) counted from 0 inside the value's text."""
        if self.block:
            line = self.mark.line + 1 + offset_line
            text = self.source_lines[line - 1] if 0 < line <= len(self.source_lines) else ""
            indent = len(text) - len(text.lstrip(" "))
            return Mark(self.mark.path, line, indent + offset_col + 1)
        if offset_line == 0:
            return Mark(self.mark.path, self.mark.line, self.mark.col + offset_col + int(self.quoted))
        return Mark(self.mark.path, self.mark.line + offset_line, offset_col + 1)


def _mark(path: str, node: yaml.Node) -> Mark:
    return Mark(path, node.start_mark.line + 1, node.start_mark.column + 1)


def _pos(path: str, text: str, node: yaml.Node) -> ValuePos:
    style = getattr(node, "style", None)
    block = style in ("|", ">")
    lines = tuple(text.splitlines()) if block else ()
    return ValuePos(_mark(path, node), block=block, quoted=style in ("'", '"'), source_lines=lines)


class AliasError(Exception):
    """An anchor is reused through an alias; content does not allow it (it can multiply a file's size)."""

    def __init__(self, node: yaml.Node) -> None:
        super().__init__("alias")
        self.node = node


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"  # dates stay text so one parser (in the model) checks them


class _Builder:
    """Turns composed YAML nodes into YamlMap/YamlList/scalars, much faster than PyYAML's constructor."""

    def __init__(self, loader: Any, path: str, text: str) -> None:
        self.loader = loader
        self.path = path
        self.text = text
        self.seen: set[int] = set()
        self.duplicates: list[tuple[str, Mark]] = []

    def build(self, node: yaml.Node) -> Any:
        """The Python value of a node; raises AliasError or yaml.constructor.ConstructorError."""
        if id(node) in self.seen:
            raise AliasError(node)
        self.seen.add(id(node))
        tag = node.tag
        if isinstance(node, yaml.ScalarNode):
            if tag in (_STR, _TIMESTAMP):
                return node.value
            return self.loader.construct_object(node, deep=True)  # int, float, bool, null; unknown tags raise
        if isinstance(node, yaml.MappingNode) and tag == _MAP:
            return self._map(node)
        if isinstance(node, yaml.SequenceNode) and tag == _SEQ:
            result = YamlList(self.build(child) for child in node.value)
            result.mark = _mark(self.path, node)
            result._path, result._text, result._items = self.path, self.text, node.value
            return result
        raise yaml.constructor.ConstructorError(None, None, f"found the tag '{tag}'", node.start_mark)

    def _map(self, node: yaml.MappingNode) -> YamlMap:
        if any(key_node.tag == _MERGE for key_node, _ in node.value):
            raise AliasError(node)
        result = YamlMap()
        result.mark = _mark(self.path, node)
        nodes: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            raw_key = self.build(key_node)
            key = raw_key if isinstance(raw_key, str) else str(raw_key)
            if key in result:
                self.duplicates.append((key, _mark(self.path, key_node)))
            result[key] = self.build(value_node)
            nodes[key] = (key_node, value_node)
        result._path, result._text, result._nodes = self.path, self.text, nodes
        return result


def _line_col_of_byte(data: bytes, offset: int) -> tuple[int, int]:
    before = data[:offset]
    line = before.count(b"\n") + 1
    col = offset - (before.rfind(b"\n") + 1) + 1
    return line, col


def read_yaml_text(text: str, rel_path: str, report: Report) -> Any:
    """Parse YAML text safely; report problems and return None when the text cannot be used."""
    tab = _TAB_INDENT.search(text)
    if tab is not None:
        report.error(
            Mark(rel_path, text.count("\n", 0, tab.start()) + 1, tab.end() - tab.start()),
            "yaml-tab",
            "a tab is used for indentation; YAML needs spaces (replace the tab with two spaces)",
        )
        return None
    loader = _BaseLoader(text)
    builder = _Builder(loader, rel_path, text)
    try:
        node = loader.get_single_node()
        data = None if node is None else builder.build(node)
    except AliasError as exc:
        report.error(
            _mark(rel_path, exc.node),
            "yaml-alias",
            "anchors, aliases and merge keys (&name, *name, <<) are not allowed in content; write the text out",
        )
        return None
    except yaml.constructor.ConstructorError as exc:
        where = exc.problem_mark or exc.context_mark
        at_line, at_col = (where.line + 1, where.column + 1) if where else (0, 0)
        found = re.search(r"tag '([^']*)'", exc.problem or "")
        tag = found.group(1).replace("tag:yaml.org,2002:", "!!") if found else "?"
        report.error(
            Mark(rel_path, at_line, at_col),
            "yaml-tag",
            f"YAML tags such as {tag!r} are not allowed in content; write plain text, lists and mappings",
        )
        return None
    except yaml.MarkedYAMLError as exc:
        where = exc.problem_mark or exc.context_mark
        at_line, at_col = (where.line + 1, where.column + 1) if where else (0, 0)
        problem = exc.problem or exc.context or "invalid YAML"
        opened = exc.context_mark
        if exc.problem and exc.context and opened is not None and opened is not where:
            problem += f" ({exc.context} that starts at line {opened.line + 1}, column {opened.column + 1})"
        report.error(Mark(rel_path, at_line, at_col), "yaml-syntax", f"YAML syntax error: {problem}")
        return None
    except yaml.YAMLError as exc:
        report.error(Mark(rel_path), "yaml-syntax", f"YAML syntax error: {exc}")
        return None
    except RecursionError:
        report.error(Mark(rel_path), "yaml-syntax", "the YAML is nested too deeply")
        return None
    finally:
        loader.dispose()
    for key, mark in builder.duplicates:
        report.error(mark, "duplicate-key", f"the key {key!r} appears twice in the same mapping")
    return data


def read_yaml_file(path: Path, rel_path: str, report: Report, digest: Any = None) -> Any:
    """Read one YAML file with every bad-input case turned into one clear diagnostic; None when unusable.

    `digest`, a hashlib object, is fed the path and bytes of the file (for the content version).
    """
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            report.error(
                Mark(rel_path),
                "file-too-large",
                f"the file is {size / 1_000_000:.1f} MB; content files may be at most "
                f"{MAX_FILE_BYTES // 1_000_000} MB (split it into several pages)",
            )
            return None
        data = path.read_bytes()
        if digest is not None:
            digest.update(rel_path.encode() + b"\0" + data + b"\0")
    except OSError as exc:
        report.error(Mark(rel_path), "unreadable", f"cannot read the file: {exc.strerror or exc}")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _line_col_of_byte(data, exc.start)
        report.error(
            Mark(rel_path, line, col),
            "not-utf8",
            f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x}); save it as UTF-8",
        )
        return None
    if text.startswith(BOM):
        report.warning(
            Mark(rel_path, 1, 1),
            "bom",
            "the file starts with a byte-order mark; it is ignored, but save as UTF-8 without BOM",
        )
        text = text[1:]
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        report.error(Mark(rel_path, line, 1), "binary", "the file contains a NUL byte; it is not a text file")
        return None
    return read_yaml_text(text, rel_path, report)
