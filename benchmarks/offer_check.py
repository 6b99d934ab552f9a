"""Benchmark: the job-offer check of one advert, against a free-text search of the same text.

Usage: `python benchmarks/offer_check.py [--runs N]`.

The adverts are the shipped labelled examples (examples/offers, seven languages, Thai, Burmese and Khmer
among them). Every pasted advert long enough to be one is checked once on arrival (to decide whether to offer
the check) and once on the press, and searched once, so the search of the same text is the baseline that
message already pays. Timings alternate the two (A B A B ...) in one run and quote medians and p99 per advert.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _common import median, percentile  # noqa: E402

from bot.content.loader import load_content  # noqa: E402
from bot.features import install  # noqa: E402
from bot.offers.match import matcher_for  # noqa: E402
from bot.search.index import SearchIndex  # noqa: E402


def main() -> int:
    """Time the check and the search of every example advert, alternating, and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20, help="passes over the adverts")
    args = parser.parse_args()
    install()
    content = load_content(ROOT / "content").content
    assert content is not None
    matcher = matcher_for(content)
    assert matcher is not None
    index = SearchIndex.build(content)
    adverts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples" / "offers").rglob("*.txt"))]
    checks: list[float] = []
    searches: list[float] = []
    for _ in range(args.runs):
        for text in adverts:
            started = time.perf_counter()
            matcher.check(text)
            checks.append(time.perf_counter() - started)
            started = time.perf_counter()
            index.offer(text, "en")
            searches.append(time.perf_counter() - started)
    print(f"{len(adverts)} adverts x {args.runs} runs, alternating check and search of the same text")
    for name, values in (("offer check", checks), ("search (baseline)", searches)):
        print(
            f"{name:<18} median {median(values) * 1000:.2f} ms, p99 {percentile(values, 99) * 1000:.2f} ms, "
            f"max {max(values) * 1000:.2f} ms"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
