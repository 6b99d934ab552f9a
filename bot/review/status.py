"""How far the review of each language is: texts reviewed, the emergency path, and what is left by importance."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from bot.content.coverage import CoverageRow
from bot.content.model import Content
from bot.review.export import status
from bot.review.state import Review, read_state
from bot.review.texts import EMERGENCY, RANK_NAMES, Text, collect


@dataclass(frozen=True, slots=True)
class LocaleProgress:
    """The review progress of one language."""

    locale: str
    texts: int
    reviewed: int
    emergency: int  # texts on the emergency path (the emergency answer, what to do now, the help cards)
    emergency_reviewed: int
    nodes: int  # pages and menus with a translation
    nodes_reviewed: int  # of which every text is reviewed
    left: tuple[Text, ...]  # the texts not reviewed, most important first


def progress(content: Content, locales_dir: Path, locale: str) -> LocaleProgress:
    """The progress of `locale`."""
    texts = collect(content, locales_dir, locale)
    state = read_state(content.directory, locale)
    return progress_of(locale, texts, state)


def progress_of(locale: str, texts: Sequence[Text], state: dict[str, Review]) -> LocaleProgress:
    """The progress of `locale` from its texts and sign-offs."""
    done = {text.id for text in texts if status(text, state).reviewed}
    nodes: dict[str, bool] = {}
    for text in texts:
        if text.node is not None:
            nodes[text.node] = nodes.get(text.node, True) and text.id in done
    emergency = [text for text in texts if text.rank == EMERGENCY]
    return LocaleProgress(
        locale=locale,
        texts=len(texts),
        reviewed=len(done),
        emergency=len(emergency),
        emergency_reviewed=sum(1 for text in emergency if text.id in done),
        nodes=len(nodes),
        nodes_reviewed=sum(nodes.values()),
        left=tuple(text for text in texts if text.id not in done),
    )


def _percent(part: int, whole: int) -> str:
    return f"{100.0 * part / whole:5.1f} %" if whole else "    – "


def format_summary(rows: Sequence[LocaleProgress]) -> str:
    """One line per language."""
    header = f"{'locale':<8} {'texts reviewed':>24} {'emergency path reviewed':>26} {'pages fully reviewed':>24}"
    lines = [header, "-" * len(header)]
    for row in rows:
        texts = f"{row.reviewed:>4}/{row.texts:<4} {_percent(row.reviewed, row.texts)}"
        emergency = f"{row.emergency_reviewed:>4}/{row.emergency:<4} {_percent(row.emergency_reviewed, row.emergency)}"
        nodes = f"{row.nodes_reviewed:>3}/{row.nodes:<3} {_percent(row.nodes_reviewed, row.nodes)}"
        lines.append(f"{row.locale:<8} {texts:>24} {emergency:>26} {nodes:>24}")
    return "\n".join(lines)


def format_left(row: LocaleProgress, limit: int) -> str:
    """What is left to review in one language, most important first, grouped by importance."""
    lines = [f"{row.locale}: {len(row.left)} of {row.texts} texts left to review, most important first"]
    rank = -1
    for text in row.left[:limit]:
        if text.rank != rank:
            rank = text.rank
            left = sum(1 for other in row.left if other.rank == rank)
            lines.append(f"\n{RANK_NAMES[rank]} ({left} left)")
        lines.append(f"  {text.id}  —  {text.where}")
    if len(row.left) > limit:
        lines.append(f"\n… and {len(row.left) - limit} more (--limit N shows more)")
    return "\n".join(lines)


def reviewed_nodes(content: Content, locales_dir: Path, rows: Sequence[CoverageRow]) -> tuple[CoverageRow, ...]:
    """Coverage rows with their reviewed column: the pages and menus whose every text is signed off."""
    counted = []
    for row in rows:
        if row.locale == content.default_locale:
            counted.append(row)
            continue
        counted.append(replace(row, reviewed=progress(content, locales_dir, row.locale).nodes_reviewed))
    return tuple(counted)
