"""Uploaded and referenced files with stable file_ids, like Telegram's file storage."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from .errors import bad_request
from .models import Media
from .wire import FilePart

_PREFIX = {"photo": "AgACAgQ", "voice": "AwACAgQ", "document": "BQACAgQ"}
_DEFAULT_MIME = {"photo": "image/jpeg", "voice": "audio/ogg", "document": "application/octet-stream"}


@dataclass(frozen=True)
class StoredFile:
    """One file Telegram would keep: its ids, kind, bytes (None for URL references) and download path."""

    media: Media
    data: bytes | None
    url: str | None
    path: str


class FileStore:
    """Maps file_ids to files; the same content always gets the same file_id."""

    def __init__(self) -> None:
        self._by_id: dict[str, StoredFile] = {}
        self._by_path: dict[str, StoredFile] = {}

    def _store(
        self, kind: str, digest: str, data: bytes | None, url: str | None, file_name: str | None, mime: str | None
    ) -> Media:
        file_id = f"{_PREFIX[kind]}{digest[:40]}"
        existing = self._by_id.get(file_id)
        if existing is not None:
            return existing.media
        media = Media(kind, file_id, f"AQAD{digest[:16]}", len(data or b""), mime or _DEFAULT_MIME[kind], file_name)
        suffix = {"photo": "jpg", "voice": "oga"}.get(kind, "bin")
        stored = StoredFile(media, data, url, f"{kind}s/file_{len(self._by_id)}.{suffix}")
        self._by_id[file_id] = stored
        self._by_path[stored.path] = stored
        return media

    def resolve(self, kind: str, value: object, name: str) -> Media:
        """Media for an upload, a known file_id or an HTTP URL; raise Telegram's 400 otherwise."""
        if isinstance(value, FilePart):
            digest = hashlib.sha256(value.data).hexdigest()
            mime = value.content_type if value.content_type != "application/octet-stream" else None
            return self._store(kind, digest, value.data, None, value.filename, mime)
        if not isinstance(value, str) or not value:
            raise bad_request(f"there is no {name} in the request")
        if value.startswith(("http://", "https://")):
            digest = hashlib.sha256(value.encode()).hexdigest()
            return self._store(kind, digest, None, value, value.rsplit("/", 1)[-1] or None, None)
        stored = self._by_id.get(value)
        if stored is None:
            raise bad_request("wrong file identifier/HTTP URL specified")
        if stored.media.kind != kind and not (kind == "document" and stored.media.kind != "photo"):
            raise bad_request(
                f"wrong file identifier/HTTP URL specified: can't use file of type "
                f"{stored.media.kind.capitalize()} as {kind.capitalize()}"
            )
        return stored.media

    def get(self, file_id: str) -> StoredFile:
        """The stored file for `file_id` (getFile); 400 if unknown."""
        stored = self._by_id.get(file_id)
        if stored is None:
            raise bad_request("wrong file identifier/HTTP URL specified")
        return stored

    def by_path(self, path: str) -> StoredFile | None:
        """The stored file served at /file/bot<token>/<path>."""
        return self._by_path.get(path)
