"""Progress: `review status` lists what is left by importance; `check --coverage` has a reviewed column."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.content.loader import load_content
from bot.review.texts import EMERGENCY, collect
from tests.review.helpers import copy_project, fill, review, rows

EMERGENCY_MENU = "if-something-goes-wrong"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy_project(tmp_path)
    monkeypatch.setenv("LOCALES_DIR", str(tmp_path / "locales"))
    return tmp_path


def _review_emergency_pages(project: Path) -> int:
    """Sign off every text of the emergency menu's pages in Bengali; how many pages that is."""
    book = project / "bn.xlsx"
    assert review(project, "export", "--locale", "bn", "-o", str(book)) == 0
    ids = [text_id for text_id in rows(book) if text_id.split("#")[0].split("/")[0] == EMERGENCY_MENU]
    fill(book, {text_id: ("ok", None) for text_id in ids})
    assert review(project, "import", str(book), "--reviewer", "RK") == 0
    return len({text_id.split("#")[0] for text_id in ids})


def test_the_export_puts_the_emergency_answer_and_help_cards_first(project: Path) -> None:
    content = load_content(project / "content").content
    assert content is not None
    texts = collect(content, project / "locales", "bn")
    ranks = [text.rank for text in texts]
    assert ranks == sorted(ranks) and ranks[0] == EMERGENCY
    first = [text.id for text in texts[:40]]
    assert "@ui#emergency.intro" in first
    assert any(text_id.startswith(f"{EMERGENCY_MENU}/act-now#") for text_id in first)
    kinds = {text.id.split("#")[0].split("/")[0] for text in texts}
    assert {"@ui", "@helplines", "@emergency-words", "@topics", "job-offer-check"} <= kinds  # every kind of text


def test_status_counts_the_emergency_path_and_lists_what_is_left(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert review(project, "status") == 0
    before = capsys.readouterr().out
    bn = next(line for line in before.splitlines() if line.startswith("bn "))
    assert bn.split()[1].startswith("0/")
    _review_emergency_pages(project)
    capsys.readouterr()
    assert review(project, "status", "--locale", "bn", "--limit", "5") == 0
    out = capsys.readouterr().out
    bn = next(line for line in out.splitlines() if line.startswith("bn "))
    reviewed, emergency = bn.split()[1], bn.split()[3]
    assert not reviewed.startswith("0/") and not emergency.startswith("0/")
    assert "emergency answer and help cards" in out  # what is left, most important first
    assert f"{EMERGENCY_MENU}/act-now#" not in out  # reviewed texts are no longer listed


def test_check_coverage_has_a_reviewed_column(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pages = _review_emergency_pages(project)
    capsys.readouterr()
    assert main(["check", "--coverage", "--format", "json", str(project / "content")]) == 0
    coverage = {row["locale"]: row for row in json.loads(capsys.readouterr().out)["coverage"]}
    assert coverage["bn"]["reviewed"] == pages and coverage["km"]["reviewed"] == 0
    main(["check", "--coverage", str(project / "content")])
    table = capsys.readouterr().out.splitlines()
    header = next(line for line in table if line.startswith("locale"))
    assert header.split()[-1] == "reviewed"
    bn = next(line for line in table if line.startswith("bn "))
    assert bn.split()[-3] == str(pages)


def test_check_reports_a_broken_review_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = project / "content" / "review"
    folder.mkdir()
    (folder / "bn.yaml").write_text("texts:\n  '@ui#button.back': {en: abc, by: RK}\n", encoding="utf-8")
    (folder / "xx.yaml").write_text("texts: {}\n", encoding="utf-8")
    assert main(["check", str(project / "content")]) == 1
    out = capsys.readouterr().out
    assert "review/bn.yaml:2:" in out and "[wrong-type]" in out
    assert "review/xx.yaml" in out and "[unknown-locale]" in out
