"""The interface catalogs as files (`locales/<locale>/LC_MESSAGES/messages.po`): reading and checking them,
the check run by `python -m bot check`, and the template.

Every translated entry is checked against the English one as it is read: it must be a valid `str.format`
template with exactly the English placeholders. A broken entry is dropped (users see the next fallback, in
the end English) and recorded as a problem naming the file, line and key. `bot.i18n` looks texts up at run
time; this module is about the files.

The English catalog is the source of every key. Some keys are built in code (`ui.t(f"command.{name}")`),
so `pybabel extract` cannot find them all; the template (`locales/messages.pot`) is therefore written from
the English catalog:

    python -m bot.catalogs template [--locales-dir DIR] [-o FILE]

then `pybabel update` / `pybabel init` merge it into the catalogs (see docs/translating.md).
"""

from __future__ import annotations

import argparse
import io
import logging
import re
import string
import sys
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import PoFileError, read_po, write_po

from bot.config import default_locales_dir
from bot.content.diagnostics import Mark, Severity
from bot.content.model import Content

log = logging.getLogger(__name__)

CATALOG = "messages.po"

# A keyword line (`msgstr "..."`) or a continuation line (`"..."`) of a .po file, and a well-formed string.
_KEYWORD_LINE = re.compile(r"(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)(?=[\s\"])(.*)")
_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"')


class CatalogError(Exception):
    """A catalog cannot be read; the message names the file and line (`path:line: what is wrong`)."""


@dataclass(frozen=True, slots=True, order=True)
class CatalogProblem:
    """One problem in one catalog, printed like a compiler: `path:line: error: key: message [code]`."""

    path: str
    line: int  # 1-based; 0 when the problem is about the whole file
    severity: Severity
    code: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity}: {self.message} [{self.code}]"

    def as_json(self) -> dict[str, Any]:
        """The problem with the same fields as a content diagnostic (`col` is always 0)."""
        return {
            "path": self.path,
            "line": self.line,
            "col": 0,
            "severity": str(self.severity),
            "code": self.code,
            "message": self.message,
        }


@dataclass(slots=True)
class CatalogReport:
    """Collects the problems found while catalogs are read."""

    items: list[CatalogProblem] = field(default_factory=list)

    def error(self, mark: Mark, code: str, message: str) -> None:
        """Record an error."""
        self.items.append(CatalogProblem(mark.path, mark.line, Severity.ERROR, code, message))

    def warning(self, mark: Mark, code: str, message: str) -> None:
        """Record a warning."""
        self.items.append(CatalogProblem(mark.path, mark.line, Severity.WARNING, code, message))


def template_fields(text: str) -> set[str]:
    """The replacement fields of a `str.format` template as written (`{total}`, `{n:>3}`); ValueError when
    the text is not a valid template (`{total` without its `}`)."""
    fields = set()
    for _, name, spec, conversion in string.Formatter().parse(text):
        if name is not None:
            fields.add("{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}")
    return fields


def template_problem(text: str, english: str | None) -> str | None:
    """Why `text` cannot stand in for the English `english` (None when it can): it must be a valid template
    with exactly the English placeholders. With `english` None, only the template itself is checked."""
    try:
        fields = template_fields(text)
    except ValueError as exc:
        return f"not a valid text with {{placeholders}} ({exc}); write every placeholder as {{name}}"
    if english is None:
        return None
    try:
        wanted = template_fields(english)
    except ValueError:
        return None  # the English text itself is reported
    if fields == wanted:
        return None
    parts = []
    if wanted - fields:
        parts.append("lacks " + ", ".join(sorted(wanted - fields)))
    if fields - wanted:
        parts.append("has " + ", ".join(sorted(fields - wanted)) + " that English does not have")
    return f"placeholders differ from English: {'; '.join(parts)}; use exactly {', '.join(sorted(wanted)) or 'none'}"


@dataclass(frozen=True, slots=True)
class _Entry:
    text: str
    line: int


@dataclass(frozen=True, slots=True)
class _File:
    """One catalog as read: its usable entries and what else a translator should hear about."""

    entries: dict[str, _Entry]  # non-empty, non-fuzzy, well-quoted translations
    fuzzy: dict[str, int]
    obsolete: dict[str, int]
    broken: frozenset[str]  # keys whose entry has a syntax error (reported already)


def _message_line(lines: Sequence[str], message: Message) -> int:
    """The line of the entry's `msgstr` (1-based), else of its `msgid`."""
    start = message.lineno or 0
    for number in range(start, min(len(lines), start + 200) + 1):
        if number and lines[number - 1].lstrip().startswith("msgstr"):
            return number
    return start


def _flag_line(lines: Sequence[str], message: Message) -> int:
    """The line of the `#, fuzzy` comment above an entry, else of its `msgid`."""
    start = message.lineno or 0
    number = start - 1
    while number >= 1 and lines[number - 1].startswith("#"):
        if lines[number - 1].startswith("#,") and "fuzzy" in lines[number - 1]:
            return number
        number -= 1
    return start


def _badly_quoted_lines(lines: Sequence[str]) -> list[int]:
    """Lines whose string is not closed by an unescaped `"` (Babel would silently cut a character off)."""
    bad = []
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if line.startswith("#"):
            continue
        match = _KEYWORD_LINE.match(line)
        value = match.group(1).strip() if match else line if line.startswith('"') else None
        if value is not None and not _QUOTED.fullmatch(value):
            bad.append(number)
    return bad


def _read_file(path: Path, shown: str, report: CatalogReport) -> _File | None:
    """Read one catalog; None (with a `catalog-syntax` error) when it cannot be parsed at all."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        report.error(Mark(shown), "catalog-syntax", f"cannot read the file: {exc.strerror or exc}")
        return None
    lines = data.decode("utf-8", errors="replace").split("\n")  # as Babel counts: only \n ends a line
    try:
        catalog: Catalog = read_po(io.BytesIO(data), locale=None, abort_invalid=True)
    except PoFileError as exc:
        # Babel counts lines from 0 and says "... on 56"; say it the way editors count.
        reason = str(exc).removesuffix(f" on {exc.lineno}")
        shown_line = f": {exc.line.strip()!r}" if exc.line.strip() else ""
        report.error(Mark(shown, exc.lineno + 1), "catalog-syntax", reason + shown_line)
        return None
    except UnicodeDecodeError:
        line = next((n for n, raw in enumerate(data.splitlines(), 1) if not _is_utf8(raw)), 0)
        report.error(Mark(shown, line), "catalog-syntax", "the file is not saved as UTF-8")
        return None
    except ValueError as exc:
        report.error(Mark(shown), "catalog-syntax", f"cannot read the file: {exc}")
        return None
    messages = sorted((m for m in catalog if m.id and m.lineno), key=lambda m: m.lineno or 0)
    broken: set[str] = set()
    for number in _badly_quoted_lines(lines):
        owner = next((m for m in reversed(messages) if (m.lineno or 0) <= number), None)
        key = str(owner.id) if owner is not None else ""
        broken.add(key)
        report.error(
            Mark(shown, number),
            "catalog-syntax",
            f"{key + ': ' if key else ''}the text on this line must start and end with a straight double "
            'quote (") and any " inside must be written \\"; the entry is not used until it is fixed',
        )
    entries: dict[str, _Entry] = {}
    fuzzy: dict[str, int] = {}
    for message in messages:
        key = str(message.id)
        if key in broken or not isinstance(message.id, str) or not isinstance(message.string, str):
            continue
        if message.fuzzy:
            fuzzy[key] = _flag_line(lines, message)
        elif message.string:
            entries[key] = _Entry(message.string, _message_line(lines, message))
    obsolete = {str(m.id): m.lineno or 0 for m in catalog.obsolete.values() if m.id}
    return _File(entries, fuzzy, obsolete, frozenset(broken))


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def catalog_path(directory: Path, locale: str) -> Path:
    """Where the catalog of `locale` lives."""
    return directory / locale / "LC_MESSAGES" / CATALOG


@dataclass(frozen=True, slots=True)
class CatalogSet:
    """What reading the catalogs gave: the usable messages per locale, every problem, and whether a file
    could not be read at all."""

    messages: Mapping[str, Mapping[str, str]]
    problems: tuple[CatalogProblem, ...]
    unreadable: tuple[CatalogProblem, ...]


def read_catalogs(directory: Path, locales: Iterable[str], default_locale: str) -> CatalogSet:
    """Read and validate the catalogs of `locales` (never raises). Translated entries that are not valid
    templates with the English placeholders are dropped; fuzzy, missing and commented-out (`#~`) entries are
    reported. `path` in each problem is `directory/<locale>/LC_MESSAGES/messages.po`."""
    report = CatalogReport()
    unreadable: list[CatalogProblem] = []
    files: dict[str, _File] = {}
    shown = {locale: catalog_path(directory, locale).as_posix() for locale in {default_locale, *locales}}
    for locale in sorted(shown, key=lambda name: (name != default_locale, name)):
        path = catalog_path(directory, locale)
        if not path.is_file():
            if locale == default_locale:
                report.error(
                    Mark(shown[locale]),
                    "catalog-missing",
                    "the default (English) catalog is missing: it is the source of every interface text",
                )
            else:
                report.warning(
                    Mark(shown[locale]),
                    "catalog-missing",
                    f"{locale} has no interface catalog: its users see "
                    "the buttons and messages in the fallback language; start one with pybabel init "
                    "(docs/translating.md)",
                )
            continue
        before = len(report.items)
        read = _read_file(path, shown[locale], report)
        if read is None:
            unreadable.extend(report.items[before:])
            continue
        files[locale] = read
    english_file = files.get(default_locale)
    english = {key: entry.text for key, entry in english_file.entries.items()} if english_file else None
    messages: dict[str, Mapping[str, str]] = {}
    for locale, read in files.items():
        where = shown[locale]
        usable: dict[str, str] = {}
        for key, entry in read.entries.items():
            if locale == default_locale:
                problem = template_problem(entry.text, None)
                if problem:  # kept: there is nothing to fall back to, and t() survives it
                    report.error(Mark(where, entry.line), "catalog-placeholder", f"{key}: {problem}")
                usable[key] = entry.text
                continue
            problem = template_problem(entry.text, english.get(key) if english is not None else None)
            if problem:
                report.error(
                    Mark(where, entry.line),
                    "catalog-placeholder",
                    f"{key}: {problem}. Until it is fixed, users get the fallback language instead",
                )
                continue
            usable[key] = entry.text
        messages[locale] = MappingProxyType(usable)
        _report_gaps(locale, read, english, default_locale, where, report)
        if english is not None and locale != default_locale:
            _report_leftovers(read, usable, english, where, report)
    return CatalogSet(MappingProxyType(messages), tuple(sorted(report.items)), tuple(unreadable))


def _report_gaps(
    locale: str, read: _File, english: Mapping[str, str] | None, default: str, where: str, report: CatalogReport
) -> None:
    """Report fuzzy, commented-out and missing entries of one catalog."""
    if locale == default:
        for key, line in sorted(read.fuzzy.items()):
            report.error(
                Mark(where, line),
                "catalog-fuzzy",
                f"{key}: marked `#, fuzzy` in the English catalog, so it is not used and users see the raw key; "
                "delete the `#, fuzzy` line",
            )
        for key, line in sorted(read.obsolete.items()):
            if key not in read.entries:
                report.error(
                    Mark(where, line),
                    "catalog-obsolete",
                    f"{key}: commented out with #~ in the English catalog, so users see the raw key wherever "
                    "the code still uses it; remove the #~ marks (or delete the entry if the code no longer "
                    "uses the key)",
                )
        return
    for key, line in sorted(read.fuzzy.items()):
        report.warning(
            Mark(where, line),
            "catalog-fuzzy",
            f"{key}: marked `#, fuzzy`, so it is not used and users get the fallback language instead; check the "
            "translation, then delete the `#, fuzzy` line",
        )
    if english is None:
        return
    for key, line in sorted(read.obsolete.items()):
        if key in english and key not in read.entries:
            report.warning(
                Mark(where, line),
                "catalog-obsolete",
                f"{key}: commented out with #~ although English has it, so users get the fallback language instead; "
                "remove the #~ marks",
            )
    seen = read.entries.keys() | read.fuzzy.keys() | read.obsolete.keys() | read.broken
    missing = sorted(key for key in english if key not in seen)
    for key in missing:
        report.warning(
            Mark(where), "catalog-missing", f"{key}: not translated yet, users get the fallback language instead"
        )


# Advisory warnings: `check --strict` lets them pass (a reviewer decides), like unreviewed translations.
SAME_AS_ENGLISH = "catalog-same-as-english"
ENGLISH_WORD = "catalog-english-word"
ADVISORY = frozenset({SAME_AS_ENGLISH, ENGLISH_WORD})
# Texts for campaign staff, not for the people the bot serves: English words there are not leftovers.
STAFF_KEYS = ("desk.", "admin.", "review.", "stats.", "broadcast.")
_PLACEHOLDER = re.compile(r"\{[^}]*\}")
_QUOTED_TEXT = re.compile(r"\"[^\"]*\"|“[^”]*”|«[^»]*»")
_LATIN_WORD = re.compile(r"(?<![/\w])([A-Za-z]{3,})(?![\w/])")


def _is_latin_script(texts: Iterable[str]) -> bool:
    """True when most letters of `texts` are Latin (Indonesian, Filipino, Vietnamese), False for Burmese, Thai...
    (judged per text, so that a name such as "WhatsApp" alone is not taken for a leftover)."""
    latin = other = 0
    for text in texts:
        for char in text:
            if char.isalpha():
                if char.isascii() or "LATIN" in unicodedata.name(char, ""):
                    latin += 1
                else:
                    other += 1
    return latin >= other


def _report_leftovers(
    read: _File, usable: Mapping[str, str], english: Mapping[str, str], where: str, report: CatalogReport
) -> None:
    """Warn about a translation identical to the English (with more than one word), and, in a language not
    written in Latin letters, an English word of the interface left in a text people read ("Delete"). A word the
    text pairs with its translation after a slash ("ဖျက်ရန်/Delete") or quotes is not a leftover."""
    english_words = {w for text in english.values() for w in re.findall(r"\b[a-z]{3,}\b", _PLACEHOLDER.sub("", text))}
    for key, text in sorted(usable.items()):
        if key.startswith(STAFF_KEYS):
            continue
        line = read.entries[key].line
        bare = _PLACEHOLDER.sub("", text)
        if text == english.get(key) and len(re.findall(r"[A-Za-z]{2,}", bare)) > 1:
            report.warning(
                Mark(where, line),
                SAME_AS_ENGLISH,
                f"{key}: the same as the English text; translate it (or keep it if this language says it so)",
            )
            continue
        if _is_latin_script([bare]):
            continue
        found = sorted(
            {
                m.group(1)
                for m in _LATIN_WORD.finditer(_QUOTED_TEXT.sub("", bare))
                if m.group(1).lower() in english_words
            }
        )
        if found:
            report.warning(
                Mark(where, line),
                ENGLISH_WORD,
                f"{key}: English left in the text: {', '.join(found)}; write it in the language (a label of "
                "Telegram's own English screens may follow the word after a slash: ဖျက်ရန်/Delete)",
            )


DEFAULT_LOCALE = "en"  # used when the content (which names the default locale) cannot be read
TEMPLATE = "messages.pot"


def check_catalogs(directory: Path, content: Content | None) -> list[CatalogProblem]:
    """Every problem of every catalog in `directory` and of the catalogs the content's locales need, sorted
    (English when the content cannot be read)."""
    present = {path.parent.parent.name for path in directory.glob(f"*/LC_MESSAGES/{CATALOG}")}
    locales = {*present, *(content.locales if content is not None else ())}
    default = content.default_locale if content is not None else DEFAULT_LOCALE
    return sorted(read_catalogs(directory, locales, default).problems)


def write_template(directory: Path, output: Path, default_locale: str = DEFAULT_LOCALE) -> int:
    """Write the template of every key of the English catalog (empty texts) to `output`; the number of keys."""
    source = catalog_path(directory, default_locale)
    problems = read_catalogs(directory, (), default_locale).unreadable
    if problems:
        raise CatalogError(str(problems[0]))
    if not source.is_file():
        raise CatalogError(f"{source}: the default (English) catalog is missing")
    with source.open("rb") as handle:
        english = read_po(handle, locale=None)
    template = Catalog(
        project=english.project, version=english.version, header_comment=_header(default_locale), fuzzy=False
    )
    for message in english:
        if message.id:
            template.add(message.id, "", auto_comments=message.auto_comments, context=message.context)
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("wb") as handle:
        write_po(handle, template, width=0)
    return sum(1 for message in template if message.id)


def _header(default_locale: str) -> str:
    return (
        "# Template of the interface keys, written from the "
        f"{default_locale} catalog by `python -m bot.catalogs template`.\n"
        "# Do not edit: add keys to the English catalog, then run the template command again."
    )


def main(argv: list[str] | None = None) -> int:
    """`python -m bot.catalogs template`: write locales/messages.pot from the English catalog."""
    parser = argparse.ArgumentParser(prog="python -m bot.catalogs", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    template = sub.add_parser("template", help="write locales/messages.pot from the English catalog")
    template.add_argument("--locales-dir", type=Path, help="the catalogs folder (default: LOCALES_DIR, else ./locales)")
    template.add_argument("-o", "--output", type=Path, help="the template file (default: LOCALES_DIR/messages.pot)")
    template.add_argument("--default-locale", default=DEFAULT_LOCALE, help="the source catalog (default: en)")
    args = parser.parse_args(argv)
    directory: Path = args.locales_dir or default_locales_dir()
    output: Path = args.output or directory / TEMPLATE
    try:
        count = write_template(directory, output, args.default_locale)
    except CatalogError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {output} with {count} keys from {catalog_path(directory, args.default_locale)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
