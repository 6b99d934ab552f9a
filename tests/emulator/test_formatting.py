"""Telegram HTML parsing: entities in UTF-16 offsets, Telegram's errors, and a round trip."""

from __future__ import annotations

import html

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.emulator.errors import ApiError
from bot.emulator.formatting import entities_to_html, parse_html


def test_entities_use_utf16_offsets() -> None:
    text, entities = parse_html('😀 <b>ok</b> <a href="https://x.org/?a=1&amp;b=2">l</a>')
    assert text == "😀 ok l"
    assert entities == [
        {"offset": 3, "length": 2, "type": "bold"},
        {"offset": 6, "length": 1, "type": "text_link", "url": "https://x.org/?a=1&b=2"},
    ]


def test_pre_with_language_and_spoilers() -> None:
    text, entities = parse_html(
        '<pre><code class="language-python">x = 1</code></pre><span class="tg-spoiler">s</span>'
        "<blockquote expandable>q</blockquote>"
    )
    assert text == "x = 1sq"
    assert [e["type"] for e in entities] == ["pre", "spoiler", "expandable_blockquote"]
    assert entities[0]["language"] == "python"


@pytest.mark.parametrize(
    ("source", "error"),
    [
        ("a<p>b</p>", 'Unsupported start tag "p" at byte offset 1'),
        ("line<br>", 'Unsupported start tag "br" at byte offset 4'),
        ("<b>open", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("a&nbsp;b", 'Unsupported HTML entity "&nbsp;" at byte offset 1'),
        ("<a>x</a>", 'Tag "a" must have attribute "href" at byte offset 0'),
        ('<span class="x">s</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("<b", "Unclosed start tag at byte offset 0"),
    ],
)
def test_telegram_errors(source: str, error: str) -> None:
    with pytest.raises(ApiError) as info:
        parse_html(source)
    assert info.value.status == 400
    assert info.value.description == f"Bad Request: can't parse entities: {error}"


@given(st.text())
def test_escaped_plain_text_round_trips(plain: str) -> None:
    text, entities = parse_html(html.escape(plain, quote=False))
    assert (text, entities) == (plain, [])


@given(st.lists(st.tuples(st.sampled_from(["b", "i", "u", "s", "code"]), st.text(min_size=1)), max_size=5))
def test_render_then_parse_is_stable(parts: list[tuple[str, str]]) -> None:
    source = "".join(f"<{tag}>{html.escape(body, quote=False)}</{tag}>" for tag, body in parts)
    text, entities = parse_html(source)
    assert parse_html(entities_to_html(text, entities)) == (text, entities)
