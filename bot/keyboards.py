"""The one keyboard builder: every inline button of the bot is made here from data."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.broadcasts.model import TOPICS, Topics
from bot.callbacks import Action, ChooseLanguage, GetHelp, Header, Open, Subscription, encode
from bot.content.model import Content, Node
from bot.helplines.model import encode_purposes
from bot.i18n import UI

MENU_PAGE_SIZE = 8  # buttons per screenful of a menu; more items page with Previous/Next

Row = list[InlineKeyboardButton]


class Keyboard(InlineKeyboardMarkup):
    """An inline keyboard that serialises once: screens are cached and re-sent, so PTB need not rebuild it."""

    __slots__ = ("_as_dict",)

    def __init__(self, rows: Sequence[Sequence[InlineKeyboardButton]]) -> None:
        super().__init__(rows)
        with self._unfrozen():
            self._as_dict = super().to_dict()

    def to_dict(self, recursive: bool = True) -> dict[str, Any]:
        """The JSON form, computed at construction (the object is immutable; callers only read it)."""
        return self._as_dict


def button(label: str, header: Header, act: Action) -> InlineKeyboardButton:
    """One button whose press decodes to `act`."""
    return InlineKeyboardButton(label, callback_data=encode(header, act))


def open_node(content: Content, node: Node, header: Header) -> InlineKeyboardButton:
    """A button labelled with the node's title in the header's locale."""
    return button(content.text(node.id, header.locale).title, header, Open(node.key))


def pager(ui: UI, header: Header, key: str, page: int, pages: int) -> Row:
    """Previous/Next buttons for a node that spans several screens."""
    row: Row = []
    if page > 0:
        row.append(button(ui.t("button.previous"), header, Open(key, page - 1)))
    if page + 1 < pages:
        row.append(button(ui.t("button.next"), header, Open(key, page + 1)))
    return row


def back_target(content: Content, node: Node) -> Open | None:
    """Where Back goes from `node`: its parent menu, on the screenful that lists it."""
    if node.parent is None:
        return None
    parent = content.nodes[node.parent]
    index = parent.children.index(node.id) if node.id in parent.children else 0
    return Open(parent.key, index // MENU_PAGE_SIZE)


def footer(content: Content, ui: UI, header: Header, node: Node | None) -> list[Row]:
    """The rows every screen ends with: Get help, then Back and Home (or Language on the home menu)."""
    rows: list[Row] = [[get_help(ui, header, node)]]
    root = content.root
    if node is None or node.id != root.id:
        nav: Row = []
        back = back_target(content, node) if node is not None else None
        if back is not None and back.key != root.key:
            nav.append(button(ui.t("button.back"), header, back))
        nav.append(button(ui.t("button.home"), header, Open(root.key)))
        rows.append(nav)
    else:
        rows.append([button(ui.t("button.language"), header, ChooseLanguage())])
    return rows


def get_help(ui: UI, header: Header, node: Node | None) -> InlineKeyboardButton:
    """The Get help button; on a page with `help:` purposes it opens the lines for those first."""
    return button(ui.t("button.get_help"), header, GetHelp(encode_purposes(node.help) if node is not None else ""))


def subscribe(content: Content, ui: UI, header: Header, node: Node) -> Row:
    """The button of a node's `subscribe:` topic: one label whatever the user's state (screens are cached for
    everyone), which starts or stops the follow-ups and answers with the new state."""
    topics = content.documents.get(TOPICS)
    topic = topics.get(node.subscribe) if node.subscribe and isinstance(topics, Topics) else None
    if topic is None:
        return []
    label = ui.t("button.subscribe_topic", topic=topic.title(content.chain(header.locale)))
    return [button(label, header, Subscription(topic.id, "p"))]


def markup(rows: Sequence[Row]) -> Keyboard:
    """The keyboard of a screen, without empty rows."""
    return Keyboard([row for row in rows if row])
