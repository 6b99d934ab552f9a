"""Load translation locales in forked worker processes when the tree is large and a CPU is idle.

A content tree of 20 locales x 500 pages is mostly translation files, and each locale loads on its own
(it needs only the default locale's nodes, fingerprints and structures). This module decides how many
extra processes are worth forking and runs a per-locale function in them, taking back locales a worker
has not started. Forking means nothing is pickled on the way in (a worker inherits the loader's memory);
only each locale's result comes back pickled.

The decision is made from what the CPUs actually did while this process loaded the default locale
(Linux's /proc/stat counters), because the load average counts the loading process itself and answers
too late: a worker competing with other work for a busy CPU made the load slower, not faster (measured,
see docs/performance.md).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")

PARALLEL_MIN_FILES = 2000  # below this many translation files a worker costs more than it saves
PARALLEL_WORKERS: int | None = None  # None: decide on each load; a number forces it (benchmarks, tests)
IDLE_ENOUGH = 0.75  # a CPU counts as free for a worker when it was at least this idle
MIN_TICKS = 10  # fewer clock ticks than this between two samples is too short a measurement

_FORKED: Callable[[str], object] | None = None  # the per-locale function of the load in progress


@dataclass(frozen=True, slots=True)
class CpuTimes:
    """The machine's CPU time counters (clock ticks summed over all CPUs): idle and in total."""

    idle: int
    total: int


def cpu_times() -> CpuTimes | None:
    """The kernel's counters now; None where /proc/stat does not exist (not Linux)."""
    try:
        with open("/proc/stat", "rb") as stat:
            fields = stat.readline().split()
    except OSError:
        return None
    if len(fields) < 5 or fields[0] != b"cpu":
        return None
    ticks = [int(value) for value in fields[1:9]]  # user nice system idle iowait irq softirq steal
    return CpuTimes(idle=ticks[3] + ticks[4], total=sum(ticks))


def available_cpus() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def idle_cpus(since: CpuTimes | None, now: CpuTimes | None, cpus: int) -> float:
    """How many CPUs stood idle between two samples; the load average where they cannot tell."""
    if since is not None and now is not None and now.total - since.total >= MIN_TICKS:
        return cpus * (now.idle - since.idle) / (now.total - since.total)
    if hasattr(os, "getloadavg"):
        return cpus - os.getloadavg()[0]
    return cpus - 1


def parallel_workers(locales: int, files_per_locale: int, since: CpuTimes | None) -> int:
    """How many worker processes to fork for `locales` translation locales: none for small trees,
    none where fork is missing (spawning costs more than it saves) or another thread runs (forking a
    threaded process can copy a lock that thread holds), and one per CPU that stood idle since `since`
    (taken when this load started, so the sample covers the default locale's load)."""
    if locales < 2 or "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() > 1:
        return 0
    if PARALLEL_WORKERS is not None:
        return min(PARALLEL_WORKERS, locales - 1)
    if locales * files_per_locale < PARALLEL_MIN_FILES:
        return 0
    cpus = available_cpus()
    idle = idle_cpus(since, cpu_times(), cpus)
    return max(0, min(int(idle + 1 - IDLE_ENOUGH), cpus - 1, locales - 1))


def _run_forked(locale: str) -> object:
    assert _FORKED is not None, "only called in a worker forked during a load"
    return _FORKED(locale)


def map_locales(function: Callable[[str], T], locales: list[str], workers: int) -> dict[str, T]:
    """`function(locale)` for every locale: this process runs the first share while `workers` forked
    processes run the rest; locales a worker has not started when this process is done are taken back,
    and a broken worker's locales (or results that cannot be pickled) are run here."""
    done: dict[str, T] = {}
    if workers:
        global _FORKED  # read by the forked workers, which inherit this process's memory
        _FORKED = function
        try:
            _run_parallel(function, locales, workers, done)
        finally:
            _FORKED = None
    for locale in locales:
        if locale not in done:
            done[locale] = function(locale)
    return done


def _run_parallel(function: Callable[[str], T], locales: list[str], workers: int, done: dict[str, T]) -> None:
    own = max(1, len(locales) // (workers + 1))
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        try:
            futures = {locale: pool.submit(_run_forked, locale) for locale in locales[own:]}
        except OSError:  # cannot fork (out of processes or memory): the caller runs every locale here
            return
        try:
            for locale in locales[:own]:
                done[locale] = function(locale)
            for locale in reversed(locales[own:]):
                if futures[locale].cancel():
                    done[locale] = function(locale)
            for locale, future in futures.items():
                if locale not in done:
                    with contextlib.suppress(Exception):  # a broken worker or an unpicklable result: redone here
                        done[locale] = future.result()  # type: ignore[assignment]
        finally:
            for future in futures.values():
                future.cancel()
