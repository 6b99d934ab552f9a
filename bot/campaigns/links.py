"""Start links and printable QR codes for campaigns: the payloads, the PNG/SVG files and the index to print."""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import segno

from bot.campaigns.model import Campaign
from bot.i18n import native_name

USERNAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{3,31}$")
QR_ERROR = "q"  # quartile: about 25 % of the code may be damaged (torn or dirty posters) and it still reads
QR_SCALE = 12  # pixels per module: a version-3 code is 348 px wide with its border, sharp up to ~8 cm at 100 dpi
QR_BORDER = 4  # the quiet zone the QR standard asks for, in modules


@dataclass(frozen=True, slots=True)
class PosterLink:
    """One link to print: which campaign, in which language, the URL, and the files written for it."""

    campaign: Campaign
    locale: str
    link: str
    stem: str  # file name without extension
    per_locale: bool = False


def payload(campaign: Campaign, locale: str | None = None) -> str:
    """The /start payload: the bare code, or `c-<code>_l-<locale>` to force a language."""
    if locale is None:
        return campaign.code
    return f"c-{campaign.code}_l-{locale.replace('_', '-')}"


def start_link(username: str, start_payload: str) -> str:
    """The t.me link that opens the bot with this payload."""
    if not USERNAME_RE.match(username):
        raise ValueError(f"{username!r} is not a Telegram bot username (5-32 characters of A-Z, a-z, 0-9, _)")
    return f"https://t.me/{username}?start={start_payload}"


def plan(
    campaigns: Sequence[Campaign], username: str, locales: Sequence[str] = (), *, per_locale: bool = False
) -> list[PosterLink]:
    """Every link to print: one per campaign (its own language), plus one per locale when asked."""
    found: list[PosterLink] = []
    for campaign in campaigns:
        found.append(PosterLink(campaign, campaign.locale, start_link(username, payload(campaign)), campaign.code))
        if per_locale:
            for locale in locales:
                link = start_link(username, payload(campaign, locale))
                found.append(PosterLink(campaign, locale, link, f"{campaign.code}.{locale}", per_locale=True))
    return found


def write_qr(link: str, directory: Path, stem: str) -> tuple[Path, Path]:
    """Write the link's QR code as PNG and SVG (error correction Q, a 4-module quiet zone); return both paths."""
    code = segno.make(link, error=QR_ERROR, micro=False, boost_error=False)
    png, svg = directory / f"{stem}.png", directory / f"{stem}.svg"
    code.save(str(png), scale=QR_SCALE, border=QR_BORDER)
    code.save(str(svg), scale=QR_SCALE, border=QR_BORDER, title=link, svgclass=None, lineclass=None)
    return png, svg


CSV_HEADER = ("code", "partner", "locale", "language", "link", "png", "svg", "landing", "from", "until")


def _row(item: PosterLink) -> tuple[str, ...]:
    campaign = item.campaign
    return (
        campaign.code,
        campaign.partner,
        item.locale,
        native_name(item.locale),
        item.link,
        f"{item.stem}.png",
        f"{item.stem}.svg",
        campaign.landing or "",
        campaign.active_from.isoformat() if campaign.active_from else "",
        campaign.active_until.isoformat() if campaign.active_until else "",
    )


def write_csv(items: Sequence[PosterLink], path: Path) -> None:
    """Write index.csv: one row per link, for a spreadsheet or a mail merge."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_HEADER)
        writer.writerows(_row(item) for item in items)


_STYLE = """
body { font-family: system-ui, sans-serif; margin: 1.5cm; color: #111; }
h1 { font-size: 1.4rem; }
.card { display: inline-block; width: 8.5cm; margin: 0 0.6cm 0.8cm 0; padding: 0.4cm; border: 1px solid #999;
        vertical-align: top; page-break-inside: avoid; break-inside: avoid; }
.card img { width: 6cm; height: 6cm; display: block; margin: 0 auto 0.3cm; }
.card p { margin: 0.15cm 0; font-size: 0.85rem; overflow-wrap: anywhere; }
.code { font-family: monospace; }
.lang { font-size: 1.1rem; font-weight: bold; }
@media print { .note { display: none; } }
"""


def _card(item: PosterLink) -> str:
    e = html.escape
    return (
        '<div class="card">'
        f'<img src="{e(item.stem)}.svg" alt="QR code for {e(item.link)}">'
        f'<p class="lang" lang="{e(item.locale.replace("_", "-"))}">{e(native_name(item.locale))}</p>'
        f"<p>{e(item.campaign.partner)}</p>"
        f'<p class="code">{e(item.campaign.code)} · {e(item.locale)}</p>'
        f'<p class="code"><a href="{e(item.link)}">{e(item.link)}</a></p>'
        "</div>"
    )


def write_html(items: Sequence[PosterLink], path: Path, username: str) -> None:
    """Write index.html: a printable sheet with every QR code, its partner, code, language and link."""
    cards = "\n".join(_card(item) for item in items)
    page = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>Campaign links for @{html.escape(username)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f"<h1>Campaign links for @{html.escape(username)}</h1>\n"
        '<p class="note">Print this page, or use the PNG/SVG files next to it on your posters. '
        "Each code opens the bot in the language shown. People are counted for your campaign only in "
        "numbers, never by name.</p>\n"
        f"{cards}\n</body>\n</html>\n"
    )
    path.write_text(page, encoding="utf-8")


def _day(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def read_index(directory: Path, current: Mapping[str, Campaign] | None = None) -> list[PosterLink]:
    """The links an earlier run listed in `directory`/index.csv whose PNG and SVG files are still there.

    A campaign still in campaigns.yaml (`current`) gets its partner, landing and dates from there; the link stays
    the one in the index, since that is what its QR code says. An unreadable or foreign index.csv gives nothing.
    """
    try:
        text = (directory / "index.csv").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    try:
        reader = csv.DictReader(io.StringIO(text))
        if tuple(reader.fieldnames or ()) != CSV_HEADER:
            return []
        rows = list(reader)
    except csv.Error:
        return []
    found: list[PosterLink] = []
    for row in rows:
        png, svg, code, locale = row["png"] or "", row["svg"] or "", row["code"] or "", row["locale"] or ""
        stem = png.removesuffix(".png")
        if not code or not png.endswith(".png") or svg != f"{stem}.svg" or Path(png).name != png:
            continue
        if not ((directory / png).is_file() and (directory / svg).is_file()):
            continue
        campaign = (current or {}).get(code) or Campaign(
            code,
            row["partner"] or "",
            locale,
            row["landing"] or None,
            _day(row["from"] or ""),
            _day(row["until"] or ""),
        )
        found.append(PosterLink(campaign, locale, row["link"] or "", stem, per_locale=stem != code))
    return found


@dataclass(frozen=True, slots=True)
class Written:
    """What `write_all` did: the files written now, and every link the indexes list (`kept`: from earlier runs)."""

    files: tuple[Path, ...]
    indexed: tuple[PosterLink, ...]
    kept: tuple[PosterLink, ...]


def write_all(
    items: Sequence[PosterLink], directory: Path, username: str, campaigns: Sequence[Campaign] = ()
) -> Written:
    """Write every QR code into `directory` (created if needed), then both indexes.

    The indexes list every link whose files are in the folder: the ones written now, and those of earlier runs
    still there (so printing one campaign into a folder does not drop the others from index.html). They are in
    the order of `campaigns` (campaigns.yaml), campaigns no longer in it last.
    """
    directory.mkdir(parents=True, exist_ok=True)
    current = {campaign.code: campaign for campaign in campaigns}
    fresh = {item.stem for item in items}
    kept = [item for item in read_index(directory, current) if item.stem not in fresh]
    written: list[Path] = []
    for item in items:
        written.extend(write_qr(item.link, directory, item.stem))
    rank = {code: n for n, code in enumerate(current)}
    listed = [*kept, *items]
    order = sorted(
        range(len(listed)),
        key=lambda n: (rank.get(listed[n].campaign.code, len(rank)), listed[n].per_locale, n),
    )
    indexed = tuple(listed[n] for n in order)
    write_csv(indexed, directory / "index.csv")
    write_html(indexed, directory / "index.html", username)
    files = (*written, directory / "index.csv", directory / "index.html")
    return Written(files, indexed, tuple(kept))
