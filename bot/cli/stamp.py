"""`python -m bot stamp FILE...`: mark translation files as made from the current default-locale text."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import yaml

from bot.config import default_content_dir
from bot.content.diagnostics import Report
from bot.content.loader import BOT_FILE, MENU_FILE, fingerprint, load_bot_settings, load_content
from bot.content.types import NODE_TYPES
from bot.content.yamlio import YamlMap, read_yaml_file

HELP = "after updating a translation, record which source text it now matches (sets translation.source)"

_SOURCE_LINE = re.compile(r"^(\s+source:\s*)(\S*)(.*)$")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of `stamp`."""
    parser.add_argument(
        "files", nargs="+", type=Path, help="translation files, e.g. content/my/before-you-go/fees.yaml"
    )
    parser.add_argument(
        "--content-dir",
        type=Path,
        help="the content folder (default: the folder above the files that holds bot.yaml)",
    )
    parser.add_argument("--machine", action="store_true", help="also mark them machine-translated and unreviewed")


class StampError(Exception):
    """One file cannot be stamped; the message says why in one line."""


def _content_dir_of(file: Path) -> Path | None:
    """The nearest folder above `file` that holds bot.yaml."""
    for folder in file.resolve().parents:
        if (folder / BOT_FILE).is_file():
            return folder
    return None


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "'" + str(value).replace("'", "''") + "'"


def _stamp_flow(line: str, value: str, machine: bool) -> str:
    """`translation: {source: ..., machine: ..., reviewed: ...}` on one line, with the new source."""
    rest = line[len("translation:") :].strip()
    try:
        current = yaml.safe_load(rest)
    except yaml.YAMLError:
        current = None
    if not isinstance(current, dict):
        raise StampError("its translation: line is not a {source: ..., machine: ..., reviewed: ...} mapping")
    current["source"] = value
    if machine:
        current.update(machine=True, reviewed=False)
    return "translation: {" + ", ".join(f"{key}: {_scalar(item)}" for key, item in current.items()) + "}"


def _stamp_text(text: str, value: str, machine: bool) -> str:
    lines = text.splitlines()
    try:
        start = next(i for i, line in enumerate(lines) if line.startswith("translation:"))
    except StopIteration:
        block = ["translation:", f"  source: '{value}'"]
        if machine:
            block += ["  machine: true", "  reviewed: false"]
        return "\n".join([*lines, *block]) + "\n"
    if lines[start][len("translation:") :].split(" #", 1)[0].strip():  # the one-line form
        lines[start] = _stamp_flow(lines[start], value, machine)
        return "\n".join(lines) + "\n"
    end = start + 1
    while end < len(lines) and (lines[end].startswith((" ", "\t")) or not lines[end].strip()):
        end += 1
    body = lines[start + 1 : end]
    replaced = False
    for i, line in enumerate(body):
        match = _SOURCE_LINE.match(line)
        if match:
            body[i] = f"{match.group(1)}'{value}'{match.group(3)}"
            replaced = True
    if not replaced:
        body.insert(0, f"  source: '{value}'")
    if machine:
        body = [line for line in body if not line.strip().startswith(("machine:", "reviewed:"))]
        body += ["  machine: true", "  reviewed: false"]
    return "\n".join([*lines[: start + 1], *body, *lines[end:]]) + "\n"


def _check_stamped(text: str, value: str) -> None:
    """Refuse to write a file that would not read back with the new source."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise StampError(f"the file would not be valid YAML after stamping ({exc.__class__.__name__})") from None
    translation = data.get("translation") if isinstance(data, dict) else None
    if not isinstance(translation, dict) or str(translation.get("source")) != value:
        raise StampError("could not set translation.source in this file; set it by hand")


def stamp_file(
    file: Path,
    content_dir: Path,
    machine: bool,
    default_locale: str,
    locales: tuple[str, ...],
    errors: dict[str, str],
) -> str:
    """Stamp one translation file; returns the fingerprint written. `errors`: the first error of each file of
    the content with errors. Raises StampError."""
    path = file.resolve()
    if not path.is_file():
        raise StampError("no such file (translate the page first: copy the English file, then translate it)")
    try:
        locale, rel = path.relative_to(content_dir).as_posix().split("/", 1)
    except ValueError:
        raise StampError(f"not a file inside {content_dir}") from None
    if locale == default_locale or locale not in locales:
        others = ", ".join(code for code in locales if code != default_locale)
        raise StampError(f"not in a translation folder (one of {others})")
    source = content_dir / default_locale / rel
    problem = errors.get(f"{default_locale}/{rel}")
    if problem:
        raise StampError(f"fix {default_locale}/{rel} first ({problem}), then stamp the translation")
    data = read_yaml_file(source, source.as_posix(), Report())
    node_type = None
    if isinstance(data, YamlMap):
        node_type = NODE_TYPES.get("menu" if source.name == MENU_FILE else str(data.get("type", "page")))
    if node_type is None or not isinstance(data, YamlMap):
        raise StampError(f"there is no readable {default_locale}/{rel} to translate from")
    value = fingerprint(data, node_type)
    own = Report()
    read_yaml_file(path, f"{locale}/{rel}", own)
    if own.errors:  # its own mistake first, with the place, as check would print it
        raise StampError(f"fix this file first: {own.errors[0]}")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise StampError(f"cannot read it as UTF-8 text ({exc.__class__.__name__}); save it as UTF-8") from None
    stamped = _stamp_text(text, value, machine)
    _check_stamped(stamped, value)
    path.write_text(stamped, encoding="utf-8")
    return value


def run(args: argparse.Namespace) -> int:
    """Set `translation.source` of each file to the fingerprint of its source file."""
    status = 0
    checked: dict[Path, dict[str, str]] = {}  # content folder -> first error of each file with errors
    for file in args.files:
        content_dir = (args.content_dir or _content_dir_of(file) or default_content_dir()).resolve()
        report = Report()
        settings = load_bot_settings(content_dir, report)
        if settings is None:
            first = report.items[0] if report.items else "not readable"
            print(f"{file}: error: no usable {content_dir}/{BOT_FILE}: {first}", file=sys.stderr)
            status = 1
            continue
        if content_dir not in checked:
            checked[content_dir] = {}
            for diagnostic in reversed(load_content(content_dir).report.errors):
                checked[content_dir][diagnostic.path] = str(diagnostic)
        try:
            value = stamp_file(
                file, content_dir, args.machine, settings.default_locale, settings.locales, checked[content_dir]
            )
        except StampError as exc:
            print(f"{file}: error: {exc}", file=sys.stderr)
            status = 1
            continue
        print(f"{file}: source {value}")
    return status
