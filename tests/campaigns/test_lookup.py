"""Campaign lookup for deep links: attributed only within the active dates, landing the same way always."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.campaigns import campaign_lookup
from bot.content.loader import load_content
from bot.content.model import Content
from bot.deeplinks import StartRequest, parse_payload
from tests.campaigns.test_document import content_with

CAMPAIGNS = """\
campaigns:
  - code: spring
    partner: Spring NGO
    locale: my
    landing: topics/fees
    from: 2026-03-01
    until: 2026-05-31
  - code: always
    partner: Open NGO
    locale: en
"""


@pytest.fixture
def content(tmp_path: Path) -> Content:
    result = load_content(content_with(tmp_path, CAMPAIGNS))
    assert result.content is not None, [str(d) for d in result.report.errors]
    return result.content


@pytest.mark.parametrize(
    ("day", "attributed"),
    [
        (date(2026, 2, 28), None),
        (date(2026, 3, 1), "spring"),
        (date(2026, 5, 31), "spring"),
        (date(2026, 6, 1), None),
    ],
)
def test_attributed_only_within_the_dates(content: Content, day: date, attributed: str | None) -> None:
    request = parse_payload("spring", content, campaign_lookup(lambda: day))
    assert request == StartRequest(locale="my", node_id="topics/fees", campaign=attributed or "")


def test_open_ended_campaign_and_token_forms(content: Content) -> None:
    lookup = campaign_lookup(lambda: date(2030, 1, 1))
    assert parse_payload("always", content, lookup) == StartRequest("en", None, "always")
    assert parse_payload("c-spring_l-en", content, campaign_lookup(lambda: date(2026, 4, 1))) == StartRequest(
        "en", "topics/fees", "spring"
    )
    assert parse_payload("SPRING", content, lookup).node_id == "topics/fees"  # a code typed in capitals
    assert parse_payload("c-nothing", content, lookup) == StartRequest()
    assert parse_payload("my", content, lookup) == StartRequest(locale="my")  # bare locales still work
