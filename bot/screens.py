"""What the user sees: a screen is the text and keyboard of one message, built from content and UI text."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import cast

from telegram import InlineKeyboardMarkup

from bot import keyboards
from bot.callbacks import ChooseLanguage, Forget, Header, InEnglish, Open, ShowSources
from bot.content.model import Content, Media, Node, NodeText
from bot.content.types import NODE_TYPES, PAGE_ADDITIONS
from bot.i18n import UI, native_name


@dataclass(frozen=True, slots=True)
class Screen:
    """One message: Telegram HTML text, its keyboard and optional media to send along."""

    text: str
    keyboard: InlineKeyboardMarkup
    media: Media | None = None


@dataclass(frozen=True, slots=True)
class Addition:
    """What a feature adds to a page it names (see bot.content.types.PageAddition): HTML above and below the
    body, and rows of buttons above the sources."""

    above: str = ""
    below: str = ""
    rows: tuple[keyboards.Row, ...] = ()


def _additions(content: Content, ui: UI, header: Header, node: Node, part: int, parts: int) -> list[Addition]:
    found = (hook.render(content, ui, header, node, part, parts) for hook in PAGE_ADDITIONS.values())
    return [cast(Addition, addition) for addition in found if addition is not None]


def resolve(content: Content, node: Node) -> Node:
    """Follow link nodes to the node they open (the loader guarantees links end)."""
    seen = 0
    while node.type == "link" and node.target is not None and node.target in content.nodes:
        if seen > len(content.nodes):
            break
        node = content.nodes[node.target]
        seen += 1
    return node


def _heading(title: str) -> str:
    return f"<b>{html.escape(title, quote=False)}</b>"


def node_screen(
    content: Content, ui: UI, header: Header, node: Node, page: int = 0, original: bool = False, numbers: str = ""
) -> Screen:
    """The screen of a menu (one screenful of buttons) or of one part of a page; with `original`, a page's text in
    the default language (English) and a button back to the reader's own; `numbers`, the numbers to call
    (bot.helplines.calls), go above the text of a page part that tells the reader to call."""
    hook = NODE_TYPES[node.type].screen if node.type in NODE_TYPES else None
    if hook is not None:  # a type with its own screen (a quiz opens on its first question)
        return cast(Screen, hook(content, ui, header, node, page))
    text = content.text(node.id, content.default_locale if original else header.locale)
    rows: list[keyboards.Row] = []
    if node.is_menu:
        pages = max(1, -(-len(node.children) // keyboards.MENU_PAGE_SIZE))
        page = min(max(page, 0), pages - 1)
        start = page * keyboards.MENU_PAGE_SIZE
        for child_id in node.children[start : start + keyboards.MENU_PAGE_SIZE]:
            rows.append([keyboards.open_node(content, content.nodes[child_id], header)])
        body = [_heading(text.title), *text.parts[:1]]
        if pages > 1:
            body.append(f"<i>{html.escape(ui.t('menu.page_counter', current=page + 1, total=pages))}</i>")
        rows.append(keyboards.pager(ui, header, node.key, page, pages))
    else:
        parts = text.parts or ("",)
        page = min(max(page, 0), len(parts) - 1)
        additions = _additions(content, ui, header, node, page, len(parts))
        above = [addition.above for addition in additions]
        below = [addition.below for addition in additions]
        body = [_heading(text.title), *above, numbers, parts[page], *below]
        if len(parts) > 1:
            counter = ui.t("page.counter", current=page + 1, total=len(parts))
            body.append(f"<i>{html.escape(counter, quote=False)}</i>")
        notice = _machine_notice(ui, header, text, original)
        if notice:
            body.append(notice)
        rows.append(keyboards.pager(ui, header, node.key, page, len(parts)))
        rows.extend(_language_rows(ui, header, node, page, bool(notice), original))
        rows.extend(list(row) for addition in additions for row in addition.rows)
        if node.sources:
            rows.append([keyboards.button(ui.t("button.sources"), header, ShowSources(node.key))])
    rows.append(keyboards.subscribe(content, ui, header, node))
    rows.extend(keyboards.footer(content, ui, header, node))
    message = "\n\n".join(part for part in body if part)
    return Screen(ui.direction(message), keyboards.markup(rows), node.media if page == 0 else None)


def _machine_notice(ui: UI, header: Header, text: NodeText, original: bool) -> str:
    """The one line under a machine translation that no native speaker has reviewed yet ("" under any other)."""
    if original or text.locale != header.locale or not text.machine_unreviewed:
        return ""
    return f"<i>{html.escape(ui.t('review.machine_notice'), quote=False)}</i>"


def _language_rows(
    ui: UI, header: Header, node: Node, page: int, unreviewed: bool, original: bool
) -> list[keyboards.Row]:
    """The Show in English button under an unreviewed machine translation; under the English, one tap back."""
    if original:
        label = ui.t("button.back_to_language", language=native_name(header.locale))
        return [[keyboards.button(label, header, Open(node.key, page))]]
    if unreviewed:
        return [[keyboards.button(ui.t("button.show_in_english"), header, InEnglish(node.key, page))]]
    return []


def sources_screen(content: Content, ui: UI, header: Header, node: Node) -> Screen:
    """The list of sources of a node, with a way back to it."""
    title = content.text(node.id, header.locale).title
    lines = [_heading(ui.t("sources.heading", title=title))]
    for source in node.sources:
        label = html.escape(source.title, quote=False)
        if source.url:
            label = f'<a href="{html.escape(source.url)}">{label}</a>'
        lines.append(f"\u2022 {label}")
    if not node.sources:
        lines.append(html.escape(ui.t("sources.none"), quote=False))
    rows = [[keyboards.button(ui.t("button.back"), header, Open(node.key))]]
    rows.extend(keyboards.footer(content, ui, header, None))
    return Screen(ui.direction("\n".join(lines)), keyboards.markup(rows))


def languages_screen(content: Content, ui: UI, header: Header) -> Screen:
    """Every content locale by its own native name, two per row."""
    buttons = [
        keyboards.button(
            ("\u2713 " if locale == header.locale else "") + native_name(locale), header, ChooseLanguage(locale)
        )
        for locale in content.locales
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append([keyboards.button(ui.t("button.home"), header, Open(content.root.key))])
    return Screen(ui.direction(html.escape(ui.t("language.prompt"), quote=False)), keyboards.markup(rows))


def notice_screen(content: Content, ui: UI, header: Header, message_key: str, **values: object) -> Screen:
    """A short message from the UI catalog with a Home button."""
    text = html.escape(ui.t(message_key, **values), quote=False)
    rows = [[keyboards.button(ui.t("button.home"), header, Open(content.root.key))]]
    return Screen(ui.direction(text), keyboards.markup(rows))


def forget_screen(ui: UI, header: Header) -> Screen:
    """The /forget confirmation."""
    rows = [
        [keyboards.button(ui.t("button.forget_confirm"), header, Forget(True))],
        [keyboards.button(ui.t("button.cancel"), header, Forget(False))],
    ]
    return Screen(ui.direction(html.escape(ui.t("forget.confirm"), quote=False)), keyboards.markup(rows))
