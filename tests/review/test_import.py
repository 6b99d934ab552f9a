"""A reviewer's spreadsheet goes back into the files: nothing else changes, comments stay, stale rows are refused."""

from __future__ import annotations

import difflib
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from bot.cli import main
from bot.review import export
from bot.review.state import read_state, review_path
from tests.review.helpers import cell, copy_project, fill, fill_all, review, rows, snapshot

PAGE = "if-something-goes-wrong/act-now"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    copy_project(tmp_path)
    return tmp_path


def _export(project: Path, *args: str) -> Path:
    book = project / "bn.xlsx"
    assert review(project, "export", "--locale", "bn", "--only", "all", "-o", str(book), *args) == 0
    return book


def _changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def _body_row(book: Path, page: str = PAGE) -> str:
    return next(text_id for text_id in rows(book) if text_id.startswith(f"{page}#body."))


def test_export_then_import_with_no_changes_changes_no_byte(project: Path) -> None:
    book = _export(project)
    before = snapshot(project / "content", project / "locales")
    assert review(project, "import", str(book), "--reviewer", "RK") == 0
    assert snapshot(project / "content", project / "locales") == before


def test_every_text_approved_as_it_is_changes_no_text_and_records_every_sign_off(project: Path) -> None:
    book = fill_all(_export(project), "ok")
    english_before = snapshot(project / "content" / "en", project / "locales")
    bn_file = project / "content" / "bn" / f"{PAGE}.yaml"
    text_before = bn_file.read_text(encoding="utf-8")
    assert review(project, "import", str(book), "--reviewer", "RK") == 0
    assert snapshot(project / "content" / "en", project / "locales") == english_before
    # The page's texts are all signed off, so its file now says so; nothing else in it changed.
    assert _changed_lines(text_before, bn_file.read_text(encoding="utf-8")) == [
        "-  reviewed: false",
        "+  reviewed: true",
    ]
    state = read_state(project / "content", "bn")
    assert len(state) == len(rows(book))


def test_an_edited_paragraph_lands_in_its_key_and_the_comments_stay(project: Path) -> None:
    bn_file = project / "content" / "bn" / f"{PAGE}.yaml"
    original = bn_file.read_text(encoding="utf-8")
    commented = "# A translator's note that must survive.\n" + original.replace(
        "keywords:", "# keywords are what people type\nkeywords:", 1
    )
    bn_file.write_text(commented, encoding="utf-8")
    book = _export(project)
    text_id = _body_row(book)
    old = cell(book, text_id, export.TRANSLATION)
    fill(book, {text_id: ("changed", old + " (সংশোধিত)")})
    assert review(project, "import", str(book), "--reviewer", "RK") == 0
    after = bn_file.read_text(encoding="utf-8")
    assert "# A translator's note that must survive.\n" in after
    assert "# keywords are what people type\n" in after
    changed = _changed_lines(commented, after)
    assert len(changed) == 2 and changed[1].endswith(" (সংশোধিত)"), changed
    data = yaml.safe_load(after)
    paragraph = int(text_id.rsplit(".", 1)[1]) - 1
    assert data["body"].split("\n\n")[paragraph].endswith(" (সংশোধিত)")
    assert data["body"].endswith("\n")  # still a `|` block


def test_a_catalog_string_and_a_helpline_name_are_corrected_in_place(project: Path) -> None:
    po = project / "locales" / "bn" / "LC_MESSAGES" / "messages.po"
    helplines = project / "content" / "helplines.yaml"
    po_before, helplines_before = po.read_text(encoding="utf-8"), helplines.read_text(encoding="utf-8")
    book = _export(project)
    name = next(text_id for text_id in rows(book) if text_id.startswith("@helplines#") and text_id.endswith(".name"))
    fill(book, {"@ui#button.back": ("changed", "◀ ফিরে যান"), name: ("changed", "নতুন নাম")})
    assert review(project, "import", str(book), "--reviewer", "RK") == 0
    changed = _changed_lines(po_before, po.read_text(encoding="utf-8"))
    assert len(changed) == 2 and changed[0].startswith("-msgstr ") and changed[1] == '+msgstr "◀ ফিরে যান"'
    changed = _changed_lines(helplines_before, helplines.read_text(encoding="utf-8"))
    assert len(changed) == 2 and changed[0].startswith("-      bn: ") and changed[1] == '+      bn: "নতুন নাম"'


def test_a_row_whose_english_changed_since_the_export_is_refused(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = _export(project)
    text_id = _body_row(book)
    fill(book, {text_id: ("changed", "নতুন লেখা"), f"{PAGE}#title": ("ok", None)})
    english = project / "content" / "en" / f"{PAGE}.yaml"
    english.write_text(english.read_text(encoding="utf-8").replace("**Your safety comes first.**", "**Safety first.**"))
    bn_file = project / "content" / "bn" / f"{PAGE}.yaml"
    before = bn_file.read_bytes()
    status = review(project, "import", str(book), "--reviewer", "RK")
    assert status == 1
    err = capsys.readouterr().err
    assert f"{text_id}: refused: the English changed since the export" in err
    assert bn_file.read_bytes() == before  # not applied
    assert list(read_state(project / "content", "bn")) == [f"{PAGE}#title"]  # the other row is


def test_the_reviewer_and_the_date_are_in_the_review_file(project: Path) -> None:
    book = _export(project)
    fill(book, {f"{PAGE}#title": ("ok", None)})
    assert review(project, "import", str(book), "--reviewer", "R.  Khatun") == 0
    text = review_path(project / "content", "bn").read_text(encoding="utf-8")
    today = datetime.now(UTC).date().isoformat()
    entry = yaml.safe_load(text)["texts"][f"{PAGE}#title"]
    assert entry["by"] == "R. Khatun" and str(entry["date"]) == today
    assert f"{PAGE}#title" in text and "R. Khatun" in text


@pytest.mark.parametrize(
    ("text_id", "corrected", "message"),
    [
        ("body", "**আধা মোটা", "markup: ** opens bold text"),
        ("@ui#page.counter", "পাতা {current}", "placeholders differ from English: lacks {total}"),
        (f"{PAGE}#title", "ক" * 70, "title is 70 characters; at most 64"),
        (f"{PAGE}#title", "এক\nদুই", "this text is one line"),
    ],
)
def test_a_correction_that_breaks_a_check_is_refused_with_the_checks_message(
    project: Path, capsys: pytest.CaptureFixture[str], text_id: str, corrected: str, message: str
) -> None:
    book = _export(project)
    text_id = _body_row(book) if text_id == "body" else text_id
    fill(book, {text_id: ("changed", corrected)})
    before = snapshot(project / "content", project / "locales")
    assert review(project, "import", str(book), "--reviewer", "RK") == 1
    assert message in capsys.readouterr().err
    assert snapshot(project / "content", project / "locales") == before


def test_a_translation_edited_by_someone_else_after_the_export_is_refused(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = _export(project)
    fill(book, {f"{PAGE}#title": ("ok", None)})
    bn_file = project / "content" / "bn" / f"{PAGE}.yaml"
    data = yaml.safe_load(bn_file.read_text(encoding="utf-8"))
    bn_file.write_text(bn_file.read_text(encoding="utf-8").replace(data["title"], data["title"] + "!", 1))
    assert review(project, "import", str(book), "--reviewer", "RK") == 1
    assert "edited by someone else since the export" in capsys.readouterr().err
    assert not review_path(project / "content", "bn").exists()


def test_dry_run_prints_the_diff_and_writes_nothing(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book = _export(project)
    fill(book, {"@ui#button.back": ("changed", "◀ ফিরে যান")})
    before = snapshot(project / "content", project / "locales")
    assert review(project, "import", str(book), "--reviewer", "RK", "--dry-run") == 0
    out = capsys.readouterr().out
    assert '+msgstr "◀ ফিরে যান"' in out and "+  '@ui#button.back': {en:" in out
    assert snapshot(project / "content", project / "locales") == before


def test_unsure_rows_are_left_as_they_are(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book = _export(project)
    fill(book, {f"{PAGE}#title": ("unsure", None)})
    before = snapshot(project / "content", project / "locales")
    assert review(project, "import", str(book), "--reviewer", "RK") == 0
    assert "marked unsure" in capsys.readouterr().err
    assert snapshot(project / "content", project / "locales") == before


def test_the_content_still_passes_check_after_an_import(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book = fill_all(_export(project), "ok")
    assert review(project, "import", str(book), "--reviewer", "RK") == 0
    capsys.readouterr()
    assert main(["check", "--strict", str(project / "content")]) == 0, capsys.readouterr()
