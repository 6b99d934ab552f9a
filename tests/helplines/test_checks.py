"""`python -m bot check` on the helpline directory: numbers, URLs, sources, staleness, and content numbers."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import phonenumbers

from bot.content.loader import load_content
from bot.helplines.model import Directory
from tests.botfixtures import SHIPPED_CONTENT

GOOD_ENTRY = """
  - id: xx-line
    country: MY
    organisation: Test organisation
    name: {en: Test line}
    purposes: [trafficking]
    contacts:
      - phone: "03-8000 8000"
    source_title: Test source
    source_url: https://example.org/page
    source_date: 2026-01
    verified_on: VERIFIED
    confidence: H
"""


def _tree(tmp_path: Path, entry: str) -> Path:
    root = tmp_path / "content"
    (root / "en").mkdir(parents=True)
    (root / "bot.yaml").write_text("default_locale: en\nlocales: [en]\n")
    (root / "en" / "_menu.yaml").write_text("title: Home\nintro: Hello.\n")
    (root / "helplines.yaml").write_text(
        'emergency:\n  MY: {number: "999", confidence: M, source_title: test}\nhelplines:\n' + entry
    )
    return root


def _diagnostics(tmp_path: Path, entry: str) -> list[str]:
    return [str(d) for d in load_content(_tree(tmp_path, entry)).report.items]


def test_a_good_entry_loads(tmp_path: Path) -> None:
    recent = date.today().strftime("%Y-%m")
    result = load_content(_tree(tmp_path, GOOD_ENTRY.replace("VERIFIED", recent)))
    assert result.content is not None, [str(d) for d in result.report.items]
    assert not [d for d in result.report.items if "helplines" in d.path]


def test_a_stale_entry_is_a_warning(tmp_path: Path) -> None:
    root = _tree(tmp_path, GOOD_ENTRY.replace("VERIFIED", "2020-01"))
    result = load_content(root)
    assert result.content is not None
    stale = [d for d in result.report.warnings if d.code == "stale-helpline"]
    assert len(stale) == 1
    lines = (root / "helplines.yaml").read_text().splitlines()
    line = next(n for n, text in enumerate(lines, start=1) if "verified_on" in text)
    assert str(stale[0]).startswith(f"helplines.yaml:{line}:1: warning:"), "points at verified_on"


def test_a_stale_entry_fails_check_strict(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    import argparse

    from bot.cli.check import add_arguments, run

    parser = argparse.ArgumentParser()
    add_arguments(parser)
    root = _tree(tmp_path, GOOD_ENTRY.replace("VERIFIED", "2020-01"))
    assert run(parser.parse_args([str(root)])) == 0
    assert run(parser.parse_args([str(root), "--strict"])) == 1
    assert "stale-helpline" in capsys.readouterr().out


def test_max_age_comes_from_the_setting(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("HELPLINE_MAX_AGE_DAYS", "100000")
    result = load_content(_tree(tmp_path, GOOD_ENTRY.replace("VERIFIED", "2020-01")))
    assert not [d for d in result.report.warnings if d.code == "stale-helpline"]


def test_bad_entries_are_errors_with_positions(tmp_path: Path) -> None:
    entry = GOOD_ENTRY.replace("VERIFIED", "2026-11")
    cases = {
        "bad-phone": entry.replace('"03-8000 8000"', '"03-8000 80"'),
        "bad-url": entry.replace("https://example.org/page", "http://example.org/page"),
        "missing-source": entry.replace("    source_url: https://example.org/page\n", ""),
        "bad-country": entry.replace("country: MY", "country: XY"),
        "bad-confidence": entry.replace("confidence: H", "confidence: X"),
    }
    for code, text in cases.items():
        found = _diagnostics(tmp_path / code, text)
        errors = [d for d in found if f"[{code}]" in d and ": error:" in d]
        assert errors, (code, found)
        assert re.match(r"helplines\.yaml:\d+:\d+: error:", errors[0]), errors[0]


def test_short_codes_and_unvalidated_numbers(tmp_path: Path) -> None:
    entry = GOOD_ENTRY.replace("VERIFIED", "2026-11")
    short = entry.replace('- phone: "03-8000 8000"', '- short_code: "1343"')
    assert load_content(_tree(tmp_path / "a", short)).content is not None
    wrong_cc = entry.replace('- phone: "03-8000 8000"', '- short_code: "+82-1345"')
    assert any("[bad-phone]" in d for d in _diagnostics(tmp_path / "b", wrong_cc))
    no_note = entry.replace('- phone: "03-8000 8000"', '- phone: "0800-1000"\n        validated: false')
    assert any("[missing-field]" in d for d in _diagnostics(tmp_path / "c", no_note))


def test_shipped_content_passes_and_every_entry_has_a_source() -> None:
    result = load_content(SHIPPED_CONTENT)
    assert result.content is not None
    assert not [d for d in result.report.errors]
    directory = result.content.documents["helplines"]
    assert isinstance(directory, Directory)
    assert len(directory.helplines) == 39, "the reference's rows (the Gulf included) and lines read on official pages"
    for entry in directory.helplines:
        assert entry.source_url.startswith("https://") and entry.source_title and entry.confidence
        assert "not dialled" in entry.note or "stored copy" in entry.note


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def unknown_numbers(root: Path) -> list[str]:
    """Phone-like numbers in the content files of `root` that no sourced helpline entry or emergency number has."""
    result = load_content(root)
    assert result.content is not None
    directory = result.content.documents["helplines"]
    known: set[str] = set()
    for entry in directory.helplines:
        assert entry.source_url and entry.source_title
        for contact in entry.contacts:
            known |= {_digits(contact.value), _digits(contact.display)}
            if contact.value.startswith("+"):
                parsed = phonenumbers.parse(contact.value)
                known |= {str(parsed.national_number), "0" + str(parsed.national_number)}
    known |= {number.number for number in directory.emergency.values()}
    known |= {other.number for number in directory.emergency.values() for other in number.also}
    pattern = re.compile(r"(?<![\w.])\+?\(?\d[\d ()-]{1,16}\d(?![\w.])")
    problems = []
    for path in sorted(root.rglob("*.yaml")):
        if path.name in ("helplines.yaml", "bot.yaml", "campaigns.yaml"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.lstrip().startswith(("source:", "- title:", "url:", "title:", "no_url:")):
                continue
            for found in pattern.findall(line):
                digits = _digits(found)
                if len(digits) < 3 or re.fullmatch(r"(19|20)\d\d", digits) or digits in known:
                    continue
                if re.fullmatch(r"(19|20)\d\d-[01]\d(-[0-3]\d)?", found.strip()):  # a date (sources, read on)
                    continue
                if len(digits) <= 4 and not found.startswith(("+", "(")):
                    continue  # counts and years ("3 months", "2019"), not phone numbers
                problems.append(f"{path.relative_to(root)}:{number}: {found}")
    return problems


def test_every_phone_number_in_the_content_is_a_sourced_helpline() -> None:
    problems = unknown_numbers(SHIPPED_CONTENT)
    assert not problems, "numbers in pages that no sourced helpline entry has:\n" + "\n".join(problems)


def test_a_number_in_a_page_that_is_not_a_helpline_is_caught(tmp_path: Path) -> None:
    root = tmp_path / "c"
    shutil.copytree(SHIPPED_CONTENT, root)
    page = root / "en" / "your-rights" / "embassy.yaml"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("body: |\n", "body: |\n  Call 0812 3456 7890 or 1343.\n", 1), encoding="utf-8")
    assert unknown_numbers(root) == ["en/your-rights/embassy.yaml:3: 0812 3456 7890"]
