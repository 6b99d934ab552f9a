"""Safe YAML reading that remembers where every key and value is, and turns bad files into diagnostics."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.content.diagnostics import Mark, Report

MAX_FILE_BYTES = 1_000_000
# libyaml (bundled in PyYAML wheels) is much faster; both are safe loaders.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# What `_Loader.__init__` runs: libyaml's parser alone (the constructor is set up only when needed), or the
# whole pure-Python loader.
_BaseParser: Any = _BaseLoader.__mro__[1] if _BaseLoader is not yaml.SafeLoader else yaml.SafeLoader
BOM = "\ufeff"
_TAB_INDENT = re.compile(r"^ *\t", re.MULTILINE)  # a tab in the indentation of a line
_BULLET_LINE = re.compile(r"\n[ \t]*(?:[-*]|\d{1,3}[.)]) ")  # a line that starts a bullet or numbered item


class YamlMap(dict[str, Any]):
    """A YAML mapping that knows where it, its keys and its values start (positions computed on demand)."""

    _path: str
    _text: str
    _node: yaml.MappingNode
    _keys: list[str]  # the key of each (key node, value node) pair of the node, in order

    @property
    def mark(self) -> Mark:
        """Where the mapping starts."""
        return _mark(self._path, self._node)

    @property
    def _nodes(self) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        """key -> (key node, value node); the last one when a key is repeated (as in the mapping itself)."""
        return dict(zip(self._keys, self._node.value, strict=True))

    def _find(self, key: str) -> tuple[yaml.Node, yaml.Node] | None:
        if key not in self:
            return None
        pairs = self._node.value
        keys = self._keys
        for index in range(len(keys) - 1, -1, -1):  # the last one wins, as in the mapping
            if keys[index] == key:
                return pairs[index]  # type: ignore[no-any-return]
        return None

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
        nodes = self._find(key)
        return _mark(self._path, nodes[0]) if nodes else self.mark

    def value_pos(self, key: str) -> ValuePos | None:
        """Where the value of `key` starts, or None when it is absent."""
        nodes = self._find(key)
        return _pos(self._path, self._text, nodes[1]) if nodes else None

    def value_mark(self, key: str) -> Mark:
        """Where the value of `key` starts, or the mapping itself when it is absent."""
        nodes = self._find(key)
        return _mark(self._path, nodes[1]) if nodes else self.mark

    def folded(self, key: str) -> bool:
        """True when the value of `key` is text written over several lines without `|`, in a style where YAML
        joins the lines (plain, quoted or `>`), and the joining ran a bullet or a numbered item into the line
        before it. In double quotes a line that ends with the escape `\\n` (or `\\`) keeps its break."""
        nodes = self._find(key)
        if nodes is None or not isinstance(nodes[1], yaml.ScalarNode) or nodes[1].style == "|":
            return False
        node = nodes[1]
        end = node.end_mark.line - (1 if node.end_mark.column == 0 else 0)  # a block ends at the next line's start
        if end <= node.start_mark.line:
            return False
        # YAML joins two non-empty lines with a space (a blank line stays a line break): a bullet that follows
        # a non-empty line ends up inside it.
        text = self._text
        escapes = node.style == '"'
        for found in _BULLET_LINE.finditer(text, node.start_mark.index, node.end_mark.index):
            before = text[max(0, found.start() - 200) : found.start()].rstrip(" \t\r")
            if not before or before[-1] == "\n":  # the line before the bullet is blank: the break stays
                continue
            if escapes and (before.endswith("\\n") or before.endswith("\\")):
                continue
            return True
        return False

    def cut_by_comment(self, key: str) -> bool:
        """True when the value of `key` is unquoted text followed by ` #` on its line: YAML read the rest of the
        line as a comment, so the text was cut there (`title: Fees #1 question` is "Fees")."""
        nodes = self._find(key)
        if nodes is None or not isinstance(nodes[1], yaml.ScalarNode) or nodes[1].style not in (None, ""):
            return False
        end = nodes[1].end_mark.index
        line_end = self._text.find("\n", end)
        return self._text[end : None if line_end == -1 else line_end].lstrip(" ").startswith("#")

    def plain_text(self, key: str) -> str | None:
        """The value of `key` as written, when it is a plain (unquoted) scalar: `0123` rather than the number 83."""
        nodes = self._find(key)
        if nodes is None or not isinstance(nodes[1], yaml.ScalarNode) or nodes[1].style not in (None, ""):
            return None
        return str(nodes[1].value)


class YamlList(list[Any]):
    """A YAML sequence that knows where it and its items start (positions computed on demand)."""

    _path: str
    _text: str
    _node: yaml.SequenceNode

    @property
    def mark(self) -> Mark:
        """Where the sequence starts."""
        return _mark(self._path, self._node)

    @property
    def _items(self) -> list[yaml.Node]:
        return self._node.value  # type: ignore[no-any-return]

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


# libyaml's words for a quote or bracket that is never closed: such errors are reported where it was opened.
_UNCLOSED = {
    "while scanning a quoted scalar": "a quote opened here is never closed: end the text with the same quote",
    "while parsing a flow sequence": "a [ opened here is never closed: end the list with ], or put text that "
    "starts with [ in quotes",
    "while parsing a flow mapping": "a { opened here is never closed: end it with }, or put text that starts "
    "with { in quotes",
}
# Hints for libyaml's most common messages, in the words of someone who writes content, not YAML.
_HINTS = (
    ("mapping values are not allowed", "text that contains ': ' must be in quotes (title: \"Fees: what is "
     "legal\"), and a key must not be indented more than the key above it"),
    ("could not find expected ':'", "check the indentation of this line and the lines above it; text of several "
     "lines needs `|` after the key"),
    ("did not find expected key", "check the indentation: lines of the same level start in the same column; "
     "text of several lines needs `|` after the key"),
    ("found character that cannot start any token", "text that starts with @, ` or % must be in quotes"),
)  # fmt: skip


def _syntax_error(rel_path: str, exc: yaml.MarkedYAMLError) -> tuple[Mark, str]:
    """Where to report a YAML syntax error, and the message: in plain words first, libyaml's after."""
    where = exc.problem_mark or exc.context_mark
    opened = exc.context_mark
    problem = exc.problem or exc.context or "invalid YAML"
    unclosed = _UNCLOSED.get(exc.context or "")
    if unclosed and opened is not None and where is not None and opened.line != where.line:
        return (
            Mark(rel_path, opened.line + 1, opened.column + 1),
            f"YAML syntax error: {unclosed} (noticed at line {where.line + 1}: {problem})",
        )
    at_line, at_col = (where.line + 1, where.column + 1) if where else (0, 0)
    if exc.problem and exc.context and opened is not None and opened is not where:
        problem += f" ({exc.context} that starts at line {opened.line + 1}, column {opened.column + 1})"
    hint = next((text for start, text in _HINTS if problem.startswith(start)), None)
    message = f"YAML syntax error: {problem}" + (f"; {hint}" if hint else "")
    return Mark(rel_path, at_line, at_col), message


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


_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_BOOL_VALUES: dict[str, bool] = dict(yaml.constructor.SafeConstructor.bool_values)
_ScalarNode = yaml.ScalarNode
_MappingNode = yaml.MappingNode
_SequenceNode = yaml.SequenceNode
_IMPLICIT: dict[str | None, list[tuple[str, re.Pattern[str]]]] = dict(yaml.SafeLoader.yaml_implicit_resolvers)


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """The safe loader with PyYAML's tag resolution done in one short function.

    libyaml calls `resolve` for every node and the resolver path hooks around it; the safe loader has no
    path resolvers, so the result is the same as PyYAML's: implicit resolvers for plain scalars (by
    first character), str for quoted scalars, seq and map for collections.
    """

    def __init__(self, stream: str) -> None:  # the parser only; the constructor is set up when first needed
        _BaseParser.__init__(self, stream)
        self.constructor_ready = False

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """PyYAML's constructor, for the rare scalars that are neither text, booleans nor null."""
        if not self.constructor_ready:
            yaml.constructor.SafeConstructor.__init__(self)
            self.constructor_ready = True
        return super().construct_object(node, deep=deep)

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is _ScalarNode:
            if implicit[0]:
                for tag, regexp in _IMPLICIT.get(value[0] if value else "", ()):
                    if regexp.match(value):
                        return tag
            return _STR
        return _SEQ if kind is _SequenceNode else _MAP

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


class _Builder:
    """Turns composed YAML nodes into YamlMap/YamlList/scalars, much faster than PyYAML's constructor.

    Positions are not computed here: the maps and lists keep their node and compute a position when a
    diagnostic asks for one.
    """

    def __init__(self, loader: Any, path: str, text: str) -> None:
        self.loader = loader
        self.path = path
        self.text = text
        self.seen: set[int] = set()
        self.duplicates: list[tuple[str, Mark]] = []

    def build(self, node: yaml.Node) -> Any:
        """The Python value of a node; raises AliasError or yaml.constructor.ConstructorError."""
        seen = self.seen
        if id(node) in seen:
            raise AliasError(node)
        seen.add(id(node))
        cls = node.__class__
        tag = node.tag
        if cls is _ScalarNode:
            if tag in (_STR, _TIMESTAMP):
                return node.value
            if tag == _BOOL:
                return _BOOL_VALUES[node.value.lower()]
            if tag == _NULL:
                return None
            return self.loader.construct_object(node, deep=True)  # int, float; unknown tags raise
        if cls is _MappingNode and tag == _MAP:
            return self._map(node)  # type: ignore[arg-type]
        if cls is _SequenceNode and tag == _SEQ:
            build = self.build
            result = YamlList([build(child) for child in node.value])
            result._path, result._text, result._node = self.path, self.text, node  # type: ignore[assignment]
            return result
        raise yaml.constructor.ConstructorError(None, None, f"found the tag '{tag}'", node.start_mark)

    def _map(self, node: yaml.MappingNode) -> YamlMap:
        pairs = node.value
        for key_node, _ in pairs:
            if key_node.tag == _MERGE:
                raise AliasError(node)
        result = YamlMap()
        keys: list[str] = []
        build = self.build
        seen = self.seen
        for key_node, value_node in pairs:
            if key_node.__class__ is _ScalarNode and key_node.tag == _STR and id(key_node) not in seen:
                seen.add(id(key_node))  # the usual key, inline: plain text
                key = key_node.value
            else:
                raw_key = build(key_node)
                key = raw_key if type(raw_key) is str else str(raw_key)
            if key in result:
                self.duplicates.append((key, _mark(self.path, key_node)))
            if value_node.__class__ is _ScalarNode and value_node.tag == _STR and id(value_node) not in seen:
                seen.add(id(value_node))  # the usual value, inline: text
                result[key] = value_node.value
            else:
                result[key] = build(value_node)
            keys.append(key)
        result._path, result._text, result._node, result._keys = self.path, self.text, node, keys
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
    loader = _Loader(text)
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
        mark, message = _syntax_error(rel_path, exc)
        report.error(mark, "yaml-syntax", message)
        return None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow: no mark, only its position
        line_start = text.rfind("\n", 0, exc.position) + 1
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        report.error(
            Mark(rel_path, text.count("\n", 0, exc.position) + 1, exc.position - line_start + 1),
            "yaml-syntax",
            f"YAML syntax error: the character #x{code:04x} is not allowed in YAML ({exc.reason}); delete it",
        )
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
        with open(path, "rb") as file:  # one open, then the size of what was opened
            size = os.fstat(file.fileno()).st_size
            if size > MAX_FILE_BYTES:
                report.error(
                    Mark(rel_path),
                    "file-too-large",
                    f"the file is {size / 1_000_000:.1f} MB; content files may be at most "
                    f"{MAX_FILE_BYTES // 1_000_000} MB (split it into several pages)",
                )
                return None
            data = file.read()
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
