"""Benchmark: the native speakers' review commands on a copy of the shipped content.

Usage: `python benchmarks/review.py [--runs N] [--locale bn]`.

On a copy of content/ and locales/ in a temporary folder, each run times: collecting the language's texts (what
the export, the status and the review preview all do first), writing the spreadsheet, importing it with every row
*ok* (all texts signed off: the review file and every page file written), importing one corrected paragraph (which
also loads a copy of the content to check the correction), and `review status` for every language. Prints the
medians, the number of texts and of files written.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.content.loader import load_content  # noqa: E402
from bot.features import install  # noqa: E402
from bot.review import export  # noqa: E402
from bot.review.importing import apply_verdicts, read_workbook  # noqa: E402
from bot.review.state import read_state  # noqa: E402
from bot.review.status import progress  # noqa: E402
from bot.review.texts import collect  # noqa: E402

install()


def _timed(action: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def _fill(book: Path, verdict: str, only: str | None = None, corrected: str | None = None) -> None:
    workbook = load_workbook(book)
    sheet = workbook[export.TEXTS_SHEET]
    for row in range(2, sheet.max_row + 1):
        if only is None or sheet.cell(row, export.ID + 1).value == only:
            sheet.cell(row, export.VERDICT + 1, verdict)
            if corrected is not None:
                sheet.cell(row, export.CORRECTED + 1, corrected)
    workbook.save(book)


def one_run(locale: str) -> dict[str, float]:
    """The timings of one run on a fresh copy."""
    with tempfile.TemporaryDirectory() as folder:
        content_dir, locales_dir = Path(folder) / "content", Path(folder) / "locales"
        shutil.copytree(ROOT / "content", content_dir)
        shutil.copytree(ROOT / "locales", locales_dir)
        content = load_content(content_dir).content
        assert content is not None, "the shipped content has errors"
        timings: dict[str, float] = {}
        timings["collect"], texts = _timed(lambda: collect(content, locales_dir, locale))
        assert isinstance(texts, list)
        book = Path(folder) / "review.xlsx"
        state = read_state(content_dir, locale)
        timings["export"], _ = _timed(
            lambda: export.write_workbook(texts, state, locale, "en", locales_dir, book, date.today())
        )
        paragraph = next(text for text in texts if text.paragraph is not None and text.kind == "markup")
        corrected_book = Path(folder) / "one.xlsx"
        shutil.copy(book, corrected_book)
        _fill(corrected_book, "changed", paragraph.id, paragraph.translation + " (checked)")
        _, verdicts = read_workbook(corrected_book)
        timings["import one correction"], _ = _timed(
            lambda: apply_verdicts(content_dir, locales_dir, locale, verdicts, "RK", date.today())
        )
        _fill(book, "ok")
        _, verdicts = read_workbook(book)
        timings["import all ok"], outcome = _timed(
            lambda: apply_verdicts(content_dir, locales_dir, locale, verdicts, "RK", date.today())
        )
        timings["status, every language"], _ = _timed(
            lambda: [progress(content, locales_dir, code) for code in content.locales if code != "en"]
        )
        timings["texts"] = len(texts)
        timings["files written by import all ok"] = len(getattr(outcome, "files", {}))
        return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--locale", default="bn")
    args = parser.parse_args()
    runs = [one_run(args.locale) for _ in range(args.runs)]
    print(f"{args.locale}, {args.runs} run(s), medians:")
    for key in runs[0]:
        value = statistics.median(run[key] for run in runs)
        shown = f"{value:8.2f} s" if key not in ("texts", "files written by import all ok") else f"{value:8.0f}"
        print(f"  {key:<32} {shown}")


if __name__ == "__main__":
    main()
