"""A broken catalog entry never reaches users: it is dropped at load, reported with file, line and key, and
`python -m bot check` fails on it. `UI.t` never raises, whatever the catalogs hold."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest

from bot.catalogs import ADVISORY, CatalogError, read_catalogs
from bot.cli import main
from bot.config import PROJECT_ROOT
from bot.content.diagnostics import Severity
from bot.i18n import UI, Catalogs

CHAINS = {"en": ("en",), "id": ("id", "en"), "fa_AF": ("fa_AF", "en")}
COUNTER = 'msgstr "Pertanyaan {current} dari {total}"'


@pytest.fixture
def locales(tmp_path: Path) -> Path:
    """A copy of the project's catalogs to break."""
    copy = tmp_path / "locales"
    shutil.copytree(PROJECT_ROOT / "locales", copy)
    return copy


def po(locales: Path, locale: str = "id") -> Path:
    return locales / locale / "LC_MESSAGES" / "messages.po"


def edit(path: Path, old: str, new: str) -> int:
    """Replace `old` (once) in the file; the 1-based line where `new` starts."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def problems(locales: Path, locales_to_read: tuple[str, ...] = ("en", "id")) -> list[str]:
    return [str(p) for p in read_catalogs(locales, locales_to_read, "en").problems]


def test_the_real_catalogs_have_no_problems() -> None:
    found = read_catalogs(PROJECT_ROOT / "locales", CHAINS, "en")
    assert not found.problems, [str(p) for p in found.problems]


def test_a_broken_placeholder_is_dropped_and_reported_with_file_line_and_key(locales: Path) -> None:
    line = edit(po(locales), COUNTER, 'msgstr "Pertanyaan {current} dari {total"')
    catalogs = Catalogs.load(locales, CHAINS, "en")
    assert "quiz.counter" not in catalogs.messages["id"]
    assert catalogs.ui("id").t("quiz.counter", current=2, total=5) == "Question 2 of 5"
    assert catalogs.ui("id").t("button.back") == "◀ Kembali"  # the rest of the catalog still serves
    [problem] = catalogs.problems
    assert (problem.path, problem.line, problem.severity, problem.code) == (
        po(locales).as_posix(),
        line,
        Severity.ERROR,
        "catalog-placeholder",
    )
    assert str(problem).startswith(f"{po(locales).as_posix()}:{line}: error: quiz.counter: not a valid text")
    assert "expected '}' before end of string" in str(problem)


@pytest.mark.parametrize(
    ("broken", "said"),
    [
        ("Pertanyaan {current} dari {totl}", "lacks {total}; has {totl} that English does not have"),
        ("Pertanyaan {current}", "lacks {total}"),
        ("Pertanyaan {current} dari {total} {current.__class__}", "has {current.__class__}"),
        ("Pertanyaan {current:>5} dari {total}", "has {current:>5}"),
        ("Pertanyaan {} dari {total}", "has {}"),
        ("Pertanyaan {current} dari total}", "Single '}' encountered"),
    ],
)
def test_a_translation_must_use_exactly_the_english_placeholders(locales: Path, broken: str, said: str) -> None:
    line = edit(po(locales), COUNTER, f'msgstr "{broken}"')
    catalogs = Catalogs.load(locales, CHAINS, "en")
    assert catalogs.ui("id").t("quiz.counter", current=1, total=3) == "Question 1 of 3"
    [problem] = [str(p) for p in catalogs.problems]
    assert problem.startswith(f"{po(locales).as_posix()}:{line}: error: quiz.counter: ")
    assert said in problem and problem.endswith("[catalog-placeholder]")


def test_doubled_braces_are_fine(locales: Path) -> None:
    edit(po(locales), COUNTER, 'msgstr "{{Pertanyaan}} {current} dari {total}"')
    catalogs = Catalogs.load(locales, CHAINS, "en")
    assert not catalogs.problems
    assert catalogs.ui("id").t("quiz.counter", current=1, total=3) == "{Pertanyaan} 1 dari 3"


def test_a_user_never_sees_an_exception_and_the_log_names_locale_and_key_but_not_values(
    caplog: pytest.LogCaptureFixture,
) -> None:
    broken = {"quiz.counter": "Pertanyaan {current} dari {total"}
    english = {"quiz.counter": "Question {current} of {total}"}
    ui = UI("id", (broken, english), rtl=False, chain_locales=("id", "en"))
    with caplog.at_level(logging.WARNING, logger="bot.i18n"):
        assert ui.t("quiz.counter", current="SECRET-1", total="SECRET-2") == "Question SECRET-1 of SECRET-2"
        # The code passing the wrong values, or no fallback that can be formatted: the key, never an exception.
        assert ui.t("quiz.counter", wrong="SECRET-3") == "quiz.counter"
        assert UI("id", (broken,), rtl=False).t("quiz.counter", current="SECRET-4", total=1) == "quiz.counter"
    logged = caplog.text
    assert "quiz.counter" in logged and "id" in logged
    assert "SECRET" not in logged


def test_check_exits_non_zero_and_prints_the_line(
    locales: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    line = edit(po(locales), COUNTER, 'msgstr "Pertanyaan {current} dari {total"')
    monkeypatch.setenv("LOCALES_DIR", str(locales))
    assert main(["check", str(PROJECT_ROOT / "content")]) == 1
    out, err = capsys.readouterr()
    expected = f"{po(locales).as_posix()}:{line}: error: quiz.counter: not a valid text with {{placeholders}}"
    [printed] = [row for row in out.splitlines() if "catalog-" in row and not any(c in row for c in ADVISORY)]
    assert printed.startswith(expected) and printed.endswith("[catalog-placeholder]")
    assert "1 error(s)" in err
    assert main(["check", "--format", "json", str(PROJECT_ROOT / "content")]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False and report["errors"] == 1
    [entry] = [d for d in report["diagnostics"] if d["code"].startswith("catalog-") and d["code"] not in ADVISORY]
    assert (entry["path"], entry["line"], entry["severity"]) == (po(locales).as_posix(), line, "error")


def test_check_passes_with_the_real_catalogs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LOCALES_DIR", str(PROJECT_ROOT / "locales"))
    assert main(["check", str(PROJECT_ROOT / "content")]) == 0
    out = capsys.readouterr().out
    assert not [row for row in out.splitlines() if "catalog-" in row and not any(c in row for c in ADVISORY)]


def test_catalog_warnings_follow_the_strict_rules(
    locales: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    line = edit(po(locales), 'msgid "page.counter"', '#, fuzzy\nmsgid "page.counter"')
    monkeypatch.setenv("LOCALES_DIR", str(locales))
    content = str(PROJECT_ROOT / "content")
    assert main(["check", content]) == 0
    assert f"messages.po:{line}: warning: page.counter: marked `#, fuzzy`" in capsys.readouterr().out
    allow = ["--allow", "campaign-ended"]  # the example campaign in content/ has ended; not what this is about
    assert main(["check", "--strict", *allow, content]) == 1
    assert main(["check", "--strict", *allow, "--allow", "catalog-fuzzy", content]) == 0


@pytest.mark.parametrize("line", [14, 56, 57, 193, 194])
def test_a_babel_parse_error_names_the_right_line(locales: Path, line: int) -> None:
    path = po(locales)
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[line - 1] = "garbage here"
    path.write_text("\n".join(lines), encoding="utf-8")
    [problem] = read_catalogs(locales, ("en", "id"), "en").unreadable
    assert str(problem) == (
        f"{path.as_posix()}:{line}: error: Unknown or misformatted keyword: 'garbage here' [catalog-syntax]"
    )
    with pytest.raises(CatalogError, match=rf"^{path.as_posix()}:{line}: error: Unknown or misformatted keyword"):
        Catalogs.load(locales, CHAINS, "en")


def test_an_unclosed_quote_drops_the_entry(locales: Path) -> None:
    # Babel would silently cut the last character off and serve `Pertanyaan {current} dari {total`.
    line = edit(po(locales), COUNTER, 'msgstr "Pertanyaan {current} dari {total}')
    catalogs = Catalogs.load(locales, CHAINS, "en")
    assert catalogs.ui("id").t("quiz.counter", current=1, total=3) == "Question 1 of 3"
    [problem] = [str(p) for p in catalogs.problems]
    assert problem.startswith(f"{po(locales).as_posix()}:{line}: error: quiz.counter: the text on this line")
    assert problem.endswith("[catalog-syntax]")


def test_a_fuzzy_entry_is_not_used_and_is_reported(locales: Path) -> None:
    line = edit(po(locales), 'msgid "page.counter"', '#, fuzzy\nmsgid "page.counter"')
    catalogs = Catalogs.load(locales, CHAINS, "en")
    assert catalogs.ui("id").t("page.counter", current=1, total=2) == "Part 1 of 2"
    assert [str(p) for p in catalogs.problems] == [
        f"{po(locales).as_posix()}:{line}: warning: page.counter: marked `#, fuzzy`, so it is not used and users "
        "get the fallback language instead; check the translation, then delete the `#, fuzzy` line [catalog-fuzzy]"
    ]


def test_obsolete_entries_for_keys_english_has_are_reported(locales: Path) -> None:
    line = edit(po(locales), 'msgid "page.counter"\nmsgstr', '#~ msgid "page.counter"\n#~ msgstr')
    with po(locales).open("a", encoding="utf-8") as handle:
        handle.write('\n#~ msgid "key.removed.from.english"\n#~ msgstr "Lama"\n')
    found = problems(locales)
    assert found == [
        f"{po(locales).as_posix()}:{line}: warning: page.counter: commented out with #~ although English has it, "
        "so users get the fallback language instead; remove the #~ marks [catalog-obsolete]"
    ]


def test_obsolete_entries_in_english_are_errors(locales: Path) -> None:
    line = edit(po(locales, "en"), 'msgid "help.text"\nmsgstr', '#~ msgid "help.text"\n#~ msgstr')
    english = po(locales, "en")
    text = english.read_text(encoding="utf-8").split("\n")
    index = line + 1  # 0-based: the continuation lines after `msgstr ""`; comment them out too
    assert text[index - 1] == '#~ msgstr ""'
    while text[index].startswith('"'):
        text[index] = "#~ " + text[index]
        index += 1
    english.write_text("\n".join(text), encoding="utf-8")
    found = read_catalogs(locales, ("en", "id"), "en").problems
    assert [(p.line, p.severity, p.code) for p in found] == [(line, Severity.ERROR, "catalog-obsolete")]
    assert "help.text: commented out with #~ in the English catalog" in found[0].message


def test_missing_keys_and_catalogs_are_warnings(locales: Path) -> None:
    edit(po(locales), 'msgid "page.counter"\nmsgstr "Bagian {current} dari {total}"\n', "")
    shutil.rmtree(locales / "fa_AF")
    found = problems(locales, ("en", "id", "fa_AF"))
    assert found == [
        f"{po(locales, 'fa_AF').as_posix()}: warning: fa_AF has no interface catalog: its users see the buttons "
        "and messages in the fallback language; start one with pybabel init (docs/translating.md) "
        "[catalog-missing]",
        f"{po(locales).as_posix()}: warning: page.counter: not translated yet, users get the fallback language "
        "instead [catalog-missing]",
    ]


def test_without_english_the_bot_does_not_start(locales: Path) -> None:
    shutil.rmtree(locales / "en")
    with pytest.raises(CatalogError, match="the default catalog is missing"):
        Catalogs.load(locales, CHAINS, "en")
    [problem] = read_catalogs(locales, ("en", "id"), "en").problems
    assert (problem.severity, problem.code) == (Severity.ERROR, "catalog-missing")
