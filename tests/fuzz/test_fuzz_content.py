"""Mutated content files: the loader never raises, and every error it reports names `path:line:col`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.properties import ContentCopy, Mutation, check_yaml, content_copy, mutations


@pytest.fixture(scope="module")
def copy() -> Iterator[ContentCopy]:
    """A small copy of the shipped content, restored after each example."""
    with content_copy() as made:
        yield made


def test_mutated_content_files(copy: ContentCopy) -> None:
    @settings(
        max_examples=60,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(relative=st.sampled_from(copy.files), changes=st.lists(mutations, min_size=1, max_size=3))
    def damaged(relative: str, changes: list[Mutation]) -> None:
        check_yaml(copy, relative, changes)

    damaged()
