"""`python -m bot stamp`: translators record which English text a translation matches, safely."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from bot.cli import main
from bot.content.loader import load_content
from bot.content.model import TextState

ROOT = Path(__file__).resolve().parents[2]
PAGE = Path("before-you-go") / "checklist.yaml"
NODE = "before-you-go/checklist"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    return tmp_path / "content"


def _outdate(tree: Path) -> Path:
    """Change the English page, so its Thai translation is outdated; return the Thai file."""
    english = tree / "en" / PAGE
    english.write_text(english.read_text(encoding="utf-8").replace("title: ", "title: New ", 1), encoding="utf-8")
    assert load_content(tree).content.text(NODE, "th").state is TextState.OUTDATED  # type: ignore[union-attr]
    return tree / "th" / PAGE


def _state(tree: Path) -> TextState:
    result = load_content(tree)
    assert result.content is not None, result.report.errors
    return result.content.text(NODE, "th").state


def test_stamp_finds_the_content_folder_from_the_file(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    thai = _outdate(tree)
    assert main(["stamp", str(thai)]) == 0  # no --content-dir: the folder above holding bot.yaml
    assert "source " in capsys.readouterr().out
    assert _state(tree) is TextState.CURRENT


@pytest.mark.parametrize(
    "marker",
    [
        "translation: {source: 00000000, machine: true, reviewed: false}",  # the one-line form check suggests
        "translation: {source: '00000000'}  # a comment",
        "translation:\n  source: 00000000\n  machine: true\n  reviewed: false",
    ],
)
def test_stamp_updates_every_form_of_the_marker(tree: Path, marker: str) -> None:
    thai = _outdate(tree)
    text = thai.read_text(encoding="utf-8")
    thai.write_text(text[: text.index("translation:")] + marker + "\n", encoding="utf-8")
    assert main(["stamp", str(thai)]) == 0
    assert _state(tree) is TextState.CURRENT
    info = load_content(tree).content.text(NODE, "th").translation  # type: ignore[union-attr]
    assert info is not None and info.machine is ("machine" in marker)


def test_stamp_machine_marks_unreviewed(tree: Path) -> None:
    thai = _outdate(tree)
    assert main(["stamp", "--machine", str(thai)]) == 0
    text = load_content(tree).content.text(NODE, "th")  # type: ignore[union-attr]
    assert text.state is TextState.CURRENT and text.machine_unreviewed


def test_bad_input_is_one_line_and_changes_nothing(
    tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    thai = _outdate(tree)
    before = thai.read_text(encoding="utf-8")
    english = tree / "en" / PAGE
    english.write_text(english.read_text(encoding="utf-8").replace("title:", "tittle:", 1), encoding="utf-8")
    cases = {
        str(thai): "fix en/before-you-go/checklist.yaml first",  # never stamp against a broken source
        str(tree / "th" / "before-you-go" / "nothing-here.yaml"): "no such file",
        str(tree / "en" / PAGE): "not in a translation folder",
        str(tmp_path / "elsewhere.yaml"): "error:",
    }
    (tmp_path / "elsewhere.yaml").write_text("title: x\n", encoding="utf-8")
    for file, expected in cases.items():
        assert main(["stamp", file]) == 1
        err = capsys.readouterr().err
        assert expected in err and "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert thai.read_text(encoding="utf-8") == before


def test_a_broken_translation_is_named_with_its_place(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    thai = _outdate(tree)
    broken = "title: Fees: what is legal\n" + thai.read_text(encoding="utf-8").split("\n", 1)[1]
    thai.write_text(broken, encoding="utf-8")
    assert main(["stamp", str(thai)]) == 1
    err = capsys.readouterr().err
    assert "fix this file first: th/before-you-go/checklist.yaml:1:12: error: YAML syntax error" in err, err
    assert thai.read_text(encoding="utf-8") == broken


def test_a_marker_stamp_cannot_update_is_left_alone(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    thai = _outdate(tree)
    text = thai.read_text(encoding="utf-8")
    broken = text[: text.index("translation:")] + "translation: [not, a, mapping]\n"
    thai.write_text(broken, encoding="utf-8")
    assert main(["stamp", str(thai)]) == 1
    assert "is not a {source" in capsys.readouterr().err
    assert thai.read_text(encoding="utf-8") == broken


def test_check_defaults_to_content_dir_from_the_environment(
    tree: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tree / "en" / PAGE).write_text("title: [never closed\n", encoding="utf-8")
    monkeypatch.setenv("CONTENT_DIR", str(tree))
    assert main(["check"]) == 1
    assert f"{tree.as_posix()}/en/{PAGE.as_posix()}:" in capsys.readouterr().out
    monkeypatch.delenv("CONTENT_DIR")
    monkeypatch.chdir(tree.parent)  # staff working in their own copy: ./content
    assert main(["check"]) == 1
    assert "content/en/before-you-go/checklist.yaml:" in capsys.readouterr().out
    assert os.getcwd() == str(tree.parent)
