"""Problems found in content, reported like a compiler: `path:line:col: severity: message`."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    """How bad a problem is: errors stop a load, warnings are reported."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True, order=True)
class Diagnostic:
    """One problem at one place in one file; line and column count from 1, 0 when unknown."""

    path: str
    line: int
    col: int
    severity: Severity
    code: str
    message: str

    def __str__(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}:{self.col or 1}"
        return f"{where}: {self.severity}: {self.message} [{self.code}]"

    def as_json(self) -> dict[str, Any]:
        """The diagnostic as a JSON-friendly mapping."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Mark:
    """A position in a file (1-based)."""

    path: str
    line: int = 0
    col: int = 0


@dataclass(slots=True)
class Report:
    """Collects diagnostics while content loads; the only mutable object of the loader."""

    items: list[Diagnostic] = field(default_factory=list)
    source_locale: str = ""  # the default locale: its files and the top-level ones are listed first

    def error(self, mark: Mark, code: str, message: str) -> None:
        """Record an error."""
        self.items.append(Diagnostic(mark.path, mark.line, mark.col, Severity.ERROR, code, message))

    def warning(self, mark: Mark, code: str, message: str) -> None:
        """Record a warning."""
        self.items.append(Diagnostic(mark.path, mark.line, mark.col, Severity.WARNING, code, message))

    def _order(self, diagnostic: Diagnostic) -> tuple[bool, Diagnostic]:
        # The cause first: a mistake in an English file (or bot.yaml ...) explains problems in its translations.
        path = diagnostic.path
        return (bool(self.source_locale) and "/" in path and not path.startswith(f"{self.source_locale}/"), diagnostic)

    @property
    def ordered(self) -> list[Diagnostic]:
        """Every diagnostic: top-level and default-locale files first, then the translations, in file order."""
        return sorted(self.items, key=self._order)

    @property
    def errors(self) -> list[Diagnostic]:
        """The errors, in the order of `ordered`."""
        return [d for d in self.ordered if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        """The warnings, in the order of `ordered`."""
        return [d for d in self.ordered if d.severity is Severity.WARNING]
