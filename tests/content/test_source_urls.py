"""Sources as links: a source without a url warns (source-without-url) unless it says why with no_url."""

from __future__ import annotations

import shutil
from pathlib import Path

from bot.cli import main
from bot.content.loader import load_content

ROOT = Path(__file__).resolve().parents[2]
GOOD = ROOT / "tests" / "fixtures" / "good"
CONTENT = ROOT / "content"

ABOUT = "title: About\nbody: |\n  This is a **test** page.\nsources:\n"


def _tree(tmp_path: Path, sources: str) -> Path:
    tree = tmp_path / "content"
    shutil.copytree(GOOD, tree)
    (tree / "en" / "about.yaml").write_text(ABOUT + sources, encoding="utf-8")
    return tree


def test_a_source_without_url_warns_at_its_line(tmp_path: Path) -> None:
    tree = _tree(tmp_path, "  - title: Has a link\n    url: https://example.org/a\n  - title: No link\n")
    result = load_content(tree)
    assert result.content is not None  # a warning, not an error: the content is served
    found = [(d.path, d.line, d.col) for d in result.report.warnings if d.code == "source-without-url"]
    assert found == [("en/about.yaml", 7, 5)]
    message = next(d.message for d in result.report.warnings if d.code == "source-without-url")
    assert "'No link'" in message and "no_url" in message


def test_check_strict_lists_sources_without_url(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    tree = _tree(tmp_path, "  - title: No link\n")
    assert main(["check", "--strict", "--allow", "missing-translation", str(tree)]) != 0
    out = capsys.readouterr().out
    assert "en/about.yaml:5:5: warning: source 'No link' has no url" in out
    assert "source-without-url" in out


def test_no_url_with_a_reason_passes(tmp_path: Path) -> None:
    tree = _tree(tmp_path, '  - title: Offline report\n    no_url: "searched 2026-12-04: no online copy"\n')
    result = load_content(tree)
    assert result.content is not None
    assert not [d for d in result.report.items if d.code == "source-without-url"]
    page = result.content.nodes["about"]
    assert [(s.title, s.url) for s in page.sources] == [("Offline report", None)]


def test_no_url_must_be_a_reason_and_not_next_to_a_url(tmp_path: Path) -> None:
    tree = _tree(
        tmp_path,
        "  - title: Both\n    url: https://example.org/b\n    no_url: because\n  - title: Empty\n    no_url: ''\n",
    )
    result = load_content(tree)
    assert result.content is None
    assert sorted(d.code for d in result.report.errors) == ["conflicting-keys", "wrong-type"]


def test_every_shipped_source_has_a_url_or_says_why() -> None:
    result = load_content(CONTENT)
    assert result.content is not None
    assert not [str(d) for d in result.report.items if d.code == "source-without-url"]
