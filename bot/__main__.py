"""Command line entry point: `python -m bot [COMMAND] ...`; with no command it runs the bot."""

from __future__ import annotations

import sys

from bot.cli import main as cli_main


def main() -> None:
    """Run the command line and exit with its status."""
    sys.exit(cli_main(sys.argv[1:]))


if __name__ == "__main__":
    main()
