"""The review files (`content/review/<locale>.yaml`) as a content document, so `check` reads and checks them;
registered by bot.features."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.content.diagnostics import Mark, Report
from bot.content.model import Content
from bot.content.types import DocumentType, LoadContext
from bot.content.yamlio import YamlMap
from bot.review.state import FOLDER, Review, file_name, parse

ENTRY_KEYS = ("en", "text", "by", "date")


@dataclass(frozen=True, slots=True)
class ReviewFile:
    """One language's sign-offs, as read."""

    entries: Mapping[str, Review]
    mark: Mark


def parse_review(data: YamlMap, ctx: LoadContext) -> ReviewFile:
    """Read one review file; an entry that is not `{en, text, by, date}` is reported and left out."""
    texts = data.get("texts")
    for key in data:
        if key != "texts":
            ctx.report.error(data.key_mark(key), "unknown-key", f"unknown key {key!r}: a review file has only texts:")
    if texts is not None and not isinstance(texts, YamlMap):
        ctx.report.error(data.value_mark("texts"), "wrong-type", "texts must map a text id to {en, text, by, date}")
    for key, entry in (texts or {}).items() if isinstance(texts, YamlMap) else ():
        if not isinstance(entry, YamlMap) or any(not isinstance(entry.get(name), str) for name in ENTRY_KEYS):
            assert isinstance(texts, YamlMap)
            ctx.report.error(
                texts.value_mark(key),
                "wrong-type",
                f"{key}: a sign-off is {{en: <hash>, text: <hash>, by: <reviewer>, date: <YYYY-MM-DD>}}; "
                "write it with `python -m bot review import`, or delete the entry",
            )
    return ReviewFile(parse(data), data.mark)


def check_reviews(content: Content, files: Mapping[str, Any], report: Report) -> None:
    """Each review file belongs to a translated language."""
    names = {file_name(locale).removesuffix(".yaml"): locale for locale in content.locales}
    for stem, found in files.items():
        if stem not in names or names[stem] == content.default_locale:
            mark = found.mark if isinstance(found, ReviewFile) else Mark(f"{FOLDER}/{stem}.yaml")
            choices = ", ".join(sorted(name for name, code in names.items() if code != content.default_locale))
            report.error(mark, "unknown-locale", f"{stem}.yaml is not a translated language's review file ({choices})")


REVIEWS: DocumentType = DocumentType(
    FOLDER,
    "Native speakers' sign-offs, one file per language, one entry per text (written by `python -m bot review`).",
    parse_review,
    check_reviews,
    {
        "type": "object",
        "properties": {
            "texts": {
                "type": "object",
                "additionalProperties": {
                    "type": "object",
                    "properties": {key: {"type": "string"} for key in ENTRY_KEYS},
                    "required": list(ENTRY_KEYS),
                },
            }
        },
        "additionalProperties": False,
    },
    folder=True,
)
