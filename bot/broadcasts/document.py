"""topics.yaml and broadcasts/<name>.yaml: parse and check them, reporting every problem at file:line:col."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from bot.broadcasts.model import BROADCASTS, MESSAGE_MAX, TOPIC_MAX, TOPIC_RE, TOPICS, Broadcast, Topic, Topics
from bot.content import markup
from bot.content.diagnostics import Mark, Report
from bot.content.model import Content
from bot.content.types import TITLE_MAX
from bot.content.yamlio import YamlList, YamlMap

if TYPE_CHECKING:
    from bot.content.types import LoadContext

TOPICS_FILE = f"{TOPICS}.yaml"
WHEN_RE = re.compile(r"^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?(Z|[+-]\d{2}:\d{2})?$")
BROADCAST_KEYS: Mapping[str, str] = {
    "topic": "the topic whose subscribers receive it (an id of topics.yaml)",
    "text": "the message per locale, in the markup of pages: {en: ..., my: ...}; English is required",
    "button": "optional: the id of a page or menu opened by a button under the message",
    "send_at": "optional: when the running bot sends it by itself, YYYY-MM-DD HH:MM (UTC)",
    "expires": "optional: from this time on nothing more is sent, even on resume, YYYY-MM-DD[ HH:MM] (UTC)",
    "machine": "the locales whose text is a machine translation nobody has reviewed yet: [my, km]",
}
TOPIC_KEYS: Mapping[str, str] = {
    "title": "the topic's name per locale, also its button label: {en: Before I leave, my: ...}",
    "machine": "the locales whose title is a machine translation nobody has reviewed yet",
}


def _locales(value: Any, report: Report, mark: Mark, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, YamlList) or not all(isinstance(item, str) for item in value):
        report.error(mark, "wrong-type", f"{key} must be a list of locale codes: [my, km]")
        return ()
    return tuple(value)


def _texts(data: YamlMap, key: str, report: Report, max_length: int | None) -> dict[str, str]:
    """The per-locale texts of `key` as written (markup is rendered by the caller)."""
    raw = data.get(key)
    if raw is None:
        report.error(data.mark, "missing-field", f"{key!r} is required")
        return {}
    if not isinstance(raw, YamlMap):
        report.error(data.value_mark(key), "wrong-type", f"{key} must be a mapping of locale: text")
        return {}
    texts: dict[str, str] = {}
    for locale, text in raw.items():
        if not isinstance(text, str) or not text.strip():
            report.error(raw.value_mark(locale), "wrong-type", f"{key}.{locale} must be text")
            continue
        if max_length is not None and len(text.strip()) > max_length:
            report.error(raw.value_mark(locale), "too-long", f"{key}.{locale} is at most {max_length} characters")
        texts[str(locale)] = text.strip() if max_length is not None else text
    return texts


def _when(data: YamlMap, key: str, report: Report) -> datetime | None:
    raw = data.get(key)
    if raw is None:
        return None
    text = (data.plain_text(key) or str(raw)).strip()
    try:
        if not WHEN_RE.match(text):
            raise ValueError(text)
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        report.error(data.value_mark(key), "bad-date", f"{key} must be like 2027-03-31 09:00 (UTC), got {text!r}")
        return None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _unknown_keys(data: YamlMap, known: Mapping[str, str], report: Report, what: str) -> None:
    for key in data:
        if key not in known:
            report.error(data.key_mark(key), "unknown-key", f"unknown {what} key {key!r} (known: {', '.join(known)})")


def parse_topics(data: YamlMap, ctx: LoadContext) -> Topics:
    """Parse topics.yaml: `<topic id>: {title: {locale: text}, machine: [...]}` in the order people see them."""
    topics: list[Topic] = []
    for topic_id, entry in data.items():
        mark = data.key_mark(topic_id)
        if not isinstance(topic_id, str) or not TOPIC_RE.match(topic_id):
            ctx.report.error(
                mark, "bad-id", f"topic id {topic_id!r} must be 1-{TOPIC_MAX} characters of a-z, 0-9 and '-'"
            )
            continue
        if not isinstance(entry, YamlMap):
            ctx.report.error(data.value_mark(topic_id), "wrong-type", "a topic is a mapping: {title: {en: ...}}")
            continue
        _unknown_keys(entry, TOPIC_KEYS, ctx.report, "topic")
        titles = _texts(entry, "title", ctx.report, TITLE_MAX)
        machine = _locales(entry.get("machine"), ctx.report, entry.value_mark("machine"), "machine")
        marks = {"entry": mark, "title": entry.value_mark("title") if "title" in entry else mark}
        topics.append(Topic(topic_id, titles, machine, marks))
    return Topics(tuple(topics))


def _check_locales(
    content: Content, texts: Mapping[str, str], machine: tuple[str, ...], mark: Mark, what: str, report: Report
) -> None:
    for locale in (*texts, *machine):
        if locale not in content.locales:
            report.error(mark, "unknown-locale", f"{what}: {locale!r} is not enabled in bot.yaml")
    if texts and content.default_locale not in texts:
        report.error(mark, "missing-field", f"{what}: the {content.default_locale} text is required")
    missing = [locale for locale in content.locales if locale not in texts]
    if texts and missing:
        report.warning(
            mark, "missing-translation", f"{what}: not translated into {', '.join(missing)} yet; they get the fallback"
        )
    unreviewed = [locale for locale in machine if locale in texts]
    if unreviewed:
        report.warning(
            mark,
            "unreviewed-translation",
            f"{what}: {', '.join(unreviewed)} are machine translations no native speaker has reviewed yet",
        )


def check_topics(content: Content, topics: Topics, report: Report) -> None:
    """Every title in an enabled locale, the default one present; missing translations are warnings."""
    for topic in topics.items:
        _check_locales(content, topic.titles, topic.machine, topic.marks["title"], f"topic {topic.id}", report)


def parse_broadcast(data: YamlMap, ctx: LoadContext) -> Broadcast:
    """Parse one broadcast file; the text of every locale is rendered to Telegram HTML and must fit one message."""
    report = ctx.report
    _unknown_keys(data, BROADCAST_KEYS, report, "broadcast")
    topic = data.get("topic")
    if not isinstance(topic, str) or not topic.strip():
        report.error(data.value_mark("topic") if "topic" in data else data.mark, "missing-field", "'topic' is required")
        topic = ""
    raw_texts = _texts(data, "text", report, None)
    texts: dict[str, str] = {}
    holder = data.get("text")
    for locale, source in raw_texts.items():
        where = holder.value_pos(locale) if isinstance(holder, YamlMap) else None
        try:
            blocks = markup.render_blocks(source)
            parts = markup.split_parts(blocks, MESSAGE_MAX)
        except markup.MarkupError as exc:
            mark = where.at(exc.line, exc.col) if where else data.mark
            report.error(mark, "markup", f"text.{locale}: {exc.message}")
            continue
        if len(parts) != 1:
            length = sum(block.length for block in blocks)
            report.error(
                where.mark if where else data.mark,
                "too-long",
                f"text.{locale} is {length} characters; a broadcast is one message of at most {MESSAGE_MAX}",
            )
            continue
        texts[locale] = parts[0]
    button = data.get("button")
    if button is not None and not isinstance(button, str):
        report.error(data.value_mark("button"), "wrong-type", "button must be a node id such as before-you-go/fees")
        button = None
    send_at, expires = _when(data, "send_at", report), _when(data, "expires", report)
    if send_at is not None and expires is not None and expires <= send_at:
        report.error(data.value_mark("expires"), "bad-date", f"expires ({expires}) is not after send_at ({send_at})")
    machine = _locales(
        data.get("machine"), report, data.value_mark("machine") if "machine" in data else data.mark, "machine"
    )
    marks = {key: data.value_mark(key) for key in ("topic", "text", "button") if key in data}
    marks["file"] = Mark(ctx.path, 1, 1)
    name = PurePosixPath(ctx.path).stem
    return Broadcast(name, topic.strip(), texts, button, send_at, expires, machine, marks)


def check_broadcasts(content: Content, broadcasts: Mapping[str, Broadcast], report: Report) -> None:
    """The topic and button exist, the locales are enabled, missing translations are warned about."""
    topics = content.documents.get(TOPICS)
    known = topics.ids if isinstance(topics, Topics) else ()
    for broadcast in broadcasts.values():
        where = broadcast.marks
        if broadcast.topic and broadcast.topic not in known:
            report.error(
                where.get("topic", where["file"]),
                "dangling-reference",
                f"topic {broadcast.topic!r} is not in {TOPICS_FILE} (known: {', '.join(known) or 'none'})",
            )
        if broadcast.button is not None and broadcast.button not in content.nodes:
            report.error(
                where.get("button", where["file"]),
                "dangling-reference",
                f"button {broadcast.button!r} is not a node id of {content.default_locale}/",
            )
        _check_locales(
            content,
            broadcast.texts,
            broadcast.machine,
            where.get("text", where["file"]),
            f"{BROADCASTS}/{broadcast.name}",
            report,
        )


_LOCALE_MAP = {"type": "object", "additionalProperties": {"type": "string"}}
_LOCALES = {"type": "array", "items": {"type": "string"}}

TOPICS_SCHEMA: Mapping[str, Any] = {
    "type": "object",
    "propertyNames": {"pattern": TOPIC_RE.pattern},
    "additionalProperties": {
        "type": "object",
        "required": ["title"],
        "additionalProperties": False,
        "properties": {
            "title": {
                **_LOCALE_MAP,
                "additionalProperties": {"type": "string", "maxLength": TITLE_MAX},
                "description": TOPIC_KEYS["title"],
            },
            "machine": {**_LOCALES, "description": TOPIC_KEYS["machine"]},
        },
    },
}

BROADCAST_SCHEMA: Mapping[str, Any] = {
    "type": "object",
    "required": ["topic", "text"],
    "additionalProperties": False,
    "properties": {
        "topic": {"type": "string", "pattern": TOPIC_RE.pattern, "description": BROADCAST_KEYS["topic"]},
        "text": {**_LOCALE_MAP, "description": BROADCAST_KEYS["text"]},
        "button": {"type": "string", "description": BROADCAST_KEYS["button"]},
        # No "type": YAML 1.1 readers turn an unquoted date into a date object, editors keep text.
        "send_at": {"pattern": WHEN_RE.pattern, "description": BROADCAST_KEYS["send_at"]},
        "expires": {"pattern": WHEN_RE.pattern, "description": BROADCAST_KEYS["expires"]},
        "machine": {**_LOCALES, "description": BROADCAST_KEYS["machine"]},
    },
}
