"""Supergroups with forum topics: the records, member statuses as ChatMember objects, and the simulated group.

A group is a supergroup the bot was added to (chat ids are negative, like Telegram's `-100...`). Its members are
simulated users with a status (creator, administrator, member, left, kicked); the bot has a status of its own
and, as an administrator, the right to manage topics or not. Messages live in `World.chats[group_id]` like a
private chat's, with the sender and the topic (`message_thread_id`) on each.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import EmulatorError, UnknownUserError
from .models import StoredMessage
from .user import command_entities
from .utf16 import utf16_len

if TYPE_CHECKING:
    from .emulator import Emulator

# The colours Telegram allows for a topic icon (createForumTopic.icon_color), the first is the default.
TOPIC_COLORS = (7322096, 16766590, 13338331, 9367192, 16749490, 16478047)
MEMBER_STATUSES = ("creator", "administrator", "member", "left", "kicked")
BOT_STATUSES = ("administrator", "member", "left", "kicked")
TOPIC_NAME_MAX = 128


@dataclass(frozen=True)
class SimGroup:
    """A supergroup (with topics when `is_forum`) and the bot's place in it."""

    id: int
    title: str
    is_forum: bool = True
    bot_status: str = "administrator"
    bot_can_manage_topics: bool = True

    def chat_api(self) -> dict[str, Any]:
        """The Chat object Telegram sends for this group."""
        data: dict[str, Any] = {"id": self.id, "type": "supergroup", "title": self.title}
        if self.is_forum:
            data["is_forum"] = True
        return data

    @property
    def bot_is_member(self) -> bool:
        """True while the bot is in the group (it was neither removed nor left)."""
        return self.bot_status in ("administrator", "member")

    @property
    def bot_manages_topics(self) -> bool:
        """True when the bot may create, close and reopen topics."""
        return self.bot_status == "administrator" and self.bot_can_manage_topics


@dataclass(frozen=True)
class ForumTopic:
    """One topic of a forum supergroup; its id is the id of the service message that created it."""

    thread_id: int
    name: str
    icon_color: int
    closed: bool = False

    def to_api(self) -> dict[str, Any]:
        """The ForumTopic object createForumTopic returns."""
        return {"message_thread_id": self.thread_id, "name": self.name, "icon_color": self.icon_color}

    def view(self) -> dict[str, Any]:
        """JSON form for the control API and the preview's desk pane."""
        return {"thread_id": self.thread_id, "name": self.name, "icon_color": self.icon_color, "closed": self.closed}


def _admin_rights(can_manage_topics: bool) -> dict[str, Any]:
    return {
        "can_be_edited": False,
        "is_anonymous": False,
        "can_manage_chat": True,
        "can_delete_messages": True,
        "can_manage_video_chats": False,
        "can_restrict_members": False,
        "can_promote_members": False,
        "can_change_info": False,
        "can_invite_users": True,
        "can_post_stories": False,
        "can_edit_stories": False,
        "can_delete_stories": False,
        "can_pin_messages": True,
        "can_manage_topics": can_manage_topics,
    }


def member_api(user: dict[str, Any], status: str, *, can_manage_topics: bool = True) -> dict[str, Any]:
    """The ChatMember object (Owner, Administrator, Member, Left or Banned) for a status."""
    if status == "creator":
        return {"status": "creator", "user": user, "is_anonymous": False}
    if status == "administrator":
        return {"status": "administrator", "user": user, **_admin_rights(can_manage_topics)}
    if status == "kicked":
        return {"status": "kicked", "user": user, "until_date": 0}
    return {"status": status, "user": user}


class SimulatedGroup:
    """The Python face of a supergroup: members, staff posting in topics, the bot added, demoted or removed."""

    def __init__(self, emulator: Emulator, group_id: int) -> None:
        self._emulator = emulator
        self.id = group_id

    @property
    def info(self) -> SimGroup:
        """The group's current record."""
        return self._emulator.world.require_group(self.id)

    def add_member(self, user_id: int, first_name: str | None = None, *, status: str = "member") -> None:
        """Make a simulated user (created if new) a member, administrator or creator; or set left/kicked."""
        if status not in MEMBER_STATUSES:
            raise EmulatorError(f"status must be one of {', '.join(MEMBER_STATUSES)}")
        self._emulator.user(user_id, first_name)
        self._emulator.world.members[self.id][user_id] = status
        self._emulator.world.touch()

    def status(self, user_id: int) -> str:
        """A user's status in the group ("left" when never a member)."""
        return self._emulator.world.members[self.id].get(user_id, "left")

    @property
    def topics(self) -> list[ForumTopic]:
        """The group's topics, oldest first."""
        return sorted(self._emulator.world.topics[self.id].values(), key=lambda t: t.thread_id)

    def topic(self, name: str) -> ForumTopic:
        """The newest topic with this name (EmulatorError if none)."""
        for topic in reversed(self.topics):
            if topic.name == name:
                return topic
        raise EmulatorError(f"no topic named {name!r}; topics: {[t.name for t in self.topics]}")

    @property
    def messages(self) -> list[StoredMessage]:
        """Every message in the group, oldest first."""
        return sorted(self._emulator.world.chats[self.id].values(), key=lambda m: m.message_id)

    def thread(self, thread_id: int) -> list[StoredMessage]:
        """The messages of one topic, oldest first (the service message that opened it included)."""
        return [m for m in self.messages if m.thread_id == thread_id]

    async def post(self, user_id: int, text: str, *, thread_id: int | None = None) -> dict[str, Any] | None:
        """A member writes in the group (in a topic when `thread_id`); returns the update the bot got, if any."""
        return await post_to_group(self._emulator, self.id, user_id, thread_id, text=text)

    async def post_photo(
        self, user_id: int, data: bytes, *, caption: str | None = None, thread_id: int | None = None
    ) -> dict[str, Any] | None:
        """A member sends a photo in the group (in a topic when `thread_id`)."""
        return await post_to_group(self._emulator, self.id, user_id, thread_id, media=("photo", data), caption=caption)

    def delete_topic(self, thread_id: int, *, by: int) -> None:
        """An administrator `by` deletes a topic with all its messages, in their Telegram app. As on Telegram, the bot
        gets no update: its next send into the topic is refused with "message thread not found"."""
        world = self._emulator.world
        if self.status(by) not in ("administrator", "creator"):
            raise EmulatorError(f"user {by} is not an administrator of group {self.id}: only they delete topics")
        if world.topics[self.id].pop(thread_id, None) is None:
            raise EmulatorError(f"group {self.id} has no topic {thread_id}")
        for message in self.thread(thread_id):
            world.delete(self.id, message.message_id)

    async def set_bot_status(self, status: str, *, by: int, can_manage_topics: bool = True) -> dict[str, Any]:
        """An administrator `by` adds, promotes, demotes or removes the bot; the bot gets `my_chat_member`."""
        return await change_bot_status(self._emulator, self.id, status, by, can_manage_topics)

    async def remove_bot(self, *, by: int) -> dict[str, Any]:
        """An administrator `by` removes the bot from the group (status "kicked")."""
        return await self.set_bot_status("kicked", by=by)


def _bot_sees(emulator: Emulator, group: SimGroup, message: StoredMessage) -> bool:
    """Privacy mode: an administrator bot sees every message; a member bot only commands and replies to it."""
    if not group.bot_is_member:
        return False
    if group.bot_status == "administrator":
        return True
    if message.text is not None and message.text.startswith("/"):
        return True
    replied = emulator.world.message(group.id, message.reply_to) if message.reply_to else None
    return replied is not None and replied.from_bot and message.reply_to != message.thread_id


async def post_to_group(
    emulator: Emulator,
    group_id: int,
    user_id: int,
    thread_id: int | None,
    *,
    text: str | None = None,
    media: tuple[str, bytes] | None = None,
    caption: str | None = None,
) -> dict[str, Any] | None:
    """Store a member's message in the group and publish it if the bot would receive it."""
    world = emulator.world
    group = world.require_group(group_id)
    user = world.require_user(user_id)
    status = world.members[group_id].get(user_id, "left")
    if status not in ("creator", "administrator", "member"):
        raise EmulatorError(f"user {user_id} is not a member of group {group_id} (status {status})")
    if thread_id is not None:
        topic = world.topics[group_id].get(thread_id)
        if topic is None:
            raise EmulatorError(f"group {group_id} has no topic {thread_id}")
        if topic.closed and status == "member":
            raise EmulatorError(f"topic {thread_id} is closed: only administrators can write in it")
    fields: dict[str, Any] = {"sender_id": user_id, "thread_id": thread_id, "reply_to": thread_id}
    if media is not None:
        from .wire import FilePart

        kind, data = media
        if not data:
            raise EmulatorError("a photo or a voice note needs some bytes")
        if caption is not None and utf16_len(caption) > 1024:
            raise EmulatorError("a caption has at most 1024 characters")
        part = FilePart(kind, f"{kind}.{'jpg' if kind == 'photo' else 'oga'}", "application/octet-stream", data)
        fields.update(media=world.files.resolve(kind, part, kind), caption=caption or None)
    else:
        if not text:
            raise EmulatorError("a message needs some text")
        fields.update(text=text, entities=tuple(command_entities(text)))
    message = world.add_message(group_id, False, **fields)
    if not _bot_sees(emulator, group, message):
        return None
    assert user is not None
    return await emulator.hub.publish({"message": emulator.methods.message_api(message)})


async def change_bot_status(
    emulator: Emulator, group_id: int, status: str, by: int, can_manage_topics: bool
) -> dict[str, Any]:
    """Change the bot's status in a group and publish the `my_chat_member` update Telegram sends."""
    if status not in BOT_STATUSES:
        raise EmulatorError(f"the bot's status must be one of {', '.join(BOT_STATUSES)}")
    world = emulator.world
    group = world.require_group(group_id)
    try:
        actor = world.require_user(by)
    except UnknownUserError:
        raise EmulatorError(f"user {by} (who changes the bot's status) does not exist") from None
    old = member_api(emulator.bot_user, group.bot_status, can_manage_topics=group.bot_can_manage_topics)
    updated = world.upsert_group(group_id, bot_status=status, bot_can_manage_topics=can_manage_topics)
    new = member_api(emulator.bot_user, updated.bot_status, can_manage_topics=updated.bot_can_manage_topics)
    payload = {
        "chat": updated.chat_api(),
        "from": actor.to_api(),
        "date": world.now(),
        "old_chat_member": old,
        "new_chat_member": new,
    }
    return await emulator.hub.publish({"my_chat_member": payload})
