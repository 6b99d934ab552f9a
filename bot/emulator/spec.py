"""The Bot API specification (telegram-bot-api.json) and validation of call parameters against it."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import bad_request
from .wire import FilePart

SPEC_FILENAME = "telegram-bot-api.json"
_MUST_BE = re.compile(r"must be ([a-z_]+)")
_INT = re.compile(r"-?\d+")
_MISSING = {  # Telegram's words for a missing required parameter, by (lower-case method or "" for any, name)
    ("", "text"): "message text is empty",
    ("deletemessage", "message_id"): "message to delete not found",
    ("deletemessages", "message_ids"): "message identifiers are not specified",
}


@dataclass(frozen=True)
class Field:
    """One parameter of a method or one field of a type."""

    name: str
    types: tuple[str, ...]
    required: bool


@dataclass(frozen=True)
class MethodSpec:
    """One Bot API method: its name, parameters and return types."""

    name: str
    params: Mapping[str, Field]
    returns: tuple[str, ...]


@dataclass(frozen=True)
class TypeSpec:
    """One Bot API type: fields, the subtypes of an abstract type, and a fixed `type` value if any."""

    name: str
    fields: Mapping[str, Field]
    subtypes: tuple[str, ...]
    type_tag: str | None


def default_spec_path() -> Path:
    """The shared reference copy beside the repository if present, else the copy shipped in the package."""
    shared = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / SPEC_FILENAME
    return shared if shared.is_file() else Path(__file__).with_name(SPEC_FILENAME)


def _fields(raw: list[dict[str, Any]]) -> dict[str, Field]:
    return {f["name"]: Field(f["name"], tuple(f["types"]), bool(f["required"])) for f in raw}


def _type_tag(raw: dict[str, Any]) -> str | None:
    for f in raw.get("fields", []):
        if f["name"] == "type":
            match = _MUST_BE.search(f.get("description", ""))
            return match.group(1) if match else None
    return None


class BotApiSpec:
    """Methods and types of one Bot API version, with a validator for incoming parameters."""

    def __init__(self, methods: Mapping[str, MethodSpec], types: Mapping[str, TypeSpec], version: str) -> None:
        self.methods = {name.lower(): spec for name, spec in methods.items()}
        self.types = dict(types)
        self.version = version

    @classmethod
    def load(cls, path: Path | None = None) -> BotApiSpec:
        """Read the JSON specification from `path` (default: `default_spec_path()`)."""
        data = json.loads((path or default_spec_path()).read_text(encoding="utf-8"))
        methods = {
            name: MethodSpec(name, _fields(raw.get("fields", [])), tuple(raw.get("returns", [])))
            for name, raw in data["methods"].items()
        }
        types = {
            name: TypeSpec(name, _fields(raw.get("fields", [])), tuple(raw.get("subtypes", [])), _type_tag(raw))
            for name, raw in data["types"].items()
        }
        return cls(methods, types, str(data.get("version", "")))

    def method(self, name: str) -> MethodSpec | None:
        """The method called `name` (case-insensitive, like Telegram), or None."""
        return self.methods.get(name.lower())

    def validate_call(
        self, method: MethodSpec, form: Mapping[str, str | FilePart], body: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Check and decode the parameters of one call; raise a 400 ApiError on the first problem."""
        params: dict[str, Any] = {}
        for name in [*form, *body]:
            if name not in method.params:
                raise bad_request(f'unknown parameter "{name}" for method {method.name}')
        for name, raw in form.items():
            params[name] = self._decode_form_value(method.params[name], raw)
        for name, value in body.items():
            if value is None:
                continue
            params[name] = self.check_value(value, method.params[name].types, name)
        for field in method.params.values():
            if field.required and field.name not in params:
                missing = _MISSING.get((method.name.lower(), field.name)) or _MISSING.get(("", field.name))
                raise bad_request(missing or f"{field.name} is empty")
        return params

    def _decode_form_value(self, field: Field, raw: str | FilePart) -> Any:
        """Turn one form/query value (JSON-encoded except plain strings) into a typed value."""
        if isinstance(raw, FilePart):
            if "InputFile" in field.types or any(t.startswith("Input") for t in field.types):
                return raw
            raise bad_request(f'parameter "{field.name}" does not accept a file upload')
        types = field.types
        if "Integer" in types and _INT.fullmatch(raw):
            return int(raw)
        if "Float" in types:
            try:
                return float(raw)
            except ValueError:
                pass
        if ("Boolean" in types or "True" in types) and raw.lower() in ("true", "false", "1", "0"):
            return raw.lower() in ("true", "1")
        if "String" in types:
            return raw
        if all(t in _SCALARS for t in types):
            raise bad_request(f'parameter "{field.name}" must be of type {" or ".join(types)}')
        try:
            value = json.loads(raw)
        except ValueError:
            if field.name == "reply_markup":
                raise bad_request("can't parse reply keyboard markup JSON object") from None
            raise bad_request(f'can\'t parse JSON in parameter "{field.name}"') from None
        return self.check_value(value, types, field.name)

    def check_value(self, value: Any, types: tuple[str, ...], path: str) -> Any:
        """Return `value` if it matches one of `types`, else raise a 400 naming `path`."""
        first_error = None
        for type_name in types:
            try:
                return self._check(value, type_name, path)
            except _Mismatch as exc:
                first_error = exc if first_error is None or (exc.final and not first_error.final) else first_error
        if first_error is not None and (len(types) == 1 or first_error.final):
            raise bad_request(first_error.message)
        raise bad_request(f'field "{path}" must be of type {" or ".join(types)}')

    def _check(self, value: Any, type_name: str, path: str) -> Any:
        if type_name.startswith("Array of "):
            if not isinstance(value, list):
                raise _Mismatch(f'field "{path}" must be an Array')
            inner = type_name.removeprefix("Array of ")
            return [self._check(item, inner, f"{path}[{i}]") for i, item in enumerate(value)]
        scalar = _SCALARS.get(type_name)
        if scalar is not None:
            if not scalar(value):
                raise _Mismatch(f'field "{path}" must be of type {type_name}')
            return value
        if type_name == "InputFile":
            if isinstance(value, FilePart):
                return value
            raise _Mismatch(f'field "{path}" must be a file')
        spec = self.types.get(type_name)
        if spec is None:
            raise _Mismatch(f'field "{path}" has unknown type {type_name}')
        if type_name == "KeyboardButton":
            return self._check_keyboard_button(value, spec, path)
        if spec.subtypes:
            final: _Mismatch | None = None
            for sub in spec.subtypes:
                try:
                    return self._check(value, sub, path)
                except _Mismatch as exc:
                    final = final or (exc if exc.final else None)
            raise final or _Mismatch(f'field "{path}" must be one of {", ".join(spec.subtypes)}')
        return self._check_object(value, spec, path)

    def _check_keyboard_button(self, value: Any, spec: TypeSpec, path: str) -> Any:
        """A KeyboardButton, or the plain string the spec allows in its place; the Bot API server's wording."""
        if isinstance(value, str):
            return value
        prefix = "can't parse keyboard button: "
        if not isinstance(value, dict):
            raise _Mismatch(prefix + "KeyboardButton must be a String or an Object", final=True)
        if "text" not in value:
            raise _Mismatch(prefix + 'Can\'t find field "text"', final=True)
        if not isinstance(value["text"], str):
            raise _Mismatch(prefix + 'Field "text" must be of type String', final=True)
        try:
            return self._check_object(value, spec, path)
        except _Mismatch as exc:
            wrong_type = re.fullmatch(rf'field "{re.escape(path)}\.(\w+)" must be of type (\w+)', exc.message)
            if wrong_type is None:
                raise _Mismatch(exc.message, final=True) from None
            field, type_name = wrong_type.groups()
            raise _Mismatch(f'{prefix}Field "{field}" must be of type {type_name}', final=True) from None

    def _check_object(self, value: Any, spec: TypeSpec, path: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise _Mismatch(f'field "{path}" must be a JSON object ({spec.name})')
        for key in value:
            if key not in spec.fields:
                raise _Mismatch(f'unknown field "{path}.{key}" in {spec.name}')
        if spec.type_tag is not None and value.get("type") != spec.type_tag:
            raise _Mismatch(f'field "{path}.type" must be "{spec.type_tag}"')
        checked: dict[str, Any] = {}
        for field in spec.fields.values():
            if field.name not in value:
                if field.required:
                    raise _Mismatch(f'field "{path}.{field.name}" is required in {spec.name}')
                continue
            item = value[field.name]
            last: _Mismatch | None = None
            for type_name in field.types:
                try:
                    checked[field.name] = self._check(item, type_name, f"{path}.{field.name}")
                    break
                except _Mismatch as exc:
                    last = exc if last is None or (exc.final and not last.final) else last
            else:
                if last is not None:
                    raise last
        return checked


class _Mismatch(Exception):
    """A value does not match one alternative of a type union; a `final` one is reported even inside a union."""

    def __init__(self, message: str, *, final: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.final = final


def _is_int(value: Any) -> bool:
    return (isinstance(value, int) and not isinstance(value, bool)) or (
        isinstance(value, str) and _INT.fullmatch(value) is not None
    )


_SCALARS: dict[str, Any] = {
    "Integer": _is_int,
    "Float": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "String": lambda v: isinstance(v, str),
    "Boolean": lambda v: isinstance(v, bool),
    "True": lambda v: v is True,
}
