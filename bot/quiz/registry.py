"""The quiz node type; registered by bot.features."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.content.types import COMMON_FIELDS, Field, FieldKind, NodeType
from bot.quiz import content

if TYPE_CHECKING:
    from bot.callbacks import Header
    from bot.content.model import Content, Node
    from bot.i18n import UI


def first_question(content_: Content, ui: UI, header: Header, node: Node, page: int = 0) -> Any:
    """The screen a quiz node opens with: its intro and first question."""
    # Imported here: the quiz screens build on bot.screens, which itself reads the registered types.
    from bot.quiz.screens import quiz_screen

    return quiz_screen(content_, ui, header, node, ())


QUIZ: NodeType = NodeType(
    "quiz",
    "A self-check: questions answered one at a time, scored into result bands with guidance and helplines.",
    {
        **COMMON_FIELDS,
        "intro": Field(FieldKind.MARKUP, "Text shown above the first question.", translatable=True),
        "questions": Field(
            FieldKind.CUSTOM,
            "The questions: id, text, why, and the points of each answer (if_yes, if_no, if_not_sure) "
            "or choices (label, weight). Translations give id, text, why (and choice labels) only.",
            required=True,
            translatable=True,
            schema=content.QUESTIONS_SCHEMA,
        ),
        "bands": Field(
            FieldKind.CUSTOM,
            "The results by score: id, min (and optionally max), help purposes, title, guidance. "
            "Translations give id, title and guidance only.",
            required=True,
            translatable=True,
            schema=content.BANDS_SCHEMA,
        ),
    },
    parse_structure=content.parse_structure,
    parse_text=content.parse_text,
    check=content.check_quiz,
    screen=first_question,
)
