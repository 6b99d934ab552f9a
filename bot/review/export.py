"""The reviewer's spreadsheet: one row per text of one language, most important first.

Sheet 1 says what to do, in the language itself and in English (the `review.sheet.*` strings of the interface
catalogs). Sheet 2 holds the texts: id, where it appears, the English, the translation, its status, then the
reviewer's columns (verdict, corrected text, note), then two hidden hashes that let the import notice an English
text that changed after the export. A hidden sheet remembers the language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties

from bot.catalogs import read_catalogs
from bot.i18n import is_rtl, native_name
from bot.review.state import Review
from bot.review.texts import RANK_NAMES, Text

TEXTS_SHEET = "Texts"
META_SHEET = "meta"
VERDICTS = ("ok", "changed", "unsure")
ONLY = ("unreviewed", "outdated", "all")
# (header, width in characters): fits a 1366-pixel laptop screen without scrolling sideways to the verdict.
COLUMNS = (
    ("id", 14),
    ("where it appears", 22),
    ("English", 42),
    ("translation now", 42),
    ("status", 14),
    ("verdict (ok / changed / unsure)", 12),
    ("corrected text", 42),
    ("note", 20),
    ("English hash", 12),
    ("translation hash", 12),
)
ID, WHERE, ENGLISH, TRANSLATION, STATUS, VERDICT, CORRECTED, NOTE, ENGLISH_HASH, TRANSLATION_HASH = range(10)
INSTRUCTIONS_KEYS = ("review.sheet.title", "review.sheet.instructions")


@dataclass(frozen=True, slots=True)
class Status:
    """How one text stands, as the spreadsheet and `review status` say it."""

    label: str
    reviewed: bool
    outdated: bool


def status(text: Text, state: Mapping[str, Review]) -> Status:
    """The status of `text` given the recorded sign-offs."""
    review = state.get(text.id)
    if text.outdated:
        return Status("outdated: English changed since translated", False, True)
    if review is not None and review.covers(text):
        return Status(f"reviewed ({review.by}, {review.date})", True, False)
    if review is not None and review.english != text.english_hash:
        return Status("English changed since reviewed", False, True)
    if review is not None:
        return Status("translation edited since reviewed", False, False)
    return Status("unreviewed", False, False)


def chosen(texts: Sequence[Text], state: Mapping[str, Review], only: str) -> list[Text]:
    """The texts `--only` asks for."""
    if only == "all":
        return list(texts)
    if only == "outdated":
        return [text for text in texts if status(text, state).outdated]
    return [text for text in texts if not status(text, state).reviewed]


def _instructions(locales_dir: Path, locale: str, default_locale: str) -> list[tuple[str, str]]:
    """(title, instructions) in the language, then in English."""
    messages = read_catalogs(locales_dir, [locale], default_locale).messages
    found = []
    for code in dict.fromkeys((locale, default_locale)):
        texts = messages.get(code, {})
        english = messages.get(default_locale, {})
        title, body = (texts.get(key) or english.get(key, "") for key in INSTRUCTIONS_KEYS)
        found.append((title, body))
    return found


def _lines(text: Text) -> int:
    """About how many lines the row needs in its widest wrapped column (spreadsheets do not always work it out)."""
    needed = 1
    for value, column in ((text.english, ENGLISH), (text.translation, TRANSLATION), (text.where, WHERE)):
        width = COLUMNS[column][1]
        needed = max(needed, sum(max(1, -(-len(line) // width)) for line in value.split("\n")))
    return min(needed, 20)


def write_workbook(
    texts: Sequence[Text],
    state: Mapping[str, Review],
    locale: str,
    default_locale: str,
    locales_dir: Path,
    output: Path,
    today: date,
) -> int:
    """Write the spreadsheet of `texts`; the number of rows."""
    book = Workbook()
    about = book.active
    assert about is not None
    about.title = "Read me"
    about.column_dimensions["A"].width = 72
    about.page_setup.fitToWidth = 1
    about.page_setup.fitToHeight = 0
    about.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    row = 1
    for title, body in _instructions(locales_dir, locale, default_locale):
        about.cell(row, 1, title).font = Font(bold=True, size=14)
        row += 1
        cell = about.cell(row, 1, body.replace("{language}", native_name(locale)))
        cell.alignment = Alignment(wrap_text=True, vertical="top", readingOrder=2 if is_rtl(locale) else 0)
        about.row_dimensions[row].height = 16 * sum(max(1, -(-len(line) // 62)) for line in body.split("\n")) + 8
        row += 2
    about.cell(row, 1, f"{native_name(locale)} ({locale}) · {len(texts)} texts · exported {today.isoformat()}")

    sheet = book.create_sheet(TEXTS_SHEET)
    header_fill = PatternFill("solid", fgColor="DDE7F0")
    yours_fill = PatternFill("solid", fgColor="FFF5CC")
    for column, (name, width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(1, column, name)
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = wrap
        sheet.column_dimensions[cell.column_letter].width = width
    for column in (ENGLISH_HASH, TRANSLATION_HASH):
        sheet.column_dimensions[sheet.cell(1, column + 1).column_letter].hidden = True
    sheet.freeze_panes = "C2"  # the header and the id and place stay in view
    right_to_left = Alignment(wrap_text=True, vertical="top", readingOrder=2)
    rank = -1
    for number, text in enumerate(texts, start=2):
        values = [
            text.id,
            text.where if text.rank == rank else f"[{RANK_NAMES[text.rank]}] {text.where}",
            text.english,
            text.translation,
            status(text, state).label,
            None,
            None,
            None,
            text.english_hash,
            text.translation_hash,
        ]
        rank = text.rank
        sheet.row_dimensions[number].height = 15 * _lines(text)
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(number, column, value)
            cell.alignment = right_to_left if column - 1 in (TRANSLATION, CORRECTED) and is_rtl(locale) else wrap
            if column - 1 in (VERDICT, CORRECTED, NOTE):
                cell.fill = yours_fill
    # Printed (or saved as PDF) the texts fit the page's width, landscape, the header on every page.
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = "1:1"
    last = len(texts) + 1
    if texts:
        verdicts = DataValidation(type="list", formula1='"' + ",".join(VERDICTS) + '"', allow_blank=True)
        verdicts.error = "ok, changed or unsure"
        sheet.add_data_validation(verdicts)
        verdicts.add(f"F2:F{last}")
        sheet.auto_filter.ref = f"A1:H{last}"
    meta = book.create_sheet(META_SHEET)
    meta.append(["locale", locale])
    meta.append(["exported", today.isoformat()])
    meta.sheet_state = "hidden"
    output.parent.mkdir(parents=True, exist_ok=True)
    book.save(output)
    return len(texts)
