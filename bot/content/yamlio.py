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


class YamlMap(dict[str, Any]):
    """A YAML mapping that knows where it, its keys and its values start."""

    mark: Mark
    key_marks: dict[str, Mark]
    value_marks: dict[str, ValuePos]

    def key_mark(self, key: str) -> Mark:
        """Where `key` is written, or the mapping itself when it is absent."""
        return self.key_marks.get(key, self.mark)

    def value_mark(self, key: str) -> Mark:
        """Where the value of `key` starts, or the mapping itself when it is absent."""
        pos = self.value_marks.get(key)
        return pos.mark if pos else self.mark


class YamlList(list[Any]):
    """A YAML sequence that knows where it and its items start."""

    mark: Mark
    item_marks: list[ValuePos]


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


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """SafeLoader that builds YamlMap/YamlList and records duplicate keys."""

    rel_path: str
    source_lines: tuple[str, ...]
    duplicates: list[tuple[str, Mark]]

    def _pos(self, node: yaml.Node) -> ValuePos:
        style = getattr(node, "style", None)
        return ValuePos(
            _mark(self.rel_path, node),
            block=style in ("|", ">"),
            quoted=style in ("'", '"'),
            source_lines=self.source_lines,
        )


def _construct_map(loader: _Loader, node: yaml.MappingNode) -> YamlMap:
    loader.flatten_mapping(node)
    result = YamlMap()
    result.mark = _mark(loader.rel_path, node)
    result.key_marks = {}
    result.value_marks = {}
    for key_node, value_node in node.value:
        raw_key = loader.construct_object(key_node, deep=True)
        key = raw_key if isinstance(raw_key, str) else str(raw_key)
        key_mark = _mark(loader.rel_path, key_node)
        if key in result:
            loader.duplicates.append((key, key_mark))
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_marks[key] = key_mark
        result.value_marks[key] = loader._pos(value_node)
    return result


def _construct_list(loader: _Loader, node: yaml.SequenceNode) -> YamlList:
    result = YamlList(loader.construct_object(child, deep=True) for child in node.value)
    result.mark = _mark(loader.rel_path, node)
    result.item_marks = [loader._pos(child) for child in node.value]
    return result


def _construct_timestamp_as_text(loader: _Loader, node: yaml.ScalarNode) -> str:
    return str(loader.construct_scalar(node))


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)  # type: ignore[arg-type]
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_list)  # type: ignore[arg-type]
# Dates stay text so one parser (in the model) checks them and reports the line.
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp_as_text)  # type: ignore[arg-type]


def _line_col_of_byte(data: bytes, offset: int) -> tuple[int, int]:
    before = data[:offset]
    line = before.count(b"\n") + 1
    col = offset - (before.rfind(b"\n") + 1) + 1
    return line, col


def read_yaml_text(text: str, rel_path: str, report: Report) -> Any:
    """Parse YAML text safely; report problems and return None when the text cannot be used."""
    lines = tuple(text.splitlines())
    for number, line in enumerate(lines, start=1):
        stripped = line.lstrip(" ")
        if stripped.startswith("\t"):
            report.error(
                Mark(rel_path, number, len(line) - len(stripped) + 1),
                "yaml-tab",
                "a tab is used for indentation; YAML needs spaces (replace the tab with two spaces)",
            )
            return None
    loader = _Loader(text)
    loader.rel_path = rel_path
    loader.source_lines = lines
    loader.duplicates = []
    try:
        data = loader.get_single_data()
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        found = re.search(r"tag '([^']*)'", exc.problem or "")
        tag = found.group(1).replace("tag:yaml.org,2002:", "!!") if found else "?"
        report.error(
            Mark(rel_path, line, col),
            "yaml-tag",
            f"YAML tags such as {tag!r} are not allowed in content; write plain text, lists and mappings",
        )
        return None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        problem = exc.problem or exc.context or "invalid YAML"
        report.error(Mark(rel_path, line, col), "yaml-syntax", f"YAML syntax error: {problem}")
        return None
    except yaml.YAMLError as exc:
        report.error(Mark(rel_path), "yaml-syntax", f"YAML syntax error: {exc}")
        return None
    finally:
        loader.dispose()
    for key, mark in loader.duplicates:
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
