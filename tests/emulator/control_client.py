"""Calling the emulator's control API from a test."""

from __future__ import annotations

from typing import Any

import aiohttp


async def call(http: aiohttp.ClientSession, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    """A control API call with a JSON body: (status, JSON answer)."""
    async with http.request(method, path, json=body) as response:
        return response.status, await response.json()
