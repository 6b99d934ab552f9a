"""`python -m bot check [CONTENT_DIR]`: validate content like a compiler; exit 0 when it can be served."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import asdict
from pathlib import Path

from bot.catalogs import ADVISORY, check_catalogs
from bot.config import default_content_dir, default_locales_dir
from bot.content.coverage import coverage, format_table
from bot.content.diagnostics import Severity
from bot.content.firstscreen import CODE as FIRST_SCREEN
from bot.content.firstscreen import check_first_screens
from bot.content.loader import UNREVIEWED, load_content
from bot.handoff.document import EXAMPLE_CODE as DESK_EXAMPLE
from bot.helplines.words import check_help_labels

HELP = "check the content for errors and warnings; --coverage shows translation coverage"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of `check`."""
    parser.add_argument(
        "content_dir", nargs="?", type=Path, help="content folder (default: CONTENT_DIR, else ./content)"
    )
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    parser.add_argument("--coverage", action="store_true", help="also print the translation coverage per locale")
    parser.add_argument(
        "--allow",
        action="append",
        default=[],
        metavar="CODE",
        help="a warning code that --strict still lets pass; unreviewed-translation always passes",
    )


def _shown(directory: Path) -> str:
    """The default folder as staff see it: relative to the current directory when inside it."""
    try:
        relative = directory.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return directory.as_posix().rstrip("/")
    return relative.as_posix() if relative.parts else "."


def run(args: argparse.Namespace) -> int:
    """Load the content, print every problem, return 0 when valid (and, with --strict, warning-free)."""
    directory: Path = args.content_dir or default_content_dir()
    if not directory.is_dir():
        print(f"{directory}: error: no such content folder", file=sys.stderr)
        return 2
    result = load_content(directory)
    report = result.report
    if result.content is not None:  # advisory: what a phone shows first of each page holds an action
        check_first_screens(result.content, report)
    diagnostics = report.ordered
    # Advisory: --strict lets these pass (the desk's example values matter only once a desk is on; the bot warns then).
    allowed = {UNREVIEWED, FIRST_SCREEN, DESK_EXAMPLE, *ADVISORY, *args.allow}
    failing = [d for d in diagnostics if d.severity is Severity.ERROR or (args.strict and d.code not in allowed)]
    # The interface catalogs (LOCALES_DIR, else locales/) are checked too, with the same exit rules.
    catalog = check_catalogs(default_locales_dir(), result.content)
    catalog += check_help_labels(default_locales_dir(), result.content)  # the Get help word brings the numbers
    failing_catalog = [p for p in catalog if p.severity is Severity.ERROR or (args.strict and p.code not in allowed)]
    errors = len(report.errors) + sum(p.severity is Severity.ERROR for p in catalog)
    warnings = len(report.warnings) + sum(p.severity is Severity.WARNING for p in catalog)
    rows = coverage(result.content) if result.content is not None and args.coverage else ()
    if rows and result.content is not None:
        from bot.review.status import reviewed_nodes

        rows = reviewed_nodes(result.content, default_locales_dir(), rows)
    if args.format == "json":
        print(
            json.dumps(
                {
                    "ok": not failing and not failing_catalog,
                    "errors": errors,
                    "warnings": warnings,
                    "diagnostics": [
                        {**d.as_json(), "fails": d in failing}
                        for d in diagnostics  # fails: counts against ok
                    ]
                    + [{**p.as_json(), "fails": p in failing_catalog} for p in catalog],
                    "coverage": [asdict(row) for row in rows],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        prefix = directory.as_posix().rstrip("/") if args.content_dir else _shown(directory)  # as typed
        lines = [(d.severity, f"{prefix}/{d}") for d in diagnostics] + [(p.severity, str(p)) for p in catalog]
        for severity in (Severity.ERROR, Severity.WARNING):  # errors first: they are what stops the content
            for line_severity, line in lines:
                if line_severity is severity:
                    print(line)
        if rows:
            print()
            print(format_table(rows))
        summary = f"{errors} error(s), {warnings} warning(s)"
        if result.content is not None:
            nodes = len(result.content.nodes)
            summary += f"; {nodes} nodes in {len(result.content.locales)} locale(s)"
        if errors:
            summary += "; FAILED: fix the errors above, content with errors is never served"
        elif failing or failing_catalog:
            strict = len(failing) + len(failing_catalog)
            codes = Counter(d.code for d in failing) + Counter(p.code for p in failing_catalog)
            which = ", ".join(f"{code} ×{count}" for code, count in codes.most_common())
            summary += (
                f"; FAILED with --strict: {strict} warning(s) count as errors ({which}; --allow CODE lets a code pass)"
            )
        else:
            summary += "; OK"
        print(summary, file=sys.stderr)
    return 1 if failing or failing_catalog else 0
