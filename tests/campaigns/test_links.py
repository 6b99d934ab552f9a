"""`python -m bot links`: links, QR codes that a real decoder reads back to exactly the link, and the index."""

from __future__ import annotations

import csv
import shutil
import subprocess
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest
from PIL import Image

from bot.campaigns import campaign_lookup
from bot.campaigns.links import QR_BORDER, write_qr
from bot.cli import main
from bot.cli.links import fetch_username
from bot.config import Settings
from bot.content.loader import load_content
from bot.deeplinks import parse_payload
from bot.emulator import Emulator
from bot.i18n import native_name
from tests.campaigns.test_document import content_with

CAMPAIGNS = """\
campaigns:
  - code: dhaka-fair
    partner: Bridge & "Hope" <NGO>
    locale: my
    landing: topics/fees
  - code: radio-7
    partner: Radio Seven
    locale: en
"""
USERNAME = "SafeMigrationBot"


def zbar(path: Path) -> str:
    """Decode a QR code with zbarimg (Debian zbar-tools), exactly as printed, without the trailing newline."""
    if shutil.which("zbarimg") is None:
        pytest.skip("zbarimg (zbar-tools) is not installed")
    done = subprocess.run(["zbarimg", "--raw", "-q", str(path)], capture_output=True, check=True)
    return done.stdout.decode().removesuffix("\n")


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("BOT_USERNAME", "TELEGRAM_BOT_TOKEN", "TELEGRAM_API_BASE_URL", "CONTENT_DIR"):
        monkeypatch.delenv(name, raising=False)


def test_every_qr_code_decodes_to_exactly_its_link(
    tmp_path: Path, env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    content_dir = content_with(tmp_path, CAMPAIGNS)
    out = tmp_path / "out"
    assert (
        main(["links", "--content", str(content_dir), "--out", str(out), "--per-locale", "--username", USERNAME]) == 0
    )
    printed = capsys.readouterr().out.splitlines()
    expected = {
        "dhaka-fair.png": f"https://t.me/{USERNAME}?start=dhaka-fair",
        "dhaka-fair.en.png": f"https://t.me/{USERNAME}?start=c-dhaka-fair_l-en",
        "dhaka-fair.my.png": f"https://t.me/{USERNAME}?start=c-dhaka-fair_l-my",
        "radio-7.png": f"https://t.me/{USERNAME}?start=radio-7",
        "radio-7.en.png": f"https://t.me/{USERNAME}?start=c-radio-7_l-en",
        "radio-7.my.png": f"https://t.me/{USERNAME}?start=c-radio-7_l-my",
    }
    assert sorted(p.name for p in out.glob("*.png")) == sorted(expected)
    assert [line.split("\t")[2] for line in printed] == list(expected.values())
    for name, link in expected.items():
        assert zbar(out / name) == link, name
        width, height = Image.open(out / name).size
        assert width == height >= 300, "big enough to print"
        assert (out / name).with_suffix(".svg").is_file()

    # The links open the bot where the campaign says, in the language asked for.
    content = load_content(content_dir).content
    assert content is not None
    lookup = campaign_lookup(lambda: date(2026, 6, 1))
    for link in expected.values():
        request = parse_payload(link.split("?start=", 1)[1], content, lookup)
        assert request.campaign in {"dhaka-fair", "radio-7"}
        assert request.locale in {"en", "my"}


def test_index_csv_and_html_list_every_code(tmp_path: Path, env: None) -> None:
    content_dir = content_with(tmp_path, CAMPAIGNS)
    out = tmp_path / "out"
    assert main(["links", "dhaka-fair", "--content", str(content_dir), "--out", str(out), "--username", USERNAME]) == 0
    with (out / "index.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows == [
        {
            "code": "dhaka-fair",
            "partner": 'Bridge & "Hope" <NGO>',
            "locale": "my",
            "language": native_name("my"),
            "link": f"https://t.me/{USERNAME}?start=dhaka-fair",
            "png": "dhaka-fair.png",
            "svg": "dhaka-fair.svg",
            "landing": "topics/fees",
            "from": "",
            "until": "",
        }
    ]
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "Bridge &amp; &quot;Hope&quot; &lt;NGO&gt;" in page and "<NGO>" not in page
    assert f"https://t.me/{USERNAME}?start=dhaka-fair" in page
    assert 'src="dhaka-fair.svg"' in page
    assert native_name("my") in page
    assert "radio-7" not in page
    ET.fromstring((out / "dhaka-fair.svg").read_text(encoding="utf-8"))  # well-formed SVG


def test_pyzbar_agrees_and_the_quiet_zone_is_white(tmp_path: Path) -> None:
    pyzbar = pytest.importorskip("pyzbar.pyzbar", reason="pyzbar needs libzbar (zbar)")
    link = f"https://t.me/{USERNAME}?start=c-some-poster-16c_l-fa-AF"
    png, _ = write_qr(link, tmp_path, "one")
    image = Image.open(png).convert("L")
    (decoded,) = pyzbar.decode(image)
    assert decoded.data.decode() == link
    assert decoded.type == "QRCODE"
    margin = QR_BORDER * 12 - 1
    assert {image.getpixel((x, margin)) for x in range(image.width)} == {255}


def test_errors_are_one_line(tmp_path: Path, env: None, capsys: pytest.CaptureFixture[str]) -> None:
    content_dir = content_with(tmp_path, CAMPAIGNS)
    assert main(["links", "--content", str(content_dir), "--out", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err
    assert err == (
        "error: no bot username: set BOT_USERNAME, pass --username NAME, or set TELEGRAM_BOT_TOKEN to ask Telegram\n"
    )
    assert main(["links", "nope", "--content", str(content_dir), "--username", USERNAME]) == 1
    err = capsys.readouterr().err
    assert err == f"error: no campaign 'nope' in {content_dir}/campaigns.yaml (known: dhaka-fair, radio-7)\n"
    assert main(["links", "--content", str(content_dir), "--username", "no spaces"]) == 1
    assert capsys.readouterr().err.count("\n") == 1
    assert not (tmp_path / "o").exists()


def test_username_from_bot_username_setting(
    tmp_path: Path, env: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BOT_USERNAME", "@FromSettingsBot")
    content_dir = content_with(tmp_path, CAMPAIGNS)
    assert main(["links", "radio-7", "--content", str(content_dir), "--out", str(tmp_path / "o")]) == 0
    assert capsys.readouterr().out == "radio-7\ten\thttps://t.me/FromSettingsBot?start=radio-7\n"


async def test_username_from_get_me_through_the_api_base_url() -> None:
    async with Emulator(bot_username="poster_test_bot") as emu:
        settings = Settings(token=emu.token, api_base_url=emu.url)
        assert await fetch_username(settings) == "poster_test_bot"


def _index(out: Path) -> list[tuple[str, str]]:
    with (out / "index.csv").open(encoding="utf-8") as handle:
        return [(row["code"], row["png"]) for row in csv.DictReader(handle)]


def test_printing_one_campaign_keeps_the_others_in_the_index(
    tmp_path: Path, env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    content_dir = content_with(tmp_path, CAMPAIGNS)
    out = tmp_path / "out"
    base = ["--content", str(content_dir), "--out", str(out), "--username", USERNAME]
    assert main(["links", *base]) == 0
    assert _index(out) == [("dhaka-fair", "dhaka-fair.png"), ("radio-7", "radio-7.png")]
    capsys.readouterr()

    assert main(["links", "radio-7", "--per-locale", *base]) == 0
    assert _index(out) == [
        ("dhaka-fair", "dhaka-fair.png"),
        ("radio-7", "radio-7.png"),
        ("radio-7", "radio-7.en.png"),
        ("radio-7", "radio-7.my.png"),
    ]
    page = (out / "index.html").read_text(encoding="utf-8")
    assert 'src="dhaka-fair.svg"' in page and 'src="radio-7.my.svg"' in page
    err = capsys.readouterr().err
    assert err.splitlines()[-1] == (
        f"3 QR code(s) (PNG and SVG) written to {out}; index.html and index.csv list all 4 link(s) in the folder, "
        "1 of them from an earlier run (dhaka-fair); delete their PNG and SVG files to leave them out of the index"
    )

    # Deleted files leave the index; a campaign since edited shows its new partner.
    (out / "radio-7.en.png").unlink()
    (content_dir / "campaigns.yaml").write_text(CAMPAIGNS.replace("Radio Seven", "Radio 7 FM"), encoding="utf-8")
    assert main(["links", "dhaka-fair", *base]) == 0
    assert _index(out) == [
        ("dhaka-fair", "dhaka-fair.png"),
        ("radio-7", "radio-7.png"),
        ("radio-7", "radio-7.my.png"),
    ]
    assert "Radio 7 FM" in (out / "index.html").read_text(encoding="utf-8")


def test_a_campaign_removed_from_the_file_stays_listed_while_its_files_are_there(tmp_path: Path, env: None) -> None:
    content_dir = content_with(tmp_path, CAMPAIGNS)
    out = tmp_path / "out"
    base = ["--content", str(content_dir), "--out", str(out), "--username", USERNAME]
    assert main(["links", *base]) == 0
    (content_dir / "campaigns.yaml").write_text(CAMPAIGNS.split("  - code: radio-7")[0], encoding="utf-8")
    assert main(["links", *base]) == 0
    assert _index(out) == [("dhaka-fair", "dhaka-fair.png"), ("radio-7", "radio-7.png")]
    (out / "radio-7.svg").unlink()
    assert main(["links", *base]) == 0
    assert _index(out) == [("dhaka-fair", "dhaka-fair.png")]


def test_a_foreign_index_csv_is_replaced(tmp_path: Path, env: None) -> None:
    content_dir = content_with(tmp_path, CAMPAIGNS)
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.csv").write_text("name,phone\nx,y\n", encoding="utf-8")
    assert main(["links", "radio-7", "--content", str(content_dir), "--out", str(out), "--username", USERNAME]) == 0
    assert _index(out) == [("radio-7", "radio-7.png")]


def test_codes_made_for_another_username_are_pointed_out(
    tmp_path: Path, env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    content_dir = content_with(tmp_path, CAMPAIGNS)
    out = tmp_path / "out"
    base = ["--content", str(content_dir), "--out", str(out)]
    assert main(["links", "dhaka-fair", *base, "--username", "OldNameBot"]) == 0
    capsys.readouterr()
    assert main(["links", "radio-7", *base, "--username", USERNAME]) == 0
    assert (
        f"warning: the QR codes of dhaka-fair in {out} were made for another bot username; "
        f"run links again for them with --username {USERNAME}\n"
    ) in capsys.readouterr().err


WARNED = """\
campaigns:
  - code: example-fair
    partner: Example NGO
    locale: en
  - code: over
    partner: Real NGO
    locale: en
    until: 2026-06-30
  - code: example-old
    partner: Example NGO
    locale: en
    until: 2026-01-31
  - code: running
    partner: Real NGO
    locale: en
    until: 2026-07-01
"""


def test_ended_and_example_campaigns_are_warned_about_but_still_printed(
    tmp_path: Path, env: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("bot.cli.links.utc_today", lambda: date(2026, 7, 1))
    content_dir = content_with(tmp_path, WARNED)
    out = tmp_path / "out"
    assert main(["links", "--content", str(content_dir), "--out", str(out), "--username", USERNAME]) == 0
    printed = capsys.readouterr()
    assert [line.split("\t")[0] for line in printed.out.splitlines()] == [
        "example-fair",
        "over",
        "example-old",
        "running",
    ]
    assert printed.err.splitlines()[:3] == [
        "warning: over ended on 2026-06-30 (until in campaigns.yaml): people who open its link are no longer "
        "counted for it; set a later until date before printing its posters",
        "warning: example-old ended on 2026-01-31 (until in campaigns.yaml): people who open its link are no "
        "longer counted for it; set a later until date before printing its posters",
        "warning: example-fair, example-old are examples: replace the shipped examples in campaigns.yaml with "
        "your own campaigns before printing anything",
    ]
    assert (out / "over.png").is_file() and (out / "example-fair.png").is_file()

    assert main(["links", "running", "--content", str(content_dir), "--out", str(out), "--username", USERNAME]) == 0
    assert "warning" not in capsys.readouterr().err
    assert (
        main(["links", "example-fair", "--content", str(content_dir), "--out", str(out), "--username", USERNAME]) == 0
    )
    assert "warning: example-fair is an example: replace" in capsys.readouterr().err
