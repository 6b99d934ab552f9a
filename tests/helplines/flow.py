"""Test steps shared by the helpline tests."""

from __future__ import annotations

from bot.emulator import SimulatedUser
from bot.emulator.errors import UnknownButtonError
from bot.i18n import UI


async def choose_country(user: SimulatedUser, ui: UI, name: str) -> None:
    """Tap the country on the first answer, or through "Other country" (paging on) when it is not a likely one."""
    try:
        await user.press(name)
        return
    except UnknownButtonError:
        await user.press(ui.t("helpline.other_country"))
    for _ in range(20):  # the country list is paginated: page on until the country shows
        try:
            await user.press(name)
            return
        except UnknownButtonError:
            await user.press(ui.t("button.next"))
    raise AssertionError(f"{name!r} is on no page of the country list")


def asks_country(ui: UI, text: str) -> bool:
    """True when the first answer ends on the country question (the long form, or the short one the answer takes
    when the long one would not leave it on one phone screen)."""
    return ui.t("helpline.first.ask_country") in text or ui.t("helpline.ask_country") in text
