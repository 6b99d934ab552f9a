"""A quiz as frozen data: structure (weights, bands) from the default locale, texts per locale."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum


class AnswerKind(StrEnum):
    """Which buttons a question offers."""

    YES_NO = "yes-no"  # Yes / No / Not sure, labels from the UI catalog
    CHOICES = "choices"  # the question's own labels, translated in the content


YES_NO_KEYS = ("if_yes", "if_no", "if_not_sure")  # the weight keys of a yes/no question, in button order


@dataclass(frozen=True, slots=True)
class Question:
    """One question: its id and the weight of each answer, in button order."""

    id: str
    kind: AnswerKind
    weights: tuple[int, ...]

    @property
    def choices(self) -> int:
        """How many answers the question offers."""
        return len(self.weights)


@dataclass(frozen=True, slots=True)
class Band:
    """A result band: the scores from `low` to `high` (inclusive) and the helpline purposes it refers to."""

    id: str
    low: int
    high: int
    help: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class QuizStructure:
    """The language-neutral part of a quiz; `version` changes whenever any of it changes."""

    questions: tuple[Question, ...]
    bands: tuple[Band, ...]
    version: str  # three base64url characters, carried in every quiz button

    @property
    def min_score(self) -> int:
        """The lowest score any sequence of answers can reach."""
        return sum(min(q.weights) for q in self.questions)

    @property
    def max_score(self) -> int:
        """The highest score any sequence of answers can reach."""
        return sum(max(q.weights) for q in self.questions)

    def valid(self, answers: Sequence[int]) -> bool:
        """True when `answers` is a possible prefix of answers to this quiz."""
        return len(answers) <= len(self.questions) and all(
            0 <= answer < question.choices for answer, question in zip(answers, self.questions, strict=False)
        )

    def score(self, answers: Sequence[int]) -> int:
        """The sum of the weights of the chosen answers."""
        return sum(q.weights[a] for q, a in zip(self.questions, answers, strict=False))

    def band(self, score: int) -> Band:
        """The band that holds `score` (check guarantees there is exactly one)."""
        for band in self.bands:
            if band.low <= score <= band.high:
                return band
        return self.bands[-1]

    def flags(self, answers: Sequence[int]) -> tuple[Question, ...]:
        """The questions whose chosen answer is a warning sign (weight above zero), in quiz order."""
        return tuple(q for q, a in zip(self.questions, answers, strict=False) if q.weights[a] > 0)


@dataclass(frozen=True, slots=True)
class QuestionText:
    """A question in one locale: Telegram HTML of the question and of why it matters, and custom labels."""

    text: str
    why: str
    choices: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class BandText:
    """A band in one locale: its title (plain) and guidance (Telegram HTML)."""

    title: str
    guidance: str


@dataclass(frozen=True, slots=True)
class QuizText:
    """The localized texts of a quiz, by question and band id."""

    questions: Mapping[str, QuestionText]
    bands: Mapping[str, BandText]
