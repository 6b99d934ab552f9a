"""The screens of a free-text search: up to five pages as buttons, or a kind "nothing found"."""

from __future__ import annotations

import html
from collections.abc import Sequence

from bot import keyboards
from bot.callbacks import GetHelp, Header, Open
from bot.content.model import Content
from bot.i18n import UI
from bot.screens import Screen


def search_screen(content: Content, ui: UI, header: Header, node_ids: Sequence[str]) -> Screen:
    """The pages found (one button each), or search.none; Get help and Home always."""
    rows: list[keyboards.Row] = [[keyboards.open_node(content, content.nodes[node_id], header)] for node_id in node_ids]
    rows.append([keyboards.button(ui.t("button.get_help"), header, GetHelp(""))])
    rows.append([keyboards.button(ui.t("button.home"), header, Open(content.root.key))])
    key = "search.results" if node_ids else "search.none"
    return Screen(ui.direction(html.escape(ui.t(key), quote=False)), keyboards.markup(rows))
