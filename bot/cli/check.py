"""`python -m bot check [CONTENT_DIR]`: validate content like a compiler; exit 0 when it can be served."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

from bot.config import default_content_dir
from bot.content.coverage import coverage, format_table
from bot.content.diagnostics import Severity
from bot.content.loader import UNREVIEWED, load_content

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


def run(args: argparse.Namespace) -> int:
    """Load the content, print every problem, return 0 when valid (and, with --strict, warning-free)."""
    directory: Path = args.content_dir or default_content_dir()
    if not directory.is_dir():
        print(f"{directory}: error: no such content folder", file=sys.stderr)
        return 2
    result = load_content(directory)
    report = result.report
    diagnostics = sorted(report.items)
    allowed = {UNREVIEWED, *args.allow}
    failing = [d for d in diagnostics if d.severity is Severity.ERROR or (args.strict and d.code not in allowed)]
    rows = coverage(result.content) if result.content is not None and args.coverage else ()
    if args.format == "json":
        print(
            json.dumps(
                {
                    "ok": not failing,
                    "errors": len(report.errors),
                    "warnings": len(report.warnings),
                    "diagnostics": [d.as_json() for d in diagnostics],
                    "coverage": [asdict(row) for row in rows],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        for diagnostic in diagnostics:
            print(f"{directory.as_posix().rstrip('/')}/{diagnostic}")
        if rows:
            print()
            print(format_table(rows))
        summary = f"{len(report.errors)} error(s), {len(report.warnings)} warning(s)"
        if result.content is not None:
            nodes = len(result.content.nodes)
            summary += f"; {nodes} nodes in {len(result.content.locales)} locale(s)"
        print(summary, file=sys.stderr)
    return 1 if failing else 0
