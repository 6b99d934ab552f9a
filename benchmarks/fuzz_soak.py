"""Fuzz soak: the properties of tests/fuzz run far longer, with a fresh random seed, and the figures printed.

Usage: `python benchmarks/fuzz_soak.py [--scale 1.0] [--seed N] [--only bot|content]`.

At scale 1 it runs 10,500 examples: 3,000 button presses (mutated real callback data, random text and bytes, up to
and past 64 bytes), 2,500 `/start` payloads, 3,500 messages (up to 4,096 characters: zero-width and bidi
characters, HTML-like text, Zawgyi Burmese, emoji floods) through the emulator to the real Application, and
1,500 damaged content files loaded from a copy of `content/`. Properties as in tests/fuzz/properties.py: no
error logged, no Bot API call refused, every press answered and every message replied to, every content error at
`path:line:col` and never an exception. A failing property is shrunk to its smallest example and printed; the
run carries on with the next property. Exit status 1 when any property failed.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests.fuzz.properties import (  # noqa: E402
    BotThread,
    ContentCopy,
    Mutation,
    bot_thread,
    callback_strategy,
    check_message,
    check_press,
    check_start,
    check_yaml,
    content_copy,
    message_texts,
    mutations,
    real_callback_data,
    start_payloads,
)


@dataclass(frozen=True, slots=True)
class Figures:
    """What one property's run did."""

    name: str
    examples: int
    seconds: float
    failure: str | None


def soak(name: str, examples: int, run_seed: int, test: Callable[..., None], **strategies: Any) -> Figures:
    """Run `test` over `examples` generated examples; count them and time them."""
    calls = [0]

    def counted(**values: Any) -> None:
        calls[0] += 1
        test(**values)

    wrapped = seed(run_seed)(
        settings(
            max_examples=examples,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )(given(**strategies)(counted))
    )
    started = time.perf_counter()
    failure = None
    try:
        wrapped()
    except Exception as exc:  # noqa: BLE001 - reported, and the soak goes on with the next property
        failure = f"{type(exc).__name__}: {exc}"
    figures = Figures(name, calls[0], time.perf_counter() - started, failure)
    rate = figures.examples / figures.seconds if figures.seconds else 0.0
    print(f"{name:<16} {figures.examples:>6} examples in {figures.seconds:7.1f} s ({rate:6.1f}/s): ", end="")
    print("ok" if failure is None else f"FAILED\n{failure}", flush=True)
    return figures


def bot_properties(bot: BotThread, scale: float, run_seed: int) -> list[Figures]:
    """Presses, /start payloads and messages against the running bot."""
    corpus = real_callback_data(*bot.content())
    print(f"real callback data: {len(corpus)} distinct strings from the shipped keyboards", flush=True)
    return [
        soak(
            "presses", int(3000 * scale), run_seed, lambda data: check_press(bot, data), data=callback_strategy(corpus)
        ),
        soak(
            "start payloads",
            int(2500 * scale),
            run_seed,
            lambda payload: check_start(bot, payload),
            payload=start_payloads,
        ),
        soak("messages", int(3500 * scale), run_seed, lambda text: check_message(bot, text), text=message_texts),
    ]


def content_property(copy: ContentCopy, scale: float, run_seed: int) -> Figures:
    """Damaged content files."""

    def damaged(relative: str, changes: list[Mutation]) -> None:
        check_yaml(copy, relative, changes)

    return soak(
        "content files",
        int(1500 * scale),
        run_seed,
        damaged,
        relative=st.sampled_from(copy.files),
        changes=st.lists(mutations, min_size=1, max_size=3),
    )


def main() -> int:
    """Run every property and print the totals."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every example count (default 1)")
    parser.add_argument("--seed", type=int, default=None, help="Hypothesis seed (default: a random one, printed)")
    parser.add_argument("--only", choices=("bot", "content"), help="run only the bot's or the content's properties")
    args = parser.parse_args()
    run_seed = args.seed if args.seed is not None else random.randrange(2**32)
    print(f"fuzz soak, seed {run_seed}, scale {args.scale}", flush=True)
    started = time.perf_counter()
    results: list[Figures] = []
    with tempfile.TemporaryDirectory(prefix="fuzz-soak-") as folder:
        if args.only != "content":
            with bot_thread(Path(folder)) as bot:
                results += bot_properties(bot, args.scale, run_seed)
        if args.only != "bot":
            with content_copy() as copy:
                results.append(content_property(copy, args.scale, run_seed))
    total = sum(r.examples for r in results)
    failed = [r.name for r in results if r.failure is not None]
    print(
        f"TOTAL {total} examples in {time.perf_counter() - started:.0f} s; "
        f"{len(failed)} failing propert{'y' if len(failed) == 1 else 'ies'}{': ' + ', '.join(failed) if failed else ''}"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
