"""Group commit: many small writes that arrive together share one transaction.

Callers `await submit(item)` and get their own result back. A single writer task takes everything queued so far
and writes it in one call of `write(items)`; whatever arrives while that write is running goes into the next
one. An idle queue adds no delay (the first item is written at the next turn of the event loop); a busy one
turns a thousand single-row transactions into a few large ones. The write runs in the writer task, so a caller
that is cancelled while it waits does not cut a transaction in half; a failed write fails every caller of that
batch with the same error, and each caller decides to retry, as it would have for its own transaction.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class GroupCommit(Generic[T, R]):
    """Queue items for `write`, which takes a batch and returns one result per item, in order."""

    def __init__(self, write: Callable[[Sequence[T]], Awaitable[Sequence[R]]], *, limit: int = 1000) -> None:
        """Write at most `limit` items per call."""
        self._write = write
        self._limit = limit
        self._queue: list[tuple[T, asyncio.Future[R]]] = []
        self._writer: asyncio.Task[None] | None = None
        self.batches = 0
        self.items = 0

    async def submit(self, item: T) -> R:
        """Queue `item` and wait for its batch to be written; its result, or the batch's error."""
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._queue.append((item, future))
        if self._writer is None or self._writer.done():
            # A context of its own: the writer serves every caller, so it must not inherit one caller's state
            # (such as "this task already holds the SQLite write turn").
            self._writer = asyncio.create_task(self._drain(), name="group-commit", context=contextvars.Context())
        return await asyncio.shield(future)

    async def _drain(self) -> None:
        while self._queue:
            await asyncio.sleep(0)  # let the items of this turn of the event loop join the batch
            batch, self._queue = self._queue[: self._limit], self._queue[self._limit :]
            try:
                results = await self._write([item for item, _ in batch])
            except Exception as error:  # noqa: BLE001 - handed to every waiter of the batch
                for _, future in batch:
                    if not future.done():
                        future.set_exception(error)
                continue
            except BaseException:  # cancelled (the loop is closing): nobody should wait forever
                for _, future in batch + self._queue:
                    future.cancel()
                self._queue = []
                raise
            self.batches += 1
            self.items += len(batch)
            for (_, future), result in zip(batch, results, strict=True):
                if not future.done():
                    future.set_result(result)
