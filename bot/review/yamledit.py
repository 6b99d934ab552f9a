"""Write one value into a YAML file and keep the rest of it, comments, key order and layout, byte for byte.

ruamel.yaml reads the file into a round-trip tree; the value is replaced in the tree, in the same scalar style
(`|`, quotes or plain), and the tree is written back. A file whose unchanged tree would not write back exactly
(an indentation style none of the settings below reproduce) is refused rather than reformatted.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    ScalarString,
    SingleQuotedScalarString,
)

# (sequence indent, dash offset): ruamel's default, lists indented under their key, lists level with it.
_INDENTS: tuple[tuple[int, int] | None, ...] = (None, (4, 2), (2, 0))


class LayoutError(Exception):
    """The file cannot be written back without changing its layout."""


def _yaml(indent: tuple[int, int] | None) -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long line
    if indent is not None:
        yaml.indent(mapping=2, sequence=indent[0], offset=indent[1])
    return yaml


def _dump(yaml: YAML, data: Any) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def round_trip(text: str) -> tuple[YAML, Any]:
    """A writer that gives `text` back unchanged, and the tree of `text`; LayoutError when there is none."""
    for indent in _INDENTS:
        yaml = _yaml(indent)
        data = yaml.load(text)
        if _dump(yaml, data) == text:
            return yaml, data
    raise LayoutError("the YAML writer cannot keep this file's layout; make this change by hand")


def styled(old: Any, new: str) -> Any:
    """`new` in the scalar style of `old`: a block stays a block, quotes stay quotes; several lines become `|`."""
    if isinstance(old, FoldedScalarString) and "\n" not in new.strip("\n"):
        return FoldedScalarString(new)  # `>`: written on one line, which YAML reads back the same
    if isinstance(old, LiteralScalarString | FoldedScalarString) or "\n" in new.strip("\n"):
        return LiteralScalarString(new)
    if isinstance(old, DoubleQuotedScalarString):
        return DoubleQuotedScalarString(new)
    if isinstance(old, SingleQuotedScalarString):
        return SingleQuotedScalarString(new)
    if isinstance(old, ScalarString):
        return type(old)(new)
    return new


def get(data: Any, path: Sequence[str | int]) -> Any:
    """The value at `path` (keys and list indexes); KeyError or IndexError when it is not there."""
    for step in path:
        data = data[step]
    return data


def set_value(data: Any, path: Sequence[str | int], value: Any) -> None:
    """Replace the value at `path`."""
    parent = get(data, path[:-1])
    parent[path[-1]] = value


def dump(yaml: YAML, data: Any) -> str:
    """The tree written out with the writer that read it."""
    return _dump(yaml, data)
