"""Limits of inline and reply keyboards that Telegram enforces beyond the JSON structure."""

from __future__ import annotations

from typing import Any

from .errors import bad_request

MAX_BUTTONS = 100
MAX_BUTTONS_PER_ROW = 8
MAX_CALLBACK_DATA_BYTES = 64
_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_URL_SCHEMES = ("http://", "https://", "tg://")
MAX_REPLY_BUTTONS = 300
MAX_REPLY_BUTTONS_PER_ROW = 12
REPLY_BUTTON_KINDS = (
    "request_contact",
    "request_location",
    "request_poll",
    "web_app",
    "request_users",
    "request_chat",
    "request_managed_bot",
)


def check_reply_markup(markup: dict[str, Any] | None) -> None:
    """Raise Telegram's 400 errors for a keyboard that the spec's types alone do not catch."""
    if markup and "keyboard" in markup:
        reply_keyboard_rows(markup)
    if not markup or "inline_keyboard" not in markup:
        return
    rows = markup["inline_keyboard"]
    if sum(len(row) for row in rows) > MAX_BUTTONS or any(len(row) > MAX_BUTTONS_PER_ROW for row in rows):
        raise bad_request("BUTTONS_TOO_MUCH")
    for row in rows:
        for button in row:
            check_button(button)


def check_button(button: dict[str, Any]) -> None:
    """Check one InlineKeyboardButton: a label, exactly one action, and valid callback data or URL."""
    if not button.get("text"):
        raise bad_request("BUTTON_TEXT_INVALID")
    actions = [name for name in _ACTIONS if name in button]
    if not actions:
        raise bad_request("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
    if len(actions) > 1:
        raise bad_request(
            "can't parse inline keyboard button: exactly one of the optional fields must be used, "
            f"found {', '.join(actions)}"
        )
    if "callback_data" in button:
        size = len(button["callback_data"].encode("utf-8"))
        if not 1 <= size <= MAX_CALLBACK_DATA_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button and not button["url"].startswith(_URL_SCHEMES):
        raise bad_request("BUTTON_URL_INVALID")


def button_rows(markup: dict[str, Any] | None) -> list[list[dict[str, Any]]]:
    """The inline keyboard rows of a reply markup, or an empty list."""
    if not markup:
        return []
    rows: list[list[dict[str, Any]]] = markup.get("inline_keyboard", [])
    return rows


def keyboard_button_kind(button: dict[str, Any]) -> str:
    """What a press of a reply-keyboard button does: "text" (sends its label), "request_location", ..."""
    return next((kind for kind in REPLY_BUTTON_KINDS if button.get(kind) not in (None, False)), "text")


def reply_keyboard_rows(markup: dict[str, Any]) -> tuple[tuple[dict[str, Any], ...], ...]:
    """The buttons a ReplyKeyboardMarkup shows, as Telegram keeps them.

    A plain string is a text button; buttons with empty text are dropped, rows stop at 12 buttons and the
    keyboard at 300, silently, as the Bot API server does. A button asking for two things at once is refused
    (the spec allows at most one; Telegram would silently keep one).
    """
    rows: list[tuple[dict[str, Any], ...]] = []
    total = 0
    for raw_row in markup.get("keyboard", []):
        row: list[dict[str, Any]] = []
        for raw in raw_row:
            button = {"text": raw} if isinstance(raw, str) else dict(raw)
            if not button["text"]:
                continue
            kinds = [kind for kind in REPLY_BUTTON_KINDS if button.get(kind) not in (None, False)]
            if len(kinds) > 1:
                found = ", ".join(kinds)
                raise bad_request(
                    f"can't parse keyboard button: at most one of the optional fields can be used, found {found}"
                )
            row.append(button)
            total += 1
            if len(row) >= MAX_REPLY_BUTTONS_PER_ROW or total >= MAX_REPLY_BUTTONS:
                break
        if row:
            rows.append(tuple(row))
        if total >= MAX_REPLY_BUTTONS:
            break
    return tuple(rows)
