"""Apply reviewers' verdicts: corrected texts written into the YAML or the catalog, sign-offs recorded.

The spreadsheet import (`python -m bot review import`) and the review preview (`preview --review`) both end in
`apply_verdicts`. A verdict is refused, with the reason, when the English changed since the reviewer read it, when
the translation was edited by someone else meanwhile, or when the corrected text breaks a check (markup, length,
placeholders); the others are applied. Only the files that verdicts touch are read and written: a YAML file
through ruamel.yaml (comments, key order and layout kept), the catalog one `msgstr` at a time.
"""

from __future__ import annotations

import difflib
import os
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from babel.messages.pofile import escape
from openpyxl import load_workbook

from bot.catalogs import template_problem
from bot.content import markup
from bot.content.loader import load_content
from bot.content.types import TITLE_MAX
from bot.review import export
from bot.review.state import Review, read_state, review_path, updated_text
from bot.review.texts import Paragraphs, Text, collect, digest
from bot.review.yamledit import LayoutError, dump, get, round_trip, set_value, styled


class ImportError_(Exception):  # `ImportError` is Python's own
    """The file cannot be imported at all (not one of our spreadsheets, content with errors)."""


@dataclass(frozen=True, slots=True)
class Verdict:
    """What a reviewer said about one text, with the hashes of what they saw."""

    id: str
    verdict: str  # "ok", "changed", "unsure" or ""
    corrected: str
    english_hash: str
    translation_hash: str
    row: int = 0  # the spreadsheet row, for the report (0 from the preview)


@dataclass(slots=True)
class Outcome:
    """What an import did (or, with dry_run, would do)."""

    approved: list[str] = field(default_factory=list)  # text ids signed off (as they were or corrected)
    changed: list[str] = field(default_factory=list)  # text ids whose translation was corrected
    unsure: list[str] = field(default_factory=list)
    refused: list[tuple[Verdict, str]] = field(default_factory=list)  # (verdict, why)
    files: dict[Path, tuple[str, str]] = field(default_factory=dict)  # path -> (before, after)

    def diff(self, root: Path) -> str:
        """A unified diff of every file changed, paths relative to `root` when inside it."""
        chunks: list[str] = []
        for path, (before, after) in sorted(self.files.items()):
            try:
                shown = path.relative_to(root).as_posix()
            except ValueError:
                shown = path.as_posix()
            chunks.extend(
                difflib.unified_diff(
                    before.splitlines(keepends=True),
                    after.splitlines(keepends=True),
                    f"a/{shown.lstrip('/')}",
                    f"b/{shown.lstrip('/')}",
                )
            )
        return "".join(chunks)


def normalized(text: str | None) -> str:
    """A cell's text as it would be written: Windows line ends and trailing spaces gone, no outer blank lines."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip("\n")


def read_workbook(path: Path) -> tuple[str, list[Verdict]]:
    """The locale and the verdicts of an exported spreadsheet (rows with neither verdict nor text are left out)."""
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a file that is not a workbook
        raise ImportError_(f"{path}: not a spreadsheet this command can read ({exc.__class__.__name__})") from None
    if export.TEXTS_SHEET not in book.sheetnames or export.META_SHEET not in book.sheetnames:
        raise ImportError_(f"{path}: not a review spreadsheet (make one with `python -m bot review export`)")
    meta = {str(row[0]): str(row[1]) for row in book[export.META_SHEET].iter_rows(values_only=True) if row[0]}
    verdicts = []
    for number, row in enumerate(book[export.TEXTS_SHEET].iter_rows(min_row=2, values_only=True), start=2):
        cells = [("" if value is None else str(value)) for value in row] + [""] * len(export.COLUMNS)
        verdict = cells[export.VERDICT].strip().lower()
        corrected = cells[export.CORRECTED]
        if not cells[export.ID] or (not verdict and not corrected.strip()):
            continue
        verdicts.append(
            Verdict(
                cells[export.ID].strip(),
                verdict,
                corrected,
                cells[export.ENGLISH_HASH].strip(),
                cells[export.TRANSLATION_HASH].strip(),
                number,
            )
        )
    book.close()
    if "locale" not in meta:
        raise ImportError_(f"{path}: the spreadsheet does not say its language (its hidden sheet was removed)")
    return meta["locale"], verdicts


def check_text(text: Text, new: str) -> str | None:
    """Why `new` cannot replace `text` (the check's own message), or None."""
    if not new.strip():
        return "the corrected text is empty"
    if text.kind == "ui":
        return template_problem(new, text.english)
    if text.kind == "list":
        return None
    if text.path[-1] == "title" or (text.kind == "text" and "\n" not in text.english):
        if "\n" in new:
            return "this text is one line (a title or a button): write it without line breaks"
        if text.path[-1] == "title" and len(new) > TITLE_MAX:
            return f"title is {len(new)} characters; at most {TITLE_MAX} fit a button"
    if text.kind == "markup":
        try:
            markup.split_parts(markup.render_blocks(new))
        except markup.MarkupError as exc:
            return f"markup: {exc.message}"
    return None


def _decide(verdict: Verdict, texts: Mapping[str, Text], outcome: Outcome) -> tuple[Text, str | None] | None:
    """(the text, its new wording or None) for a verdict to apply; None when refused or nothing to do."""
    text = texts.get(verdict.id)
    if verdict.verdict not in (*export.VERDICTS, ""):
        outcome.refused.append((verdict, f"the verdict {verdict.verdict!r} is not ok, changed or unsure"))
        return None
    if text is None:
        outcome.refused.append((verdict, "there is no such text any more (renamed or removed since the export)"))
        return None
    if verdict.english_hash != text.english_hash:
        outcome.refused.append(
            (verdict, "the English changed since the export, so the reviewer read old English: export again")
        )
        return None
    if verdict.verdict == "unsure":
        outcome.unsure.append(text.id)
        return None
    if verdict.translation_hash != text.translation_hash:
        outcome.refused.append(
            (verdict, "the translation was edited by someone else since the export: export again and review it")
        )
        return None
    corrected = normalized(verdict.corrected)
    if not corrected or corrected == text.translation:
        if verdict.verdict == "changed":
            outcome.refused.append((verdict, "marked changed, but the corrected text is empty or the same"))
            return None
        return text, None
    problem = check_text(text, corrected)
    if problem:
        outcome.refused.append((verdict, problem))
        return None
    return text, corrected


def _yaml_value(current: Any, text: Text, new: str) -> Any:
    """The new value to write at `text.path`, from the value there now."""
    if text.kind == "list":
        items = [item.strip() for item in new.split("\n") if item.strip()]
        current[:] = items  # in place: a [flow, list] stays one
        return current
    whole = str(current)
    if text.paragraph is not None:
        return styled(current, Paragraphs.of(whole).replaced(text.paragraph, new))
    parts = Paragraphs.of(whole)
    return styled(current, parts.lead + new + parts.tail if "\n" in whole else new)


def _edit_yaml(before: str, edits: Sequence[tuple[Text, str]], reviewed: bool | None) -> str:
    """The file with every edit applied (and `translation.reviewed` set when `reviewed` is not None)."""
    try:
        yaml, data = round_trip(before)
    except LayoutError as exc:
        raise LayoutError(f"{edits[0][0].file if edits else 'a file'}: {exc}") from None
    # Paragraph edits of one value are applied from the last paragraph back, each on the value as edited so far.
    for text, new in sorted(edits, key=lambda item: -(item[0].paragraph or 0)):
        set_value(data, text.path, _yaml_value(get(data, text.path), text, new))
    translation: Any = data.get("translation") if hasattr(data, "get") else None
    if reviewed is not None and isinstance(translation, dict) and isinstance(translation.get("reviewed"), bool):
        translation["reviewed"] = reviewed
    return dump(yaml, data)


def _edit_po(before: str, edits: Sequence[tuple[Text, str]]) -> str:
    """The catalog with the msgstr of each edited key replaced; everything else as it was."""
    lines = before.splitlines(keepends=True)
    for text, new in edits:
        key_line = f"msgid {escape(str(text.path[0]))}\n"
        start = lines.index(key_line) + 1
        if not lines[start].startswith("msgstr "):
            raise LayoutError(f"{text.path[0]}: its msgstr does not follow its msgid")
        end = start + 1
        while end < len(lines) and lines[end].startswith('"'):
            end += 1
        lines[start:end] = [f"msgstr {escape(new)}\n"]
    return "".join(lines)


def _node_reviewed(node: str, texts: Iterable[Text], state: Mapping[str, Review]) -> bool:
    return all(text.id in state and state[text.id].covers(text) for text in texts if text.node == node)


def _write(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.review-tmp")
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def _new_errors(content_dir: Path, changed: Mapping[str, str]) -> dict[str, str]:
    """The first error of each changed content file that loading the content with the changes would report."""
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "content"
        shutil.copytree(content_dir, copy)
        for rel, text in changed.items():
            (copy / rel).write_text(text, encoding="utf-8")
        report = load_content(copy).report
    found: dict[str, str] = {}
    for diagnostic in report.errors:
        if diagnostic.path in changed and diagnostic.path not in found:
            found[diagnostic.path] = f"{diagnostic.message} [{diagnostic.code}]"
    return found


def apply_verdicts(
    content_dir: Path,
    locales_dir: Path,
    locale: str,
    verdicts: Sequence[Verdict],
    reviewer: str,
    today: date,
    dry_run: bool = False,
) -> Outcome:
    """Apply `verdicts` for `locale`; with dry_run nothing is written (the outcome holds the diffs)."""
    loaded = load_content(content_dir)
    content = loaded.content
    if content is None:
        first = loaded.report.errors[0] if loaded.report.errors else "unreadable"
        raise ImportError_(f"the content has errors; fix them first ({first})")
    if locale not in content.locales or locale == content.default_locale:
        raise ImportError_(f"{locale!r} is not one of the translated languages of this content")
    reviewer = " ".join(reviewer.split())
    if not reviewer:
        raise ImportError_("say who reviewed: --reviewer with initials or a name")
    texts = collect(content, locales_dir, locale)
    index = {text.id: text for text in texts}
    outcome = Outcome()
    decided = [(verdict, found) for verdict in verdicts if (found := _decide(verdict, index, outcome)) is not None]
    for _ in range(2):  # a second pass only when the content check refused some files' edits
        try:
            files = _plan(content_dir, texts, decided, locales_dir, locale, reviewer, today)
        except LayoutError as exc:
            raise ImportError_(str(exc)) from None
        yaml_changes = {
            path.relative_to(content_dir).as_posix(): after
            for path, (_, after) in files.items()
            if path.suffix == ".yaml" and path.parent.name != "review"
        }
        broken = _new_errors(content_dir, yaml_changes) if yaml_changes else {}
        if not broken:
            break
        kept = []
        for verdict, (text, new) in decided:
            if new is not None and text.file in broken:
                outcome.refused.append((verdict, broken[text.file]))
            else:
                kept.append((verdict, (text, new)))
        decided = kept
    outcome.files = {path: change for path, change in files.items() if change[0] != change[1]}
    outcome.approved = [text.id for _, (text, _) in decided]
    outcome.changed = [text.id for _, (text, new) in decided if new is not None]
    if not dry_run:
        for path, (_, after) in outcome.files.items():
            _write(path, after)
    return outcome


def _plan(
    content_dir: Path,
    texts: Sequence[Text],
    decided: Sequence[tuple[Verdict, tuple[Text, str | None]]],
    locales_dir: Path,
    locale: str,
    reviewer: str,
    today: date,
) -> dict[Path, tuple[str, str]]:
    """Every file's (before, after) for the decided verdicts, the review file with their sign-offs included."""
    state = read_state(content_dir, locale)
    updates: dict[str, Review] = {}
    edits: dict[Path, list[tuple[Text, str]]] = defaultdict(list)
    touched_nodes: dict[str, Path] = {}
    for _, (text, new) in decided:
        path = (locales_dir if text.is_ui else content_dir) / text.file
        if new is not None:
            edits[path].append((text, new))
        updates[text.id] = Review(text.english_hash, digest(new) if new is not None else text.translation_hash,
                                  reviewer, today.isoformat())  # fmt: skip
        if text.node is not None:
            touched_nodes[text.node] = path
    after_state = {**state, **updates}
    # Texts as they will be once corrected, to tell whether a whole page is now reviewed.
    corrected = {text.id: new for _, (text, new) in decided if new is not None}
    texts_after = [_with_translation(text, corrected[text.id]) if text.id in corrected else text for text in texts]
    files: dict[Path, tuple[str, str]] = {}
    for path in {*edits, *touched_nodes.values()}:
        before = path.read_text(encoding="utf-8")
        if path.suffix == ".po":
            files[path] = (before, _edit_po(before, edits[path]))
            continue
        nodes = [node for node, where in touched_nodes.items() if where == path]
        flag = _node_reviewed(nodes[0], texts_after, after_state) if nodes else None
        files[path] = (before, _edit_yaml(before, edits.get(path, []), flag))
    if updates:
        files[review_path(content_dir, locale)] = updated_text(content_dir, locale, updates)
    return files


def _with_translation(text: Text, new: str) -> Text:
    return replace(text, translation=new)
