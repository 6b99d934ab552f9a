"""`python -m bot review export|import|status`: native speakers review the texts of a language from a spreadsheet.

review export --locale bn [--only unreviewed|outdated|all] [-o FILE]
review import FILE --reviewer "initials or name" [--dry-run]
review status [--locale bn] [--limit N]
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from bot.config import default_content_dir, default_locales_dir
from bot.content.loader import load_content
from bot.content.model import Content

HELP = "native speakers' review: export a language's texts to a spreadsheet, import the verdicts, see progress"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of `review`."""
    parser.add_argument("--content-dir", type=Path, help="content folder (default: CONTENT_DIR, else ./content)")
    parser.add_argument("--locales-dir", type=Path, help="catalogs folder (default: LOCALES_DIR, else ./locales)")
    sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    export = sub.add_parser("export", help="write the spreadsheet of one language's texts for a reviewer")
    export.add_argument("--locale", required=True, help="the language to review, e.g. bn")
    export.add_argument("--only", choices=("unreviewed", "outdated", "all"), default="unreviewed")
    export.add_argument("-o", "--output", type=Path, help="the .xlsx to write (default: review-<locale>.xlsx)")
    imported = sub.add_parser("import", help="apply a reviewed spreadsheet: corrections and sign-offs")
    imported.add_argument("file", type=Path, help="the spreadsheet the reviewer filled in")
    imported.add_argument("--reviewer", required=True, help="who reviewed: initials or a name (kept in the file)")
    imported.add_argument("--dry-run", action="store_true", help="print the changes as a diff, write nothing")
    state = sub.add_parser("status", help="how much of each language is reviewed, and what is left")
    state.add_argument("--locale", help="list what is left in this language, most important first")
    state.add_argument("--limit", type=int, default=40, help="how many texts --locale lists (default 40)")


def _today() -> datetime:
    return datetime.now(UTC)


def _content(args: argparse.Namespace) -> Content | None:
    directory: Path = args.content_dir or default_content_dir()
    result = load_content(directory)
    if result.content is None:
        first = result.report.errors[0] if result.report.errors else "not readable"
        print(f"error: the content has errors; fix them first ({directory}/{first})", file=sys.stderr)
    return result.content


def _locale_ok(content: Content, locale: str) -> bool:
    if locale in content.locales and locale != content.default_locale:
        return True
    others = ", ".join(code for code in content.locales if code != content.default_locale)
    print(f"error: {locale!r} is not a translated language here (one of {others})", file=sys.stderr)
    return False


def run(args: argparse.Namespace) -> int:
    """Run one review action."""
    locales_dir: Path = args.locales_dir or default_locales_dir()
    if args.action == "import":
        return _import(args, locales_dir)
    content = _content(args)
    if content is None:
        return 2
    if args.action == "export":
        return _export(args, content, locales_dir)
    return _status(args, content, locales_dir)


def _export(args: argparse.Namespace, content: Content, locales_dir: Path) -> int:
    from bot.review.export import chosen, write_workbook
    from bot.review.state import read_state
    from bot.review.texts import collect

    if not _locale_ok(content, args.locale):
        return 2
    texts = collect(content, locales_dir, args.locale)
    state = read_state(content.directory, args.locale)
    rows = chosen(texts, state, args.only)
    output: Path = args.output or Path(f"review-{args.locale}.xlsx")
    count = write_workbook(rows, state, args.locale, content.default_locale, locales_dir, output, _today().date())
    print(f"wrote {output}: {count} of {len(texts)} {args.locale} texts ({args.only}), most important first")
    return 0


def _import(args: argparse.Namespace, locales_dir: Path) -> int:
    from bot.review.importing import ImportError_, apply_verdicts, read_workbook

    content_dir: Path = args.content_dir or default_content_dir()
    try:
        locale, verdicts = read_workbook(args.file)
        outcome = apply_verdicts(
            content_dir, locales_dir, locale, verdicts, args.reviewer, _today().date(), dry_run=args.dry_run
        )
    except ImportError_ as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.dry_run:
        print(outcome.diff(Path.cwd()), end="")
    for verdict, why in outcome.refused:
        print(f"{args.file}: row {verdict.row}: {verdict.id}: refused: {why}", file=sys.stderr)
    for text_id in outcome.unsure:
        print(f"{args.file}: {text_id}: marked unsure, left as it is", file=sys.stderr)
    would = "would be " if args.dry_run else ""
    print(
        f"{locale}: {len(outcome.approved)} text(s) {would}signed off by {' '.join(args.reviewer.split())} "
        f"({len(outcome.changed)} corrected), {len(outcome.unsure)} unsure, {len(outcome.refused)} refused; "
        f"{len(outcome.files)} file(s) {would}changed",
        file=sys.stderr,
    )
    return 1 if outcome.refused else 0


def _status(args: argparse.Namespace, content: Content, locales_dir: Path) -> int:
    from bot.review.status import format_left, format_summary, progress

    if args.locale is not None:
        if not _locale_ok(content, args.locale):
            return 2
        row = progress(content, locales_dir, args.locale)
        print(format_summary([row]))
        print()
        print(format_left(row, max(args.limit, 0)))
        return 0
    rows = [progress(content, locales_dir, locale) for locale in content.locales if locale != content.default_locale]
    print(format_summary(rows))
    return 0
