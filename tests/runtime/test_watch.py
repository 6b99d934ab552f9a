"""The preview's file watcher: one reload per burst of saves, editor litter ignored, failures survived."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from bot.watch import signature, watch

POLL = 0.05
SETTLE = 0.05


def _touch(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    stat = path.stat()  # make sure the modification time moves even on coarse-grained file systems
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))


def test_signature_sees_sizes_and_times_and_ignores_editor_files(tmp_path: Path) -> None:
    _touch(tmp_path / "en" / "page.yaml", "title: A\n")
    before = signature([tmp_path, tmp_path / "missing"])
    assert [Path(p).name for p, _, _ in before] == ["page.yaml"]
    for litter in (".page.yaml.swp", "page.yaml~", "#page.yaml#", ".git/index", "page.yaml.tmp"):
        _touch(tmp_path / "en" / litter, "x")
    assert signature([tmp_path]) == before, "swap, backup and hidden files are not content"
    _touch(tmp_path / "en" / "page.yaml", "title: B\n")
    assert signature([tmp_path]) != before


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks here")
def test_a_symlink_loop_does_not_trap_the_watcher(tmp_path: Path) -> None:
    (tmp_path / "en").mkdir()
    os.symlink(tmp_path, tmp_path / "en" / "loop")
    _touch(tmp_path / "en" / "page.yaml", "title: A\n")
    assert len(signature([tmp_path])) == 1


class Reloads:
    """Counts the watcher's calls; `next()` waits for the next one."""

    def __init__(self, fail: bool = False) -> None:
        self.count = 0
        self.fail = fail
        self._calls: asyncio.Queue[int] = asyncio.Queue()

    async def __call__(self) -> None:
        self.count += 1
        self._calls.put_nowait(self.count)
        if self.fail:
            raise RuntimeError("reload broke")

    async def next(self) -> None:
        await asyncio.wait_for(self._calls.get(), 10)


async def _watching(roots: list[Path], reloads: Reloads) -> asyncio.Task[None]:
    task = asyncio.create_task(watch(roots, reloads, poll_seconds=POLL, settle_seconds=SETTLE))
    await asyncio.sleep(POLL)  # the first signature is taken
    return task


async def test_a_burst_of_saves_reloads_once(tmp_path: Path) -> None:
    page = tmp_path / "en" / "page.yaml"
    _touch(page, "title: A\n")
    reloads = Reloads()
    task = await _watching([tmp_path], reloads)
    try:
        for n in range(5):  # an editor saving in steps, or git writing several files
            _touch(tmp_path / "en" / f"page{n}.yaml", "title: B\n")
            await asyncio.sleep(SETTLE / 5)
        await reloads.next()
        await asyncio.sleep(POLL * 4)
        assert reloads.count == 1, "one reload for the whole burst"
        page.unlink()  # a deleted file is a change too
        await reloads.next()
    finally:
        task.cancel()


async def test_a_failing_reload_does_not_stop_the_watching(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    reloads = Reloads(fail=True)
    task = await _watching([tmp_path], reloads)
    try:
        _touch(tmp_path / "a.yaml", "x: 1\n")
        await reloads.next()
        _touch(tmp_path / "b.yaml", "x: 2\n")
        await reloads.next()  # the second save was still seen
        assert not task.done(), "still watching"
    finally:
        task.cancel()
    assert "reload after a file change failed" in caplog.text


async def test_a_save_while_the_content_loads_is_not_missed(tmp_path: Path) -> None:
    _touch(tmp_path / "a.yaml", "x: 1\n")
    loaded_from = signature([tmp_path])  # taken before the (slow) content load
    _touch(tmp_path / "a.yaml", "x: 22\n")  # saved while the content was loading
    reloads = Reloads()
    task = asyncio.create_task(watch([tmp_path], reloads, poll_seconds=POLL, settle_seconds=SETTLE, since=loaded_from))
    try:
        await reloads.next()
    finally:
        task.cancel()
