"""The body markup: escaping, inline styles, links, bullets, and splitting into message parts."""

from __future__ import annotations

import html
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.content.markup import (
    BULLET,
    PART_BUDGET,
    MarkupError,
    plain_text,
    render_blocks,
    render_inline,
    split_parts,
    utf16_len,
)

ALLOWED_TAGS = {"b", "i", "a"}


def test_html_special_characters_are_escaped() -> None:
    assert render_inline("a < b & c > d") == ("a &lt; b &amp; c &gt; d", "a < b & c > d")
    assert render_inline("<b>not bold</b>")[0] == "&lt;b&gt;not bold&lt;/b&gt;"


def test_bold_italic_and_escapes() -> None:
    assert render_inline("**bold** and _italic_") == ("<b>bold</b> and <i>italic</i>", "bold and italic")
    assert render_inline("**bold _both_**")[0] == "<b>bold <i>both</i></b>"
    assert render_inline(r"\*\*not bold\*\* and \_not italic\_")[0] == "**not bold** and _not italic_"
    assert render_inline("a * b")[0] == "a * b"


@pytest.mark.parametrize(
    "text", ["snake_case_words", "file_name.txt", "a_b", "two snake_case words_here", "x _ y", "trailing_"]
)
def test_underscores_inside_words_are_not_italic(text: str) -> None:
    assert render_inline(text) == (text, text)


@pytest.mark.parametrize(
    "url", ["https://www.ilo.org/fair-recruitment", "tg://resolve?domain=helpline", "https://t.me/helpline"]
)
def test_https_and_tg_links(url: str) -> None:
    rendered, visible = render_inline(f"see [the page]({url}) now")
    assert rendered == f'see <a href="{html.escape(url)}">the page</a> now'
    assert visible == "see the page now"


def test_link_url_is_attribute_escaped() -> None:
    assert render_inline('[x](https://a.org/?q="1"&r=2)')[0] == '<a href="https://a.org/?q=&quot;1&quot;&amp;r=2">x</a>'


@pytest.mark.parametrize(
    ("source", "col"),
    [("[x](http://example.org)", 4), ("a [x](javascript:alert(1))", 6), ("[x](https://)", 4), ("[x](ftp://a.b)", 4)],
)
def test_other_links_are_rejected_at_the_url(source: str, col: int) -> None:
    with pytest.raises(MarkupError) as error:
        render_inline(source)
    assert error.value.col == col
    assert "https://" in error.value.message


def test_brackets_that_are_not_links_stay_text() -> None:
    assert render_inline("[a] and [b](https://b.org)") == ('[a] and <a href="https://b.org">b</a>', "[a] and b")
    assert render_inline("[just brackets]")[0] == "[just brackets]"


def test_parentheses_inside_a_link_address_are_kept() -> None:
    assert render_inline("[wiki](https://en.wikipedia.org/wiki/Debt_(bondage)) (see)") == (
        '<a href="https://en.wikipedia.org/wiki/Debt_(bondage)">wiki</a> (see)',
        "wiki (see)",
    )


def test_a_space_in_a_link_address_is_named() -> None:
    with pytest.raises(MarkupError) as error:
        render_inline("[x](https://x.org/a b)", line=2)
    assert (error.value.line, error.value.col) == (2, 19)
    assert "cannot contain a space" in error.value.message


def test_empty_link_text_is_an_error() -> None:
    with pytest.raises(MarkupError, match="needs text"):
        render_inline("[ ](https://a.org)")


@pytest.mark.parametrize(
    ("source", "col", "fragment"),
    [
        ("start **bold", 6, "not closed on the same line"),
        ("an _italic start", 3, "not closed on the same line"),
        ("**a _b** c_", 6, "overlap"),
    ],
)
def test_unbalanced_styles_are_errors(source: str, col: int, fragment: str) -> None:
    with pytest.raises(MarkupError) as error:
        render_inline(source, line=3)
    assert (error.value.line, error.value.col) == (3, col)
    assert fragment in error.value.message


def test_paragraphs_and_bullets() -> None:
    blocks = render_blocks("First line\nsame paragraph.\n\n- one\n* **two**\n\n\nLast.")
    assert [block.html for block in blocks] == [
        "First line\nsame paragraph.",
        f"{BULLET}one\n{BULLET}<b>two</b>",
        "Last.",
    ]
    assert [block.line for block in blocks] == [0, 3, 7]
    assert plain_text(blocks) == f"First line\nsame paragraph.\n\n{BULLET}one\n{BULLET}two\n\nLast."


def test_error_position_inside_a_bullet_counts_the_marker() -> None:
    with pytest.raises(MarkupError) as error:
        render_blocks("Intro.\n\n  - fine\n  - **broken")
    assert (error.value.line, error.value.col) == (3, 4)


def test_utf16_length_counts_astral_characters_twice() -> None:
    assert utf16_len("abc") == 3
    assert utf16_len("😀") == 2
    assert utf16_len("မြန်မာ") == 6


def test_short_body_is_one_part() -> None:
    assert split_parts(render_blocks("One.\n\nTwo.")) == ("One.\n\nTwo.",)


def test_long_body_is_split_at_paragraph_boundaries() -> None:
    paragraph = "word " * 300  # 1499 visible characters once stripped
    body = "\n\n".join(f"{n} {paragraph.strip()}" for n in range(5))
    parts = split_parts(render_blocks(body))
    assert len(parts) == 3
    assert [part.count("\n\n") for part in parts] == [1, 1, 0]
    assert all(part.startswith(tuple("01234")) for part in parts)


def test_a_paragraph_longer_than_the_budget_is_an_error() -> None:
    with pytest.raises(MarkupError) as error:
        split_parts(render_blocks("Short.\n\n" + "x" * (PART_BUDGET + 1)))
    assert (error.value.line, error.value.col) == (2, 0)
    assert f"{PART_BUDGET + 1} characters" in error.value.message


def test_budget_counts_visible_text_not_html() -> None:
    link = "[a](https://example.org/" + "p" * 200 + ")"
    body = "\n\n".join([link] * 30)  # 30 visible letters, lots of HTML
    assert len(split_parts(render_blocks(body), budget=100)) == 1


class _TagChecker(HTMLParser):
    """Fails on tags outside Telegram's subset and on unbalanced tags; collects visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag in ALLOWED_TAGS, tag
        if tag == "a":
            assert [name for name, _ in attrs] == ["href"]
            assert (attrs[0][1] or "").startswith(("https://", "tg://"))
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, (self.stack, tag)
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


MARKUP_ALPHABET = st.sampled_from(
    [
        *("a", "b", " ", "\n", "\n\n", "*", "**", "_", "\\", "[", "]", "(", ")", "<", ">", "&", '"', "- ", "😀", " မ"),
        *("https://x.org", "tg://u", "http://x", "word_word", "[t](https://e.org)"),
    ]
)


@settings(max_examples=400, deadline=None)
@given(pieces=st.lists(MARKUP_ALPHABET, max_size=60), budget=st.integers(min_value=5, max_value=60))
def test_rendering_is_balanced_and_parts_fit_the_budget(pieces: list[str], budget: int) -> None:
    source = "".join(pieces)
    try:
        blocks = render_blocks(source)
        parts = split_parts(blocks, budget=budget)
    except MarkupError as error:
        assert error.line >= 0 and error.col >= 0
        return
    for part in parts:
        checker = _TagChecker()
        checker.feed(part)
        checker.close()
        assert checker.stack == []
        assert utf16_len("".join(checker.text)) <= budget
    assert "".join(parts).count("<") == sum(p.count("<") for p in parts)
