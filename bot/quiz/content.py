"""Reading and checking a quiz file: structure from the default locale, texts from every locale.

Structure (default locale only): question ids, answer weights, band ids, score ranges and helpline
purposes. Text (every locale): question text, why, custom answer labels, band titles and guidance.
A translation repeats the question and band ids, in the same order, with text only.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeGuard

from bot.callbacks import CallbackTooLong, Header, Quiz, encode
from bot.content import markup
from bot.content.diagnostics import Mark, Report
from bot.content.model import Content, Node, Purpose
from bot.content.yamlio import YamlList, YamlMap
from bot.quiz.codec import MAX_CHOICES, Mode, QuizState, encode_state, version_of
from bot.quiz.model import (
    YES_NO_KEYS,
    AnswerKind,
    Band,
    BandText,
    Question,
    QuestionText,
    QuizStructure,
    QuizText,
)

if TYPE_CHECKING:
    from bot.content.types import LoadContext

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,31}$")
MAX_QUESTIONS = 30
MIN_CHOICES = 2
MAX_WEIGHT = 100
QUESTION_MAX = 300  # visible characters of a question
WHY_MAX = 250  # visible characters of a why; a result may list every one of them
LABEL_MAX = 40  # a custom answer is a button label
BAND_TITLE_MAX = 64
GUIDANCE_MAX = 1000
INTRO_MAX = 1200
MESSAGE_MAX = 4096  # Telegram's limit for one message, in visible UTF-16 units
LONGEST_HEADER = Header("xx_XX", "x" * 16)  # the longest locale and campaign a button must carry

QUESTION_TEXT_KEYS = ("id", "text", "why", "choices")
QUESTION_KEYS = (*QUESTION_TEXT_KEYS, *YES_NO_KEYS)
BAND_TEXT_KEYS = ("id", "title", "guidance")
BAND_KEYS = (*BAND_TEXT_KEYS, "min", "max", "help")

_ID_SCHEMA = {"type": "string", "pattern": ID_RE.pattern}
_WEIGHT_SCHEMA = {"type": "integer", "minimum": 0, "maximum": MAX_WEIGHT}
QUESTIONS_SCHEMA: Mapping[str, Any] = {
    "type": "array",
    "minItems": 1,
    "maxItems": MAX_QUESTIONS,
    "items": {
        "type": "object",
        "properties": {
            "id": _ID_SCHEMA,
            "text": {"type": "string", "minLength": 1},
            "why": {"type": "string", "minLength": 1},
            **{key: _WEIGHT_SCHEMA for key in YES_NO_KEYS},
            "choices": {
                "type": "array",
                "minItems": MIN_CHOICES,
                "maxItems": MAX_CHOICES,
                "items": {
                    "anyOf": [
                        {"type": "string", "minLength": 1, "maxLength": LABEL_MAX},
                        {
                            "type": "object",
                            "properties": {
                                "label": {"type": "string", "minLength": 1, "maxLength": LABEL_MAX},
                                "weight": _WEIGHT_SCHEMA,
                            },
                            "required": ["label", "weight"],
                            "additionalProperties": False,
                        },
                    ]
                },
            },
        },
        "required": ["id"],
        "additionalProperties": False,
    },
}
BANDS_SCHEMA: Mapping[str, Any] = {
    "type": "array",
    "minItems": 1,
    "items": {
        "type": "object",
        "properties": {
            "id": _ID_SCHEMA,
            "min": {"type": "integer"},
            "max": {"type": "integer"},
            "help": {"type": "array", "items": {"enum": [purpose.value for purpose in Purpose]}},
            "title": {"type": "string", "minLength": 1, "maxLength": BAND_TITLE_MAX},
            "guidance": {"type": "string", "minLength": 1},
        },
        "required": ["id"],
        "additionalProperties": False,
    },
}


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _maps(owner: YamlMap, name: str, what: str, ctx: LoadContext) -> list[tuple[YamlMap, Mark]] | None:
    """The list of mappings under `name`, with the mark of each item; None (after reporting) when unusable."""
    value = owner.get(name)
    if not isinstance(value, YamlList) or not value:
        ctx.report.error(owner.value_mark(name), "wrong-type", f"{name} must be a list of {what}")
        return None
    found: list[tuple[YamlMap, Mark]] = []
    for index, item in enumerate(value):
        mark = value.item_mark(index)
        if not isinstance(item, YamlMap):
            ctx.report.error(mark, "wrong-type", f"each of {name} must be a mapping ({what})")
            return None
        found.append((item, mark))
    return found


def _keys(item: YamlMap, allowed: tuple[str, ...], structure: tuple[str, ...], ctx: LoadContext) -> None:
    """Report keys of a question or band that do not belong here (structure keys in a translation)."""
    for key in item:
        if key in allowed:
            continue
        if key in structure:
            ctx.report.error(
                item.key_mark(key),
                "not-translatable",
                f"{key!r} cannot be translated: it comes from the default locale {ctx.default_locale!r}; remove it",
            )
        else:
            ctx.report.error(item.key_mark(key), "unknown-key", f"unknown key {key!r} here")


def _id(item: YamlMap, seen: set[str], what: str, ctx: LoadContext) -> str | None:
    value = item.get("id")
    if not isinstance(value, str) or not ID_RE.match(value):
        ctx.report.error(
            item.value_mark("id"), "bad-id", f"a {what} needs an id of lowercase a-z, 0-9 and '-' (at most 32)"
        )
        return None
    if value in seen:
        ctx.report.error(item.value_mark("id"), "duplicate-id", f"the {what} id {value!r} is used twice")
        return None
    seen.add(value)
    return value


def _weight(item: YamlMap, key: str, ctx: LoadContext) -> int | None:
    value = item.get(key)
    if not _is_int(value) or not 0 <= value <= MAX_WEIGHT:
        ctx.report.error(item.value_mark(key), "wrong-type", f"{key} must be a whole number from 0 to {MAX_WEIGHT}")
        return None
    return int(value)


# --- structure ------------------------------------------------------------------------------------


def parse_structure(data: YamlMap, ctx: LoadContext) -> QuizStructure | None:
    """The quiz structure of a default-locale file; None (after reporting) when it cannot be used."""
    questions = _questions(data, ctx)
    items = _maps(data, "bands", "result bands (id, min, title, guidance, help)", ctx)
    if questions is None or items is None:
        return None
    low = sum(min(q.weights) for q in questions)
    high = sum(max(q.weights) for q in questions)
    bands = _bands(items, low, high, ctx)
    if bands is None:
        return None
    material = json.dumps([[(q.id, q.weights) for q in questions], [(b.id, b.low, b.high) for b in bands]])
    return QuizStructure(tuple(questions), tuple(bands), version_of(material))


def _questions(data: YamlMap, ctx: LoadContext) -> list[Question] | None:
    items = _maps(data, "questions", "questions (id, text, why and the weight of each answer)", ctx)
    if items is None:
        return None
    if len(items) > MAX_QUESTIONS:
        ctx.report.error(
            items[MAX_QUESTIONS][1], "too-many", f"a quiz has at most {MAX_QUESTIONS} questions; split it in two"
        )
        return None
    seen: set[str] = set()
    questions: list[Question] = []
    ok = True
    for item, _ in items:
        _keys(item, QUESTION_KEYS, (), ctx)
        question_id = _id(item, seen, "question", ctx)
        question = _question(item, question_id, ctx) if question_id else None
        if question is None:
            ok = False
        else:
            questions.append(question)
    return questions if ok else None


def _question(item: YamlMap, question_id: str, ctx: LoadContext) -> Question | None:
    has_yes_no = [key for key in YES_NO_KEYS if key in item]
    if "choices" in item:
        if has_yes_no:
            ctx.report.error(
                item.key_mark(has_yes_no[0]),
                "conflicting-keys",
                f"question {question_id!r} has its own choices, so it cannot also have {has_yes_no[0]}",
            )
            return None
        choices = _maps(item, "choices", f"{MIN_CHOICES}-{MAX_CHOICES} answers (label, weight)", ctx)
        if choices is None:
            return None
        if not MIN_CHOICES <= len(choices) <= MAX_CHOICES:
            ctx.report.error(
                item.value_mark("choices"),
                "wrong-count",
                f"a question has {MIN_CHOICES} to {MAX_CHOICES} choices, this one has {len(choices)}",
            )
            return None
        weights = [_weight(choice, "weight", ctx) for choice, _ in choices]
        for choice, _ in choices:
            _keys(choice, ("label", "weight"), (), ctx)
        if any(w is None for w in weights):
            return None
        return Question(question_id, AnswerKind.CHOICES, tuple(w for w in weights if w is not None))
    missing = [key for key in YES_NO_KEYS if key not in item]
    if missing:
        ctx.report.error(
            item.mark,
            "missing-field",
            f"question {question_id!r} needs {', '.join(missing)} (the points of each answer), or its own choices",
        )
        return None
    yes_no = [_weight(item, key, ctx) for key in YES_NO_KEYS]
    if any(w is None for w in yes_no):
        return None
    return Question(question_id, AnswerKind.YES_NO, tuple(w for w in yes_no if w is not None))


def _bands(items: list[tuple[YamlMap, Mark]], low: int, high: int, ctx: LoadContext) -> list[Band] | None:
    """Bands with their score ranges; every score from `low` to `high` must fall in exactly one."""
    report = ctx.report
    seen: set[str] = set()
    ok = True
    raw: list[tuple[YamlMap, str, int, int | None, tuple[str, ...]]] = []
    for item, _ in items:
        _keys(item, BAND_KEYS, (), ctx)
        band_id = _id(item, seen, "band", ctx)
        start = item.get("min")
        end = item.get("max")
        if not _is_int(start):
            report.error(item.value_mark("min"), "wrong-type", "a band needs min: the lowest score it holds")
            ok = False
        if end is not None and (not _is_int(end) or (_is_int(start) and end < start)):
            report.error(item.value_mark("max"), "wrong-type", "max must be a whole number, at least min")
            ok = False
        purposes = _purposes(item, ctx)
        if band_id is None or purposes is None:
            ok = False
        if ok and band_id is not None and purposes is not None and _is_int(start):
            raw.append((item, band_id, start, end if _is_int(end) else None, purposes))
    if not ok:
        return None
    bands: list[Band] = []
    expected = low  # the lowest score not yet covered
    for index, (item, band_id, start, end, purposes) in enumerate(raw):
        if start > expected:
            report.error(
                item.value_mark("min"),
                "band-gap",
                f"no band holds the scores {expected} to {start - 1}: band {band_id!r} starts at {start}",
            )
            ok = False
        elif start < expected:
            if index == 0:
                report.error(
                    item.value_mark("min"),
                    "band-range",
                    f"the lowest possible score is {low}; the first band must start at min: {low}",
                )
            else:
                report.error(
                    item.value_mark("min"),
                    "band-overlap",
                    f"band {band_id!r} starts at {start}, but the scores {start} to {expected - 1} are already "
                    f"in band {bands[-1].id if bands else '?'!r}; bands go up in order without sharing scores",
                )
            ok = False
        if start > high:
            report.error(
                item.value_mark("min"),
                "band-unreachable",
                f"band {band_id!r} starts at {start} but the highest possible score is {high}",
            )
            ok = False
        following = raw[index + 1][2] if index + 1 < len(raw) else None
        top = end if end is not None else (following - 1 if following is not None else high)
        if following is None and top < high:
            report.error(
                item.value_mark("max"),
                "band-gap",
                f"no band holds the scores {top + 1} to {high} (the highest possible score)",
            )
            ok = False
        bands.append(Band(band_id, start, max(top, start), purposes))
        expected = max(expected, top + 1)
    return bands if ok else None


def _purposes(item: YamlMap, ctx: LoadContext) -> tuple[str, ...] | None:
    value = item.get("help", [])
    known = [purpose.value for purpose in Purpose]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        ctx.report.error(item.value_mark("help"), "wrong-type", "help must be a list of helpline purposes")
        return None
    for index, purpose in enumerate(value):
        if purpose not in known:
            mark = value.item_mark(index) if isinstance(value, YamlList) else item.mark
            ctx.report.error(mark, "unknown-value", f"unknown purpose {purpose!r}; known: {', '.join(known)}")
            return None
    return tuple(value)


# --- text -----------------------------------------------------------------------------------------


def _markup(owner: YamlMap, name: str, limit: int, ctx: LoadContext) -> str | None:
    """The Telegram HTML of a markup text field, checked for markup errors and length."""
    value = owner.get(name)
    if not isinstance(value, str) or not value.strip():
        where = owner.value_mark(name)
        ctx.report.error(where, "missing-field" if value is None else "wrong-type", f"{name} must be text here")
        return None
    try:
        blocks = markup.render_blocks(value)
    except markup.MarkupError as exc:
        pos = owner.value_pos(name)
        ctx.report.error(pos.at(exc.line, exc.col) if pos else owner.mark, "markup", exc.message)
        return None
    length = sum(block.length for block in blocks)
    if length > limit:
        ctx.report.error(owner.value_mark(name), "too-long", f"{name} is {length} characters; at most {limit} fit")
        return None
    return "\n\n".join(block.html for block in blocks)


def _plain(owner: YamlMap, name: str, limit: int, ctx: LoadContext) -> str | None:
    value = owner.get(name)
    if not isinstance(value, str) or not value.strip():
        ctx.report.error(owner.value_mark(name), "wrong-type", f"{name} must be text here")
        return None
    if len(value.strip()) > limit:
        ctx.report.error(
            owner.value_mark(name), "too-long", f"{name} is {len(value.strip())} characters; at most {limit} fit"
        )
        return None
    return value.strip()


def _same_ids(
    items: list[tuple[YamlMap, Mark]], expected: tuple[str, ...], what: str, owner: YamlMap, key: str, ctx: LoadContext
) -> bool:
    """Report where a translation's ids differ from the default locale's; True when they are the same."""
    for index, (item, mark) in enumerate(items):
        found = item.get("id")
        if index >= len(expected):
            ctx.report.error(
                mark,
                "structure-mismatch",
                f"{ctx.default_locale} has {len(expected)} {what}s; this translation has more ({found!r} is extra)",
            )
            return False
        if found != expected[index]:
            ctx.report.error(
                item.value_mark("id"),
                "structure-mismatch",
                f"{what} {index + 1} is {expected[index]!r} in {ctx.default_locale}, not {found!r}; "
                "translate the same ids in the same order",
            )
            return False
    if len(items) < len(expected):
        ctx.report.error(
            owner.value_mark(key),
            "structure-mismatch",
            f"{what} {expected[len(items)]!r} of {ctx.default_locale} is missing here "
            f"({len(items)} of {len(expected)})",
        )
        return False
    return True


def parse_text(data: YamlMap, ctx: LoadContext, structure: Any) -> QuizText | None:
    """The quiz texts of one locale's file, checked against the default locale's structure."""
    if not isinstance(structure, QuizStructure):
        return None
    translation = ctx.locale != ctx.default_locale
    question_items = _maps(data, "questions", "questions (id, text, why)", ctx)
    band_items = _maps(data, "bands", "result bands (id, title, guidance)", ctx)
    if question_items is None or band_items is None:
        return None
    ok = _same_ids(question_items, tuple(q.id for q in structure.questions), "question", data, "questions", ctx)
    ok = _same_ids(band_items, tuple(b.id for b in structure.bands), "band", data, "bands", ctx) and ok
    if not ok:
        return None
    questions: dict[str, QuestionText] = {}
    for (item, _), question in zip(question_items, structure.questions, strict=True):
        if translation:
            _keys(item, QUESTION_TEXT_KEYS, QUESTION_KEYS, ctx)
        text = _markup(item, "text", QUESTION_MAX, ctx)
        why = _markup(item, "why", WHY_MAX, ctx)
        labels = _labels(item, question, translation, ctx)
        if text is None or why is None or labels is None:
            ok = False
            continue
        questions[question.id] = QuestionText(text, why, labels)
    bands: dict[str, BandText] = {}
    for (item, _), band in zip(band_items, structure.bands, strict=True):
        if translation:
            _keys(item, BAND_TEXT_KEYS, BAND_KEYS, ctx)
        title = _plain(item, "title", BAND_TITLE_MAX, ctx)
        guidance = _markup(item, "guidance", GUIDANCE_MAX, ctx)
        if title is None or guidance is None:
            ok = False
            continue
        bands[band.id] = BandText(title, guidance)
    if not ok:
        return None
    return QuizText(MappingProxyType(questions), MappingProxyType(bands))


def _labels(item: YamlMap, question: Question, translation: bool, ctx: LoadContext) -> tuple[str, ...] | None:
    """The custom answer labels of a question (none for yes/no questions)."""
    value = item.get("choices")
    if question.kind is AnswerKind.YES_NO:
        if value is not None and translation:
            ctx.report.error(
                item.key_mark("choices"),
                "structure-mismatch",
                f"question {question.id!r} is a yes/no question in {ctx.default_locale}; remove choices",
            )
            return None
        return ()
    if not isinstance(value, YamlList):
        ctx.report.error(
            item.value_mark("choices") if value is not None else item.mark,
            "structure-mismatch" if value is None else "wrong-type",
            f"question {question.id!r} needs its {question.choices} choices translated, in the same order",
        )
        return None
    if len(value) != question.choices:
        ctx.report.error(
            item.value_mark("choices"),
            "structure-mismatch",
            f"question {question.id!r} has {question.choices} choices in {ctx.default_locale}, {len(value)} here",
        )
        return None
    labels: list[str] = []
    for index, choice in enumerate(value):
        label = choice.get("label") if isinstance(choice, YamlMap) and not translation else choice
        if not isinstance(label, str) or not label.strip():
            what = "a text" if translation else "label: and weight:"
            ctx.report.error(value.item_mark(index), "wrong-type", f"each choice must be {what}")
            return None
        if len(label.strip()) > LABEL_MAX:
            ctx.report.error(
                value.item_mark(index), "too-long", f"a choice is a button: at most {LABEL_MAX} characters"
            )
            return None
        labels.append(label.strip())
    return tuple(labels)


# --- checks over the whole content ------------------------------------------------------------------


def _locale_file(node: Node, locale: str) -> str:
    return f"{locale}/{node.file.split('/', 1)[1]}" if "/" in node.file else locale


def check_quiz(content: Content, node: Node, report: Report) -> None:
    """Every button of the quiz fits 64 bytes, and every result and question fits one message, in every locale."""
    structure = node.extra
    if not isinstance(structure, QuizStructure):
        return
    full = QuizState(Mode.ANSWER, structure.version, tuple(q.choices - 1 for q in structure.questions))
    try:
        encode(LONGEST_HEADER, Quiz(node.key, encode_state(node.key, full)))
    except CallbackTooLong:
        report.error(Mark(node.file), "callback-too-long", "this quiz's buttons do not fit 64 bytes; use a shorter key")
    for locale in content.locales:
        text = content.texts.get(locale, {}).get(node.id)
        if text is None or not isinstance(text.extra, QuizText):
            continue
        extra = text.extra
        intro = _visible("\n\n".join(text.parts))
        if len(text.parts) > 1 or markup.utf16_len(intro) > INTRO_MAX:
            report.error(
                Mark(_locale_file(node, locale)),
                "too-long",
                f"the intro is shown above the first question; keep it under {INTRO_MAX} characters",
            )
        whys = sum(markup.utf16_len(_visible(extra.questions[q.id].why)) + 3 for q in structure.questions)
        longest = max(markup.utf16_len(_visible(extra.bands[b.id].guidance)) for b in structure.bands)
        total = whys + longest + len(text.title) + 200  # headings and the band title
        if total > MESSAGE_MAX:
            report.error(
                Mark(_locale_file(node, locale)),
                "too-long",
                f"a result listing every warning sign could be {total} characters; one message holds "
                f"{MESSAGE_MAX} (shorten the why texts or the guidance)",
            )


_TAG = re.compile(r"<[^>]+>")


def _visible(fragment: str) -> str:
    return html.unescape(_TAG.sub("", fragment))
