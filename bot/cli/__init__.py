"""Subcommand dispatch: every module in `bot.cli` with `add_arguments` and `run` is a command.

A command module defines `HELP` (one line), `add_arguments(parser)` and `run(args) -> int`.
Importing this package registers nothing; the modules are discovered when the CLI starts.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
from types import ModuleType

DEFAULT_COMMAND = "run"


def _command_modules() -> dict[str, ModuleType]:
    """Import every command module of this package, keyed by command name."""
    found: dict[str, ModuleType] = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "run") and hasattr(module, "add_arguments"):
            found[info.name.replace("_", "-")] = module
    return found


def build_parser(modules: dict[str, ModuleType]) -> argparse.ArgumentParser:
    """Build the argument parser with one subparser per command."""
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Safe-migration guidance bot. With no command, runs the bot "
        "(or the offline preview when TELEGRAM_BOT_TOKEN is not set).",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module in sorted(modules.items()):
        command_parser = sub.add_parser(name, help=getattr(module, "HELP", None))
        module.add_arguments(command_parser)
    return parser


def main(argv: list[str]) -> int:
    """Parse `argv`, run the chosen command and return its exit status."""
    from bot.features import install

    install()  # every feature's content types, before any command loads content
    modules = _command_modules()
    parser = build_parser(modules)
    args = parser.parse_args(argv)
    name = args.command or DEFAULT_COMMAND
    if name not in modules:
        parser.error(f"unknown command {name!r}")
    if args.command is None:
        args = parser.parse_args([name, *argv])
    status: int = modules[name].run(args)
    return status
