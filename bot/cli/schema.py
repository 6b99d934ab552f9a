"""`python -m bot schema [--check]`: write the JSON Schemas of the content files, or fail when they are stale."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.config import PROJECT_ROOT
from bot.content import schema

HELP = "write the JSON Schemas of the content files into schema/ (editors use them); --check fails when stale"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of `schema`."""
    parser.add_argument("directory", nargs="?", type=Path, default=PROJECT_ROOT / "schema")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 when a schema is out of date")


def run(args: argparse.Namespace) -> int:
    """Regenerate (or, with --check, compare) the schema files; 0 when they are up to date."""
    directory: Path = args.directory
    if args.check:
        stale = schema.stale(directory)
        for file in stale:
            print(f"{(directory / file).as_posix()}: error: out of date; run `python -m bot schema`", file=sys.stderr)
        return 1 if stale else 0
    for file in schema.write(directory):
        print(f"wrote {(directory / file).as_posix()}")
    return 0
