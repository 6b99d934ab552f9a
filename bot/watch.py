"""Watch the content and catalog folders, so the preview reloads itself when campaign staff save a file.

Polling, not inotify: it works the same on every system and in a mounted folder, and one pass over the
files' sizes and modification times costs a few milliseconds for the shipped content (tens of
milliseconds for 10 000 files, run off the event loop). After a change the watcher waits until the
folders have been quiet for a moment, because editors, `git checkout` and translation tools write
several files (or one file in several steps) at once; then it calls back once.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

from bot.content.loader import is_editor_litter

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0
SETTLE_SECONDS = 0.3  # the folders must stay unchanged this long before a reload

Signature = frozenset[tuple[str, int, int]]  # (path, size, modification time in ns) of every watched file


def signature(roots: Sequence[Path]) -> Signature:
    """Every watched file under `roots` with its size and modification time; missing roots count as empty."""
    found: list[tuple[str, int, int]] = []
    for root in roots:
        for folder, dirs, files in os.walk(root, followlinks=False):  # a symlink loop cannot trap it
            dirs[:] = [name for name in dirs if not is_editor_litter(name)]
            for name in files:
                if is_editor_litter(name):
                    continue
                path = os.path.join(folder, name)
                try:
                    stat = os.stat(path)
                except OSError:  # removed between the listing and now, or a dangling link
                    continue
                found.append((path, stat.st_size, stat.st_mtime_ns))
    return frozenset(found)


async def watch(
    roots: Sequence[Path],
    on_change: Callable[[], Awaitable[object]],
    *,
    poll_seconds: float = POLL_SECONDS,
    settle_seconds: float = SETTLE_SECONDS,
    since: Signature | None = None,
) -> None:
    """Until cancelled: call `on_change` once after each burst of changes under `roots` has settled.
    `since` is the signature the caller's content was loaded from (taken before loading it), so a file saved
    while the content was loading is not missed; by default, the files as they are now."""
    last = since if since is not None else await asyncio.to_thread(signature, roots)
    while True:
        await asyncio.sleep(poll_seconds)
        now = await asyncio.to_thread(signature, roots)
        if now == last:
            continue
        while True:  # wait for the writer to finish
            await asyncio.sleep(settle_seconds)
            settled = await asyncio.to_thread(signature, roots)
            if settled == now:
                break
            now = settled
        last = now
        log.info("content files changed: reloading")
        try:
            await on_change()
        except Exception:  # a failed reload must not stop the watching
            log.exception("reload after a file change failed")
