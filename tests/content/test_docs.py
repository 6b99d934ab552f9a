"""docs/content.md explains every error and warning the checks can report, so staff can look any of them up."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def emitted_codes() -> dict[str, str]:
    """Every diagnostic code passed as a literal to `.error(mark, code, message)` or `.warning(...)` in bot/."""
    codes: dict[str, str] = {}
    for path in sorted((ROOT / "bot").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("error", "warning")
                and len(node.args) >= 3
                and isinstance(node.args[1], ast.Constant)
                and isinstance(node.args[1].value, str)
            ):
                codes.setdefault(node.args[1].value, f"{path.relative_to(ROOT)}:{node.lineno}")
    return codes


def test_the_scan_finds_the_codes_it_should() -> None:
    codes = emitted_codes()
    assert {"yaml-syntax", "markup", "bad-phone", "band-gap", "outdated-translation"} <= codes.keys()
    assert len(codes) >= 50


def test_every_code_has_a_row_in_docs_content_md() -> None:
    documented = set(
        re.findall(r"^\| `([a-z0-9-]+)`", (ROOT / "docs" / "content.md").read_text(encoding="utf-8"), re.M)
    )
    missing = {code: where for code, where in emitted_codes().items() if code not in documented}
    assert not missing, f"add a row for each to the tables in docs/content.md: {missing}"
