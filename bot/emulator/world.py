"""The mutable state of the emulated Telegram: users, private chats and their keyboards, callback queries, files."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from .clock import Clock
from .commands import CommandRegistry
from .errors import UnknownUserError, bad_request, forbidden
from .files import FileStore
from .groups import ForumTopic, SimGroup
from .keyboards import reply_keyboard_rows
from .models import CallbackAnswer, CallbackQuery, ReplyKeyboard, SimUser, StoredMessage

DELETE_WINDOW = 48 * 3600  # Telegram deletes messages sent less than 48 hours ago


class World:
    """Everything the emulator remembers between calls; one instance per emulator."""

    def __init__(self, clock: Clock, callback_query_timeout: float) -> None:
        self.clock = clock
        self.callback_query_timeout = callback_query_timeout
        self.users: dict[int, SimUser] = {}
        self.chats: dict[int, dict[int, StoredMessage]] = {}
        self.reply_keyboards: dict[int, ReplyKeyboard] = {}
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
        self.groups: dict[int, SimGroup] = {}
        self.members: dict[int, dict[int, str]] = {}  # group id -> user id -> status
        self.topics: dict[int, dict[int, ForumTopic]] = {}  # group id -> thread id -> topic

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

    def upsert_group(self, group_id: int, **fields: Any) -> SimGroup:
        """Create a supergroup (and its message list) or update the given fields of an existing one."""
        if group_id >= 0:
            raise ValueError("group chat ids are negative (Telegram's supergroups: -100...)")
        current = self.groups.get(group_id)
        fields = {k: v for k, v in fields.items() if v is not None}
        group = replace(current, **fields) if current else SimGroup(group_id, **{"title": "Group", **fields})
        self.groups[group_id] = group
        self.members.setdefault(group_id, {})
        self.topics.setdefault(group_id, {})
        self.chats.setdefault(group_id, {})
        self._next_message_id.setdefault(group_id, 1)
        self.touch()
        return group

    def require_group(self, group_id: int) -> SimGroup:
        """The simulated group with this id, or UnknownUserError."""
        group = self.groups.get(group_id)
        if group is None:
            raise UnknownUserError(f"no simulated group with id {group_id}; create it first")
        return group

    def chat_target(self, chat_id: Any) -> int:
        """The id of the private chat or group `chat_id` names, if the bot may write there; Telegram's 400/403."""
        if isinstance(chat_id, int) and chat_id < 0:
            group = self.groups.get(chat_id)
            if group is None:
                raise bad_request("chat not found")
            if group.bot_status == "kicked":
                raise forbidden("bot was kicked from the supergroup chat")
            if group.bot_status == "left":
                raise forbidden("bot is not a member of the supergroup chat")
            return group.id
        return self.target(chat_id).id

    def chat_api(self, chat_id: int) -> dict[str, Any]:
        """The Chat object of a private chat or a group."""
        group = self.groups.get(chat_id)
        return group.chat_api() if group is not None else self.users[chat_id].chat_api()

    def sender_api(self, message: StoredMessage, bot_user: dict[str, Any]) -> dict[str, Any]:
        """The User object of whoever sent a stored message."""
        if message.from_bot:
            return bot_user
        return self.users[message.sender_id if message.sender_id is not None else message.chat_id].to_api()

    def thread_for_send(self, chat_id: int, thread_id: int | None) -> int | None:
        """Check `message_thread_id` of a send: the topic must exist; a closed one needs the right to manage."""
        if thread_id is None:
            return None
        group = self.groups.get(chat_id)
        topic = self.topics.get(chat_id, {}).get(thread_id)
        if group is None or topic is None:
            raise bad_request("message thread not found")
        if topic.closed and not group.bot_manages_topics:
            raise bad_request("TOPIC_CLOSED")
        return thread_id

    def add_message(self, chat_id: int, from_bot: bool, **fields: Any) -> StoredMessage:
        """Append a message to the chat with the next message_id."""
        message_id = self._next_message_id[chat_id]
        self._next_message_id[chat_id] = message_id + 1
        message = StoredMessage(message_id, chat_id, from_bot, self.now(), **fields)
        self.chats[chat_id][message_id] = message
        if from_bot:
            self._apply_reply_markup(chat_id, message_id, message.reply_markup)
        self.touch()
        return message

    def _apply_reply_markup(self, chat_id: int, message_id: int, markup: dict[str, Any] | None) -> None:
        """A bot message with a reply keyboard replaces the chat's; one removing it or forcing a reply clears it."""
        if not markup:
            return
        if "keyboard" in markup:
            rows = reply_keyboard_rows(markup)
            if rows:  # a keyboard whose buttons were all dropped is no keyboard at all
                self.reply_keyboards[chat_id] = ReplyKeyboard(
                    message_id,
                    rows,
                    one_time=bool(markup.get("one_time_keyboard")),
                    resize=bool(markup.get("resize_keyboard")),
                    persistent=bool(markup.get("is_persistent")),
                    placeholder=markup.get("input_field_placeholder") or None,
                )
        elif markup.get("remove_keyboard") is True or markup.get("force_reply") is True:
            self.reply_keyboards.pop(chat_id, None)

    def used_reply_keyboard(self, chat_id: int) -> None:
        """The user pressed a reply-keyboard button: a one-time keyboard hides (it stays available)."""
        keyboard = self.reply_keyboards.get(chat_id)
        if keyboard is not None and keyboard.one_time and not keyboard.hidden:
            self.reply_keyboards[chat_id] = replace(keyboard, hidden=True)
            self.touch()

    def now(self) -> int:
        """Unix time in whole seconds, as message dates count it."""
        return int(self.clock.now())

    def message(self, chat_id: int, message_id: int) -> StoredMessage | None:
        """The current state of a message, or None if it does not exist (or was deleted)."""
        return self.chats.get(chat_id, {}).get(message_id)

    def store(self, message: StoredMessage) -> StoredMessage:
        """Replace a message with its edited version."""
        self.chats[message.chat_id][message.message_id] = message
        self.touch()
        return message

    def deletable(self, chat_id: int, message_id: int) -> StoredMessage:
        """The message if the bot may delete it now: Telegram's 400s for a missing one or one 48 hours old."""
        message = self.message(chat_id, message_id)
        if message is None:
            raise bad_request("message to delete not found")
        if self.clock.now() - message.date >= DELETE_WINDOW:
            raise bad_request("message can't be deleted")
        return message

    def delete(self, chat_id: int, message_id: int) -> None:
        """Remove a message from the chat (for both sides); the keyboard it brought goes with it."""
        del self.chats[chat_id][message_id]
        keyboard = self.reply_keyboards.get(chat_id)
        if keyboard is not None and keyboard.message_id == message_id:
            del self.reply_keyboards[chat_id]
        self.touch()

    def reset_chat(self, chat_id: int) -> None:
        """Clear what the user sees (the bot is not told, as when a user clears history)."""
        self.chats[chat_id] = {}
        self.reply_keyboards.pop(chat_id, None)
        self.answers = [a for a in self.answers if a.user_id != chat_id]
        self.touch()

    def new_callback_query(self, user_id: int, message_id: int, data: str) -> CallbackQuery:
        """Record a button press that the bot must answer."""
        query = CallbackQuery(f"{user_id}{self._next_query:08d}", user_id, message_id, data, self.clock.monotonic())
        self._next_query += 1
        self.callback_queries[query.id] = query
        return query

    def answer(self, query_id: str, text: str | None, show_alert: bool, url: str | None) -> None:
        """Record answerCallbackQuery; Telegram's 400 if unknown, answered already or expired."""
        query = self.callback_queries.get(query_id)
        expired = query is not None and self.clock.monotonic() - query.created_at > self.callback_query_timeout
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
        self.notice = {"level": level, "text": text, "details": list(details), "at": self.clock.monotonic()}
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
