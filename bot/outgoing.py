"""One seam that sees every Bot API call the bot makes: it notes the messages sent to private chats.

PTB passes each request through the bot's rate limiter (a documented extension point, `BaseRateLimiter`), so
this wrapper sits there: it lets the real limiter (when one is configured) do the limiting and, once Telegram
has answered, hands the id of every new message in a private chat to the chat trail, whichever handler sent it.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram.ext import BaseRateLimiter

Noter = Callable[[int, int], None]  # (chat id, message id)
JSONDict = dict[str, Any]

# Methods that answer with the Message they sent.
SENDS_MESSAGE = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendVoice",
        "sendDocument",
        "sendAudio",
        "sendVideo",
        "sendAnimation",
        "sendVideoNote",
        "sendSticker",
        "sendLocation",
        "sendVenue",
        "sendContact",
        "sendPoll",
        "sendDice",
        "forwardMessage",
    }
)


class OutgoingObserver(BaseRateLimiter[Any]):
    """Delegates limiting to `inner` (or none) and notes the messages each call created."""

    def __init__(self, note: Noter, inner: BaseRateLimiter[Any] | None = None) -> None:
        """Call `note(chat_id, message_id)` for every message sent; `inner` does the rate limiting, if any."""
        self._note = note
        self._inner = inner

    @property
    def inner(self) -> BaseRateLimiter[Any] | None:
        """The limiter doing the rate limiting, if any."""
        return self._inner

    async def initialize(self) -> None:
        """Initialise the inner limiter."""
        if self._inner is not None:
            await self._inner.initialize()

    async def shutdown(self) -> None:
        """Shut the inner limiter down."""
        if self._inner is not None:
            await self._inner.shutdown()

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Any,
    ) -> bool | JSONDict | list[JSONDict]:
        """Make the call (through the inner limiter), then note what it sent."""
        if self._inner is not None:
            result = await self._inner.process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
        else:
            result = await callback(*args, **kwargs)
        self._observe(endpoint, data, result)
        return result

    def _observe(self, endpoint: str, data: dict[str, Any], result: Any) -> None:
        messages: list[Any] = []
        if endpoint in SENDS_MESSAGE and isinstance(result, dict):
            messages = [result]
        elif endpoint == "sendMediaGroup" and isinstance(result, list):
            messages = result
        elif endpoint in ("copyMessage", "copyMessages") and result:
            chat_id = data.get("chat_id")
            copied = result if isinstance(result, list) else [result]
            if isinstance(chat_id, int):
                for item in copied:
                    if isinstance(item, dict) and isinstance(item.get("message_id"), int):
                        self._note(chat_id, item["message_id"])
            return
        for message in messages:
            chat = message.get("chat") if isinstance(message, dict) else None
            message_id = message.get("message_id") if isinstance(message, dict) else None
            if isinstance(chat, dict) and isinstance(chat.get("id"), int) and isinstance(message_id, int):
                self._note(chat["id"], message_id)
