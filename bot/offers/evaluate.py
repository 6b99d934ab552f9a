"""Running the signs over a folder of labelled adverts: `scam/` and `genuine/`, one UTF-8 text file each.

A scam advert counts as caught when it gets the "many warning signs" band; a genuine one as a false alarm when
it does. Precision and recall are of that decision. The language of each advert is guessed from its script
(and a few common words for Latin-script languages) unless given; it is only used to report per language.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bot.offers.match import Finding, Matcher
from bot.offers.model import Band

LABELS = ("scam", "genuine")
_SCRIPTS = (
    ("th", re.compile("[\u0e00-\u0e7f]")),
    ("my", re.compile("[\u1000-\u109f]")),
    ("km", re.compile("[\u1780-\u17ff]")),
    ("bn", re.compile("[\u0980-\u09ff]")),
    ("ne", re.compile("[\u0900-\u097f]")),
    ("fa_AF", re.compile("[\u0600-\u06ff]")),
)
_VIETNAMESE = re.compile("[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)
_LATIN_WORDS = {
    "id": {"dan", "yang", "untuk", "gaji", "dengan", "di", "kerja", "tanpa", "lowongan", "bulan", "dibutuhkan"},
    "fil": {"ang", "ng", "mga", "sa", "na", "para", "trabaho", "sahod", "kayo", "po", "walang"},
}


def guess_locale(text: str) -> str:
    """The language an advert is most likely written in, from its script, else from common words."""
    counts = {locale: len(pattern.findall(text)) for locale, pattern in _SCRIPTS}
    best = max(counts, key=lambda locale: counts[locale])
    if counts[best] >= 5:
        return best
    if len(_VIETNAMESE.findall(text)) >= 3:
        return "vi"
    words = re.findall(r"[a-z]+", text.lower())
    scores = {locale: sum(word in common for word in words) for locale, common in _LATIN_WORDS.items()}
    top = max(scores, key=lambda locale: scores[locale])
    return top if scores[top] >= 2 else "en"


@dataclass(frozen=True, slots=True)
class Result:
    """One labelled advert and what the check made of it."""

    path: str  # relative to the folder tested
    label: str  # scam or genuine
    locale: str
    finding: Finding

    @property
    def flagged(self) -> bool:
        """Given the top band."""
        return self.finding.band is Band.MANY

    @property
    def wrong(self) -> bool:
        """A scam advert not given the top band, or a genuine one given it."""
        return self.flagged != (self.label == "scam")


@dataclass(slots=True)
class Totals:
    """The figures over a labelled set."""

    files: Counter[str] = field(default_factory=Counter)  # label -> adverts
    bands: dict[str, Counter[str]] = field(default_factory=dict)  # label -> band -> adverts
    signs: dict[str, Counter[str]] = field(default_factory=dict)  # label -> sign id -> adverts
    locales: dict[str, Counter[str]] = field(default_factory=dict)  # label -> locale -> adverts

    def count(self, table: str, label: str, key: str) -> int:
        """One figure: adverts of `label` with this band, sign or language (`table`: bands, signs or locales)."""
        counts: dict[str, Counter[str]] = getattr(self, table)
        return counts.get(label, Counter())[key]

    @property
    def caught(self) -> int:
        """Scam adverts given the top band."""
        return self.bands.get("scam", Counter())[Band.MANY.value]

    @property
    def false_alarms(self) -> int:
        """Genuine adverts given the top band."""
        return self.bands.get("genuine", Counter())[Band.MANY.value]

    @property
    def recall(self) -> float:
        """Share of the scam adverts given the top band."""
        return self.caught / self.files["scam"] if self.files["scam"] else 0.0

    @property
    def precision(self) -> float:
        """Share of the adverts given the top band that are scams."""
        flagged = self.caught + self.false_alarms
        return self.caught / flagged if flagged else 0.0

    @property
    def false_alarm_rate(self) -> float:
        """Share of the genuine adverts given the top band."""
        return self.false_alarms / self.files["genuine"] if self.files["genuine"] else 0.0

    def as_json(self) -> dict[str, object]:
        """The totals as plain data."""
        return {
            "files": dict(self.files),
            "bands": {label: dict(bands) for label, bands in self.bands.items()},
            "signs": {label: dict(signs) for label, signs in self.signs.items()},
            "languages": {label: dict(locales) for label, locales in self.locales.items()},
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "genuine_given_many": round(self.false_alarm_rate, 4),
        }


def adverts(folder: Path) -> list[tuple[str, Path]]:
    """(label, file) for every text file under folder/scam and folder/genuine, in a stable order."""
    found: list[tuple[str, Path]] = []
    for label in LABELS:
        directory = folder / label
        if directory.is_dir():
            found.extend((label, path) for path in sorted(directory.rglob("*.txt")) if path.is_file())
    return found


def evaluate(matcher: Matcher, folder: Path, locale: str | None = None) -> tuple[list[Result], list[str]]:
    """Check every labelled advert; the results, and one line per file that could not be read."""
    results: list[Result] = []
    problems: list[str] = []
    for label, path in adverts(folder):
        rel = path.relative_to(folder).as_posix()
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"{rel}: not read ({type(exc).__name__}); save it as UTF-8 text")
            continue
        if not text.strip():
            problems.append(f"{rel}: empty")
            continue
        results.append(Result(rel, label, locale or guess_locale(text), matcher.check(text)))
    return results, problems


def totals(results: Iterable[Result]) -> Totals:
    """Count the bands, signs and languages per label."""
    found = Totals()
    for result in results:
        found.files[result.label] += 1
        found.bands.setdefault(result.label, Counter())[result.finding.band.value] += 1
        found.locales.setdefault(result.label, Counter())[result.locale] += 1
        signs = found.signs.setdefault(result.label, Counter())
        for sign in result.finding.fired:
            signs[sign.id] += 1
    return found
