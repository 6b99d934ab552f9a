"""Who reviewed which text, and when: one file per language, `content/review/<locale>.yaml`, one entry per text.

    texts:
      if-something-goes-wrong/act-now#body.1: {en: 1c2b3a4d5e, text: 9f8e7d6c5b, by: RK, date: '2026-12-07'}

`en` is the hash of the English the reviewer read, `text` the hash of the translation they approved. A text is
reviewed while both still match: when the English changes, or someone edits the translation afterwards, it is
unreviewed again without anyone having to remember it. The file is written with ruamel.yaml, so comments stay.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.content.diagnostics import Report
from bot.content.yamlio import YamlMap, read_yaml_file
from bot.review.texts import Text
from bot.review.yamledit import round_trip

FOLDER = "review"
HEADER = (
    "# Native speakers' review of the {locale} texts: one entry per text, written by `python -m bot review import`\n"
    "# and `python -m bot preview --review {locale}` (see docs/reviewing.md). en: the English the reviewer read,\n"
    "# text: the translation they approved (short hashes), by: who, date: the day. Edit by hand only to remove an\n"
    "# entry.\n"
)


@dataclass(frozen=True, slots=True)
class Review:
    """One text's sign-off."""

    english: str
    text: str
    by: str
    date: str

    def covers(self, text: Text) -> bool:
        """True while the English and the translation are still the ones signed off."""
        return self.english == text.english_hash and self.text == text.translation_hash


def file_name(locale: str) -> str:
    """The review file's name: content file names are lowercase a-z, 0-9 and '-' (fa_AF -> fa-af.yaml)."""
    return locale.lower().replace("_", "-") + ".yaml"


def review_path(content_dir: Path, locale: str) -> Path:
    """Where the review state of `locale` is kept."""
    return content_dir / FOLDER / file_name(locale)


def parse(data: Any) -> dict[str, Review]:
    """The entries of a review file already read (malformed entries are left out: `check` reports them)."""
    texts = data.get("texts") if isinstance(data, Mapping) else None
    found: dict[str, Review] = {}
    for key, entry in (texts or {}).items():
        if isinstance(entry, Mapping) and all(isinstance(entry.get(name), str) for name in ("en", "text", "by")):
            found[str(key)] = Review(entry["en"], entry["text"], entry["by"], str(entry.get("date", "")))
    return found


def read_state(content_dir: Path, locale: str) -> dict[str, Review]:
    """Every sign-off recorded for `locale` (none when the file is absent)."""
    path = review_path(content_dir, locale)
    if not path.is_file():
        return {}
    data = read_yaml_file(path, path.name, Report())
    return parse(data) if isinstance(data, YamlMap) else {}


def reviewed(texts: list[Text], state: Mapping[str, Review]) -> list[Text]:
    """The texts whose sign-off still holds."""
    return [text for text in texts if text.id in state and state[text.id].covers(text)]


def updated_text(content_dir: Path, locale: str, updates: Mapping[str, Review]) -> tuple[str, str]:
    """(the review file as it is, as it would be with `updates`): entries replaced in place, new ones appended."""
    from ruamel.yaml.comments import CommentedMap

    path = review_path(content_dir, locale)
    before = path.read_text(encoding="utf-8") if path.is_file() else ""
    yaml, data = round_trip(before or HEADER.format(locale=locale) + "texts: {}\n")
    if not isinstance(data, CommentedMap):
        data = CommentedMap()
    texts = data.get("texts")
    if not isinstance(texts, CommentedMap) or not texts:
        texts = CommentedMap()
        data["texts"] = texts
    for key, review in updates.items():
        entry = CommentedMap(en=review.english, text=review.text, by=review.by, date=review.date)
        entry.fa.set_flow_style()
        texts[key] = entry
    out = io.StringIO()
    yaml.dump(data, out)
    return before, out.getvalue()
