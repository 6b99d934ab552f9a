"""Telegram's HTML parse mode: parse to (text, entities) with Telegram's errors, and render entities back."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

from .errors import bad_request
from .utf16 import utf16_len, utf16_to_index

_SIMPLE_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
}
SUPPORTED_TAGS = frozenset({*_SIMPLE_TAGS, "span", "a", "blockquote", "tg-emoji", "tg-time"})
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY = re.compile(r"&(#[xX][0-9a-fA-F]{1,8}|#[0-9]{1,10}|[a-zA-Z][a-zA-Z0-9]*);")
_TAG_NAME = re.compile(r"[a-zA-Z][a-zA-Z0-9-]*")
_ATTR = re.compile(r"""\s*([a-zA-Z_][a-zA-Z0-9_-]*)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>"']+))?""")


def _parse_error(message: str) -> Exception:
    return bad_request(f"can't parse entities: {message}")


@dataclass
class _Open:
    """A start tag waiting for its end tag."""

    name: str
    start: int
    attrs: dict[str, str]
    inner_language: str | None = field(default=None)


def _byte_offset(source: str, index: int) -> int:
    return len(source[:index].encode("utf-8"))


def _decode_entities(source: str, base: int, value: str) -> str:
    def replace(match: re.Match[str]) -> str:
        return _decode_entity(match, source, base + match.start())

    return _ENTITY.sub(replace, value)


def _decode_entity(match: re.Match[str], source: str, index: int) -> str:
    name = match.group(1)
    if name.startswith(("#x", "#X")):
        code = int(name[2:], 16)
    elif name.startswith("#"):
        code = int(name[1:])
    elif name in _NAMED_ENTITIES:
        return _NAMED_ENTITIES[name]
    else:
        raise _parse_error(f'Unsupported HTML entity "&{name};" at byte offset {_byte_offset(source, index)}')
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        raise _parse_error(f"Invalid character code in HTML entity at byte offset {_byte_offset(source, index)}")
    return chr(code)


def parse_html(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse Telegram HTML into plain text and MessageEntity dicts, raising Telegram's 400 errors."""
    out: list[str] = []
    units = 0
    stack: list[_Open] = []
    entities: list[dict[str, Any]] = []
    i = 0
    n = len(source)
    while i < n:
        ch = source[i]
        if ch == "&":
            match = _ENTITY.match(source, i)
            if match:
                text = _decode_entity(match, source, i)
                i = match.end()
            else:
                text = "&"
                i += 1
        elif ch == "<":
            i = _parse_tag(source, i, stack, entities, units)
            continue
        else:
            text = ch
            i += 1
        out.append(text)
        units += utf16_len(text)
    if stack:
        raise _parse_error(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _parse_tag(source: str, i: int, stack: list[_Open], entities: list[dict[str, Any]], units: int) -> int:
    """Handle the tag starting at `source[i] == "<"`; return the index after it."""
    close = source.find(">", i)
    if source.startswith("</", i):
        if close == -1:
            raise _parse_error(f"Unclosed end tag at byte offset {_byte_offset(source, i)}")
        name = source[i + 2 : close].strip().lower()
        if not stack:
            raise _parse_error(f"Unexpected end tag at byte offset {_byte_offset(source, i)}")
        top = stack[-1]
        if name != top.name:
            raise _parse_error(
                f'Unmatched end tag at byte offset {_byte_offset(source, i)}, expected "</{top.name}>", '
                f'found "</{name}>"'
            )
        stack.pop()
        entity = _entity_for(top, units, stack)
        if entity is not None and entity["length"] > 0:
            entities.append(entity)
        return close + 1
    name_match = _TAG_NAME.match(source, i + 1)
    if name_match is None:
        raise _parse_error(f'Unsupported start tag "" at byte offset {_byte_offset(source, i)}')
    name = name_match.group(0).lower()
    if name not in SUPPORTED_TAGS:
        raise _parse_error(f'Unsupported start tag "{name}" at byte offset {_byte_offset(source, i)}')
    attrs: dict[str, str] = {}
    j = name_match.end()
    while True:
        while j < len(source) and source[j].isspace():
            j += 1
        if j >= len(source):
            raise _parse_error(f"Unclosed start tag at byte offset {_byte_offset(source, i)}")
        if source[j] == ">":
            break
        if source.startswith("/>", j):
            raise _parse_error(f'Unsupported self-closing tag "{name}" at byte offset {_byte_offset(source, i)}')
        attr = _ATTR.match(source, j)
        if attr is None or attr.end() == j:
            raise _parse_error(
                f'Expected equal sign in declaration of an attribute of the tag "{name}" '
                f"at byte offset {_byte_offset(source, i)}"
            )
        raw_value = attr.group(2) or ""
        if raw_value[:1] in ('"', "'"):
            raw_value = raw_value[1:-1]
        attrs[attr.group(1).lower()] = _decode_entities(source, attr.start(2) if attr.group(2) else j, raw_value)
        j = attr.end()
    offset = _byte_offset(source, i)
    if name == "a" and not attrs.get("href"):
        raise _parse_error(f'Tag "a" must have attribute "href" at byte offset {offset}')
    if name == "span" and attrs.get("class") != "tg-spoiler":
        raise _parse_error(f'Tag "span" must have class "tg-spoiler" at byte offset {offset}')
    if name == "tg-emoji" and not attrs.get("emoji-id"):
        raise _parse_error(f'Tag "tg-emoji" must have attribute "emoji-id" at byte offset {offset}')
    if name == "tg-time" and not (attrs.get("unix") or "").lstrip("-").isdigit():
        raise _parse_error(f'Tag "tg-time" must have attribute "unix" at byte offset {offset}')
    stack.append(_Open(name, units, attrs))
    return j + 1


def _entity_for(tag: _Open, end: int, stack: list[_Open]) -> dict[str, Any] | None:
    """The MessageEntity a closed tag produces (code inside pre only sets the pre's language)."""
    entity: dict[str, Any] = {"offset": tag.start, "length": end - tag.start}
    name = tag.name
    if name == "code" and stack and stack[-1].name == "pre" and stack[-1].start == tag.start:
        language = tag.attrs.get("class", "")
        if language.startswith("language-"):
            stack[-1].inner_language = language.removeprefix("language-")
            return None
    if name in _SIMPLE_TAGS:
        entity["type"] = _SIMPLE_TAGS[name]
        if name == "pre" and tag.inner_language:
            entity["language"] = tag.inner_language
    elif name == "span":
        entity["type"] = "spoiler"
    elif name == "a":
        href = tag.attrs["href"]
        if href.startswith("tg://user?id=") and href.removeprefix("tg://user?id=").isdigit():
            entity["type"] = "text_mention"
            entity["user"] = {
                "id": int(href.removeprefix("tg://user?id=")),
                "is_bot": False,
                "first_name": "",
            }
        else:
            entity["type"] = "text_link"
            entity["url"] = href
    elif name == "blockquote":
        entity["type"] = "expandable_blockquote" if "expandable" in tag.attrs else "blockquote"
    elif name == "tg-emoji":
        entity["type"] = "custom_emoji"
        entity["custom_emoji_id"] = tag.attrs["emoji-id"]
    else:
        entity["type"] = "date_time"
        entity["unix_time"] = int(tag.attrs["unix"])
        if tag.attrs.get("format"):
            entity["date_time_format"] = tag.attrs["format"]
    return entity


_HTML_OPEN = {
    "bold": "<b>",
    "italic": "<i>",
    "underline": "<u>",
    "strikethrough": "<s>",
    "spoiler": "<tg-spoiler>",
    "code": "<code>",
    "blockquote": "<blockquote>",
    "expandable_blockquote": "<blockquote expandable>",
}
_HTML_CLOSE = {
    "bold": "</b>",
    "italic": "</i>",
    "underline": "</u>",
    "strikethrough": "</s>",
    "spoiler": "</tg-spoiler>",
    "code": "</code>",
    "blockquote": "</blockquote>",
    "expandable_blockquote": "</blockquote>",
    "pre": "</pre>",
    "text_link": "</a>",
    "text_mention": "</a>",
}


def _open_tag(entity: dict[str, Any]) -> str:
    kind = entity["type"]
    if kind == "pre":
        language = entity.get("language")
        return f'<pre><code class="language-{html.escape(language)}">' if language else "<pre>"
    if kind == "text_link":
        return f'<a href="{html.escape(entity["url"])}">'
    if kind == "text_mention":
        return f'<a href="tg://user?id={entity["user"]["id"]}">'
    return _HTML_OPEN.get(kind, "")


def _close_tag(entity: dict[str, Any]) -> str:
    if entity["type"] == "pre" and entity.get("language"):
        return "</code></pre>"
    return _HTML_CLOSE.get(entity["type"], "")


def entities_to_html(text: str, entities: list[dict[str, Any]]) -> str:
    """Render plain text and (properly nested) entities back to normalised Telegram HTML."""
    opens: dict[int, list[dict[str, Any]]] = {}
    closes: dict[int, list[dict[str, Any]]] = {}
    for entity in sorted(entities, key=lambda e: (e["offset"], -e["length"])):
        start = utf16_to_index(text, entity["offset"])
        end = utf16_to_index(text, entity["offset"] + entity["length"])
        opens.setdefault(start, []).append(entity)
        closes.setdefault(end, []).insert(0, entity)
    parts: list[str] = []
    for index in range(len(text) + 1):
        parts.extend(_close_tag(e) for e in closes.get(index, []))
        parts.extend(_open_tag(e) for e in opens.get(index, []))
        if index < len(text):
            parts.append(html.escape(text[index], quote=False))
    return "".join(parts)


# What Telegram marks as a phone number (a `phone_number` entity, which the apps make tappable) is documented only
# by the Bot API's example "+1-212-555-0123". The emulator marks that documented shape and nothing more: "+", then
# 7 to 15 digits, optionally grouped with single hyphens or spaces, not touching other letters or digits. Short
# codes and national numbers ("1343", "0800 1000") are not marked: whether Telegram links them is not documented.
_PHONE = re.compile(r"(?<![\w+])\+\d(?:[- ]?\d){6,14}(?!\w)")


def phone_entities(text: str) -> list[dict[str, Any]]:
    """The `phone_number` entities Telegram would report in `text`, where that is documented (see _PHONE)."""
    found = []
    for match in _PHONE.finditer(text):
        offset = utf16_len(text[: match.start()])
        found.append({"type": "phone_number", "offset": offset, "length": utf16_len(match.group())})
    return found
