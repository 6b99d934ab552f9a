"""The JSON Schemas in schema/: generated from the types, up to date, and agreeing with the loader."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from bot.cli import main
from bot.content import schema
from bot.content.types import DOCUMENT_TYPES, NODE_TYPES

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_DIR = ROOT / "schema"
CONTENT = ROOT / "content"
GOOD = ROOT / "tests" / "fixtures" / "good"
BROKEN = ROOT / "tests" / "fixtures" / "broken" / "files"


def _validator(name: str) -> Draft202012Validator:
    data = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(data)
    return Draft202012Validator(data)


def _files(tree: Path) -> list[tuple[str, object, str]]:
    """(relative path, parsed YAML, schema name) of every content file with a schema."""
    default = yaml.safe_load((tree / "bot.yaml").read_text(encoding="utf-8"))["default_locale"]
    found = []
    for path in sorted(tree.rglob("*.yaml")):
        rel = path.relative_to(tree).as_posix()
        name = schema.schema_for(rel, default)
        if name is not None:
            found.append((rel, yaml.safe_load(path.read_text(encoding="utf-8-sig")), name))
    return found


def test_the_committed_schemas_are_up_to_date(capsys: pytest.CaptureFixture[str]) -> None:
    assert schema.stale(SCHEMA_DIR) == [], "run `python -m bot schema`"
    assert main(["schema", "--check", str(SCHEMA_DIR)]) == 0


def test_every_type_and_document_has_a_schema() -> None:
    generated = schema.schemas()
    assert {schema.BOT_SCHEMA, schema.MENU_SCHEMA, schema.NODE_SCHEMA, schema.TRANSLATION_SCHEMA} <= set(generated)
    for name in DOCUMENT_TYPES:
        assert schema.document_schema_name(name) in generated
    node = json.loads(generated[schema.NODE_SCHEMA])
    assert node["properties"]["type"]["enum"] == [name for name in NODE_TYPES if name != "menu"]
    for text in generated.values():
        Draft202012Validator.check_schema(json.loads(text))


def test_check_flags_a_stale_schema_and_writing_fixes_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", str(tmp_path)]) == 0
    (tmp_path / schema.MENU_SCHEMA).write_text("{}\n", encoding="utf-8")
    assert main(["schema", "--check", str(tmp_path)]) == 1
    assert "menu.schema.json: error: out of date" in capsys.readouterr().err
    assert main(["schema", str(tmp_path)]) == 0
    assert main(["schema", "--check", str(tmp_path)]) == 0


@pytest.mark.parametrize("tree", [GOOD, CONTENT], ids=["fixtures-good", "content"])
def test_schemas_accept_the_shipped_content(tree: Path) -> None:
    if not (tree / "bot.yaml").is_file():
        pytest.skip(f"{tree} has no bot.yaml yet")
    files = _files(tree)
    assert files
    problems = [f"{rel}: {error.message}" for rel, data, name in files for error in _validator(name).iter_errors(data)]
    assert problems == []


@pytest.mark.parametrize(
    ("file", "fragment"),
    [
        ("unknown-key.yaml", "'colour' was unexpected"),
        ("wrong-type.yaml", "5 is not of type 'array'"),
        ("missing-field.yaml", "'body' is a required property"),
        ("long-title.yaml", "is too long"),
        ("bad-target.yaml", None),  # valid to the schema: only the loader knows which ids exist
    ],
)
def test_schemas_reject_the_schema_detectable_broken_files(file: str, fragment: str | None) -> None:
    data = yaml.safe_load((BROKEN / "en" / file).read_text(encoding="utf-8"))
    messages = [error.message for error in _validator(schema.NODE_SCHEMA).iter_errors(data)]
    if fragment is None:
        assert messages == []
    else:
        assert any(fragment in message for message in messages), messages


@pytest.mark.parametrize(
    ("name", "data", "valid"),
    [
        (schema.NODE_SCHEMA, {"type": "link", "title": "Go", "target": "a/b"}, True),
        (schema.NODE_SCHEMA, {"type": "link", "title": "Go"}, False),
        (schema.NODE_SCHEMA, {"type": "link", "title": "Go", "target": "a", "body": "x"}, False),
        (schema.NODE_SCHEMA, {"type": "quiz-that-does-not-exist", "title": "Go"}, False),
        (schema.NODE_SCHEMA, {"title": "Page", "body": "x", "media": {"photo": "a.jpg", "voice": "b.ogg"}}, False),
        (schema.NODE_SCHEMA, {"title": "Page", "body": "x", "help": ["labour-rights"]}, True),
        (schema.NODE_SCHEMA, {"title": "Page", "body": "x", "help": ["labor-rights"]}, False),
        (schema.MENU_SCHEMA, {"title": "Menu", "order": ["a", "b"]}, True),
        (schema.MENU_SCHEMA, {"title": "Menu", "order": ["A b"]}, False),
        (schema.TRANSLATION_SCHEMA, {"title": "x", "translation": {"source": "0badc0de", "machine": True}}, True),
        (schema.TRANSLATION_SCHEMA, {"title": "x", "order": ["a"]}, False),
        (schema.BOT_SCHEMA, {"default_locale": "en", "locales": ["en", "fa_AF"]}, True),
        (schema.BOT_SCHEMA, {"locales": ["en"]}, False),
    ],
)
def test_schema_cases(name: str, data: dict[str, object], valid: bool) -> None:
    assert _validator(name).is_valid(data) is valid
