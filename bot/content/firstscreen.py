"""`check`: a page must say what to do on its first phone screen (issue 22, "long answers, short first").

What a 360×740 phone shows of a page before the reader scrolls is estimated per script (bot.screenfit): the
chat area less the page's buttons and title. On a page longer than that, the first screen must hold an action:
a line in **bold** (the content style guide asks pages to open with the key action in bold), a link, or a phone
number. A page whose first screen is only background warns `first-screen-without-action`, once per page (naming
the languages). The warning is advisory: `check --strict` lets it pass while the pages are rewritten.
"""

from __future__ import annotations

import html
import re

from bot.content.diagnostics import Mark, Report
from bot.content.model import Content
from bot.screenfit import BUTTON_ROW, CHAT_HEIGHT, script_of

CODE = "first-screen-without-action"
PAGE_BUTTON_ROWS = 3  # Get help, Back and Home: the least a page carries
_ACTION = re.compile(r"<b>|<a |\+?\d[\d\u200e -]{2,}\d")
_TAG = re.compile(r"<[^>]+>")


def first_screen(part: str, title: str) -> str:
    """The leading Telegram HTML of `part` that fits a phone's first screen under `title` (estimated)."""
    script = script_of(html.unescape(_TAG.sub("", part)) or title)
    room = CHAT_HEIGHT - PAGE_BUTTON_ROWS * BUTTON_ROW
    lines_left = int(room // script.line_height) - max(1, -(-len(title) // int(script.per_line))) - 1
    kept: list[str] = []
    for line in part.split("\n"):
        if lines_left <= 0:
            break
        visible = html.unescape(_TAG.sub("", line))
        kept.append(line)
        lines_left -= max(1, -(-len(visible) // int(script.per_line)))
    return "\n".join(kept)


def check_first_screens(content: Content, report: Report) -> None:
    """Warn about pages longer than a phone screen whose first screen holds no action: one line per page, naming
    the languages."""
    for node_id, node in content.nodes.items():
        if node.type != "page":
            continue
        lacking = []
        for locale in content.locales:
            text = content.texts.get(locale, {}).get(node_id)
            if text is None or not text.parts:
                continue
            shown = first_screen(text.parts[0], text.title)
            # A page that fits one screen is read whole; a longer one must say what to do before the fold.
            if (shown != text.parts[0] or len(text.parts) > 1) and not _ACTION.search(shown):
                lacking.append(locale)
        if lacking:
            report.warning(
                Mark(node.file),
                CODE,
                f"the first phone screen of this page has no action in {', '.join(lacking)}: open with what to do, "
                "in **bold**, with a number or a link where one belongs (docs/content-style.md)",
            )
