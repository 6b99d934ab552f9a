"""Review in the preview, in a real Chromium: a Bengali reviewer approves one text and corrects another, and the
message reloads with the correction; both are signed off in content/review/bn.yaml."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest
import yaml

from bot.content.loader import load_content
from bot.review.state import review_path
from tests.preview.test_preview_browser import CHROMIUM, running_preview
from tests.review.helpers import copy_project

PAGE = "if-something-goes-wrong/act-now"
# Where the screenshots go: the test's folder, or docs/images/reviewing when making the documentation's.
SHOTS = os.environ.get("REVIEW_SCREENSHOTS")


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Chromium at /usr/bin/chromium (apt-get install chromium)")
async def test_a_reviewer_approves_one_text_and_edits_another_in_the_preview(tmp_path: Path) -> None:
    playwright_api = pytest.importorskip("playwright.async_api")
    expect = playwright_api.expect
    shots = Path(SHOTS) if SHOTS else tmp_path
    shots.mkdir(parents=True, exist_ok=True)
    content_dir, locales_dir = copy_project(tmp_path)
    content = load_content(content_dir).content
    assert content is not None
    key, bengali = content.nodes[PAGE].key, content.text(PAGE, "bn")
    bn_file = content_dir / "bn" / f"{PAGE}.yaml"
    first = yaml.safe_load(bn_file.read_text(encoding="utf-8"))["body"].split("\n\n")[0]
    corrected = "**আপনার নিরাপত্তাই সবার আগে, সব সময়।**"
    env = {"CONTENT_DIR": str(content_dir), "LOCALES_DIR": str(locales_dir)}
    with running_preview(tmp_path, "preview", "--review", "bn", "--reviewer", "RK", **env) as url:
        async with playwright_api.async_playwright() as pw:
            browser = await pw.chromium.launch(
                executable_path=str(CHROMIUM),
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
            )
            page = await browser.new_page()
            await page.set_viewport_size({"width": 1100, "height": 900})
            await page.goto(url + "/review")
            await expect(page.get_by_test_id("language")).to_have_value("bn")
            await expect(page.get_by_test_id("review-name")).to_have_value("RK")
            await page.get_by_test_id("start-payload").fill(f"n-{key}")
            await page.get_by_test_id("start").click()
            bubble = page.get_by_test_id("bot-message").last
            await expect(bubble.get_by_test_id("message-text")).to_contain_text(bengali.title)
            panel = bubble.get_by_test_id("review-panel")
            title_row = panel.locator(f'[data-text-id="{PAGE}#title"]')
            await expect(title_row.get_by_test_id("review-english")).to_contain_text(content.text(PAGE, "en").title)
            await page.screenshot(path=str(shots / "review-preview.png"))

            await title_row.get_by_test_id("review-ok").click()  # approve one text
            await expect(title_row.get_by_test_id("review-result")).to_contain_text("Signed off", timeout=30000)

            body_row = panel.locator(f'[data-text-id="{PAGE}#body.1"]')
            await body_row.get_by_test_id("review-edit").click()  # edit another
            await body_row.get_by_test_id("review-editor").fill(corrected)
            await page.screenshot(path=str(shots / "review-edit.png"))
            # A save by someone else while the correction is typed: the chat is drawn again with a notice, and the
            # correction stays (the page used to draw every message anew and drop it).
            other = next(p for p in sorted((content_dir / "en").rglob("*.yaml")) if PAGE not in p.as_posix())
            good = other.read_text(encoding="utf-8")
            notice = page.get_by_test_id("notice")
            other.write_text("title: [never closed\n" + good, encoding="utf-8")
            await expect(notice).to_have_attribute("data-level", "error", timeout=15000)
            await expect(body_row.get_by_test_id("review-editor")).to_have_value(corrected)
            other.write_text(good, encoding="utf-8")
            await expect(notice).to_contain_text("Your changes are loaded", timeout=15000)
            await expect(body_row.get_by_test_id("review-editor")).to_have_value(corrected)
            await body_row.get_by_test_id("review-save").click()
            # The page reloads the message by itself: the bot shows the corrected text.
            await expect(bubble.get_by_test_id("message-text")).to_contain_text(corrected.strip("*"), timeout=30000)
            await expect(page.get_by_test_id("bot-message")).to_have_count(1)  # the same message, edited in place
            body_row = bubble.get_by_test_id("review-panel").locator(f'[data-text-id="{PAGE}#body.1"]')
            await expect(body_row.get_by_test_id("review-status")).to_contain_text("reviewed (RK", timeout=30000)
            with contextlib.suppress(playwright_api.Error):  # for the picture only: the chat may be drawn again
                await body_row.scroll_into_view_if_needed(timeout=5000)
            await page.screenshot(path=str(shots / "review-saved.png"))
            await browser.close()
    saved = yaml.safe_load(bn_file.read_text(encoding="utf-8"))
    assert saved["body"].split("\n\n")[0] == corrected and first != corrected
    signed = yaml.safe_load(review_path(content_dir, "bn").read_text(encoding="utf-8"))["texts"]
    assert {f"{PAGE}#title", f"{PAGE}#body.1"} <= set(signed)
    assert signed[f"{PAGE}#body.1"]["by"] == "RK"
