"""Pictures and voice notes of the content: uploaded once per bot, then re-sent by Telegram file_id."""

from __future__ import annotations

import logging
from pathlib import Path

from telegram import Bot, Message
from telegram.error import BadRequest

from bot.content.model import Media
from bot.storage import Storage

log = logging.getLogger(__name__)


def media_key(directory: Path, media: Media) -> str:
    """A cache key that changes when the file changes (path, size and modification time)."""
    stat = (directory / media.path).stat()
    return f"{media.path}:{stat.st_size}:{int(stat.st_mtime)}"


async def send_media(bot: Bot, chat_id: int, directory: Path, media: Media, storage: Storage) -> Message:
    """Send a node's media, by cached file_id when Telegram already has it."""
    key = media_key(directory, media)
    cached = await storage.get_file_id(bot.id, key)
    send = bot.send_photo if media.kind == "photo" else bot.send_voice
    if cached is not None:
        try:
            return await send(chat_id, cached)
        except BadRequest:
            log.info("cached file_id of %s was refused; uploading again", media.path)
            await storage.delete_file_id(bot.id, key)
    with (directory / media.path).open("rb") as handle:
        message = await send(chat_id, handle)
    sent = message.photo[-1].file_id if message.photo else message.voice.file_id if message.voice else None
    if sent is not None:
        await storage.set_file_id(bot.id, key, sent)
    return message
