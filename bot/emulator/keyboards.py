"""Limits of inline keyboards that Telegram enforces beyond the JSON structure."""

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


def check_reply_markup(markup: dict[str, Any] | None) -> None:
    """Raise Telegram's 400 errors for an inline keyboard that the spec's types alone do not catch."""
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
