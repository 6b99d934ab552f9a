"""The features the content engine serves, plugged in from one place: each adds its document and node types.

The content engine (`bot.content`) imports no feature. Whatever wires the bot (the CLI, `bootstrap.load_live`,
`app.build_application`, the test suite) calls `install()` once before loading content; a new feature adds one
line to `_registrations` and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.content.types import (
    DocumentType,
    NodeType,
    PageAddition,
    register_document_type,
    register_node_type,
    register_page_addition,
)

_installed = False


def _registrations() -> tuple[DocumentType | NodeType | PageAddition, ...]:
    """Every feature's types, imported here so that importing `bot.features` alone stays cheap."""
    from bot.broadcasts.registry import BROADCASTS, TOPICS
    from bot.campaigns.registry import CAMPAIGNS
    from bot.cautions.registry import CAUTIONS, PAGE_CAUTIONS
    from bot.handoff.registry import HANDOFF
    from bot.helplines.registry import EMERGENCY_WORDS, HELPLINES, LIKELY_COUNTRIES
    from bot.licences.registry import LICENCE_CHECKS, PAGE_LICENCES
    from bot.offers.registry import OFFER_CHECK, OFFER_SIGNS, OFFER_WORDS
    from bot.quiz.registry import QUIZ
    from bot.review.registry import REVIEWS

    return (
        HELPLINES,
        EMERGENCY_WORDS,
        LIKELY_COUNTRIES,
        CAMPAIGNS,
        QUIZ,
        TOPICS,
        BROADCASTS,
        HANDOFF,
        CAUTIONS,
        PAGE_CAUTIONS,
        LICENCE_CHECKS,
        PAGE_LICENCES,
        OFFER_SIGNS,
        OFFER_WORDS,
        OFFER_CHECK,
        REVIEWS,
    )


def install() -> None:
    """Register every feature's content types (idempotent)."""
    global _installed
    if _installed:
        return
    register: dict[type, Callable[..., object]] = {
        DocumentType: register_document_type,
        NodeType: register_node_type,
        PageAddition: register_page_addition,
    }
    for found in _registrations():
        register[type(found)](found)
    _installed = True
