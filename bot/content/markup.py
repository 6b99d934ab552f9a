"""The small Markdown-like markup of page bodies, rendered to the HTML subset Telegram accepts.

Syntax: paragraphs separated by a blank line; lines starting with "- " or "* " are bullets;
`**bold**`, `_italic_`, `[text](https://...)`; a backslash makes the next character literal.
Everything else is text and is escaped. Only https://, tg:// links are allowed.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

ALLOWED_LINK_PREFIXES = ("https://", "tg://")
BULLET = "\u2022 "
PART_BUDGET = 3500  # visible UTF-16 units per message part; leaves room for the title and page counter


class MarkupError(Exception):
    """Invalid markup at a (line, column) counted from 0 inside the source text."""

    def __init__(self, line: int, col: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.col = col
        self.message = message


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph or a bullet list: Telegram HTML, its visible text, and where it starts."""

    html: str
    text: str
    line: int

    @property
    def length(self) -> int:
        """Length as Telegram counts it after entity parsing (UTF-16 code units)."""
        return utf16_len(self.text)


def utf16_len(text: str) -> int:
    """Length of `text` in UTF-16 code units, the unit of Telegram's limits and entity offsets."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def _is_word(char: str) -> bool:
    return char.isalnum()


_SPACE = re.compile(r"\s")


def _check_url(url: str, line: int, col: int) -> None:
    if not url.startswith(ALLOWED_LINK_PREFIXES) or len(url) <= len("https://"):
        raise MarkupError(line, col, f"a link must start with https:// or tg:// (found {url!r})")
    space = _SPACE.search(url)
    if space:
        raise MarkupError(line, col + space.start(), "a link address cannot contain a space (write %20 instead)")


def _link_end(source: str, start: int) -> int:
    """The index of the `)` that closes a link address starting at `start`; parentheses inside the address
    (`https://en.wikipedia.org/wiki/Debt_(bondage)`) are kept when they are balanced. -1 when unclosed."""
    depth = 0
    for index in range(start, len(source)):
        char = source[index]
        if char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                return index
            depth -= 1
    return -1


_SPECIAL = re.compile(r"[\\*_\[]")  # the characters that may start markup; everything between is plain text


_ESCAPED = re.compile(r"[&<>]")  # the characters html.escape(quote=False) changes


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def _as_is(text: str) -> str:
    return text


def render_inline(source: str, line: int = 0) -> tuple[str, str]:
    """Render one line of inline markup to (Telegram HTML, visible text)."""
    found = _SPECIAL.search(source)
    escape = _escape if _ESCAPED.search(source) else _as_is  # most lines have nothing to escape
    if found is None:  # no markup at all: the fast path of most lines
        return escape(source), source
    out: list[str] = []
    visible: list[str] = []
    open_tags: list[tuple[str, int]] = []  # (tag, column where it opened)
    i = 0
    n = len(source)
    search = _SPECIAL.search
    while i < n:
        if found is None:
            found = search(source, i)
        if found is None:
            chunk = source[i:]
            out.append(escape(chunk))
            visible.append(chunk)
            break
        start = found.start()
        found = None
        if start > i:
            chunk = source[i:start]
            out.append(escape(chunk))
            visible.append(chunk)
            i = start
        char = source[i]
        if char == "\\" and i + 1 < n:
            out.append(escape(source[i + 1]))
            visible.append(source[i + 1])
            i += 2
            continue
        if source.startswith("**", i):
            i = _toggle(open_tags, out, "b", i, line) + 2
            continue
        if char == "_":
            before = source[i - 1] if i > 0 else " "
            after = source[i + 1] if i + 1 < n else " "
            closing = bool(open_tags) and open_tags[-1][0] == "i" and not before.isspace() and not _is_word(after)
            opening = not _is_word(before) and not after.isspace() and after != "_"
            if closing or (opening and not (open_tags and open_tags[-1][0] == "i")):
                i = _toggle(open_tags, out, "i", i, line) + 1
                continue
        if char == "[":
            end_text = source.find("]", i + 1)
            end_url = _link_end(source, end_text + 2) if end_text != -1 and source.startswith("(", end_text + 1) else -1
            if end_url != -1:
                text = source[i + 1 : end_text]
                url = source[end_text + 2 : end_url]
                _check_url(url, line, end_text + 2)
                if not text.strip():
                    raise MarkupError(line, i, "a link needs text between [ and ]")
                out.append(f'<a href="{html.escape(url, quote=True)}">{escape(text)}</a>')
                visible.append(text)
                i = end_url + 1
                continue
        out.append(char)  # a markup character used as text: \\, *, _ or [ (none needs escaping)
        visible.append(char)
        i += 1
    if open_tags:
        tag, col = open_tags[-1]
        mark = "**" if tag == "b" else "_"
        raise MarkupError(
            line,
            col,
            f"{mark} opens {'bold' if tag == 'b' else 'italic'} text that is not closed on the same line "
            f"(close it with {mark} before the line ends; a bullet or line break ends it)",
        )
    return "".join(out), "".join(visible)


def _toggle(open_tags: list[tuple[str, int]], out: list[str], tag: str, col: int, line: int) -> int:
    if open_tags and open_tags[-1][0] == tag:
        open_tags.pop()
        out.append(f"</{tag}>")
    elif any(open_tag == tag for open_tag, _ in open_tags):
        raise MarkupError(line, col, "bold and italic overlap; close the inner one first")
    else:
        open_tags.append((tag, col))
        out.append(f"<{tag}>")
    return col


def render_blocks(source: str) -> tuple[Block, ...]:
    """Render a body into blocks (paragraphs and bullet lists); raises MarkupError."""
    blocks: list[Block] = []
    current_html: list[str] = []
    current_text: list[str] = []
    start = 0
    for number, raw in enumerate(source.splitlines()):
        line = raw.rstrip()
        if not line:
            if current_html:
                blocks.append(Block("\n".join(current_html), "\n".join(current_text), start))
                current_html, current_text = [], []
            continue
        if not current_html:
            start = number
        stripped = line.lstrip()
        offset = len(line) - len(stripped)
        bullet = stripped.startswith(("- ", "* "))
        if bullet:
            stripped, offset = stripped[2:], offset + 2
        try:
            rendered, text = render_inline(stripped, number)
        except MarkupError as exc:
            raise MarkupError(exc.line, exc.col + offset, exc.message) from None
        current_html.append(BULLET + rendered if bullet else rendered)
        current_text.append(BULLET + text if bullet else text)
    if current_html:
        blocks.append(Block("\n".join(current_html), "\n".join(current_text), start))
    return tuple(blocks)


def split_parts(blocks: tuple[Block, ...], budget: int = PART_BUDGET) -> tuple[str, ...]:
    """Group blocks into message parts of at most `budget` visible units; raises MarkupError."""
    parts: list[str] = []
    current: list[Block] = []
    used = 0
    for block in blocks:
        length = block.length
        if length > budget:
            raise MarkupError(
                block.line,
                0,
                f"this paragraph is {length} characters long; one message holds at most {budget} "
                "(split it with a blank line)",
            )
        extra = length + (2 if current else 0)
        if current and used + extra > budget:
            parts.append("\n\n".join(b.html for b in current))
            current, used = [], 0
            extra = length
        current.append(block)
        used += extra
    if current:
        parts.append("\n\n".join(b.html for b in current))
    return tuple(parts)


def plain_text(blocks: tuple[Block, ...]) -> str:
    """The visible text of a body, for search."""
    return "\n\n".join(block.text for block in blocks)
