"""The cautions document and its page addition; registered by bot.features."""

from __future__ import annotations

from bot.cautions import document, render
from bot.content.types import DocumentType, PageAddition

CAUTIONS: DocumentType = DocumentType(
    document.NAME,
    "Safe-first cautions: for which readers (locale, origin), before which advice (police, embassy), on which help "
    "cards and pages, in every locale, with sources.",
    document.parse_cautions,
    document.check_cautions,
    document.SCHEMA,
)
PAGE_CAUTIONS: PageAddition = PageAddition(
    "cautions", "The cautions a page is listed under, above its text.", render.page_cautions
)
