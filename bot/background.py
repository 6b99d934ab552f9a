"""The bot's background jobs, run while its Application is started (polling, webhook, the preview): scheduled
broadcasts and the desk's sweep. The harnesses that only process updates (tests, `python -m bot broadcast`) never
call `start()`, so nothing runs behind their back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from telegram.ext import Application

from bot.context import BotContext
from bot.services import BotData, Services


class Job(Protocol):
    """Something that runs in the background between `start()` and `stop()`."""

    def start(self) -> None:
        """Begin (create its task)."""

    async def stop(self) -> None:
        """Finish what is on its way and end."""


JobFactory = Callable[[Application[Any, Any, Any, Any, Any, Any], Services], Job]


class BackgroundApplication(Application[Any, BotContext, Any, Any, BotData, Any]):
    """PTB's Application that starts its jobs after itself and stops them before itself."""

    def __init__(self, *, jobs: Sequence[JobFactory] = (), **kwargs: Any) -> None:
        """`jobs` are made from the Application and the bot's services at each start."""
        super().__init__(**kwargs)
        self._job_factories = tuple(jobs)
        self._jobs: list[Job] = []

    async def start(self) -> None:
        """Start the Application, then every job."""
        await super().start()
        services = self.bot_data.services
        if services is None:
            return
        self._jobs = [make(self, services) for make in self._job_factories]
        for job in self._jobs:
            job.start()

    async def stop(self) -> None:
        """Stop every job (last started first), then the Application."""
        for job in reversed(self._jobs):
            await job.stop()
        self._jobs = []
        await super().stop()
