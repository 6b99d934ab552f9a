"""Checking quiz files: structure the same in every locale, bands covering every score, exact positions."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT
from bot.content.loader import load_content
from bot.quiz.model import AnswerKind, QuizStructure, QuizText

GOOD = Path(__file__).resolve().parents[1] / "fixtures" / "quiz" / "good"

BANDS_EN = """bands:
  - id: low
    min: {low_min}
    max: {low_max}
    title: Low
    guidance: Fine.
  - id: medium
    min: {medium_min}
    title: Medium
    guidance: Check.
  - id: high
    min: {high_min}
    max: {high_max}
    title: High
    guidance: Get help.
"""


def _tree(tmp_path: Path) -> Path:
    tree = tmp_path / "content"
    shutil.copytree(GOOD, tree)
    return tree


def _errors(tree: Path) -> list[str]:
    result = load_content(tree)
    return [str(d) for d in result.report.errors]


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_fixture_quiz_loads_with_structure_and_texts() -> None:
    result = load_content(GOOD)
    assert result.content is not None, result.report.errors
    node = result.content.nodes["check"]
    structure = node.extra
    assert isinstance(structure, QuizStructure)
    assert [q.id for q in structure.questions] == ["fees", "visa", "place"]
    assert structure.questions[2].kind is AnswerKind.CHOICES and structure.questions[2].weights == (0, 2, 3)
    assert (structure.min_score, structure.max_score) == (0, 8)
    assert [(b.id, b.low, b.high) for b in structure.bands] == [("low", 0, 2), ("medium", 3, 5), ("high", 6, 8)]
    th = result.content.text("check", "th").extra
    assert isinstance(th, QuizText)
    assert th.questions["place"].choices == ("ที่สำนักงานบริษัท", "ที่ร้านกาแฟ", "ในแชทเท่านั้น")
    assert "<b>จ่ายค่าธรรมเนียม</b>" in th.questions["fees"].text


def test_the_shipped_quiz_loads_in_every_locale() -> None:
    result = load_content(PROJECT_ROOT / "content")
    assert result.content is not None, result.report.errors
    node = result.content.nodes["job-offer-check"]
    assert node.type == "quiz" and node.id in result.content.root.children[:1]
    structure = node.extra
    assert isinstance(structure, QuizStructure) and 9 <= len(structure.questions) <= 12
    for locale in result.content.locales:
        text = result.content.texts[locale]["job-offer-check"]
        assert isinstance(text.extra, QuizText), locale
        assert set(text.extra.questions) == {q.id for q in structure.questions}
        assert set(text.extra.bands) == {b.id for b in structure.bands}


def test_a_translation_with_another_question_id_is_reported_where_it_is(tmp_path: Path) -> None:
    tree = _tree(tmp_path)
    _replace(tree / "th" / "check.yaml", "  - id: visa\n", "  - id: visas\n")
    assert _errors(tree) == [
        "th/check.yaml:7:9: error: question 2 is 'visa' in en, not 'visas'; translate the same ids in the same "
        "order [structure-mismatch]"
    ]


def test_a_translation_missing_a_question_is_reported(tmp_path: Path) -> None:
    tree = _tree(tmp_path)
    path = tree / "th" / "check.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  - id: place")
    end = text.index("bands:")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    assert _errors(tree) == [
        "th/check.yaml:4:3: error: question 'place' of en is missing here (2 of 3) [structure-mismatch]"
    ]


def test_a_translation_with_another_number_of_choices_is_reported(tmp_path: Path) -> None:
    tree = _tree(tmp_path)
    _replace(tree / "th" / "check.yaml", "[ที่สำนักงานบริษัท, ที่ร้านกาแฟ, ในแชทเท่านั้น]", "[ที่สำนักงานบริษัท, ที่ร้านกาแฟ]")
    assert _errors(tree) == [
        "th/check.yaml:13:14: error: question 'place' has 3 choices in en, 2 here [structure-mismatch]"
    ]


def test_weights_and_band_scores_cannot_be_translated(tmp_path: Path) -> None:
    tree = _tree(tmp_path)
    _replace(
        tree / "th" / "check.yaml", "    why: คนงานไม่ควรจ่ายค่าหางาน\n", "    why: คนงานไม่ควรจ่ายค่าหางาน\n    if_yes: 5\n"
    )
    _replace(tree / "th" / "check.yaml", "  - id: medium\n", "  - id: medium\n    min: 1\n")
    assert _errors(tree) == [
        "th/check.yaml:7:5: error: 'if_yes' cannot be translated: it comes from the default locale 'en'; remove it "
        "[not-translatable]",
        "th/check.yaml:20:5: error: 'min' cannot be translated: it comes from the default locale 'en'; remove it "
        "[not-translatable]",
    ]


def test_a_translated_band_in_another_order_is_reported(tmp_path: Path) -> None:
    tree = _tree(tmp_path)
    _replace(tree / "th" / "check.yaml", "  - id: medium\n", "  - id: high\n")
    errors = _errors(tree)
    assert errors == [
        "th/check.yaml:18:9: error: band 2 is 'medium' in en, not 'high'; translate the same ids in the same order "
        "[structure-mismatch]"
    ]


def _bands(tree: Path, **values: int) -> None:
    path = tree / "en" / "check.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("bands:")
    defaults = {"low_min": 0, "low_max": 2, "medium_min": 3, "high_min": 6, "high_max": 8}
    path.write_text(text[:start] + BANDS_EN.format(**{**defaults, **values}), encoding="utf-8")


def test_explicit_bands_that_cover_every_score_load(tmp_path: Path) -> None:
    tree = _tree(tmp_path)
    _bands(tree)
    assert _errors(tree) == []


def test_a_gap_between_bands_is_reported_at_the_band(tmp_path: Path) -> None:
    tree = _tree(tmp_path)
    _bands(tree, low_max=1)
    assert _errors(tree) == [
        "en/check.yaml:35:10: error: no band holds the scores 2 to 2: band 'medium' starts at 3 [band-gap]"
    ]


def test_overlapping_bands_are_reported(tmp_path: Path) -> None:
    tree = _tree(tmp_path)
    _bands(tree, low_max=4)
    assert _errors(tree) == [
        "en/check.yaml:35:10: error: band 'medium' starts at 3, but the scores 3 to 4 are already in band 'low'; "
        "bands go up in order without sharing scores [band-overlap]"
    ]


def test_bands_must_start_at_the_lowest_score_and_reach_the_highest(tmp_path: Path) -> None:
    tree = _tree(tmp_path)
    _bands(tree, low_min=1, high_max=7)
    assert _errors(tree) == [
        "en/check.yaml:30:10: error: no band holds the scores 0 to 0: band 'low' starts at 1 [band-gap]",
        "en/check.yaml:40:10: error: no band holds the scores 8 to 8 (the highest possible score) [band-gap]",
    ]


def test_a_band_above_the_highest_score_is_unreachable(tmp_path: Path) -> None:
    tree = _tree(tmp_path)
    _bands(tree, high_min=9, high_max=12)  # medium has no max, so it holds 3 to 8: no gap, but 'high' is dead
    assert _errors(tree) == [
        "en/check.yaml:39:10: error: band 'high' starts at 9 but the highest possible score is 8 [band-unreachable]"
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "    if_not_sure: 1\n  - id: visa",
            "  - id: visa",
            "en/check.yaml:6:5: error: question 'fees' needs if_not_sure (the points of each answer), or its own "
            "choices [missing-field]",
        ),
        (
            "    if_yes: 3\n",
            "    if_yes: many\n",
            "en/check.yaml:9:13: error: if_yes must be a whole number from 0 to 100 [wrong-type]",
        ),
        (
            "  - id: visa\n",
            "  - id: fees\n",
            "en/check.yaml:12:9: error: the question id 'fees' is used twice [duplicate-id]",
        ),
        (
            "Did they ask you to **pay a fee**?",
            "Did they ask you to **pay a fee?",
            "en/check.yaml:7:31: error: ** opens bold text that is not closed on the same line "
            "(close it with ** before the line ends; a bullet or line break ends it) [markup]",
        ),
        (
            "    help: [trafficking, emergency]\n",
            "    help: [trafficking, police]\n",
            "en/check.yaml:43:25: error: unknown purpose 'police'; known: trafficking, migrant-worker-complaints, "
            "labour-rights, emergency, consular, counselling [unknown-value]",
        ),
    ],
)
def test_structure_errors_are_reported_where_they_are(tmp_path: Path, old: str, new: str, expected: str) -> None:
    tree = _tree(tmp_path)
    _replace(tree / "en" / "check.yaml", old, new)
    errors = _errors(tree)
    assert expected in errors, errors


def test_a_long_why_is_refused(tmp_path: Path) -> None:
    tree = _tree(tmp_path)
    _replace(tree / "th" / "check.yaml", "why: คนงานไม่ควรจ่ายค่าหางาน", "why: " + "ก" * 251)
    assert _errors(tree) == ["th/check.yaml:6:10: error: why is 251 characters; at most 250 fit [too-long]"]
