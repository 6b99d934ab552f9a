"""`python -m bot check` on deliberately broken content: the exact position and code of every problem."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
BROKEN = FIXTURES / "broken" / "files"
TRANSLATIONS = FIXTURES / "broken" / "translations"
GOOD = FIXTURES / "good"

# (file, line, column, severity, code): one line per broken file; line 0 means the whole file.
EXPECTED_FILES = [
    ("bot.yaml", 2, 15, "error", "unknown-locale"),
    ("en/Bad_Name.yaml", 0, 0, "error", "bad-name"),
    ("en/_menu.yaml", 15, 5, "error", "dangling-reference"),  # order names 'ghost'
    ("en/a-list.yaml", 1, 1, "error", "not-a-mapping"),
    ("en/alias.yaml", 1, 8, "error", "yaml-alias"),
    ("en/bad-target.yaml", 3, 9, "error", "dangling-reference"),
    ("en/bom.yaml", 1, 1, "warning", "bom"),
    ("en/cycle-a.yaml", 3, 9, "error", "cycle"),
    ("en/cycle-b.yaml", 3, 9, "error", "cycle"),
    ("en/dup-key.yaml", 3, 1, "error", "duplicate-key"),
    ("en/dup.yaml", 0, 0, "error", "duplicate-id"),
    ("en/empty/_menu.yaml", 0, 0, "warning", "empty-menu"),
    ("en/http-link.yaml", 2, 22, "error", "markup"),
    ("en/key-a.yaml", 3, 6, "error", "key-collision"),
    ("en/key-b.yaml", 3, 6, "error", "key-collision"),
    ("en/latin1.yaml", 1, 11, "error", "not-utf8"),
    ("en/long-paragraph.yaml", 5, 3, "error", "markup"),
    ("en/long-title.yaml", 1, 8, "error", "too-long"),
    ("en/missing-field.yaml", 1, 1, "error", "missing-field"),
    ("en/syntax.yaml", 2, 7, "error", "yaml-syntax"),  # where the [ opens, not where libyaml noticed
    ("en/tabs.yaml", 3, 1, "error", "yaml-tab"),
    ("en/unclosed-bold.yaml", 5, 11, "error", "markup"),
    ("en/unknown-key.yaml", 3, 1, "error", "unknown-key"),
    ("en/unsafe.yaml", 2, 7, "error", "yaml-tag"),
    ("en/wrong-type.yaml", 3, 11, "error", "wrong-type"),
]

EXPECTED_TRANSLATIONS = [  # English files (the cause, or what is to translate) first, then the translations
    ("en/missing.yaml", 0, 0, "warning", "missing-translation"),  # one line per English file, naming the languages
    ("my", 0, 0, "warning", "unreviewed-translation"),
    ("my/outdated.yaml", 4, 11, "warning", "outdated-translation"),
    ("my/unmarked.yaml", 1, 1, "warning", "translation-unmarked"),
]


def _where(prefix: str, path: str, line: int, col: int) -> str:
    return f"{prefix}/{path}:{line}:{col}" if line else f"{prefix}/{path}"


def _check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], str]:
    status = main(["check", *args])
    out, err = capsys.readouterr()
    return status, out.splitlines(), err


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, object]]:
    status = main(["check", "--format", "json", *args])
    return status, json.loads(capsys.readouterr().out)


def test_every_broken_file_gets_exactly_one_line_at_its_exact_position(capsys: pytest.CaptureFixture[str]) -> None:
    status, lines, err = _check(capsys, str(BROKEN))
    assert status == 1
    prefix = BROKEN.as_posix()
    assert len(lines) == len(EXPECTED_FILES), "\n".join(lines)
    errors_first = sorted(EXPECTED_FILES, key=lambda item: item[3] != "error")  # then in file order
    for (path, line, col, severity, code), printed in zip(errors_first, lines, strict=True):
        assert printed.startswith(f"{_where(prefix, path, line, col)}: {severity}: "), printed
        assert printed.endswith(f"[{code}]"), printed
    assert "Traceback" not in err
    assert err.strip().startswith("23 error(s), 2 warning(s)")
    assert "FAILED: fix the errors above" in err


@pytest.mark.parametrize(
    ("path", "fragment"),
    [
        ("en/_menu.yaml", "order names 'ghost'"),
        ("en/syntax.yaml", "a [ opened here is never closed"),
        ("en/latin1.yaml", "byte 0xe9"),
        ("en/long-paragraph.yaml", "3549 characters"),
        ("en/long-title.yaml", "68 characters"),
        ("en/unknown-key.yaml", "'colour'"),
        ("en/missing-field.yaml", "'body'"),
        ("en/key-a.yaml", "'key-b'"),
        ("en/unsafe.yaml", "'!!python/object:os.system'"),
        ("en/http-link.yaml", "http://example.org"),
        ("en/unclosed-bold.yaml", "not closed on the same line"),
        ("en/cycle-a.yaml", "cycle-a -> cycle-b -> cycle-a"),
    ],
)
def test_messages_say_what_is_wrong(capsys: pytest.CaptureFixture[str], path: str, fragment: str) -> None:
    _, lines, _ = _check(capsys, str(BROKEN))
    [line] = [line for line in lines if line.startswith(f"{BROKEN.as_posix()}/{path}")]
    assert fragment in line


def test_json_output_carries_the_same_diagnostics(capsys: pytest.CaptureFixture[str]) -> None:
    status, data = _json(capsys, str(BROKEN))
    assert status == 1
    assert data["ok"] is False
    assert (data["errors"], data["warnings"]) == (23, 2)
    found = [(d["path"], d["line"], d["col"], d["severity"], d["code"]) for d in data["diagnostics"]]  # type: ignore[attr-defined]
    assert found == EXPECTED_FILES


def test_translation_warnings_and_strict(capsys: pytest.CaptureFixture[str]) -> None:
    status, lines, _ = _check(capsys, str(TRANSLATIONS))
    assert status == 0
    prefix = TRANSLATIONS.as_posix()
    errors_first = sorted(EXPECTED_TRANSLATIONS, key=lambda item: item[3] != "error")
    for (path, line, col, severity, code), printed in zip(errors_first, lines, strict=True):
        assert printed.startswith(f"{_where(prefix, path, line, col)}: {severity}: "), printed
        assert printed.endswith(f"[{code}]"), printed
    status, _, err = _check(capsys, "--strict", str(TRANSLATIONS))
    assert status == 1
    assert "FAILED with --strict:" in err and "warning(s) count as errors" in err, "says why it failed"
    assert "outdated-translation ×1" in err, "and which warnings count"
    status, data = _json(capsys, "--strict", str(TRANSLATIONS))
    assert [d["code"] for d in data["diagnostics"] if d["fails"]] == [  # type: ignore[index]
        d["code"]  # type: ignore[index]
        for d in data["diagnostics"]  # type: ignore[union-attr]
        if d["code"] != "unreviewed-translation"  # type: ignore[index]
    ]
    # unreviewed machine translations are declared in the content, so --strict lets them pass
    allowed = ("--allow", "missing-translation", "--allow", "outdated-translation", "--allow", "translation-unmarked")
    status, _, err = _check(capsys, "--strict", *allowed, str(TRANSLATIONS))
    assert status == 0
    assert err.strip().endswith("; OK")


def test_the_warning_tells_the_source_fingerprint(capsys: pytest.CaptureFixture[str]) -> None:
    _, data = _json(capsys, str(TRANSLATIONS))
    [unmarked] = [d for d in data["diagnostics"] if d["code"] == "translation-unmarked"]  # type: ignore[attr-defined]
    [outdated] = [d for d in data["diagnostics"] if d["code"] == "outdated-translation"]  # type: ignore[attr-defined]
    assert "source: 6d4eba14" in unmarked["message"]
    assert "set source: ee262ae2" in outdated["message"]


def test_strict_fails_on_a_bom_warning_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tree = _copy_good(tmp_path)
    about = tree / "en" / "about.yaml"
    about.write_bytes(b"\xef\xbb\xbf" + about.read_bytes())
    allowed = ("--allow", "missing-translation")
    assert _check(capsys, *allowed, str(tree))[0] == 0
    status, lines, _ = _check(capsys, "--strict", *allowed, str(tree))
    assert status == 1
    assert f"{tree.as_posix()}/en/about.yaml:1:1: warning: {_bom_message()} [bom]" in lines
    about.write_bytes(about.read_bytes()[3:])
    assert _check(capsys, "--strict", *allowed, str(tree))[0] == 0


def _bom_message() -> str:
    return "the file starts with a byte-order mark; it is ignored, but save as UTF-8 without BOM"


def _copy_good(tmp_path: Path) -> Path:
    tree = tmp_path / "content"
    shutil.copytree(GOOD, tree)
    return tree


def test_a_5_mb_file_is_one_line_and_the_other_files_are_still_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tree = _copy_good(tmp_path)
    big = tree / "en" / "topics" / "huge.yaml"
    big.write_text("title: Huge\nbody: |\n" + ("  " + "x" * 98 + "\n") * 50_000, encoding="utf-8")
    assert big.stat().st_size > 5_000_000
    (tree / "en" / "about.yaml").write_text("title: About\nbody: Unclosed **bold\n", encoding="utf-8")
    status, lines, err = _check(capsys, str(tree))
    assert status == 1
    prefix = tree.as_posix()
    errors = [line for line in lines if ": error: " in line]
    assert errors == [
        f"{prefix}/en/about.yaml:2:16: error: ** opens bold text that is not closed on the same line "
        "(close it with ** before the line ends; a bullet or line break ends it) [markup]",
        f"{prefix}/en/topics/huge.yaml: error: the file is 5.1 MB; content files may be at most 1 MB "
        "(split it into several pages) [file-too-large]",
    ]
    assert "Traceback" not in err


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_symlink_loops_are_one_line_each(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tree = _copy_good(tmp_path)
    (tree / "en" / "topics" / "back").symlink_to(tree / "en", target_is_directory=True)
    (tree / "en" / "self").symlink_to(tree / "en" / "self")
    status, lines, err = _check(capsys, str(tree))
    assert status == 1
    prefix = tree.as_posix()
    errors = [line for line in lines if ": error: " in line]
    assert errors == [
        f"{prefix}/en/self: error: this symbolic link loops or points nowhere; remove it [symlink-loop]",
        f"{prefix}/en/topics/back: error: this symbolic link points back to a folder it is in [symlink-loop]",
    ]
    assert "Traceback" not in err


def test_translation_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tree = tmp_path / "content"
    shutil.copytree(TRANSLATIONS, tree)
    (tree / "my" / "gone.yaml").write_text("title: Gone\nbody: No such page in en.\n", encoding="utf-8")
    (tree / "my" / "current.yaml").write_text(
        (tree / "my" / "current.yaml").read_text(encoding="utf-8") + "key: mine\n", encoding="utf-8"
    )
    status, data = _json(capsys, str(tree))
    assert status == 1
    errors = [(d["path"], d["line"], d["col"], d["code"]) for d in data["diagnostics"] if d["severity"] == "error"]  # type: ignore[attr-defined]
    assert errors == [("my/current.yaml", 7, 1, "not-translatable"), ("my/gone.yaml", 0, 0, "extra-translation")]


@pytest.mark.parametrize(
    ("bot_yaml", "expected"),
    [
        ("default_locale: xx\nlocales: [xx]\n", [(1, 17, "unknown-locale"), (2, 11, "unknown-locale")]),
        ("locales: [en]\n", [(1, 1, "missing-field")]),
        ("default_locale: en\nlocales: en\n", [(2, 10, "wrong-type")]),
        ("default_locale: en\nlocales: [en, my, en]\n", [(2, 19, "duplicate-id")]),
        ("default_locale: en\nlocales: [en, my]\nfallbacks:\n  my: [th]\n", [(4, 8, "dangling-reference")]),
        ("default_locale: en\nlocales: [en, my]\nfallbacks:\n  th: [my]\n", [(4, 3, "dangling-reference")]),
        ("default_locale: en\nlocales: [en, my]\nfalbacks: {}\n", [(3, 1, "unknown-key")]),
    ],
)
def test_bot_yaml_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bot_yaml: str, expected: list[tuple[int, int, str]]
) -> None:
    tree = _copy_good(tmp_path)
    (tree / "bot.yaml").write_text(bot_yaml, encoding="utf-8")
    _, data = _json(capsys, str(tree))
    errors = [(d["line"], d["col"], d["code"]) for d in data["diagnostics"] if d["severity"] == "error"]  # type: ignore[attr-defined]
    assert errors == expected
    assert all(d["path"] == "bot.yaml" for d in data["diagnostics"] if d["severity"] == "error")  # type: ignore[attr-defined]


def test_good_fixture_passes(capsys: pytest.CaptureFixture[str]) -> None:
    status, lines, _ = _check(capsys, str(GOOD))
    assert status == 0
    assert all(": warning: " in line for line in lines)


def test_missing_folder_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = _check(capsys, str(tmp_path / "nope"))
    assert status == 2
    assert err.strip() == f"{(tmp_path / 'nope').as_posix()}: error: no such content folder"


def test_check_as_a_subprocess() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "check", "--format", "json", str(BROKEN)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    data = json.loads(done.stdout)
    assert [d["code"] for d in data["diagnostics"]] == [code for *_, code in EXPECTED_FILES]
