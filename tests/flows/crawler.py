"""A crawler that presses every reachable button of the bot, replaying paths from /start."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.callbacks import ChooseLanguage, Forget, PickCountry, Quiz, SetCountry, decode
from bot.emulator import SimulatedUser
from bot.quiz.codec import decode_state


@dataclass
class CrawlResult:
    """What a crawl saw: every distinct button pressed and every screen text."""

    pressed: set[str] = field(default_factory=set)
    screens: list[str] = field(default_factory=list)


def _skip(data: str) -> bool:
    """Buttons that change the user's settings, and the pages of the country list, are tested on their own."""
    decoded = decode(data)
    if decoded is None:
        return False
    _, act = decoded
    if isinstance(act, PickCountry):  # ~250 countries x every page's purposes: tests/helplines covers them
        return True
    if isinstance(act, Quiz):  # every answer path multiplies; crawl the first answers, tests/quiz does the rest
        state = decode_state(act.key, act.state)
        return state is not None and len(state.answers) > 1
    return (isinstance(act, ChooseLanguage) and bool(act.locale)) or isinstance(act, (Forget, SetCountry))


async def crawl(
    user: SimulatedUser,
    *,
    limit: int = 5000,
    payload: str | None = None,
    follow: Callable[[str], bool] | None = None,
) -> CrawlResult:
    """Breadth-first over button paths; each path is replayed from a fresh /start (with `payload`, a deep link).

    `follow`, when given, picks which buttons' data are pressed (to crawl one track only).
    """
    result = CrawlResult()
    queue: deque[tuple[str, ...]] = deque([()])
    while queue:
        path = queue.popleft()
        user.reset()
        await user.start(payload)
        for label in path:
            await user.press(label, message_id=user.last_message.message_id)
        message = user.last_message
        result.screens.append(message.text or "")
        for row in (message.reply_markup or {}).get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data")
                if data is None or data in result.pressed or _skip(data):
                    continue
                if follow is not None and not follow(data):
                    continue
                result.pressed.add(data)
                queue.append((*path, button["text"]))
        if len(result.pressed) > limit:
            raise AssertionError("the crawl did not end: is some button generating endless new data?")
    return result
