"""The mutable state of the emulated Telegram: users, private chats, callback queries, files, commands."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from .commands import CommandRegistry
from .errors import UnknownUserError, bad_request, forbidden
from .files import FileStore
from .models import CallbackAnswer, CallbackQuery, SimUser, StoredMessage


class World:
    """Everything the emulator remembers between calls; one instance per emulator."""

    def __init__(self, clock: Callable[[], float], callback_query_timeout: float) -> None:
        self.clock = clock
        self.callback_query_timeout = callback_query_timeout
        self.users: dict[int, SimUser] = {}
        self.chats: dict[int, dict[int, StoredMessage]] = {}
        self._next_message_id: dict[int, int] = {}
        self.callback_queries: dict[str, CallbackQuery] = {}
        self.answered: set[str] = set()
        self.answers: list[CallbackAnswer] = []
        self.files = FileStore()
        self.commands = CommandRegistry()
        self.version = 0
        self._changed = asyncio.Event()
        self._next_query = 1
        self.notice: dict[str, Any] | None = None  # a banner for the chat page (the preview's reload status)

    def upsert_user(self, user_id: int, **fields: Any) -> SimUser:
        """Create the user (and their chat) or update the given fields of an existing one."""
        current = self.users.get(user_id)
        fields = {k: v for k, v in fields.items() if v is not None}
        user = replace(current, **fields) if current else SimUser(user_id, **{"first_name": "User", **fields})
        self.users[user_id] = user
        self.chats.setdefault(user_id, {})
        self._next_message_id.setdefault(user_id, 1)
        self.touch()
        return user

    def require_user(self, user_id: int) -> SimUser:
        """The simulated user with this id, or UnknownUserError."""
        user = self.users.get(user_id)
        if user is None:
            raise UnknownUserError(f"no simulated user with id {user_id}; create it first")
        return user

    def target(self, chat_id: Any) -> SimUser:
        """The user whose private chat `chat_id` names; Telegram's 400/403 if unknown or blocked."""
        user: SimUser | None = None
        if isinstance(chat_id, int):
            user = self.users.get(chat_id)
        elif isinstance(chat_id, str) and chat_id.startswith("@"):
            user = next((u for u in self.users.values() if u.username == chat_id[1:]), None)
        if user is None:
            raise bad_request("chat not found")
        if user.blocked:
            raise forbidden("bot was blocked by the user")
        return user

    def add_message(self, chat_id: int, from_bot: bool, **fields: Any) -> StoredMessage:
        """Append a message to the chat with the next message_id."""
        message_id = self._next_message_id[chat_id]
        self._next_message_id[chat_id] = message_id + 1
        message = StoredMessage(message_id, chat_id, from_bot, int(time.time()), **fields)
        self.chats[chat_id][message_id] = message
        self.touch()
        return message

    def message(self, chat_id: int, message_id: int) -> StoredMessage | None:
        """The current state of a message, or None if it does not exist (or was deleted)."""
        return self.chats.get(chat_id, {}).get(message_id)

    def store(self, message: StoredMessage) -> StoredMessage:
        """Replace a message with its edited version."""
        self.chats[message.chat_id][message.message_id] = message
        self.touch()
        return message

    def delete(self, chat_id: int, message_id: int) -> None:
        """Remove a message from the chat."""
        del self.chats[chat_id][message_id]
        self.touch()

    def reset_chat(self, chat_id: int) -> None:
        """Clear what the user sees (the bot is not told, as when a user clears history)."""
        self.chats[chat_id] = {}
        self.answers = [a for a in self.answers if a.user_id != chat_id]
        self.touch()

    def new_callback_query(self, user_id: int, message_id: int, data: str) -> CallbackQuery:
        """Record a button press that the bot must answer."""
        query = CallbackQuery(f"{user_id}{self._next_query:08d}", user_id, message_id, data, self.clock())
        self._next_query += 1
        self.callback_queries[query.id] = query
        return query

    def answer(self, query_id: str, text: str | None, show_alert: bool, url: str | None) -> None:
        """Record answerCallbackQuery; Telegram's 400 if unknown, answered already or expired."""
        query = self.callback_queries.get(query_id)
        expired = query is not None and self.clock() - query.created_at > self.callback_query_timeout
        if query is None or query_id in self.answered or expired:
            raise bad_request("query is too old and response timeout expired or query ID is invalid")
        self.answered.add(query_id)
        self.answers.append(CallbackAnswer(query_id, query.user_id, text, show_alert, url))
        self.touch()

    def unanswered(self) -> list[CallbackQuery]:
        """Callback queries the bot never answered."""
        return [q for q in self.callback_queries.values() if q.id not in self.answered]

    def set_notice(self, level: str, text: str, details: Sequence[str] = ()) -> None:
        """Show a banner above every chat ("ok", "warning" or "error"); the pages see it on their next poll."""
        self.notice = {"level": level, "text": text, "details": list(details), "at": self.clock()}
        self.touch()

    def touch(self) -> None:
        """Note a visible change, waking long-polling chat pages."""
        self.version += 1
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait_for_change(self, after: int, wait_seconds: float) -> None:
        """Return once `version` exceeds `after` or `wait_seconds` passed."""
        if self.version > after:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), wait_seconds)
