"""The licence-checks document and its page addition; registered by bot.features."""

from __future__ import annotations

from bot.content.types import DocumentType, PageAddition
from bot.licences import document, screens

LICENCE_CHECKS: DocumentType = DocumentType(
    document.NAME,
    "Where to check a recruitment agency's licence, per country: the official lookup with its source and grade, "
    "or the authority to ask; shown under the 'check a recruiter' page for the reader's country.",
    document.parse_licence_checks,
    document.check_licence_checks,
    document.SCHEMA,
)
PAGE_LICENCES: PageAddition = PageAddition(
    "licence-checks",
    "The reader's country's licence check under the page licence-checks.yaml names.",
    screens.page_licences,
)
