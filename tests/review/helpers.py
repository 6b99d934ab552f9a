"""What the review tests share: a copy of the shipped content and catalogs, the CLI, a reviewer filling rows."""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
import tarfile
from pathlib import Path

from openpyxl import load_workbook

from bot.cli import main
from bot.review import export

ROOT = Path(__file__).resolve().parents[2]


def copy_project(tmp_path: Path) -> tuple[Path, Path]:
    """(content, locales) copied into `tmp_path`: as last committed when this is a git checkout (files being
    edited meanwhile do not disturb the test), else as they are."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", "HEAD", "content", "locales"],
        capture_output=True,
        check=False,
    )
    if archive.returncode == 0:
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(tmp_path, filter="data")
    else:
        shutil.copytree(ROOT / "content", tmp_path / "content")
        shutil.copytree(ROOT / "locales", tmp_path / "locales")
    return tmp_path / "content", tmp_path / "locales"


def review(tmp_path: Path, *args: str) -> int:
    """Run `python -m bot review ...` on the copy in `tmp_path`."""
    folders = ["--content-dir", str(tmp_path / "content"), "--locales-dir", str(tmp_path / "locales")]
    return main(["review", *folders, *args])


def snapshot(*folders: Path) -> dict[str, str]:
    """The hash of every file under `folders`, by path."""
    return {
        str(path): hashlib.sha256(path.read_bytes()).hexdigest()
        for folder in folders
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def rows(book_path: Path) -> dict[str, int]:
    """Spreadsheet row number of each text id."""
    sheet = load_workbook(book_path)[export.TEXTS_SHEET]
    return {str(sheet.cell(row, 1).value): row for row in range(2, sheet.max_row + 1)}


def cell(book_path: Path, text_id: str, column: int) -> str:
    """One cell of a text's row (columns as in bot.review.export)."""
    sheet = load_workbook(book_path)[export.TEXTS_SHEET]
    return str(sheet.cell(rows(book_path)[text_id], column + 1).value or "")


def fill(book_path: Path, verdicts: dict[str, tuple[str, str | None]], output: Path | None = None) -> Path:
    """A reviewer's work: {text id: (verdict, corrected text or None)} written into the spreadsheet."""
    book = load_workbook(book_path)
    sheet = book[export.TEXTS_SHEET]
    where = {str(sheet.cell(row, 1).value): row for row in range(2, sheet.max_row + 1)}
    for text_id, (verdict, corrected) in verdicts.items():
        sheet.cell(where[text_id], export.VERDICT + 1, verdict)
        if corrected is not None:
            sheet.cell(where[text_id], export.CORRECTED + 1, corrected)
    target = output or book_path
    book.save(target)
    return target


def fill_all(book_path: Path, verdict: str) -> Path:
    """Every row given the same verdict."""
    book = load_workbook(book_path)
    sheet = book[export.TEXTS_SHEET]
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row, export.VERDICT + 1, verdict)
    book.save(book_path)
    return book_path
