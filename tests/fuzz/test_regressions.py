"""Bugs fuzzing found, one test each."""

from __future__ import annotations

from bot.content.diagnostics import Report
from bot.content.yamlio import read_yaml_text


def test_a_control_character_in_a_content_file_is_reported_with_its_line_and_column() -> None:
    # Found by tests/fuzz/test_fuzz_content.py: PyYAML's ReaderError carries no mark, and the error came out as
    # "bn/_menu.yaml: error: ..." with no line. It must point at the character.
    report = Report()
    assert read_yaml_text("title: Home\nbody: |\n  ok \x1f here\n", "en/_menu.yaml", report) is None
    (error,) = report.errors
    assert (error.path, error.line, error.col, error.code) == ("en/_menu.yaml", 3, 6, "yaml-syntax")
    assert "#x001f" in error.message
