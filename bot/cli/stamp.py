"""`python -m bot stamp FILE...`: mark translation files as made from the current default-locale text."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from bot.config import PROJECT_ROOT
from bot.content.diagnostics import Report
from bot.content.loader import BOT_FILE, MENU_FILE, fingerprint, load_bot_settings
from bot.content.types import NODE_TYPES
from bot.content.yamlio import YamlMap, read_yaml_file

HELP = "after updating a translation, record which source text it now matches (sets translation.source)"

_SOURCE_LINE = re.compile(r"^(\s+source:\s*)(\S*)(.*)$")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of `stamp`."""
    parser.add_argument(
        "files", nargs="+", type=Path, help="translation files, e.g. content/my/before-you-go/fees.yaml"
    )
    parser.add_argument("--content-dir", type=Path, default=PROJECT_ROOT / "content")
    parser.add_argument("--machine", action="store_true", help="also mark them machine-translated and unreviewed")


def _source_fingerprint(content_dir: Path, default_locale: str, rel_in_locale: str) -> str | None:
    source = content_dir / default_locale / rel_in_locale
    data = read_yaml_file(source, source.as_posix(), Report())
    if not isinstance(data, YamlMap):
        return None
    kind = "menu" if source.name == MENU_FILE else str(data.get("type", "page"))
    node_type = NODE_TYPES.get(kind)
    return fingerprint(data, node_type) if node_type else None


def _stamp_text(text: str, value: str, machine: bool) -> str:
    lines = text.splitlines()
    try:
        start = next(i for i, line in enumerate(lines) if line.startswith("translation:"))
    except StopIteration:
        block = ["translation:", f"  source: '{value}'"]
        if machine:
            block += ["  machine: true", "  reviewed: false"]
        return "\n".join([*lines, *block]) + "\n"
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


def run(args: argparse.Namespace) -> int:
    """Set `translation.source` of each file to the fingerprint of its source file."""
    content_dir: Path = args.content_dir.resolve()
    report = Report()
    settings = load_bot_settings(content_dir, report)
    if settings is None:
        for diagnostic in report.items:
            print(f"{content_dir}/{BOT_FILE}: {diagnostic}", file=sys.stderr)
        return 2
    status = 0
    for file in args.files:
        path = file.resolve()
        try:
            locale, rel = path.relative_to(content_dir).as_posix().split("/", 1)
        except ValueError:
            print(f"{file}: error: not a file inside {content_dir}", file=sys.stderr)
            status = 1
            continue
        if locale == settings.default_locale or locale not in settings.locales:
            print(f"{file}: error: not in a translation folder (one of {', '.join(settings.locales[1:])})")
            status = 1
            continue
        value = _source_fingerprint(content_dir, settings.default_locale, rel)
        if value is None:
            print(f"{file}: error: there is no readable {settings.default_locale}/{rel} to translate from")
            status = 1
            continue
        path.write_text(_stamp_text(path.read_text(encoding="utf-8"), value, args.machine), encoding="utf-8")
        print(f"{file}: source {value}")
    return status
