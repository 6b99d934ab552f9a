"""campaigns.yaml checks: each problem at its exact file:line:col, and the shipped examples are valid."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.callbacks import MAX_BYTES, Header, Open, encode
from bot.campaigns import campaigns_of
from bot.campaigns.model import CODE_MAX
from bot.cli import main
from bot.config import PROJECT_ROOT
from bot.content.loader import load_content

GOOD = PROJECT_ROOT / "tests" / "fixtures" / "good"  # locales en, my; nodes about, topics, topics/fees ...

BROKEN = """\
campaigns:
  - code: good-one
    partner: Fine NGO
    locale: my
    landing: topics/fees
    from: 2026-01-01
    until: 2026-12-31
  - code: Bad_Code
    partner: X
    locale: en
  - code: seventeen-chars-x
    partner: X
    locale: en
  - code: good-one
    partner: Y
    locale: en
  - code: no-locale
    partner: Z
  - code: bad-locale
    partner: Z
    locale: th
  - code: bad-landing
    partner: Z
    locale: en
    landing: topics/nothing
  - code: bad-date
    partner: Z
    locale: en
    from: 2026-02-30
  - code: reversed
    partner: Z
    locale: en
    from: 2026-05-01
    until: 2026-04-01
  - code: c-token
    partner: Z
    locale: en
  - code: my
    partner: Z
    locale: en
  - code: extra
    partner: Z
    locale: en
    colour: red
  - code: sixteen-chars-ok
    partner: Z
    locale: en
"""

EXPECTED = [
    (8, 11, "bad-code"),  # Bad_Code: capitals and _
    (11, 11, "bad-code"),  # 17 characters
    (14, 11, "duplicate-id"),  # good-one again
    (17, 5, "missing-field"),  # no locale
    (21, 13, "unknown-locale"),  # th is not enabled in this content
    (25, 14, "dangling-reference"),  # no such node
    (29, 11, "bad-date"),  # 30 February
    (34, 12, "bad-date"),  # until before from
    (35, 11, "bad-code"),  # looks like a deep-link token
    (38, 11, "bad-code"),  # a locale code
    (44, 5, "unknown-key"),
]


def content_with(tmp_path: Path, campaigns: str) -> Path:
    """A copy of the small good fixture with this campaigns.yaml."""
    directory = tmp_path / "content"
    shutil.copytree(GOOD, directory)
    (directory / "campaigns.yaml").write_text(campaigns, encoding="utf-8")
    return directory


def test_every_problem_is_reported_at_its_position(tmp_path: Path) -> None:
    result = load_content(content_with(tmp_path, BROKEN))
    assert result.content is None
    found = [(d.line, d.col, d.code) for d in result.report.errors if d.path == "campaigns.yaml"]
    assert found == EXPECTED
    assert [d for d in result.report.errors if d.path != "campaigns.yaml"] == []


def test_check_prints_file_line_col(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    directory = content_with(tmp_path, BROKEN)
    assert main(["check", str(directory)]) == 1
    printed = capsys.readouterr()
    lines = [
        line for line in (printed.out + printed.err).splitlines() if "campaigns.yaml" in line and ": error: " in line
    ]
    assert [line.split(": error: ")[0] for line in lines] == [
        f"{directory}/campaigns.yaml:{line}:{col}" for line, col, _ in EXPECTED
    ]
    assert lines[0].endswith(
        "code 'Bad_Code' must be 1-16 characters of a-z, 0-9 and '-', starting with a letter "
        "or digit (it is in every button) [bad-code]"
    )
    assert lines[5] == (
        f"{directory}/campaigns.yaml:25:14: error: bad-landing: landing 'topics/nothing' is not a node id of en/ "
        "[dangling-reference]"
    )


def test_a_valid_file_loads_with_its_fields(tmp_path: Path) -> None:
    result = load_content(content_with(tmp_path, BROKEN.split("  - code: Bad_Code")[0]))
    assert result.content is not None, [str(d) for d in result.report.errors]
    (campaign,) = campaigns_of(result.content).items
    assert (campaign.code, campaign.partner, campaign.locale, campaign.landing) == (
        "good-one",
        "Fine NGO",
        "my",
        "topics/fees",
    )
    assert (str(campaign.active_from), str(campaign.active_until)) == ("2026-01-01", "2026-12-31")


def test_no_campaigns_file_means_no_campaigns() -> None:
    result = load_content(GOOD)
    assert result.content is not None
    assert campaigns_of(result.content).items == ()


def test_the_longest_code_fits_every_button_of_the_shipped_content() -> None:
    result = load_content(PROJECT_ROOT / "content")
    assert result.content is not None, [str(d) for d in result.report.errors]
    content = result.content
    longest_key = max(content.keys, key=len)
    longest_locale = max(content.locales, key=len)
    data = encode(Header(longest_locale, "x" * CODE_MAX), Open(longest_key, 9999))
    assert len(data.encode()) <= MAX_BYTES


def test_shipped_campaigns_are_examples_landing_on_real_nodes() -> None:
    result = load_content(PROJECT_ROOT / "content")
    assert result.content is not None, [str(d) for d in result.report.errors]
    content = result.content
    campaigns = campaigns_of(content).items
    assert len(campaigns) >= 3
    for campaign in campaigns:
        assert campaign.code.startswith("example-")
        assert campaign.landing in content.nodes
        assert campaign.locale in content.locales


def _found(tmp_path: Path, campaigns: str) -> list[tuple[int, int, str, str]]:
    result = load_content(content_with(tmp_path, campaigns))
    return [(d.line, d.col, d.severity.value, d.code) for d in result.report.items if d.path == "campaigns.yaml"]


def test_every_problem_of_one_entry_is_reported(tmp_path: Path) -> None:
    found = _found(
        tmp_path,
        """\
campaigns:
  - code: two-problems
    partner: X
    locale: en
    from: 2026-13-01
    landing: nope
  - code: c-foo
    partner: X
    locale: fa-AF
  - code: C-Bad_one
    partner: [not, text]
    locale: th
    landing: nowhere
    until: 2026-02-30
""",
    )
    assert sorted(found) == [
        (5, 11, "error", "bad-date"),
        (6, 14, "error", "dangling-reference"),
        (7, 11, "error", "bad-code"),  # starts with c-
        (9, 13, "error", "unknown-locale"),
        (10, 11, "error", "bad-code"),  # capitals and _
        (11, 14, "error", "wrong-type"),
        (12, 13, "error", "unknown-locale"),
        (13, 14, "error", "dangling-reference"),
        (14, 12, "error", "bad-date"),
    ]


def test_a_locale_in_another_spelling_gets_a_suggestion(tmp_path: Path) -> None:
    directory = content_with(tmp_path, "campaigns:\n  - code: radio\n    partner: X\n    locale: MY\n")
    (message,) = [d.message for d in load_content(directory).report.errors]
    assert message == "radio: locale 'MY' is not enabled in bot.yaml (enabled: en, my); did you mean 'my'?"


@pytest.mark.parametrize(("written", "code"), [("2026", "2026"), ("0123", "0123"), ("2026-01-05", "2026-01-05")])
def test_an_unquoted_number_is_taken_as_written(tmp_path: Path, written: str, code: str) -> None:
    directory = content_with(tmp_path, f"campaigns:\n  - code: {written}\n    partner: 2026\n    locale: en\n")
    result = load_content(directory)
    assert result.content is not None, [str(d) for d in result.report.errors]
    (campaign,) = campaigns_of(result.content).items
    assert (campaign.code, campaign.partner) == (code, "2026")
    assert campaigns_of(result.content).get(code) is campaign


def test_a_code_that_is_not_text_says_how_to_write_it(tmp_path: Path) -> None:
    directory = content_with(tmp_path, "campaigns:\n  - code: [2026]\n    partner: X\n    locale: en\n")
    (error,) = load_content(directory).report.errors
    assert error.code == "wrong-type"
    assert "code must be text, on one line (put it in quotes if in doubt: code: '...')" in error.message


ENDING = """\
campaigns:
  - code: finished
    partner: X
    locale: en
    until: 2026-06-30
  - code: last-day
    partner: X
    locale: en
    until: 2026-07-01
  - code: open
    partner: X
    locale: en
"""


def test_an_ended_campaign_is_kept_quietly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Its entry must stay so old posters land on the right page; `links` warns before printing new ones."""
    directory = content_with(tmp_path, ENDING)
    result = load_content(directory)
    assert result.content is not None
    assert not [d for d in result.report.items if d.path == "campaigns.yaml"]
    assert main(["check", str(directory)]) == 0
    printed = capsys.readouterr()
    assert "campaigns.yaml" not in printed.out + printed.err, "check --strict must not start failing by the calendar"
