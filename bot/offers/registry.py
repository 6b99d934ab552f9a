"""The job-offer check's document and node types; registered by bot.features."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.content.types import COMMON_FIELDS, DocumentType, Field, FieldKind, NodeType
from bot.offers import document
from bot.offers.model import SIGNS, WORDS

if TYPE_CHECKING:
    from bot.callbacks import Header
    from bot.content.model import Content, Node
    from bot.i18n import UI


def ask_screen(content: Content, ui: UI, header: Header, node: Node, page: int = 0) -> Any:
    """The screen an offer-check node opens with: forward or paste the advert here."""
    # Imported here: the screens build on bot.screens, which itself reads the registered types.
    from bot.offers.screens import ask_screen as screen

    return screen(content, ui, header, node)


OFFER_SIGNS: DocumentType = DocumentType(
    SIGNS,
    "The job-offer check's warning signs (kind, weight, sources), bands, pay thresholds, currencies, destinations.",
    document.parse_signs,
    document.check_signs,
    document.SIGNS_SCHEMA,
)
OFFER_WORDS: DocumentType = DocumentType(
    WORDS,
    "One locale's words for the job-offer check: per sign its title, explanation and words; destination names.",
    document.parse_words,
    document.check_words,
    document.WORDS_SCHEMA,
    folder=True,
)
OFFER_CHECK: NodeType = NodeType(
    "offer-check",
    "Is this offer real? A menu entry that asks for a job advert, forwarded or pasted, and checks it.",
    {
        **COMMON_FIELDS,
        "intro": Field(FieldKind.MARKUP, "How to send the advert, shown with the request.", translatable=True),
    },
    screen=ask_screen,
)
