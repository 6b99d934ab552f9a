"""Tools for the interface catalogs (`locales/`): the check run by `python -m bot check`, and the template.

The English catalog is the source of every key. Some keys are built in code (`ui.t(f"command.{name}")`),
so `pybabel extract` cannot find them all; the template (`locales/messages.pot`) is therefore written from
the English catalog:

    python -m bot.catalogs template [--locales-dir DIR] [-o FILE]

then `pybabel update` / `pybabel init` merge it into the catalogs (see docs/translating.md).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from bot.config import PROJECT_ROOT, project_dir
from bot.content.model import Content
from bot.i18n import CATALOG, CatalogError, CatalogProblem, catalog_path, read_catalogs

DEFAULT_LOCALE = "en"  # used when the content (which names the default locale) cannot be read
TEMPLATE = "messages.pot"


def default_locales_dir() -> Path:
    """LOCALES_DIR when set, else the project's locales/ folder (as the bot's settings choose it)."""
    configured = os.environ.get("LOCALES_DIR", "").strip()
    if configured:
        return Path(configured)
    base = project_dir()
    return base / "locales" if (base / "locales").is_dir() else PROJECT_ROOT / "locales"


def check_catalogs(directory: Path, content: Content | None) -> list[CatalogProblem]:
    """Every problem of every catalog in `directory` and of the catalogs the content's locales need, sorted
    (English when the content cannot be read)."""
    present = {path.parent.parent.name for path in directory.glob(f"*/LC_MESSAGES/{CATALOG}")}
    locales = {*present, *(content.locales if content is not None else ())}
    default = content.default_locale if content is not None else DEFAULT_LOCALE
    return sorted(read_catalogs(directory, locales, default).problems)


def write_template(directory: Path, output: Path, default_locale: str = DEFAULT_LOCALE) -> int:
    """Write the template of every key of the English catalog (empty texts) to `output`; the number of keys."""
    source = catalog_path(directory, default_locale)
    problems = read_catalogs(directory, (), default_locale).unreadable
    if problems:
        raise CatalogError(str(problems[0]))
    if not source.is_file():
        raise CatalogError(f"{source}: the default (English) catalog is missing")
    with source.open("rb") as handle:
        english = read_po(handle, locale=None)
    template = Catalog(
        project=english.project, version=english.version, header_comment=_header(default_locale), fuzzy=False
    )
    for message in english:
        if message.id:
            template.add(message.id, "", auto_comments=message.auto_comments, context=message.context)
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("wb") as handle:
        write_po(handle, template, width=0)
    return sum(1 for message in template if message.id)


def _header(default_locale: str) -> str:
    return (
        "# Template of the interface keys, written from the "
        f"{default_locale} catalog by `python -m bot.catalogs template`.\n"
        "# Do not edit: add keys to the English catalog, then run the template command again."
    )


def main(argv: list[str] | None = None) -> int:
    """`python -m bot.catalogs template`: write locales/messages.pot from the English catalog."""
    parser = argparse.ArgumentParser(prog="python -m bot.catalogs", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    template = sub.add_parser("template", help="write locales/messages.pot from the English catalog")
    template.add_argument("--locales-dir", type=Path, help="the catalogs folder (default: LOCALES_DIR, else ./locales)")
    template.add_argument("-o", "--output", type=Path, help="the template file (default: LOCALES_DIR/messages.pot)")
    template.add_argument("--default-locale", default=DEFAULT_LOCALE, help="the source catalog (default: en)")
    args = parser.parse_args(argv)
    directory: Path = args.locales_dir or default_locales_dir()
    output: Path = args.output or directory / TEMPLATE
    try:
        count = write_template(directory, output, args.default_locale)
    except CatalogError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {output} with {count} keys from {catalog_path(directory, args.default_locale)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
