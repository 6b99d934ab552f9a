"""Translation locales loaded in forked workers: the same result as one process, and when to fork."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from bot.content import parallel
from bot.content.loader import LoadResult, load_content
from bot.content.parallel import CpuTimes

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"

needs_fork = pytest.mark.skipif(
    "fork" not in __import__("multiprocessing").get_all_start_methods(), reason="this platform cannot fork"
)


def _load(directory: Path, workers: int, monkeypatch: pytest.MonkeyPatch) -> LoadResult:
    monkeypatch.setattr(parallel, "PARALLEL_WORKERS", workers)
    return load_content(directory)


def _snapshot(result: LoadResult) -> tuple[object, ...]:
    content = result.content
    diagnostics = [(str(d), d.code) for d in result.report.items]
    if content is None:
        return (diagnostics,)
    texts = {locale: dict(texts) for locale, texts in content.texts.items()}
    return diagnostics, texts, content.version


def _break_translations(directory: Path) -> None:
    """Give three translation locales an error or a warning each, in files loaded by different processes."""
    shutil.copytree(CONTENT, directory)
    pages = sorted(p for p in (directory / "th").rglob("*.yaml") if p.name != "_menu.yaml")
    pages[0].write_text(pages[0].read_text(encoding="utf-8") + "colour: red\n", encoding="utf-8")  # unknown key
    km = sorted((directory / "km").rglob("*.yaml"))[1]
    km.write_text(km.read_text(encoding="utf-8").replace("source: ", "source: 0", 1), encoding="utf-8")  # outdated
    bn = next(p for p in sorted((directory / "bn").rglob("*.yaml")) if "body: |\n" in p.read_text(encoding="utf-8"))
    text = bn.read_text(encoding="utf-8")
    bn.write_text(text.replace("body: |\n", "body: |\n  **never closed\n\n", 1), encoding="utf-8")  # markup


@needs_fork
def test_a_forked_load_equals_a_load_in_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    runs: list[int] = []
    original = parallel._run_parallel
    monkeypatch.setattr(parallel, "_run_parallel", lambda *a: (runs.append(a[2]), original(*a))[1])
    serial = _load(CONTENT, 0, monkeypatch)
    forked = _load(CONTENT, 1, monkeypatch)
    assert runs == [1], "the forked path was not taken"
    assert serial.content is not None
    assert _snapshot(forked) == _snapshot(serial)


@needs_fork
def test_forked_diagnostics_are_the_same_and_in_locale_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _break_translations(tmp_path / "content")
    serial = _load(tmp_path / "content", 0, monkeypatch)
    forked = _load(tmp_path / "content", 2, monkeypatch)
    codes = {d.code for d in serial.report.items}
    assert {"unknown-key", "outdated-translation", "markup"} <= codes, codes
    assert _snapshot(forked) == _snapshot(serial)


@needs_fork
def test_map_locales_runs_in_a_worker_and_keeps_every_result() -> None:
    parent = os.getpid()

    def slow_pid(locale: str) -> tuple[str, int]:
        time.sleep(0.3)
        return locale, os.getpid()

    locales = ["a", "b", "c", "d"]
    results = parallel.map_locales(slow_pid, locales, workers=1)
    assert [results[locale][0] for locale in locales] == locales
    pids = {pid for _, pid in results.values()}
    assert parent in pids and len(pids) == 2, "one share here, the rest in one forked worker"


@needs_fork
def test_a_worker_that_dies_loses_no_locale() -> None:
    parent = os.getpid()

    def die_in_worker(locale: str) -> str:
        if os.getpid() != parent:
            os._exit(1)
        return locale.upper()

    assert parallel.map_locales(die_in_worker, ["a", "b", "c", "d"], workers=1) == {
        "a": "A",
        "b": "B",
        "c": "C",
        "d": "D",
    }


def test_idle_cpus_from_the_kernel_counters() -> None:
    since = CpuTimes(idle=1000, total=5000)
    assert parallel.idle_cpus(since, CpuTimes(idle=1050, total=5100), cpus=2) == pytest.approx(1.0)
    assert parallel.idle_cpus(since, CpuTimes(idle=1000, total=5100), cpus=2) == 0.0


def test_too_short_a_sample_falls_back_to_the_load_average(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "getloadavg", lambda: (1.5, 1.0, 1.0))
    since = CpuTimes(idle=1000, total=5000)
    assert parallel.idle_cpus(since, CpuTimes(idle=1003, total=5004), cpus=2) == pytest.approx(0.5)
    assert parallel.idle_cpus(None, None, cpus=4) == pytest.approx(2.5)


@pytest.mark.skipif(not Path("/proc/stat").exists(), reason="no /proc/stat (not Linux)")
def test_cpu_times_are_read_and_grow() -> None:
    first = parallel.cpu_times()
    deadline = time.monotonic() + 0.2
    while time.monotonic() < deadline:  # keep a CPU busy so the counters move
        pass
    second = parallel.cpu_times()
    assert first is not None and second is not None
    assert second.total > first.total >= first.idle > 0


@needs_fork
@pytest.mark.parametrize(
    ("idle_share", "cpus", "expected"),
    [
        (0.5, 2, 1),  # one CPU of two stood idle while this process worked: fork one worker
        (0.38, 2, 1),  # three quarters of a CPU is enough
        (0.3, 2, 0),  # the other CPU was mostly busy: a worker would only compete with it
        (0.0, 2, 0),
        (0.75, 4, 3),  # three idle CPUs out of four
        (1.0, 1, 0),  # never more workers than other CPUs
    ],
)
def test_one_worker_per_idle_cpu(monkeypatch: pytest.MonkeyPatch, idle_share: float, cpus: int, expected: int) -> None:
    monkeypatch.setattr(parallel, "PARALLEL_WORKERS", None)
    monkeypatch.setattr(parallel, "available_cpus", lambda: cpus)
    monkeypatch.setattr(parallel, "cpu_times", lambda: CpuTimes(idle=int(idle_share * 1000), total=1000))
    since = CpuTimes(idle=0, total=0)
    assert parallel.parallel_workers(19, 500, since) == expected


@needs_fork
def test_small_trees_and_forced_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "PARALLEL_WORKERS", None)
    monkeypatch.setattr(parallel, "cpu_times", lambda: CpuTimes(idle=100, total=100))
    idle = CpuTimes(idle=0, total=0)
    assert parallel.parallel_workers(9, 41, idle) == 0, "the shipped content is too small to be worth a fork"
    assert parallel.parallel_workers(1, 5000, idle) == 0, "one locale: nothing to share"
    monkeypatch.setattr(parallel, "PARALLEL_WORKERS", 3)
    assert parallel.parallel_workers(2, 10, idle) == 1, "forced, but never more workers than locales after the first"
