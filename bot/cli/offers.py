"""`python -m bot offers test DIR`: run the job-offer signs over labelled adverts and print the figures."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.config import default_content_dir
from bot.content.loader import load_content
from bot.offers.evaluate import LABELS, Result, Totals, evaluate, totals
from bot.offers.match import matcher_for
from bot.offers.model import Band

HELP = "test the job-offer warning signs on labelled adverts (DIR/scam, DIR/genuine): hits, bands, precision, recall"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of `offers`."""
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    test = sub.add_parser("test", help="run the signs over DIR/scam/*.txt and DIR/genuine/*.txt")
    test.add_argument("directory", type=Path, help="a folder with scam/ and genuine/, one UTF-8 text file per advert")
    test.add_argument("--locale", help="the language of every advert (default: guessed per file from its script)")
    test.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    test.add_argument("--content-dir", type=Path, help="content folder (default: CONTENT_DIR, else ./content)")
    test.add_argument("--min-recall", type=float, metavar="SHARE", help="exit 1 when fewer scams get the top band")
    test.add_argument(
        "--max-false", type=float, metavar="SHARE", help="exit 1 when more genuine adverts get the top band"
    )


def run(args: argparse.Namespace) -> int:
    """Load the content, check every advert, print the figures; 0 unless the folder or content is unusable."""
    directory: Path = args.directory
    if not all((directory / label).is_dir() for label in LABELS):
        print(
            f"{directory}: error: needs the folders scam/ and genuine/ with one .txt file per advert", file=sys.stderr
        )
        return 2
    content_dir: Path = args.content_dir or default_content_dir()
    result = load_content(content_dir)
    if result.content is None:
        print(f"{content_dir}: error: the content has errors; run `python -m bot check`", file=sys.stderr)
        return 2
    matcher = matcher_for(result.content)
    if matcher is None:
        print(f"{content_dir}: error: no offer-signs.yaml with offer-words/ in this content", file=sys.stderr)
        return 2
    results, problems = evaluate(matcher, directory, args.locale)
    for problem in problems:
        print(f"{directory.as_posix()}/{problem}", file=sys.stderr)
    if not results:
        print(f"{directory}: error: no adverts found (scam/*.txt, genuine/*.txt)", file=sys.stderr)
        return 2
    found = totals(results)
    if args.format == "json":
        print(json.dumps({"files": [_file_json(r) for r in results], "totals": found.as_json()}, ensure_ascii=False))
    else:
        _print_text(results, found, [sign.id for sign in matcher.signs.signs])
    failed = (args.min_recall is not None and found.recall < args.min_recall) or (
        args.max_false is not None and found.false_alarm_rate > args.max_false
    )
    return 1 if failed else 0


def _file_json(result: Result) -> dict[str, object]:
    finding = result.finding
    return {
        "path": result.path,
        "label": result.label,
        "locale": result.locale,
        "band": finding.band.value,
        "score": finding.score,
        "signs": [{"id": hit.sign.id, "quote": hit.quote} for hit in finding.hits],
        "missing": [sign.id for sign in finding.missing],
    }


def _print_text(results: list[Result], found: Totals, sign_ids: list[str]) -> None:
    wrong = [result for result in results if result.wrong]
    if wrong:
        print("Not as labelled:")
        for result in wrong:
            signs = ", ".join(sign.id for sign in result.finding.fired) or "-"
            print(
                f"  {result.path} [{result.locale}] {result.label} -> {result.finding.band.value} "
                f"(score {result.finding.score}): {signs}"
            )
        print()
    print(f"{'sign':<18}{'scam':>7}{'genuine':>9}")
    for sign_id in sign_ids:
        scam = found.count("signs", "scam", sign_id)
        genuine = found.count("signs", "genuine", sign_id)
        print(f"{sign_id:<18}{scam:>7}{genuine:>9}")
    print()
    print(f"{'band':<18}{'scam':>7}{'genuine':>9}")
    for band in Band:
        scam = found.count("bands", "scam", band.value)
        genuine = found.count("bands", "genuine", band.value)
        print(f"{band.value:<18}{scam:>7}{genuine:>9}")
    print()
    languages = sorted({locale for counts in found.locales.values() for locale in counts})
    per_language = ", ".join(
        f"{locale} {found.count('locales', 'scam', locale)}+{found.count('locales', 'genuine', locale)}"
        for locale in languages
    )
    print(
        f"adverts: {found.files['scam']} scam, {found.files['genuine']} genuine; by language (scam+genuine): "
        f"{per_language}"
    )
    print(
        f"scam adverts given 'many warning signs' (recall): {found.caught}/{found.files['scam']} = {found.recall:.1%}"
    )
    print(
        f"genuine adverts given 'many warning signs': {found.false_alarms}/{found.files['genuine']} = "
        f"{found.false_alarm_rate:.1%}"
    )
    print(f"precision of 'many warning signs': {found.precision:.1%}")
