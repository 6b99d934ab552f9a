"""Translation coverage: per locale, how much of the content is translated, missing, outdated, unreviewed."""

from __future__ import annotations

from dataclasses import dataclass

from bot.content.model import Content, TextState


@dataclass(frozen=True, slots=True)
class CoverageRow:
    """Coverage of one locale, counted in nodes."""

    locale: str
    total: int
    translated: int  # a current translation exists (machine or human)
    missing: int
    outdated: int
    machine_unreviewed: int
    reviewed: int | None = None  # nodes whose every text a native speaker signed off (bot.review); None: not counted

    def percent(self, count: int) -> float:
        """`count` as a percentage of all nodes."""
        return 100.0 * count / self.total if self.total else 100.0


def coverage(content: Content) -> tuple[CoverageRow, ...]:
    """One row per enabled locale, the default locale first."""
    rows = []
    total = len(content.nodes)
    for locale in content.locales:
        texts = content.texts.get(locale, {})
        present = [texts[node_id] for node_id in content.nodes if node_id in texts]
        outdated = sum(1 for text in present if text.state is TextState.OUTDATED)
        rows.append(
            CoverageRow(
                locale=locale,
                total=total,
                translated=len(present) - outdated,
                missing=total - len(present),
                outdated=outdated,
                machine_unreviewed=sum(1 for text in present if text.machine_unreviewed),
            )
        )
    return tuple(rows)


def format_table(rows: tuple[CoverageRow, ...]) -> str:
    """A plain-text table of coverage rows, for the terminal."""
    header = f"{'locale':<8} {'translated':>14} {'missing':>12} {'outdated':>12} {'machine, unreviewed':>22}"
    counted = any(row.reviewed is not None for row in rows)
    if counted:
        header += f" {'reviewed':>14}"
    lines = [header, "-" * len(header)]
    for row in rows:
        cells = [
            f"{row.translated:>4} {row.percent(row.translated):6.1f} %",
            f"{row.missing:>3} {row.percent(row.missing):5.1f} %",
            f"{row.outdated:>3} {row.percent(row.outdated):5.1f} %",
            f"{row.machine_unreviewed:>4} {row.percent(row.machine_unreviewed):6.1f} %",
        ]
        line = f"{row.locale:<8} {cells[0]:>14} {cells[1]:>12} {cells[2]:>12} {cells[3]:>22}"
        if counted:
            reviewed = "–" if row.reviewed is None else f"{row.reviewed:>4} {row.percent(row.reviewed):6.1f} %"
            line += f" {reviewed:>14}"
        lines.append(line)
    return "\n".join(lines)
