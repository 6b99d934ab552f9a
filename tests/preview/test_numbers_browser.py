"""Numbers on a cheap phone, measured in a real browser: the preview at 360×740 (device scale 2) in every locale.

For the first emergency answer and a help card: every number's glyph boxes lie on one line and read left to right
in the order of its digits; the first country's numbers lie inside the first screen; nothing is cut off. The
screenshots of every locale are written to the test's output folder (printed; kept by pytest under
/tmp/pytest-of-<user>/), so a reviewer can look.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from babel import Locale

from bot.config import PROJECT_ROOT
from bot.screenfit import BUBBLE_PADDING, CHAT_HEIGHT, estimate_height
from tests.preview.test_preview_browser import CHROMIUM, running_preview

WORDS = yaml.safe_load((PROJECT_ROOT / "content" / "emergency-words.yaml").read_text(encoding="utf-8"))
PHONE = {"width": 360, "height": 740}
FLAG = re.compile("[\U0001f1e6-\U0001f1ff]{2}")

# Every marked number of a message's text (bot.numbers puts each between two U+200E marks): the text as one
# string, and per number the box of each digit, in the order of the text.
MEASURE = """
(el) => {
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  const nodes = [];
  let text = "";
  while (walker.nextNode()) { nodes.push([walker.currentNode, text.length]); text += walker.currentNode.data; }
  const locate = (index) => {
    for (let k = nodes.length - 1; k >= 0; k -= 1) {
      if (nodes[k][1] <= index) { return [nodes[k][0], index - nodes[k][1]]; }
    }
    return null;
  };
  const numbers = [];
  const re = /\\u200e([^\\u200e\\n]+)\\u200e/g;
  let m;
  while ((m = re.exec(text)) !== null) {
    const boxes = [];
    for (let i = 0; i < m[1].length; i += 1) {
      if (!/\\p{Nd}/u.test(m[1][i])) { continue; }
      const [node, offset] = locate(m.index + 1 + i);
      const range = document.createRange();
      range.setStart(node, offset);
      range.setEnd(node, offset + 1);
      const rects = [...range.getClientRects()];
      const b = range.getBoundingClientRect();
      boxes.push({ left: b.left, right: b.right, top: b.top, bottom: b.bottom, lines: rects.length });
    }
    numbers.push({ number: m[1], index: m.index, boxes });
  }
  const chat = document.getElementById("chat").getBoundingClientRect();
  const bubble = el.closest("[data-testid=bot-message]").getBoundingClientRect();
  const own = el.getBoundingClientRect();
  return { text, numbers, height: own.height, chat: { top: chat.top, bottom: chat.bottom }, bubble: { top: bubble.top,
           bottom: bubble.bottom, left: bubble.left, right: bubble.right } };
}
"""

# The labels of a message's buttons that do not fit whole on one line (Telegram's apps cut them with "…").
CUT_LABELS = """
(el) => [...el.closest("[data-testid=bot-message]").querySelectorAll(".keyboard button, .keyboard a")]
  .filter((b) => b.scrollWidth > b.clientWidth).map((b) => b.textContent)
"""

# Anything wider than the screen: the page itself, a message, the input bar and its buttons.
CUT_OFF = """
() => {
  const width = document.documentElement.clientWidth;
  const cut = [];
  if (document.documentElement.scrollWidth > width) { cut.push("page " + document.documentElement.scrollWidth); }
  for (const el of document.querySelectorAll("#composer > *:not([hidden]), [data-testid=bot-message]")) {
    const b = el.getBoundingClientRect();
    if (b.width && (b.right > width + 0.5 || b.left < -0.5)) { cut.push((el.dataset.testid || el.id) + " " + b.right); }
    if (el.scrollWidth > el.clientWidth + 1 && el.dataset.testid === "bot-message") { cut.push("inside a message"); }
  }
  return cut;
}
"""


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_preview(tmp_path_factory.mktemp("numbers")) as url:
        yield url


def check_numbers(measured: dict[str, Any], what: str) -> None:
    """Each number on one line, its digits drawn left to right in the order they are dialled."""
    assert measured["numbers"], f"{what}: no marked number in {measured['text']!r}"
    for number in measured["numbers"]:
        boxes = number["boxes"]
        first = boxes[0]
        for box in boxes:
            middle = (box["top"] + box["bottom"]) / 2
            assert first["top"] <= middle <= first["bottom"], f"{what}: {number['number']!r} is split across lines"
        lefts = [box["left"] for box in boxes]
        assert lefts == sorted(lefts) and len(set(lefts)) == len(lefts), (
            f"{what}: the digits of {number['number']!r} are not drawn left to right in order: {lefts}"
        )


def first_country_numbers(measured: dict[str, Any]) -> list[dict[str, Any]]:
    """The numbers on the first line that starts with a flag (the best-guess country of the first answer)."""
    text = measured["text"]
    found = FLAG.search(text)
    assert found is not None, text
    end = text.find("\n", found.start())
    end = len(text) if end == -1 else end
    return [n for n in measured["numbers"] if found.start() <= n["index"] < end]


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Chromium at /usr/bin/chromium (apt-get install chromium)")
async def test_every_locale_shows_whole_ordered_numbers_on_the_first_screen_of_a_phone(
    preview: str, tmp_path: Path
) -> None:
    playwright_api = pytest.importorskip("playwright.async_api")
    expect = playwright_api.expect
    from bot.bootstrap import load_live

    live, _ = load_live(PROJECT_ROOT / "content", PROJECT_ROOT / "locales")
    assert live is not None
    shots = Path(os.environ.get("SCREENSHOTS_DIR") or tmp_path)  # SCREENSHOTS_DIR: keep them somewhere else
    os.makedirs(shots, exist_ok=True)
    failures: list[str] = []
    heights: dict[str, float] = {}
    async with playwright_api.async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        for locale in live.content.locales:
            ui = live.ui(locale)
            context = await browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
            page = await context.new_page()
            await page.goto(preview + "/")
            await page.get_by_test_id("language").select_option(locale.replace("_", "-"))
            await page.get_by_test_id("start").click()
            await expect(page.get_by_test_id("bot-message").last).to_contain_text(
                live.content.text("", locale).title.split("\n")[0][:12]
            )
            await page.get_by_test_id("message-input").fill(WORDS[locale]["words"][-1])
            await page.get_by_test_id("send").click()
            answer = page.get_by_test_id("bot-message").last
            await expect(answer).to_contain_text(ui.t("helpline.first.heading"))
            await page.wait_for_timeout(150)  # the scroll to the new answer
            shot = shots / f"{locale}-1-first-answer.png"
            await page.screenshot(path=str(shot))
            measured = await answer.get_by_test_id("message-text").evaluate(MEASURE)
            try:
                check_numbers(measured, f"{locale} first answer")
                heights[locale] = measured["bubble"]["bottom"] - measured["bubble"]["top"]
                chat = measured["chat"]
                # Telegram's chat area on this phone (CHAT_HEIGHT) is smaller than the preview's: measure against it.
                assert heights[locale] <= min(CHAT_HEIGHT, chat["bottom"] - chat["top"]), (
                    f"{locale}: the first answer ({heights[locale]:.0f} px) does not fit the screen ({CHAT_HEIGHT} px)"
                )
                # No action's label is cut with "…" as Telegram's apps would (a country's name may be: it is written
                # whole in the text above it).
                labels = [label for label in await answer.evaluate(CUT_LABELS) if label not in measured["text"]]
                assert not labels, f"{locale}: button labels cut short: {labels}"
                estimate = estimate_height(measured["text"]) - BUBBLE_PADDING
                assert measured["height"] <= estimate, (
                    f"{locale}: the estimate ({estimate:.0f} px) is lower than the text ({measured['height']:.0f} px)"
                )
                for number in first_country_numbers(measured):
                    for box in number["boxes"]:
                        assert chat["top"] <= box["top"] and box["bottom"] <= chat["bottom"], (
                            f"{locale}: {number['number']!r} of the first country is off the first screen"
                        )
                cut = await page.evaluate(CUT_OFF)
                assert not cut, f"{locale} first answer: cut off: {cut}"
            except AssertionError as exc:
                failures.append(str(exc))
            # The best guess's card, in place of the answer.
            first_flag = FLAG.search(measured["text"])
            assert first_flag is not None
            codes = list(live.content.documents["likely-countries"].for_locale(live.content.chain(locale)))
            names = {Locale.parse(locale).territories.get(code, code): code for code in codes}
            button = next(
                b
                for b in await answer.get_by_test_id("inline-button").all_inner_texts()
                if b in names and measured["text"].find(b) != -1
            )
            await answer.get_by_test_id("inline-button").filter(has_text=button).first.click()
            await expect(answer).to_contain_text(ui.t("helpline.heading", country=button))
            await answer.scroll_into_view_if_needed()
            await page.evaluate(
                "() => { const c = document.getElementById('chat'); const b = [...c.children].pop();"
                " c.scrollTop = b.offsetTop - c.offsetTop - 8; }"
            )
            await page.screenshot(path=str(shots / f"{locale}-2-help-card.png"))
            card = await answer.get_by_test_id("message-text").evaluate(MEASURE)
            try:
                check_numbers(card, f"{locale} help card")
                labels = await answer.evaluate(CUT_LABELS)
                assert not labels, f"{locale} help card: button labels cut short: {labels}"
                cut = await page.evaluate(CUT_OFF)
                assert not cut, f"{locale} help card: cut off: {cut}"
            except AssertionError as exc:
                failures.append(str(exc))
            await context.close()
        await browser.close()
    print(f"\nscreenshots of every locale: {shots}")
    print("first answer heights (CSS px): " + ", ".join(f"{k} {v:.0f}" for k, v in heights.items()))
    assert not failures, "\n".join(failures)


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Chromium at /usr/bin/chromium (apt-get install chromium)")
async def test_every_locale_shows_a_quiz_result_and_a_long_page_uncut_verdict_first(
    preview: str, tmp_path: Path
) -> None:
    """The job-offer check's result and the longest page for workers, at 360×740: nothing cut off, and the
    verdict (the result's band) on the first screen; screenshots of each for a reviewer."""
    playwright_api = pytest.importorskip("playwright.async_api")
    expect = playwright_api.expect
    from bot.bootstrap import load_live
    from bot.quiz.model import QuizText

    live, _ = load_live(PROJECT_ROOT / "content", PROJECT_ROOT / "locales")
    assert live is not None
    content = live.content
    quiz = content.nodes["job-offer-check"]
    long_page = max(
        (n for n in content.nodes.values() if n.type == "page" and not n.audience),
        key=lambda n: len(content.text(n.id, "en").parts[0]) if content.text(n.id, "en").parts else 0,
    )
    shots = Path(os.environ.get("SCREENSHOTS_DIR") or tmp_path)
    os.makedirs(shots, exist_ok=True)
    failures: list[str] = []
    async with playwright_api.async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        for locale in content.locales:
            ui = live.ui(locale)
            texts = content.text(quiz.id, locale).extra
            assert isinstance(texts, QuizText)
            context = await browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
            page = await context.new_page()
            await page.goto(preview + "/")
            await page.get_by_test_id("language").select_option(locale.replace("_", "-"))
            await page.get_by_test_id("start-payload").fill(f"n-{quiz.key}")
            await page.get_by_test_id("start").click()
            bubble = page.get_by_test_id("bot-message").last
            # Wait for the quiz itself: until it arrives, the last message is the card of the first test, whose
            # buttons (📵 A number did not work ...) must not be pressed as if they were answers.
            await expect(bubble).to_contain_text(content.text(quiz.id, locale).title)
            heading = ui.t("quiz.result_heading")
            for _ in range(40):  # the first answer to every question, until the result
                await expect(bubble.get_by_test_id("inline-button").first).to_be_visible()
                if heading in (await bubble.get_by_test_id("message-text").inner_text()):
                    break
                before = await bubble.get_by_test_id("message-text").inner_text()
                await bubble.get_by_test_id("inline-button").first.click()
                await expect(bubble.get_by_test_id("message-text")).not_to_have_text(before)
            await expect(bubble).to_contain_text(heading)
            await page.evaluate(
                "() => { const c = document.getElementById('chat'); const b = [...c.children].pop();"
                " c.scrollTop = b.offsetTop - c.offsetTop - 8; }"
            )
            await page.screenshot(path=str(shots / f"{locale}-3-quiz-result.png"))
            verdict = await page.evaluate(
                """() => {
                  const chat = document.getElementById('chat').getBoundingClientRect();
                  const el = [...document.querySelectorAll('[data-testid=bot-message]')].pop()
                    .querySelector('[data-testid=message-text] b:nth-of-type(2)');
                  const b = el.getBoundingClientRect();
                  return { inside: b.top >= chat.top && b.bottom <= chat.bottom, text: el.textContent };
                }"""
            )
            try:
                assert heading in verdict["text"] and verdict["inside"], (
                    f"{locale}: the verdict is off the first screen"
                )
                cut = await page.evaluate(CUT_OFF)
                assert not cut, f"{locale} quiz result: cut off: {cut}"
                get_help = bubble.get_by_test_id("inline-button").filter(has_text=ui.t("button.get_help"))
                assert await get_help.count() == 1, f"{locale}: the result carries 🆘"
            except AssertionError as exc:
                failures.append(str(exc))
            await page.get_by_test_id("start-payload").fill(f"n-{long_page.key}")
            await page.get_by_test_id("start").click()
            await expect(page.get_by_test_id("bot-message").last).to_contain_text(
                content.text(long_page.id, locale).title
            )
            await page.wait_for_timeout(150)
            await page.screenshot(path=str(shots / f"{locale}-4-long-page.png"))
            cut = await page.evaluate(CUT_OFF)
            if cut:
                failures.append(f"{locale} long page: cut off: {cut}")
            await context.close()
        await browser.close()
    print(f"\nscreenshots: {shots}")
    assert not failures, "\n".join(failures)
