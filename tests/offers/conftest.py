"""The shipped content's offer check, loaded once for the unit tests."""

from __future__ import annotations

import pytest

from bot.content.loader import load_content
from bot.content.model import Content
from bot.offers.match import Matcher, matcher_for
from tests.botfixtures import SHIPPED_CONTENT


@pytest.fixture(scope="session")
def shipped() -> Content:
    """The shipped content set."""
    result = load_content(SHIPPED_CONTENT)
    assert result.content is not None, [str(d) for d in result.report.errors]
    return result.content


@pytest.fixture(scope="session")
def matcher(shipped: Content) -> Matcher:
    """The matcher of the shipped signs and words."""
    found = matcher_for(shipped)
    assert found is not None
    return found
