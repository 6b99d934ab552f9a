"""UTF-16 code unit arithmetic, the unit Telegram uses for lengths and entity offsets."""

from __future__ import annotations


def utf16_len(text: str) -> int:
    """Number of UTF-16 code units in `text` (astral characters count twice)."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def utf16_to_index(text: str, offset: int) -> int:
    """Python string index of the character that starts at UTF-16 offset `offset`."""
    units = 0
    for index, ch in enumerate(text):
        if units >= offset:
            return index
        units += 2 if ord(ch) > 0xFFFF else 1
    return len(text)
