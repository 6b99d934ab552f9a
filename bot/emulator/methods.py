"""Bot API method implementations over the emulated world, with Telegram's limits and error texts."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

from .errors import ApiError, bad_request
from .formatting import parse_html, phone_entities
from .groups import TOPIC_COLORS, TOPIC_NAME_MAX, ForumTopic, member_api
from .keyboards import check_reply_markup
from .models import SimUser, StoredMessage
from .updates import UpdateHub, Webhook
from .utf16 import utf16_len
from .world import World

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_ANSWER = 200
MAX_DELETE_MESSAGES = 100
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
Handler = Callable[[dict[str, Any]], Awaitable[Any]]


def format_text(
    text: str, parse_mode: str | None, entities: list[dict[str, Any]] | None, *, caption: bool = False
) -> tuple[str, tuple[dict[str, Any], ...]]:
    """Apply parse_mode or explicit entities; enforce the length limits counted in UTF-16 code units."""
    if parse_mode:
        mode = parse_mode.lower()
        if mode == "html":
            text, parsed = parse_html(text)
            entities = parsed
        elif mode not in ("markdown", "markdownv2"):
            raise bad_request(f"unsupported parse_mode {parse_mode!r}")
        else:
            entities = []
    length = utf16_len(text)
    for entity in entities or []:
        if entity["offset"] < 0 or entity["length"] <= 0 or entity["offset"] + entity["length"] > length:
            raise bad_request("can't parse entities: entity beyond the end of the text")
    # Telegram finds phone numbers in a text by itself, as the apps show them: tappable (formatting.phone_entities).
    found = phone_entities(text)
    if found:
        entities = sorted([*(entities or []), *found], key=lambda e: (e["offset"], -e["length"]))
    if caption:
        if length > MAX_CAPTION:
            raise bad_request("message caption is too long")
    elif not text.strip():
        raise bad_request("message text is empty")
    elif length > MAX_TEXT:
        raise bad_request("message is too long")
    return text, tuple(entities or ())


def _markup(params: dict[str, Any]) -> dict[str, Any] | None:
    markup: dict[str, Any] | None = params.get("reply_markup")
    check_reply_markup(markup)
    return markup


def _same_markup(a: dict[str, Any] | None, b: dict[str, Any] | None) -> bool:
    return (a or {}).get("inline_keyboard") == (b or {}).get("inline_keyboard")


class BotMethods:
    """The implemented methods, keyed by lower-case name."""

    def __init__(self, world: World, hub: UpdateHub, bot_user: dict[str, Any]) -> None:
        self.world = world
        self.hub = hub
        self.bot_user = bot_user
        self.handlers: dict[str, Handler] = {
            name.lower(): getattr(self, name)
            for name in (
                "getMe",
                "getUpdates",
                "setWebhook",
                "deleteWebhook",
                "getWebhookInfo",
                "sendMessage",
                "editMessageText",
                "editMessageReplyMarkup",
                "editMessageCaption",
                "deleteMessage",
                "deleteMessages",
                "answerCallbackQuery",
                "setMyCommands",
                "getMyCommands",
                "deleteMyCommands",
                "sendPhoto",
                "sendVoice",
                "sendDocument",
                "sendChatAction",
                "getFile",
                "close",
                "logOut",
                "getChat",
                "getChatMember",
                "copyMessage",
                "createForumTopic",
                "closeForumTopic",
                "reopenForumTopic",
            )
        }

    def message_api(self, message: StoredMessage, *, nested: bool = False) -> dict[str, Any]:
        """A stored message as the Message object Telegram returns (a reply carries the message it answers)."""
        data = message.to_api(self.world.sender_api(message, self.bot_user), self.world.chat_api(message.chat_id))
        replied = self.world.message(message.chat_id, message.reply_to) if message.reply_to and not nested else None
        if replied is not None:
            data["reply_to_message"] = self.message_api(replied, nested=True)
        return data

    async def getMe(self, params: dict[str, Any]) -> Any:
        """Describe the bot."""
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def getUpdates(self, params: dict[str, Any]) -> Any:
        """Long-poll the update queue."""
        return await self.hub.get_updates(
            params.get("offset"), params.get("limit"), params.get("timeout"), params.get("allowed_updates")
        )

    async def setWebhook(self, params: dict[str, Any]) -> Any:
        """Set (or with an empty url, remove) the webhook."""
        url = params["url"]
        secret = params.get("secret_token")
        if secret is not None and not _SECRET.fullmatch(secret):
            raise bad_request("secret token contains unallowed characters")
        max_connections = params.get("max_connections", 40)
        if not 1 <= max_connections <= 100:
            raise bad_request("bad webhook: max_connections must be between 1 and 100")
        if url and not url.startswith(("http://", "https://")):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        allowed = params.get("allowed_updates")
        hook = Webhook(url, secret, max_connections, tuple(allowed) if allowed is not None else None) if url else None
        await self.hub.set_webhook(hook, bool(params.get("drop_pending_updates")))
        return True

    async def deleteWebhook(self, params: dict[str, Any]) -> Any:
        """Remove the webhook, optionally dropping pending updates."""
        await self.hub.set_webhook(None, bool(params.get("drop_pending_updates")))
        return True

    async def getWebhookInfo(self, params: dict[str, Any]) -> Any:
        """Report the webhook and the pending update count."""
        hook = self.hub.webhook
        info: dict[str, Any] = {
            "url": hook.url if hook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self.hub.pending),
        }
        if hook is not None:
            info["max_connections"] = hook.max_connections
            if hook.allowed_updates is not None:
                info["allowed_updates"] = list(hook.allowed_updates)
        if self.hub.last_error is not None:
            info["last_error_date"], info["last_error_message"] = self.hub.last_error
        return info

    def _thread(self, chat_id: int, params: dict[str, Any]) -> dict[str, Any]:
        """Fields placing a new message in the forum topic `message_thread_id` names, if any."""
        thread_id = self.world.thread_for_send(chat_id, params.get("message_thread_id"))
        return {} if thread_id is None else {"thread_id": thread_id, "reply_to": thread_id}

    async def sendMessage(self, params: dict[str, Any]) -> Any:
        """Send a text message (to a private chat, or a group and one of its topics)."""
        chat_id = self.world.chat_target(params["chat_id"])
        place = self._thread(chat_id, params) or self._reply(chat_id, params)
        text, entities = format_text(params["text"], params.get("parse_mode"), params.get("entities"))
        message = self.world.add_message(
            chat_id, True, text=text, entities=entities, reply_markup=_markup(params), **place
        )
        return self.message_api(message)

    def _reply(self, chat_id: int, params: dict[str, Any]) -> dict[str, Any]:
        """A send in reply to a message of the chat (`reply_parameters`): Telegram's 400 when it is gone, unless
        `allow_sending_without_reply`; the message then carries `reply_to_message`, also in callback queries."""
        wanted = params.get("reply_parameters")
        if not isinstance(wanted, dict) or "message_id" not in wanted:
            return {}
        if self.world.message(chat_id, wanted["message_id"]) is None:
            if wanted.get("allow_sending_without_reply"):
                return {}
            raise bad_request("message to be replied not found")
        return {"reply_to": wanted["message_id"]}

    def _editable(self, params: dict[str, Any]) -> tuple[SimUser, StoredMessage]:
        if "inline_message_id" in params or "chat_id" not in params or "message_id" not in params:
            if "inline_message_id" not in params:
                raise bad_request("message identifier is not specified")
            raise bad_request("message to edit not found")
        user = self.world.target(params["chat_id"])
        message = self.world.message(user.id, params["message_id"])
        if message is None:
            raise bad_request("message to edit not found")
        if not message.from_bot:
            raise bad_request("message can't be edited")
        return user, message

    def _save_edit(self, old: StoredMessage, new: StoredMessage) -> Any:
        if (old.text, old.entities, old.caption, old.caption_entities) == (
            new.text,
            new.entities,
            new.caption,
            new.caption_entities,
        ) and _same_markup(old.reply_markup, new.reply_markup):
            raise bad_request(
                "message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message"
            )
        return self.message_api(self.world.store(replace(new, edit_date=self.world.now())))

    async def editMessageText(self, params: dict[str, Any]) -> Any:
        """Edit the text (and keyboard) of a bot message in place."""
        _, message = self._editable(params)
        if message.text is None:
            raise bad_request("there is no text in the message to edit")
        text, entities = format_text(params["text"], params.get("parse_mode"), params.get("entities"))
        return self._save_edit(message, replace(message, text=text, entities=entities, reply_markup=_markup(params)))

    async def editMessageCaption(self, params: dict[str, Any]) -> Any:
        """Edit the caption (and keyboard) of a media message in place."""
        _, message = self._editable(params)
        if message.media is None:
            raise bad_request("there is no caption in the message to edit")
        caption, entities = format_text(
            params.get("caption", ""), params.get("parse_mode"), params.get("caption_entities"), caption=True
        )
        return self._save_edit(
            message, replace(message, caption=caption or None, caption_entities=entities, reply_markup=_markup(params))
        )

    async def editMessageReplyMarkup(self, params: dict[str, Any]) -> Any:
        """Replace (or remove) the inline keyboard of a bot message."""
        _, message = self._editable(params)
        return self._save_edit(message, replace(message, reply_markup=_markup(params)))

    async def deleteMessage(self, params: dict[str, Any]) -> Any:
        """Delete the bot's or the user's message from the private chat, if sent less than 48 hours ago."""
        user = self.world.target(params["chat_id"])
        message = self.world.deletable(user.id, int(params["message_id"]))
        self.world.delete(user.id, message.message_id)
        return True

    async def deleteMessages(self, params: dict[str, Any]) -> Any:
        """Delete 1-100 messages at once; ids that are missing or too old to delete are skipped."""
        ids = [int(message_id) for message_id in params["message_ids"]]
        if not ids:
            raise bad_request("message identifiers are not specified")
        if len(ids) > MAX_DELETE_MESSAGES:
            raise bad_request("too many message identifiers specified")
        if any(message_id <= 0 for message_id in ids):
            raise bad_request("invalid message identifier specified")
        user = self.world.target(params["chat_id"])
        for message_id in dict.fromkeys(ids):
            try:
                self.world.deletable(user.id, message_id)
            except ApiError:
                continue
            self.world.delete(user.id, message_id)
        return True

    async def answerCallbackQuery(self, params: dict[str, Any]) -> Any:
        """Answer a button press at most once, before it expires."""
        text = params.get("text")
        if text is not None and len(text) > MAX_CALLBACK_ANSWER:
            raise bad_request("MESSAGE_TOO_LONG")
        self.world.answer(params["callback_query_id"], text, bool(params.get("show_alert")), params.get("url"))
        return True

    async def setMyCommands(self, params: dict[str, Any]) -> Any:
        """Store the command list for a scope and language."""
        self.world.commands.set(params["commands"], params.get("scope"), params.get("language_code"))
        return True

    async def getMyCommands(self, params: dict[str, Any]) -> Any:
        """Return the command list for a scope and language."""
        return self.world.commands.get(params.get("scope"), params.get("language_code"))

    async def deleteMyCommands(self, params: dict[str, Any]) -> Any:
        """Delete the command list for a scope and language."""
        self.world.commands.delete(params.get("scope"), params.get("language_code"))
        return True

    async def _send_media(self, kind: str, params: dict[str, Any]) -> Any:
        chat_id = self.world.chat_target(params["chat_id"])
        place = self._thread(chat_id, params)
        caption, entities = format_text(
            params.get("caption", ""), params.get("parse_mode"), params.get("caption_entities"), caption=True
        )
        media = self.world.files.resolve(kind, params[kind], kind)
        message = self.world.add_message(
            chat_id,
            True,
            media=media,
            caption=caption or None,
            caption_entities=entities,
            reply_markup=_markup(params),
            **place,
        )
        return self.message_api(message)

    async def sendPhoto(self, params: dict[str, Any]) -> Any:
        """Send a photo (upload, file_id or URL)."""
        return await self._send_media("photo", params)

    async def sendVoice(self, params: dict[str, Any]) -> Any:
        """Send a voice note (upload, file_id or URL)."""
        return await self._send_media("voice", params)

    async def sendDocument(self, params: dict[str, Any]) -> Any:
        """Send a document (upload, file_id or URL)."""
        return await self._send_media("document", params)

    async def sendChatAction(self, params: dict[str, Any]) -> Any:
        """Accept a chat action ("typing"...) for an existing, unblocked chat."""
        self.world.target(params["chat_id"])
        if params["action"] not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

    async def getFile(self, params: dict[str, Any]) -> Any:
        """Describe a stored file and its download path."""
        stored = self.world.files.get(params["file_id"])
        return {
            "file_id": stored.media.file_id,
            "file_unique_id": stored.media.file_unique_id,
            "file_size": stored.media.file_size,
            "file_path": stored.path,
        }

    async def getChat(self, params: dict[str, Any]) -> Any:
        """Describe a private chat or a group."""
        chat_id = self.world.chat_target(params["chat_id"])
        return {
            **self.world.chat_api(chat_id),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    async def close(self, params: dict[str, Any]) -> Any:
        """Accept close (nothing to release offline)."""
        return True

    async def logOut(self, params: dict[str, Any]) -> Any:
        """Accept logOut (nothing to release offline)."""
        return True

    async def getChatMember(self, params: dict[str, Any]) -> Any:
        """A member's status in a group (the bot's own too); in a private chat, its user is a member."""
        chat_id = self.world.chat_target(params["chat_id"])
        user_id = params["user_id"]
        if user_id == self.bot_user["id"]:
            group = self.world.groups.get(chat_id)
            if group is None:
                return member_api(self.bot_user, "member")
            return member_api(self.bot_user, group.bot_status, can_manage_topics=group.bot_can_manage_topics)
        user = self.world.users.get(user_id)
        if user is None:
            raise bad_request("user not found")
        if chat_id > 0:
            return member_api(user.to_api(), "member" if user_id == chat_id else "left")
        return member_api(user.to_api(), self.world.members[chat_id].get(user_id, "left"))

    async def copyMessage(self, params: dict[str, Any]) -> Any:
        """Copy a message (text, media, caption, location) without a link to the original; answers its new id."""
        from_chat = params["from_chat_id"]
        if isinstance(from_chat, int) and from_chat in self.world.users:
            source_chat = from_chat  # a private chat can be copied from even after the user blocked the bot
        else:
            source_chat = self.world.chat_target(from_chat)
        original = self.world.message(source_chat, int(params["message_id"]))
        if original is None:
            raise bad_request("message to copy not found")
        if original.service:
            raise bad_request("message can't be copied")
        chat_id = self.world.chat_target(params["chat_id"])
        place = self._thread(chat_id, params)
        fields: dict[str, Any] = {
            "text": original.text,
            "entities": original.entities,
            "media": original.media,
            "location": original.location,
            "caption": original.caption,
            "caption_entities": original.caption_entities,
        }
        if "caption" in params and original.media is not None:
            caption, entities = format_text(
                params["caption"], params.get("parse_mode"), params.get("caption_entities"), caption=True
            )
            fields.update(caption=caption or None, caption_entities=entities)
        message = self.world.add_message(chat_id, True, reply_markup=_markup(params), **fields, **place)
        return {"message_id": message.message_id}

    def _forum(self, params: dict[str, Any]) -> int:
        """The forum group a topic call names, if the bot may manage its topics."""
        chat_id = self.world.chat_target(params["chat_id"])
        group = self.world.groups.get(chat_id)
        if group is None or not group.is_forum:
            raise bad_request("the chat is not a forum")
        if not group.bot_manages_topics:
            raise bad_request("not enough rights to manage topics")
        return chat_id

    async def createForumTopic(self, params: dict[str, Any]) -> Any:
        """Open a topic: a service message whose id becomes the topic's message_thread_id."""
        chat_id = self.world.chat_target(params["chat_id"])
        group = self.world.groups.get(chat_id)
        if group is None or not group.is_forum:
            raise bad_request("the chat is not a forum")
        if not group.bot_manages_topics:
            raise bad_request("not enough rights to create a topic")
        name = params["name"]
        if not name.strip():
            raise bad_request("TOPIC_TITLE_EMPTY")
        if len(name) > TOPIC_NAME_MAX:
            raise bad_request("TOPIC_TITLE_TOO_LONG")
        color = params.get("icon_color", TOPIC_COLORS[0])
        if color not in TOPIC_COLORS:
            raise bad_request("TOPIC_ICON_COLOR_INVALID")
        created = {"forum_topic_created": {"name": name, "icon_color": color}}
        message = self.world.add_message(chat_id, True, service=created)
        topic = ForumTopic(message.message_id, name, color)
        self.world.store(replace(message, thread_id=topic.thread_id))
        self.world.topics[chat_id][topic.thread_id] = topic
        return topic.to_api()

    def _set_closed(self, params: dict[str, Any], closed: bool) -> Any:
        chat_id = self._forum(params)
        topic = self.world.topics[chat_id].get(params["message_thread_id"])
        if topic is None:
            raise bad_request("message thread not found")
        if topic.closed == closed:
            raise bad_request("TOPIC_NOT_MODIFIED")
        self.world.topics[chat_id][topic.thread_id] = replace(topic, closed=closed)
        service: dict[str, Any] = {"forum_topic_closed" if closed else "forum_topic_reopened": {}}
        self.world.add_message(chat_id, True, service=service, thread_id=topic.thread_id, reply_to=topic.thread_id)
        return True

    async def closeForumTopic(self, params: dict[str, Any]) -> Any:
        """Close a topic: members can no longer write in it (administrators and the bot still can)."""
        return self._set_closed(params, True)

    async def reopenForumTopic(self, params: dict[str, Any]) -> Any:
        """Reopen a closed topic."""
        return self._set_closed(params, False)
