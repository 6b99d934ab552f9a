"""The preview as campaign staff use it: `python -m bot` with no token, opened in a real Chromium."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT
from bot.content.loader import load_content

CHROMIUM = Path("/usr/bin/chromium")
CONTENT = load_content(PROJECT_ROOT / "content").content
assert CONTENT is not None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[str]:
    """`python -m bot` with no token: the offline preview, as a real process."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("TELEGRAM_BOT_TOKEN", "WEBHOOK_URL", "DATABASE_URL")}
    env.update(PORT=str(port), DATA_DIR=str(tmp_path / "data"), LOG_LEVEL="WARNING")
    process = subprocess.Popen(
        [sys.executable, "-m", "bot"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "/control/config", timeout=2) as answer:
                    json.load(answer)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    out, err = process.communicate(timeout=5)
                    pytest.fail(f"the preview did not start: {out} {err}")
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            stdout, _ = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            stdout, _ = process.communicate()
    assert f"{url}/" in stdout, "the preview prints its URL"
    assert process.returncode == 0, "SIGTERM stops the preview cleanly"


def test_no_token_starts_the_preview_with_every_language(preview: str) -> None:
    with urllib.request.urlopen(preview + "/control/config", timeout=5) as answer:
        config = json.load(answer)
    codes = [language["code"].replace("-", "_") for language in config["languages"]]
    assert codes == list(CONTENT.locales)


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Chromium at /usr/bin/chromium (apt-get install chromium)")
async def test_staff_click_through_the_preview_in_chromium(preview: str, tmp_path: Path) -> None:
    playwright_api = pytest.importorskip("playwright.async_api")
    expect = playwright_api.expect
    home = CONTENT.text("", "en").title
    menu_id = next(c for c in CONTENT.root.children if CONTENT.nodes[c].is_menu)
    menu_title = CONTENT.text(menu_id, "en").title
    page_id = next(c for c in CONTENT.nodes[menu_id].children if CONTENT.nodes[c].type == "page")
    page_title = CONTENT.text(page_id, "en").title
    async with playwright_api.async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        page = await browser.new_page()
        await page.goto(preview + "/")
        await page.get_by_test_id("language").select_option("en")
        await page.get_by_test_id("start").click()
        bubble = page.get_by_test_id("bot-message").last
        await expect(bubble.get_by_test_id("message-text")).to_contain_text(home)
        await bubble.get_by_test_id("inline-button").filter(has_text=menu_title).click()
        await expect(bubble.get_by_test_id("message-text")).to_contain_text(menu_title)
        await bubble.get_by_test_id("inline-button").filter(has_text=page_title).click()
        await expect(bubble.get_by_test_id("message-text")).to_contain_text(page_title)
        await expect(page.get_by_test_id("bot-message")).to_have_count(1)  # edited in place
        await bubble.get_by_test_id("inline-button").filter(has_text="Back").click()
        await expect(bubble.get_by_test_id("message-text")).to_contain_text(menu_title)
        shot = tmp_path / "preview.png"
        await page.screenshot(path=str(shot), full_page=True)
        await browser.close()
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 5000
