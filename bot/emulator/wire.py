"""Reading Bot API requests off the wire: query string, form, multipart and JSON bodies."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from .errors import bad_request


@dataclass(frozen=True)
class FilePart:
    """A file uploaded in a multipart request."""

    field: str
    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class RawCall:
    """Parameters as received: form-style strings (JSON-encoded unless plain strings) and JSON-body values."""

    form: dict[str, str | FilePart]
    body: dict[str, Any]


async def read_call(request: web.Request) -> RawCall:
    """Collect the parameters of one Bot API call from every place Telegram accepts them."""
    form: dict[str, str | FilePart] = dict(request.query)
    body: dict[str, Any] = {}
    if not request.can_read_body:
        return RawCall(form, body)
    content_type = request.content_type
    if content_type == "application/json":
        raw = await request.read()
        if raw.strip():
            try:
                decoded = json.loads(raw)
            except ValueError:
                raise bad_request("can't parse JSON request body") from None
            if not isinstance(decoded, dict):
                raise bad_request("JSON request body must be an object")
            body = {k: v for k, v in decoded.items() if k not in form}
            form = {k: v for k, v in form.items() if k not in decoded}
    elif content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        try:
            posted = await request.post()
        except ValueError:
            raise bad_request("can't parse request body") from None
        for name, value in posted.items():
            if isinstance(value, web.FileField):
                form[name] = FilePart(name, value.filename, value.content_type, value.file.read())
            elif isinstance(value, bytes | bytearray):
                form[name] = bytes(value).decode("utf-8", errors="replace")
            else:
                form[name] = str(value)
    return RawCall(form, body)
