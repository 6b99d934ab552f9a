"""The Python face of a simulated user: send text, /start, press buttons, share a location, read the chat."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from .errors import EmulatorError, UnknownButtonError, UnknownMessageError
from .keyboards import keyboard_button_kind
from .models import CallbackAnswer, Location, ReplyKeyboard, SimUser, StoredMessage
from .utf16 import utf16_len

if TYPE_CHECKING:
    from .emulator import Emulator


def command_entities(text: str) -> list[dict[str, Any]]:
    """The bot_command entity Telegram attaches to a message that starts with "/command"."""
    if not text.startswith("/") or len(text) < 2 or text[1].isspace():
        return []
    command = text.split(maxsplit=1)[0]
    return [{"offset": 0, "length": utf16_len(command), "type": "bot_command"}]


class SimulatedUser:
    """A user in a private chat with the bot; actions return after in-process delivery finishes."""

    def __init__(self, emulator: Emulator, user_id: int) -> None:
        self._emulator = emulator
        self.id = user_id

    @property
    def info(self) -> SimUser:
        """The user's current record (name, language, blocked flag)."""
        return self._emulator.world.require_user(self.id)

    def block(self) -> None:
        """Block the bot: its calls for this chat now fail with 403."""
        self._emulator.world.upsert_user(self.id, blocked=True)

    def unblock(self) -> None:
        """Unblock the bot."""
        self._emulator.world.upsert_user(self.id, blocked=False)

    async def block_bot(self) -> dict[str, Any]:
        """Block the bot and send the `my_chat_member` update Telegram sends the bot for it (member → kicked)."""
        return await _private_membership(self._emulator, self.id, blocked=True)

    async def unblock_bot(self) -> dict[str, Any]:
        """Unblock the bot (restart it): `my_chat_member` kicked → member."""
        return await _private_membership(self._emulator, self.id, blocked=False)

    async def send(self, text: str) -> dict[str, Any]:
        """Send a text message; returns the update (after the bot processed it, with deliver_to)."""
        return await send_text(self._emulator, self.id, text)

    async def forward(self, text: str, *, origin: str = "channel", title: str = "Jobs abroad") -> dict[str, Any]:
        """Forward a text message to the bot from a channel (`origin="channel"`), a person (`"user"`) or a person
        who hides their account (`"hidden_user"`): Telegram's `forward_origin`, the text as it was."""
        return await forward_text(self._emulator, self.id, text, origin, title)

    async def send_photo(self, data: bytes, *, caption: str | None = None) -> dict[str, Any]:
        """Send a photo (a picture of a document, say) with an optional caption."""
        return await send_media(self._emulator, self.id, "photo", data, caption)

    async def send_voice(self, data: bytes) -> dict[str, Any]:
        """Send a voice note."""
        return await send_media(self._emulator, self.id, "voice", data, None)

    async def start(self, payload: str | None = None) -> dict[str, Any]:
        """Open the bot as a deep link t.me/<bot>?start=<payload> does: send "/start <payload>"."""
        return await self.send(f"/start {payload}" if payload else "/start")

    async def press(self, text: str, *, message_id: int | None = None) -> dict[str, Any]:
        """Press the inline button labelled `text` on the latest message showing it (or `message_id`)."""
        return await press_button(self._emulator, self.id, text, message_id)

    async def press_data(self, data: str) -> dict[str, Any]:
        """A press carrying `data` on the latest message, whatever its buttons say: a stale, forged or broken
        button, as an old client or a tampering one can send."""
        return await publish_press(self._emulator, self.id, self.last_message, data)

    async def share_location(
        self, latitude: float, longitude: float, *, horizontal_accuracy: float | None = None
    ) -> dict[str, Any]:
        """Send a location message (from a request_location button if one is shown, else the attachment menu)."""
        return await share_location(self._emulator, self.id, latitude, longitude, horizontal_accuracy)

    async def press_reply_button(self, text: str) -> dict[str, Any]:
        """Press a text button of the chat's reply keyboard: its label is sent as an ordinary message."""
        return await press_reply_button(self._emulator, self.id, text)

    def reply_keyboard(self) -> list[list[str]] | None:
        """Labels of the reply keyboard shown under the input field, row by row; None if none is shown."""
        keyboard = self.reply_keyboard_state
        return None if keyboard is None or keyboard.hidden else keyboard.labels

    @property
    def reply_keyboard_state(self) -> ReplyKeyboard | None:
        """The chat's reply keyboard with its buttons and options, also while a one-time keyboard is hidden."""
        self.info  # noqa: B018  (raises for an unknown user)
        return self._emulator.world.reply_keyboards.get(self.id)

    def message(self, message_id: int) -> StoredMessage | None:
        """The message with this id as currently shown, or None if it never existed or was deleted."""
        self.info  # noqa: B018  (raises for an unknown user)
        return self._emulator.world.message(self.id, message_id)

    @property
    def messages(self) -> list[StoredMessage]:
        """Every message in the chat, oldest first, as currently shown."""
        self.info  # noqa: B018  (raises for an unknown user)
        return sorted(self._emulator.world.chats[self.id].values(), key=lambda m: m.message_id)

    @property
    def bot_messages(self) -> list[StoredMessage]:
        """Messages the bot sent, oldest first."""
        return [m for m in self.messages if m.from_bot]

    @property
    def last_message(self) -> StoredMessage:
        """The newest message from the bot (raises if the bot said nothing)."""
        bot_messages = self.bot_messages
        if not bot_messages:
            raise UnknownMessageError(f"the bot has not sent anything to user {self.id}")
        return bot_messages[-1]

    @property
    def callback_answers(self) -> list[CallbackAnswer]:
        """The bot's answers to this user's button presses (toasts and alerts), oldest first."""
        return [a for a in self._emulator.world.answers if a.user_id == self.id]

    def reset(self) -> None:
        """Clear the chat as the user sees it."""
        self._emulator.world.reset_chat(self.id)


async def send_text(emulator: Emulator, user_id: int, text: str) -> dict[str, Any]:
    """Store the user's message in the chat and publish it as a `message` update."""
    user = emulator.world.require_user(user_id)
    if not text:
        raise EmulatorError("a message needs some text")
    entities = tuple(command_entities(text))
    message = emulator.world.add_message(user_id, False, text=text, entities=entities)
    return await emulator.hub.publish({"message": message.to_api(user.to_api(), user.chat_api())})


async def forward_text(emulator: Emulator, user_id: int, text: str, origin: str, title: str) -> dict[str, Any]:
    """Store a message forwarded by the user and publish it as a `message` update."""
    user = emulator.world.require_user(user_id)
    if not text:
        raise EmulatorError("a message needs some text")
    date = emulator.world.now() - 3600
    origins: dict[str, dict[str, Any]] = {
        "channel": {
            "type": "channel",
            "date": date,
            "chat": {"id": -1001234567890, "type": "channel", "title": title},
            "message_id": 42,
        },
        "user": {
            "type": "user",
            "date": date,
            "sender_user": {"id": 777000123, "is_bot": False, "first_name": title},
        },
        "hidden_user": {"type": "hidden_user", "date": date, "sender_user_name": title},
    }
    if origin not in origins:
        raise EmulatorError(f"a forward comes from one of {', '.join(origins)}")
    message = emulator.world.add_message(user_id, False, text=text, forward_origin=origins[origin])
    return await emulator.hub.publish({"message": message.to_api(user.to_api(), user.chat_api())})


async def send_media(emulator: Emulator, user_id: int, kind: str, data: bytes, caption: str | None) -> dict[str, Any]:
    """Store a photo or voice note from the user and publish it as a `message` update."""
    from .wire import FilePart

    user = emulator.world.require_user(user_id)
    if kind not in ("photo", "voice") or not data:
        raise EmulatorError("a user sends a photo or a voice note, with some bytes")
    if caption is not None and utf16_len(caption) > 1024:
        raise EmulatorError("a caption has at most 1024 characters")
    name = "photo.jpg" if kind == "photo" else "voice.oga"
    media = emulator.world.files.resolve(kind, FilePart(kind, name, "application/octet-stream", data), kind)
    message = emulator.world.add_message(user_id, False, media=media, caption=caption or None)
    return await emulator.hub.publish({"message": message.to_api(user.to_api(), user.chat_api())})


def find_button(
    emulator: Emulator, user_id: int, text: str, message_id: int | None
) -> tuple[StoredMessage, dict[str, Any]]:
    """The message and button a press of `text` refers to; a clear error if there is none."""
    emulator.world.require_user(user_id)
    chat = emulator.world.chats[user_id]
    if message_id is not None:
        message = chat.get(message_id)
        if message is None:
            raise UnknownMessageError(f"user {user_id} has no message {message_id}")
        candidates = [message]
    else:
        candidates = sorted(chat.values(), key=lambda m: m.message_id, reverse=True)
    for message in candidates:
        button = message.find_button(text)
        if button is not None:
            return message, button
    shown = sorted({label for m in candidates for row in m.buttons for label in row})
    raise UnknownButtonError(f"no button {text!r} in the chat of user {user_id}; buttons shown: {shown}")


async def press_button(emulator: Emulator, user_id: int, text: str, message_id: int | None) -> dict[str, Any]:
    """Publish the `callback_query` update a press of the button labelled `text` produces."""
    message, button = find_button(emulator, user_id, text, message_id)
    if "callback_data" not in button:
        raise EmulatorError(
            f"button {text!r} opens {button.get('url') or 'something else'}; it sends no callback query"
        )
    return await publish_press(emulator, user_id, message, button["callback_data"])


async def publish_press(emulator: Emulator, user_id: int, message: StoredMessage, data: str) -> dict[str, Any]:
    """Publish the `callback_query` update of a press carrying `data` on `message`."""
    user = emulator.world.require_user(user_id)
    query = emulator.world.new_callback_query(user_id, message.message_id, data)
    payload = {
        "id": query.id,
        "from": user.to_api(),
        "message": emulator.methods.message_api(message),
        "chat_instance": str(-(user_id * 7919 % 10**12)),
        "data": data,
    }
    return await emulator.hub.publish({"callback_query": payload})


def check_location(latitude: float, longitude: float, horizontal_accuracy: float | None) -> Location:
    """A Location within Telegram's ranges, or a clear EmulatorError."""
    numbers = (latitude, longitude, 0.0 if horizontal_accuracy is None else horizontal_accuracy)
    if not all(isinstance(n, int | float) and not isinstance(n, bool) and math.isfinite(n) for n in numbers):
        raise EmulatorError("latitude, longitude and horizontal_accuracy must be finite numbers")
    if not -90 <= latitude <= 90 or not -180 <= longitude <= 180:
        raise EmulatorError("latitude must be within -90..90 and longitude within -180..180")
    if horizontal_accuracy is not None and not 0 <= horizontal_accuracy <= 1500:
        raise EmulatorError("horizontal_accuracy must be within 0..1500 meters")
    accuracy = None if horizontal_accuracy is None else float(horizontal_accuracy)
    return Location(float(latitude), float(longitude), accuracy)


async def share_location(
    emulator: Emulator, user_id: int, latitude: float, longitude: float, horizontal_accuracy: float | None = None
) -> dict[str, Any]:
    """Store a location message from the user and publish it as a `message` update."""
    user = emulator.world.require_user(user_id)
    location = check_location(latitude, longitude, horizontal_accuracy)
    keyboard = emulator.world.reply_keyboards.get(user_id)
    if keyboard is not None and any(
        keyboard_button_kind(b) == "request_location" for row in keyboard.rows for b in row
    ):
        emulator.world.used_reply_keyboard(user_id)  # sent with the keyboard's location button
    message = emulator.world.add_message(user_id, False, location=location)
    return await emulator.hub.publish({"message": message.to_api(user.to_api(), user.chat_api())})


async def press_reply_button(emulator: Emulator, user_id: int, text: str) -> dict[str, Any]:
    """Press the reply-keyboard button labelled `text`; a text button sends its label as a message."""
    emulator.world.require_user(user_id)
    keyboard = emulator.world.reply_keyboards.get(user_id)
    button = keyboard.find(text) if keyboard is not None else None
    if keyboard is None or button is None:
        shown = keyboard.labels if keyboard is not None else []
        raise UnknownButtonError(f"no reply-keyboard button {text!r} for user {user_id}; keyboard shown: {shown}")
    kind = keyboard_button_kind(button)
    if kind == "request_location":
        raise EmulatorError(f"button {text!r} asks for the location: call share_location(latitude, longitude)")
    if kind != "text":
        raise EmulatorError(f"button {text!r} is a {kind} button, which the emulator does not emulate")
    emulator.world.used_reply_keyboard(user_id)
    return await send_text(emulator, user_id, text)


async def _private_membership(emulator: Emulator, user_id: int, *, blocked: bool) -> dict[str, Any]:
    """Block or unblock the bot in a private chat and publish the `my_chat_member` update, as Telegram does."""
    from .groups import member_api

    user = emulator.world.upsert_user(user_id, blocked=blocked)
    old, new = ("member", "kicked") if blocked else ("kicked", "member")
    payload = {
        "chat": user.chat_api(),
        "from": user.to_api(),
        "date": emulator.world.now(),
        "old_chat_member": member_api(emulator.bot_user, old),
        "new_chat_member": member_api(emulator.bot_user, new),
    }
    return await emulator.hub.publish({"my_chat_member": payload})
