"""`python -m bot links`: print each campaign's start link and write printable QR codes (PNG, SVG) with an index."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import date
from pathlib import Path

from telegram import Bot
from telegram.error import InvalidToken, TelegramError

from bot.campaigns.links import USERNAME_RE, PosterLink, plan, write_all
from bot.campaigns.model import Campaign, campaigns_of, utc_today
from bot.config import ConfigError, Settings, load_settings
from bot.content.loader import load_content

HELP = "print each campaign's t.me start link and write QR codes (PNG, SVG) with a printable index"
DEFAULT_OUT = Path("campaign-links")


class LinksError(Exception):
    """A problem the user can fix; the message is one line."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the options of the links command."""
    parser.add_argument("code", nargs="?", help="only this campaign (default: every campaign in campaigns.yaml)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default: {DEFAULT_OUT})")
    parser.add_argument(
        "--per-locale", action="store_true", help="also one link and QR code per enabled language (c-CODE_l-LOCALE)"
    )
    parser.add_argument("--username", help="the bot's username (default: BOT_USERNAME, else getMe with the token)")
    parser.add_argument("--content", type=Path, help="content folder (default: CONTENT_DIR or ./content)")


async def fetch_username(settings: Settings) -> str:
    """Ask the Bot API (getMe) for the bot's username, through TELEGRAM_API_BASE_URL when it is set."""
    assert settings.token is not None
    base = f"{settings.api_base_url.rstrip('/')}/bot" if settings.api_base_url else "https://api.telegram.org/bot"
    try:
        async with Bot(settings.token, base_url=base) as bot:
            me = await bot.get_me()
    except InvalidToken:
        raise LinksError("the Bot API refused TELEGRAM_BOT_TOKEN (getMe failed); check the token") from None
    except TelegramError as error:
        raise LinksError(f"cannot ask the Bot API for the bot's username (getMe): {error.message}") from None
    if not me.username:
        raise LinksError("getMe returned no username; pass --username NAME")
    return me.username


def username(settings: Settings, given: str | None) -> str:
    """The bot username: --username, else BOT_USERNAME, else getMe when a token is set."""
    name = (given or settings.bot_username or "").lstrip("@")
    if not name and settings.token is not None:
        name = asyncio.run(fetch_username(settings))
    if not name:
        raise LinksError(
            "no bot username: set BOT_USERNAME, pass --username NAME, or set TELEGRAM_BOT_TOKEN to ask Telegram"
        )
    if not USERNAME_RE.match(name):
        raise LinksError(f"{name!r} is not a Telegram bot username (5-32 characters of A-Z, a-z, 0-9 and _)")
    return name


def chosen(content_dir: Path, code: str | None) -> tuple[list[Campaign], tuple[str, ...], list[Campaign]]:
    """Load the content and pick the campaigns to print, with the enabled locales and every campaign."""
    result = load_content(content_dir)
    if result.content is None:
        errors = result.report.errors
        first = errors[0] if errors else "unknown"
        raise LinksError(
            f"the content in {content_dir} has {len(errors)} error(s); first: {first} "
            f"(run `python -m bot check {content_dir}`)"
        )
    campaigns = campaigns_of(result.content)
    if not campaigns.items:
        raise LinksError(f"{content_dir / 'campaigns.yaml'} has no campaigns; see docs/campaigns.md")
    every = list(campaigns.items)
    if code is None:
        return every, result.content.locales, every
    found = campaigns.get(code)
    if found is None:
        known = ", ".join(c.code for c in campaigns.items)
        raise LinksError(f"no campaign {code!r} in {content_dir / 'campaigns.yaml'} (known: {known})")
    return [found], result.content.locales, every


def warnings(campaigns: list[Campaign], today: date) -> list[str]:
    """One line per campaign that has ended, and one naming the example codes: posters for them mislead."""
    lines = [
        f"warning: {campaign.code} ended on {campaign.active_until} (until in campaigns.yaml): people who open "
        "its link are no longer counted for it; set a later until date before printing its posters"
        for campaign in campaigns
        if campaign.ended_before(today)
    ]
    examples = [campaign.code for campaign in campaigns if campaign.is_example]
    if examples:
        lines.append(
            f"warning: {', '.join(examples)} {'is an example' if len(examples) == 1 else 'are examples'}: "
            "replace the shipped examples in campaigns.yaml with your own campaigns before printing anything"
        )
    return lines


def _summary(items: list[PosterLink], kept: tuple[PosterLink, ...], indexed: int, out: Path) -> str:
    line = (
        f"{len(items)} QR code(s) (PNG and SVG) written to {out}; index.html and index.csv list all {indexed} link(s)"
    )
    if not kept:
        return line + " in the folder"
    codes = ", ".join(dict.fromkeys(item.campaign.code for item in kept))
    return (
        f"{line} in the folder, {len(kept)} of them from an earlier run ({codes}); "
        "delete their PNG and SVG files to leave them out of the index"
    )


def run(args: argparse.Namespace) -> int:
    """Print the links and write the files; every error is one line on stderr and exit status 1 or 2."""
    try:
        settings = load_settings()
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    try:
        campaigns, locales, every = chosen(args.content or settings.content_dir, args.code)
        name = username(settings, args.username)
    except LinksError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for line in warnings(campaigns, utc_today()):
        print(line, file=sys.stderr)
    items = plan(campaigns, name, locales, per_locale=args.per_locale)
    try:
        written = write_all(items, args.out, name, every)
    except OSError as error:
        print(f"error: cannot write into {args.out}: {error.strerror or error}", file=sys.stderr)
        return 1
    for item in items:
        print(f"{item.campaign.code}\t{item.locale}\t{item.link}")
    others = sorted({item.campaign.code for item in written.kept if not item.link.startswith(f"https://t.me/{name}?")})
    if others:
        print(
            f"warning: the QR codes of {', '.join(others)} in {args.out} were made for another bot username; "
            f"run links again for them with --username {name}",
            file=sys.stderr,
        )
    print(_summary(items, written.kept, len(written.indexed), args.out), file=sys.stderr)
    return 0
