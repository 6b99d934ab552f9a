"""The bot's own membership, as Telegram reports it (`my_chat_member`): in a private chat, a person blocking or
unblocking the bot; in a group, the desk or a group being set up as one (bot/handlers/handoff.py)."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType

from bot.context import BotContext
from bot.handlers import handoff
from bot.privacy import user_key

log = logging.getLogger(__name__)


async def my_chat_member(update: Update, context: BotContext) -> None:
    """Route a change of the bot's membership: private chats here, groups to the desk feature."""
    changed = update.my_chat_member
    if changed is None:
        return
    if changed.chat.type != ChatType.PRIVATE:
        await handoff.group_membership(update, context)
        return
    blocked = changed.new_chat_member.status == ChatMemberStatus.BANNED
    services = context.services
    key = user_key(services.user_secret, changed.chat.id)
    # Only someone the bot already keeps settings for is marked (nothing new is stored about anyone, e.g. after
    # /forget); broadcasts then skip them without a refused send, and a message from them unmarks them anyway.
    if await services.storage.get_user(key) is not None:
        await services.storage.update_user(key, blocked=blocked)
    if blocked:
        log.info("a person blocked the bot")
        await handoff.person_blocked(context, key)
