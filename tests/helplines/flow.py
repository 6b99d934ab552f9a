"""Test steps shared by the helpline tests."""

from __future__ import annotations

from bot.emulator import SimulatedUser
from bot.emulator.errors import UnknownButtonError
from bot.i18n import UI


async def choose_country(user: SimulatedUser, ui: UI, name: str) -> None:
    """Tap the country on the first answer, or through "Other country" when it is not among the likely ones."""
    try:
        await user.press(name)
    except UnknownButtonError:
        await user.press(ui.t("helpline.other_country"))
        await user.press(name)
