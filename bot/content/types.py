"""The node types and top-level documents of the content, and the fields each accepts.

A feature adds a node type (quiz ...) with `register_node_type` and a top-level file (helplines.yaml,
campaigns.yaml) or folder of files (broadcasts/) with `register_document_type`, from `bot.features`, which
whatever wires the bot calls; this engine imports no feature. The loader, `check` and the JSON Schema all
read these registries.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.content.diagnostics import Report
    from bot.content.model import Content, Node
    from bot.content.yamlio import YamlMap

TITLE_MAX = 64  # characters; a title is also a button label


class FieldKind(StrEnum):
    """The shape of a field's value."""

    TEXT = "text"  # one line of plain text
    MARKUP = "markup"  # body markup, rendered to Telegram HTML
    TEXT_LIST = "text-list"  # a list of short texts
    NAMES = "names"  # a list of child file/folder names (menu order)
    PURPOSES = "purposes"  # a list of helpline purposes
    SOURCES = "sources"  # a list of {title, url}
    MEDIA = "media"  # {photo: path} or {voice: path}
    NODE_REF = "node-ref"  # the id of another node
    KEY = "key"  # a short callback key override
    TYPE = "type"
    TRANSLATION = "translation"  # {source, machine, reviewed} in translation files
    CUSTOM = "custom"  # parsed by the node type's own function


@dataclass(frozen=True, slots=True)
class Field:
    """One accepted key of a content file."""

    kind: FieldKind
    description: str
    required: bool = False
    translatable: bool = False
    max_length: int | None = None
    schema: Mapping[str, Any] | None = None  # JSON Schema for CUSTOM fields


@dataclass(frozen=True, slots=True)
class LoadContext:
    """What a type's own parser may use: where it is and where to report problems."""

    report: Report
    path: str
    locale: str
    default_locale: str


StructureParser = Callable[["YamlMap", LoadContext], Any]
TextParser = Callable[["YamlMap", LoadContext, Any], Any]  # (mapping, context, structure extra) -> text extra
NodeCheck = Callable[["Content", "Node", "Report"], None]
ScreenHook = Callable[..., Any]  # (content, ui, header, node, page) -> bot.screens.Screen; replaces the page screen
# (content, ui, header, node, part, parts) -> bot.screens.Addition | None: text and buttons a feature adds to a page
PageHook = Callable[..., Any]


@dataclass(frozen=True, slots=True)
class NodeType:
    """A kind of node: its fields, and optional hooks for type-specific data and checks."""

    name: str
    description: str
    fields: Mapping[str, Field]
    parse_structure: StructureParser | None = None
    parse_text: TextParser | None = None
    check: NodeCheck | None = None
    screen: ScreenHook | None = None

    @property
    def text_fields(self) -> tuple[str, ...]:
        """The keys a translation file may contain (besides `translation`)."""
        return tuple(name for name, spec in self.fields.items() if spec.translatable)


@dataclass(frozen=True, slots=True)
class DocumentType:
    """A top-level content file such as helplines.yaml (or a folder of them), parsed into a typed object."""

    name: str  # file stem (or folder name), and key in Content.documents
    description: str
    parse: Callable[[YamlMap, LoadContext], Any]
    check: Callable[[Content, Any, Report], None] | None = None
    schema: Mapping[str, Any] = field(default_factory=dict)
    # A folder document is `<name>/<file>.yaml`, one object per file: Content.documents[name] maps each file's stem
    # to what `parse` returned for it, and `check` receives that mapping.
    folder: bool = False


COMMON_FIELDS: Mapping[str, Field] = {
    "type": Field(FieldKind.TYPE, "The node type; a file is a page unless it says otherwise."),
    "key": Field(FieldKind.KEY, "A short button key (a-z, 0-9, at most 10); only to settle a reported key collision."),
    "title": Field(
        FieldKind.TEXT,
        "The title, also the button label.",
        required=True,
        translatable=True,
        max_length=TITLE_MAX,
    ),
    "keywords": Field(FieldKind.TEXT_LIST, "Words people may type to find this.", translatable=True),
    "help": Field(FieldKind.PURPOSES, "Helpline purposes that fit this topic; Get help opens these first."),
    "media": Field(FieldKind.MEDIA, "A picture or voice note sent with the node: {photo: media/x.jpg}."),
    "sources": Field(FieldKind.SOURCES, "Where the facts come from; shown under the Sources button."),
}

SUBSCRIBE_DOCUMENT = "topics"  # the top-level document whose ids `subscribe:` names (content/topics.yaml)
SUBSCRIBE_FIELD = Field(
    FieldKind.TEXT,
    "A topic id of topics.yaml: a button on the screen lets people start or stop these follow-ups (opt-in only).",
)

MENU = NodeType(
    "menu",
    "A folder: its _menu.yaml gives the title, an introduction and the order of its buttons.",
    {
        **COMMON_FIELDS,
        "intro": Field(FieldKind.MARKUP, "Text shown above the buttons.", translatable=True),
        "order": Field(FieldKind.NAMES, "The order of the buttons: names of the files and folders inside."),
        "audience": Field(
            FieldKind.TEXT,
            "Who this menu and everything in it is for, when not the people the bot serves (e.g. officers): "
            "never offered in the answer to someone asking for help.",
            max_length=32,
        ),
        "subscribe": SUBSCRIBE_FIELD,
    },
)
PAGE = NodeType(
    "page",
    "A page of guidance.",
    {
        **COMMON_FIELDS,
        "body": Field(FieldKind.MARKUP, "The text of the page.", required=True, translatable=True),
        "subscribe": SUBSCRIBE_FIELD,
    },
)
LINK = NodeType(
    "link",
    "A button that opens another node.",
    {**COMMON_FIELDS, "target": Field(FieldKind.NODE_REF, "The id of the node to open.", required=True)},
)


@dataclass(frozen=True, slots=True)
class PageAddition:
    """What a feature adds to the pages its own document names (a caution above, a licence lookup below), so the
    page files need no edit; `render` is called for every page and returns None where it adds nothing."""

    name: str
    description: str
    render: PageHook


NODE_TYPES: dict[str, NodeType] = {t.name: t for t in (MENU, PAGE, LINK)}
DOCUMENT_TYPES: dict[str, DocumentType] = {}
PAGE_ADDITIONS: dict[str, PageAddition] = {}


def register_node_type(node_type: NodeType) -> NodeType:
    """Add a node type (features register theirs through `bot.features.install`)."""
    NODE_TYPES[node_type.name] = node_type
    return node_type


def register_document_type(document_type: DocumentType) -> DocumentType:
    """Add a top-level document type."""
    DOCUMENT_TYPES[document_type.name] = document_type
    return document_type


def register_page_addition(addition: PageAddition) -> PageAddition:
    """Add what a feature shows on pages (features register theirs through `bot.features.install`)."""
    PAGE_ADDITIONS[addition.name] = addition
    return addition
