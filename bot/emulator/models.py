"""Frozen records of the emulated world: users, messages, media, locations, keyboards, callback queries, answers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .formatting import entities_to_html
from .keyboards import button_rows, keyboard_button_kind


@dataclass(frozen=True)
class SimUser:
    """A simulated Telegram user; their private chat with the bot has the same id."""

    id: int
    first_name: str
    language_code: str | None = "en"
    last_name: str | None = None
    username: str | None = None
    blocked: bool = False

    def to_api(self) -> dict[str, Any]:
        """The User object Telegram sends."""
        data: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        return data

    def chat_api(self) -> dict[str, Any]:
        """The private Chat object Telegram sends for this user."""
        data: dict[str, Any] = {"id": self.id, "type": "private", "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        return data


@dataclass(frozen=True)
class Media:
    """A photo, voice note or document attached to a message."""

    kind: str
    file_id: str
    file_unique_id: str
    file_size: int
    mime_type: str | None = None
    file_name: str | None = None

    def to_api(self) -> Any:
        """The PhotoSize list / Voice / Document object of a Message."""
        base: dict[str, Any] = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.file_size,
        }
        if self.kind == "photo":
            return [{**base, "width": 320, "height": 320}]
        if self.kind == "voice":
            return {**base, "duration": 1, "mime_type": self.mime_type or "audio/ogg"}
        document = {**base, "mime_type": self.mime_type or "application/octet-stream"}
        if self.file_name:
            document["file_name"] = self.file_name
        return document


@dataclass(frozen=True)
class Location:
    """A point a user shared (Telegram's Location object, without live-location fields)."""

    latitude: float
    longitude: float
    horizontal_accuracy: float | None = None

    def to_api(self) -> dict[str, Any]:
        """The Location object of a Message."""
        data: dict[str, Any] = {"latitude": self.latitude, "longitude": self.longitude}
        if self.horizontal_accuracy is not None:
            data["horizontal_accuracy"] = self.horizontal_accuracy
        return data


@dataclass(frozen=True)
class ReplyKeyboard:
    """The custom reply keyboard a chat shows under its input field, from the bot message that sent it."""

    message_id: int
    rows: tuple[tuple[dict[str, Any], ...], ...]
    one_time: bool = False
    resize: bool = False
    persistent: bool = False
    placeholder: str | None = None
    hidden: bool = False

    @property
    def labels(self) -> list[list[str]]:
        """Button labels, row by row."""
        return [[button["text"] for button in row] for row in self.rows]

    def find(self, text: str) -> dict[str, Any] | None:
        """The first button labelled `text`, if any."""
        return next((b for row in self.rows for b in row if b["text"] == text), None)

    def view(self) -> dict[str, Any]:
        """JSON form for the chat page and the control API."""
        return {
            "message_id": self.message_id,
            "rows": [[{"text": b["text"], "kind": keyboard_button_kind(b)} for b in row] for row in self.rows],
            "one_time": self.one_time,
            "resize": self.resize,
            "persistent": self.persistent,
            "placeholder": self.placeholder,
            "hidden": self.hidden,
        }


@dataclass(frozen=True)
class StoredMessage:
    """One message in a private chat, as it currently stands (edits replace the record, keeping the id)."""

    message_id: int
    chat_id: int
    from_bot: bool
    date: int
    text: str | None = None
    entities: tuple[dict[str, Any], ...] = ()
    caption: str | None = None
    caption_entities: tuple[dict[str, Any], ...] = ()
    reply_markup: dict[str, Any] | None = None
    media: Media | None = None
    edit_date: int | None = None
    location: Location | None = None
    sender_id: int | None = None  # in a group: the member who wrote it (None: the bot, or the private chat's user)
    thread_id: int | None = None  # the forum topic (message_thread_id) of a group message
    service: dict[str, Any] | None = None  # a service message's field, e.g. {"forum_topic_created": {...}}
    reply_to: int | None = None  # the message this one answers (a topic message: the topic's first message)
    forward_origin: dict[str, Any] | None = None  # a forwarded message: where it first came from (MessageOrigin)

    @property
    def html(self) -> str:
        """Text (or caption) rendered back to normalised Telegram HTML."""
        if self.text is not None:
            return entities_to_html(self.text, list(self.entities))
        return entities_to_html(self.caption or "", list(self.caption_entities))

    @property
    def buttons(self) -> list[list[str]]:
        """Inline keyboard button labels, row by row."""
        return [[button["text"] for button in row] for row in button_rows(self.reply_markup)]

    def find_button(self, text: str) -> dict[str, Any] | None:
        """The first inline button labelled `text`, if any."""
        for row in button_rows(self.reply_markup):
            for button in row:
                if button.get("text") == text:
                    return button
        return None

    def to_api(self, sender: dict[str, Any], chat: dict[str, Any]) -> dict[str, Any]:
        """The Message object Telegram returns or sends."""
        data: dict[str, Any] = {
            "message_id": self.message_id,
            "from": sender,
            "chat": chat,
            "date": self.date,
        }
        if self.edit_date is not None:
            data["edit_date"] = self.edit_date
        if self.thread_id is not None:
            data["message_thread_id"] = self.thread_id
            data["is_topic_message"] = True
        if self.service:
            data.update(self.service)
        if self.forward_origin is not None:
            data["forward_origin"] = self.forward_origin
        if self.text is not None:
            data["text"] = self.text
            if self.entities:
                data["entities"] = list(self.entities)
        if self.media is not None:
            data[self.media.kind] = self.media.to_api()
        if self.location is not None:
            data["location"] = self.location.to_api()
        if self.caption is not None:
            data["caption"] = self.caption
            if self.caption_entities:
                data["caption_entities"] = list(self.caption_entities)
        if self.reply_markup and self.reply_markup.get("inline_keyboard"):
            data["reply_markup"] = self.reply_markup
        return data

    def view(self) -> dict[str, Any]:
        """What the chat page and the control API show for this message."""
        return {
            "message_id": self.message_id,
            "from_bot": self.from_bot,
            "text": self.text,
            "caption": self.caption,
            "entities": list(self.entities or self.caption_entities),
            "html": self.html,
            "buttons": [
                [{"text": b["text"], "url": b.get("url"), "callback": "callback_data" in b} for b in row]
                for row in button_rows(self.reply_markup)
            ],
            "media": None
            if self.media is None
            else {"kind": self.media.kind, "file_id": self.media.file_id, "file_name": self.media.file_name},
            "location": None if self.location is None else self.location.to_api(),
            "edited": self.edit_date is not None,
            "date": self.date,
            "sender_id": self.sender_id,
            "thread_id": self.thread_id,
            "service": None if not self.service else next(iter(self.service)),
        }


@dataclass(frozen=True)
class CallbackQuery:
    """A press of an inline button that the bot must answer."""

    id: str
    user_id: int
    message_id: int
    data: str
    created_at: float


@dataclass(frozen=True)
class CallbackAnswer:
    """The bot's answerCallbackQuery, as the user sees it (a toast or an alert)."""

    query_id: str
    user_id: int
    text: str | None
    show_alert: bool
    url: str | None

    def view(self) -> dict[str, Any]:
        """JSON form for the control API."""
        return {"query_id": self.query_id, "text": self.text, "show_alert": self.show_alert, "url": self.url}


@dataclass(frozen=True)
class RecordedRequest:
    """One Bot API call the bot made: parameters and either the result or the error."""

    method: str
    params: dict[str, Any]
    ok: bool
    result: Any = None
    error_code: int | None = None
    description: str | None = None
    injected: bool = False
    client_gone: bool = False
