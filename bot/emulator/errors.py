"""Errors the emulator answers with (Bot API errors) and raises (control errors)."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """A Bot API error answered as {"ok": false, "error_code": ..., "description": ...}."""

    def __init__(self, status: int, description: str, *, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def body(self) -> dict[str, Any]:
        """The JSON body Telegram would answer with."""
        body: dict[str, Any] = {"ok": False, "error_code": self.status, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(message: str) -> ApiError:
    """A 400 error whose description starts with "Bad Request: " like Telegram's."""
    return ApiError(400, f"Bad Request: {message}")


def forbidden(message: str) -> ApiError:
    """A 403 error whose description starts with "Forbidden: " like Telegram's."""
    return ApiError(403, f"Forbidden: {message}")


def too_many_requests(retry_after: int) -> ApiError:
    """A 429 error carrying parameters.retry_after, which PTB turns into RetryAfter."""
    return ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)


class EmulatorError(Exception):
    """A misuse of the control API (unknown user, unknown button...); HTTP answers it with `status`."""

    status = 400


class UnknownUserError(EmulatorError, LookupError):
    """The simulated user does not exist."""

    status = 404


class UnknownButtonError(EmulatorError, LookupError):
    """No message in the chat shows a button with that text."""

    status = 404


class UnknownMessageError(EmulatorError, LookupError):
    """The chat has no message with that id."""

    status = 404
