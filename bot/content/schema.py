"""JSON Schemas of the content files, generated from the field specs in `bot.content.types`.

The schemas in `schema/` are what editors (VS Code's YAML extension) use to autocomplete and flag
mistakes while staff type; `python -m bot schema` writes them and `--check` fails when they are stale.
The loader stays the authority: some checks (markup, references, lengths in UTF-16) only it can do.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bot.content.loader import BOT_FILE, KEY_RE, MENU_FILE, NAME_RE
from bot.content.model import Purpose
from bot.content.types import DOCUMENT_TYPES, NODE_TYPES, Field, FieldKind, NodeType
from bot.numbers import DIGIT_STYLES

DRAFT = "https://json-schema.org/draft/2020-12/schema"
BOT_SCHEMA = "bot.schema.json"
MENU_SCHEMA = "menu.schema.json"
NODE_SCHEMA = "node.schema.json"
TRANSLATION_SCHEMA = "translation.schema.json"
LOCALE_PATTERN = r"^[a-z]{2,3}(_[A-Za-z0-9]{2,4})*$"

TRANSLATION_FIELD = Field(
    FieldKind.TRANSLATION, "Which source text this translates (check prints the fingerprint), and by whom."
)


def document_schema_name(name: str) -> str:
    """The schema file of a top-level document such as helplines.yaml."""
    return f"{name}.schema.json"


def _field_schema(spec: Field) -> dict[str, Any]:
    kind = spec.kind
    text: dict[str, Any] = {"type": "string", "minLength": 1}
    schema: dict[str, Any]
    if kind in (FieldKind.TEXT, FieldKind.NODE_REF):
        schema = dict(text)
        if spec.max_length:
            schema["maxLength"] = spec.max_length
    elif kind is FieldKind.MARKUP:
        schema = {"type": "string"}
    elif kind is FieldKind.KEY:
        schema = {"type": "string", "pattern": KEY_RE.pattern}
    elif kind is FieldKind.TEXT_LIST:
        schema = {"type": "array", "items": text}
    elif kind is FieldKind.NAMES:
        schema = {"type": "array", "items": {"type": "string", "pattern": NAME_RE.pattern}, "uniqueItems": True}
    elif kind is FieldKind.PURPOSES:
        schema = {"type": "array", "items": {"enum": [purpose.value for purpose in Purpose]}}
    elif kind is FieldKind.SOURCES:
        source = {
            "type": "object",
            "properties": {
                "title": text,
                "url": {"type": "string", "pattern": "^https://"},
                "no_url": {"type": "string", "minLength": 1, "description": "Why there is no url (none was found)."},
            },
            "required": ["title"],
            "additionalProperties": False,
        }
        schema = {"type": "array", "items": source}
    elif kind is FieldKind.MEDIA:
        schema = {
            "type": "object",
            "properties": {"photo": text, "voice": text},
            "minProperties": 1,
            "maxProperties": 1,
            "additionalProperties": False,
        }
    elif kind is FieldKind.TRANSLATION:
        schema = {
            "type": "object",
            "properties": {
                "source": {"type": "string", "pattern": "^[0-9a-f]{8}$"},
                "machine": {"type": "boolean"},
                "reviewed": {"type": "boolean"},
            },
            "additionalProperties": False,
        }
    elif kind is FieldKind.TYPE:
        schema = {"type": "string"}
    else:  # CUSTOM
        schema = dict(spec.schema or {})
    return {"description": spec.description, **schema}


def _object(fields: Mapping[str, Field], required: bool = True) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {name: _field_schema(spec) for name, spec in fields.items()},
        "required": [name for name, spec in fields.items() if spec.required] if required else [],
        "additionalProperties": False,
    }


def _node_type_schema(node_type: NodeType) -> dict[str, Any]:
    schema = _object(node_type.fields)
    type_value: dict[str, Any] = {"const": node_type.name, "description": node_type.description}
    schema["properties"]["type"] = type_value
    if node_type.name != "page":
        schema["required"] = ["type", *schema["required"]]
    return schema


def _header(name: str, title: str, description: str) -> dict[str, Any]:
    return {"$schema": DRAFT, "$id": name, "title": title, "description": description}


def bot_schema() -> dict[str, Any]:
    """The schema of bot.yaml."""
    locale = {"type": "string", "pattern": LOCALE_PATTERN}
    return {
        **_header(BOT_SCHEMA, "bot.yaml", "The bot's languages: the default locale, the enabled ones, fallbacks."),
        "type": "object",
        "properties": {
            "default_locale": {**locale, "description": "The locale whose folder defines every menu and page."},
            "locales": {"type": "array", "items": locale, "uniqueItems": True, "description": "Enabled locales."},
            "fallbacks": {
                "type": "object",
                "description": "Per locale, the locales to try before the default when a text is missing.",
                "additionalProperties": {"type": "array", "items": locale},
            },
            "digits": {
                "type": "object",
                "description": "Per locale, the digits of every number but phone numbers (which are always 0-9, "
                "so phones dial them and Telegram links them); a locale not named here writes 0-9.",
                "additionalProperties": {"enum": sorted(DIGIT_STYLES)},
            },
        },
        "required": ["default_locale", "locales"],
        "additionalProperties": False,
    }


def menu_schema() -> dict[str, Any]:
    """The schema of a _menu.yaml in the default locale."""
    menu = NODE_TYPES["menu"]
    schema = _object({name: spec for name, spec in menu.fields.items() if name != "type"})
    return {**_header(MENU_SCHEMA, "_menu.yaml", menu.description), **schema}


def node_schema() -> dict[str, Any]:
    """The schema of a node file in the default locale: a page unless `type` names another node type."""
    types = [node_type for name, node_type in NODE_TYPES.items() if name != "menu"]
    branches = []
    for node_type in types:
        condition: dict[str, Any] = {"properties": {"type": {"const": node_type.name}}}
        if node_type.name != "page":  # a file without `type` is a page
            condition["required"] = ["type"]
        branches.append({"if": condition, "then": _node_type_schema(node_type)})
    return {
        **_header(NODE_SCHEMA, "node", "A page (the default) or another node type named by `type`."),
        "type": "object",
        "properties": {"type": {"enum": [node_type.name for node_type in types]}},
        "allOf": branches,
    }


def translation_schema() -> dict[str, Any]:
    """The schema of a file in a translation locale: only text fields, plus `translation`."""
    fields: dict[str, Field] = {}
    for node_type in NODE_TYPES.values():
        for name in node_type.text_fields:
            fields.setdefault(name, node_type.fields[name])
    fields["translation"] = TRANSLATION_FIELD
    return {
        **_header(
            TRANSLATION_SCHEMA,
            "translation",
            "The translated text of a node; its structure comes from the default locale.",
        ),
        **_object(fields, required=False),
    }


def schemas() -> dict[str, str]:
    """Every schema file's name and JSON text, generated from the registered types."""
    found: dict[str, dict[str, Any]] = {
        BOT_SCHEMA: bot_schema(),
        MENU_SCHEMA: menu_schema(),
        NODE_SCHEMA: node_schema(),
        TRANSLATION_SCHEMA: translation_schema(),
    }
    for name, document_type in sorted(DOCUMENT_TYPES.items()):
        file = document_schema_name(name)
        applies = f"{name}/*.yaml" if document_type.folder else f"{name}.yaml"
        found[file] = {**_header(file, applies, document_type.description), **document_type.schema}
    return {file: json.dumps(schema, indent=2, ensure_ascii=False) + "\n" for file, schema in found.items()}


def schema_for(rel_path: str, default_locale: str) -> str | None:
    """The schema file that applies to a content file (path relative to the content folder), if any."""
    parts = rel_path.split("/")
    if len(parts) == 1:
        if rel_path == BOT_FILE:
            return BOT_SCHEMA
        stem = rel_path.removesuffix(".yaml")
        return document_schema_name(stem) if stem in DOCUMENT_TYPES else None
    folder = DOCUMENT_TYPES.get(parts[0])
    if len(parts) == 2 and folder is not None and folder.folder:
        return document_schema_name(parts[0])
    if parts[0] != default_locale:
        return TRANSLATION_SCHEMA
    return MENU_SCHEMA if parts[-1] == MENU_FILE else NODE_SCHEMA


def write(directory: Path) -> list[str]:
    """Write every schema into `directory`; the names of the files that changed."""
    directory.mkdir(parents=True, exist_ok=True)
    changed = []
    for file, text in schemas().items():
        path = directory / file
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(file)
    return changed


def stale(directory: Path) -> list[str]:
    """The schema files in `directory` that are missing or differ from what the types generate."""
    return [
        file
        for file, text in schemas().items()
        if not (directory / file).is_file() or (directory / file).read_text(encoding="utf-8") != text
    ]
