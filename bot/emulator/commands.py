"""The bot's command lists, stored per scope and language like Telegram does."""

from __future__ import annotations

import json
import re
from typing import Any

from .errors import bad_request

_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
_LANGUAGE = re.compile(r"[a-z]{2}")
MAX_COMMANDS = 100
MAX_DESCRIPTION = 256


def _key(scope: dict[str, Any] | None, language_code: str | None) -> tuple[str, str]:
    scope = scope or {"type": "default"}
    return json.dumps(scope, sort_keys=True), language_code or ""


def _check_language(language_code: str | None) -> None:
    if language_code and not _LANGUAGE.fullmatch(language_code):
        raise bad_request("invalid language code specified")


class CommandRegistry:
    """setMyCommands / getMyCommands / deleteMyCommands state."""

    def __init__(self) -> None:
        self._lists: dict[tuple[str, str], list[dict[str, str]]] = {}

    def set(self, commands: list[dict[str, str]], scope: dict[str, Any] | None, language_code: str | None) -> None:
        """Validate and store a command list (an empty list deletes it)."""
        _check_language(language_code)
        if len(commands) > MAX_COMMANDS:
            raise bad_request("too many commands specified")
        for command in commands:
            if not _COMMAND.fullmatch(command["command"]):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(command["description"]) <= MAX_DESCRIPTION:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        if commands:
            self._lists[_key(scope, language_code)] = [
                {"command": c["command"], "description": c["description"]} for c in commands
            ]
        else:
            self._lists.pop(_key(scope, language_code), None)

    def get(self, scope: dict[str, Any] | None, language_code: str | None) -> list[dict[str, str]]:
        """The list stored for exactly this scope and language (no fallback, like getMyCommands)."""
        _check_language(language_code)
        return list(self._lists.get(_key(scope, language_code), []))

    def delete(self, scope: dict[str, Any] | None, language_code: str | None) -> None:
        """Forget the list for this scope and language."""
        _check_language(language_code)
        self._lists.pop(_key(scope, language_code), None)
