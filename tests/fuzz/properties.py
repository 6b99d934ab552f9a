"""Fuzzing the bot: strategies for hostile input and the properties every example must keep.

The bot runs in an event loop of its own thread (`BotThread`), so Hypothesis drives it from plain synchronous
tests; `tests/fuzz/test_*.py` run each property briefly and deterministically, `benchmarks/fuzz_soak.py` runs
them far longer and prints the figures. Properties: no error logged (the bot's error handler logs every
unexpected exception at ERROR), no Bot API call refused by the emulator (it checks each against the spec;
"message is not modified" is expected, the bot ignores it), every press answered, every message replied to;
a damaged content file never makes the loader raise, and each error it causes names `path:line:col`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
import tempfile
import threading
from collections.abc import Coroutine, Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from hypothesis import strategies as st

from bot.callbacks import (
    AskLocation,
    ClearChat,
    Forget,
    GetHelp,
    Header,
    PickCountry,
    SetCountry,
    encode,
)
from bot.config import PROJECT_ROOT
from bot.content.diagnostics import Severity
from bot.content.loader import LoadResult, load_content
from bot.content.model import Content
from bot.emulator import Emulator
from bot.features import install as install_features
from bot.i18n import UI
from bot.screens import languages_screen, node_screen
from tests.botfixtures import Harness, running_bot

T = TypeVar("T")
SHIPPED = PROJECT_ROOT / "content"
ANSWERING = frozenset(
    m.lower() for m in ("sendMessage", "editMessageText", "sendPhoto", "sendVoice", "sendDocument", "deleteMessages")
)
CALL_TIMEOUT = 60.0

# -- strategies ----------------------------------------------------------------------------------------------

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
HTML_BITS = (
    "<b>",
    "</b>",
    "<i>x</i>",
    "<a href='tg://user?id=1'>",
    "</a>",
    "<script>alert(1)</script>",
    "&amp;",
    "&nbsp;",
    "&#0;",
    "&lt;",
    "<tg-spoiler>",
    '<pre><code class="x">',
    "<",
    ">",
    "&",
    '"',
    "<br/>",
    "<!--",
)
# Burmese typed in the Zawgyi font encoding (code points of the Myanmar block in orders Unicode does not use).
ZAWGYI = ("ေက်ာင္းသား", "ႏိုင္ငံျခား", "အလုပ္သမား", "ပတ္စ္ပို႔", "ကူညီပါ", "ျမန္မာ", "႐ုံး", "၍")
EMOJI = ("😀", "👩‍👩‍👧‍👦", "🏳️‍🌈", "👍🏽", "🇲🇲", "🇹🇭", "🆘", "❤️", "🧕🏿", "\u20e3", "\ufe0f")
WORDS = ("passport", "help", "tolong", "agency", "visa", "/start", "/help", "/clear", "/forget", "salary", "ช่วย")

_chars = st.characters(exclude_categories=["Cs"])
_myanmar = st.characters(min_codepoint=0x1000, max_codepoint=0x109F)
_piece = st.one_of(
    st.text(_chars, min_size=1, max_size=40),
    st.text(st.sampled_from(ZERO_WIDTH + BIDI), min_size=1, max_size=20),
    st.sampled_from(HTML_BITS),
    st.sampled_from(ZAWGYI),
    st.text(_myanmar, min_size=1, max_size=30),
    st.builds(lambda e, n: e * n, st.sampled_from(EMOJI), st.integers(1, 400)),
    st.sampled_from(WORDS),
    st.sampled_from((" ", "\n", "\t")),
)


def _clip(text: str, limit: int = 4096) -> str:
    return text[:limit]


message_texts = st.one_of(
    st.lists(_piece, min_size=1, max_size=12).map(lambda parts: _clip("".join(parts))),
    st.text(_chars, min_size=1, max_size=4096),
    st.builds(lambda e, n: _clip(e * n), st.sampled_from(EMOJI), st.integers(1000, 4096)),  # an emoji flood
).filter(lambda text: text.strip() != "")

# A /start payload: real deep-link shapes (campaign codes, tokens, locales), their mutations, and anything typed.
PAYLOAD_TOKENS = (
    "example-jakarta",
    "example-yangon",
    "frontline",
    "l-my",
    "l-fa-AF",
    "n-4teyqvt2",
    "c-example-jakarta",
    "my",
    "fa-AF",
    "th",
    "n-",
    "l-",
    "c-",
    "_",
    "-",
)
start_payloads = st.one_of(
    st.lists(st.sampled_from(PAYLOAD_TOKENS), min_size=1, max_size=6).map("_".join),
    st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"), max_size=80),
    st.text(_chars, min_size=1, max_size=200),
    message_texts,
)


def real_callback_data(content: Content, ui: UI) -> list[str]:
    """Every callback_data the shipped content's keyboards carry in English, plus the helpline and privacy ones."""
    found: set[str] = set()
    header = Header(content.default_locale)
    for node in content.nodes.values():
        for page in (0, 1):
            screen = node_screen(content, ui, header, node, page)
            found.update(
                str(b.callback_data) for row in screen.keyboard.inline_keyboard for b in row if b.callback_data
            )
    for row in languages_screen(content, ui, header).keyboard.inline_keyboard:
        found.update(str(b.callback_data) for b in row if b.callback_data)
    for act in (
        GetHelp("ecl"),
        PickCountry("c", 1, "e"),
        SetCountry("c", "MY", "e"),
        SetCountry("h", "", ""),
        AskLocation("e"),
        ClearChat(),
        Forget(confirmed=False),
    ):
        found.add(encode(header, act))
    found.add(encode(Header(content.default_locale, "example-jakarta"), GetHelp("")))
    return sorted(str(data) for data in found)


def mutated(corpus: list[str]) -> st.SearchStrategy[str]:
    """Real callback data with a field swapped, bytes inserted, cut, doubled or padded past 64 bytes."""
    real = st.sampled_from(corpus)

    def swap(data: str, index: int, value: str) -> str:
        parts = data.split("|")
        parts[index % len(parts)] = value
        return "|".join(parts)

    def insert(data: str, at: int, extra: str) -> str:
        at %= len(data) + 1
        return data[:at] + extra + data[at:]

    field_values = st.one_of(
        st.sampled_from(("", "0", "99999", "-1", "1e9", "en", "xx", "h", "c", "MY", "zz", "y", "n", "m1", "|")),
        st.text(_chars, max_size=20),
    )
    return st.one_of(
        real,
        st.builds(swap, real, st.integers(0, 8), field_values),
        st.builds(insert, real, st.integers(0, 64), st.text(_chars, min_size=1, max_size=40)),
        st.builds(lambda d, n: d[:n], real, st.integers(0, 64)),
        st.builds(lambda a, b: a + "|" + b, real, real),
        st.builds(lambda d, n: d + "x" * n, real, st.integers(1, 60)),
    )


def callback_strategy(corpus: list[str]) -> st.SearchStrategy[str]:
    """Callback data: mutated real data, random text and random bytes (as Telegram would pass them: UTF-8 text)."""
    return st.one_of(
        mutated(corpus),
        st.text(_chars, min_size=1, max_size=100),
        st.binary(min_size=1, max_size=100).map(lambda raw: raw.decode("utf-8", "replace")),
    )


# -- the bot in a thread -------------------------------------------------------------------------------------


class ErrorLog(logging.Handler):
    """Collects every record at ERROR or above (the bot's error handler logs each unexpected exception so)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def take(self) -> list[str]:
        """The messages collected since the last call (with their tracebacks), emptying the list."""
        taken = [self.format(record) for record in self.records]
        self.records.clear()
        return taken


class BotThread:
    """The real Application against the emulator (`running_bot`), in an event loop of its own thread."""

    def __init__(self, tmp_path: Path) -> None:
        """Prepare; `start` runs it with its SQLite database under `tmp_path`."""
        self._tmp_path = tmp_path
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="fuzzed-bot", daemon=True)
        self._stack = contextlib.AsyncExitStack()
        self.errors = ErrorLog()
        self._next_user = 10_000
        self.harness: Harness | None = None

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float = CALL_TIMEOUT) -> T:
        """Run a coroutine in the bot's loop and return its result."""
        future: Future[T] = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        return future.result(timeout)

    def start(self) -> BotThread:
        """Start the loop, the emulator and the bot."""
        self._thread.start()
        logging.getLogger().addHandler(self.errors)

        async def enter() -> Harness:
            return await self._stack.enter_async_context(running_bot(self._tmp_path))

        self.harness = self.run(enter())
        return self

    def stop(self) -> None:
        """Stop the bot, the emulator and the loop."""
        try:
            self.run(self._stack.aclose())
        finally:
            logging.getLogger().removeHandler(self.errors)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(30)
            self._loop.close()

    @property
    def emu(self) -> Emulator:
        """The emulator."""
        assert self.harness is not None
        return self.harness.emu

    def new_user(self) -> int:
        """A fresh user id (each example starts from a clean chat)."""
        self._next_user += 1
        self.emu.user(self._next_user, "Fuzz", language_code="en")
        return self._next_user

    def content(self) -> tuple[Content, UI]:
        """The loaded content and its English UI."""
        assert self.harness is not None
        live = self.harness.services.live.current
        return live.content, live.ui(live.content.default_locale)


@contextlib.contextmanager
def bot_thread(tmp_path: Path) -> Iterator[BotThread]:
    """A started BotThread, stopped afterwards."""
    bot = BotThread(tmp_path).start()
    try:
        yield bot
    finally:
        bot.stop()


# -- the properties ------------------------------------------------------------------------------------------


class PropertyFailed(AssertionError):
    """An example broke a property."""


def _answers(emu: Emulator, since: int, chat_id: int) -> int:
    return sum(
        1 for r in emu.requests[since:] if r.ok and r.method.lower() in ANSWERING and r.params.get("chat_id") == chat_id
    )


# Refusals the bot expects and handles by design: an edit showing what is already shown (a double tap, or a
# forged press asking for the screen on display) is "not modified", and `bot.handlers.common.edit` ignores it.
EXPECTED_REFUSALS = ("Bad Request: message is not modified",)


def _check_clean(bot: BotThread, since: int, what: str) -> None:
    errors = bot.errors.take()
    if errors:
        raise PropertyFailed(f"{what}: the bot logged an error:\n" + "\n".join(errors))
    refused = [
        f"{r.method}: {r.description}"
        for r in bot.emu.requests[since:]
        if not r.ok and not r.injected and not r.client_gone and not str(r.description).startswith(EXPECTED_REFUSALS)
    ]
    refused += [f"unanswered callback query ({q.data!r})" for q in bot.emu.unanswered_callback_queries()]
    if refused:
        raise PropertyFailed(f"{what}: Bot API misuse:\n" + "\n".join(refused))


def check_message(bot: BotThread, text: str) -> None:
    """A message gets a reply, with no error and no refused call."""
    user_id = bot.new_user()
    before = len(bot.emu.requests)
    bot.run(bot.emu.user(user_id).send(text))
    _check_clean(bot, before, f"message {text[:80]!r}")
    if _answers(bot.emu, before, user_id) == 0:
        raise PropertyFailed(f"message {text[:80]!r}: no reply")


def check_start(bot: BotThread, payload: str) -> None:
    """`/start <payload>` gets a reply, with no error and no refused call."""
    check_message(bot, f"/start {payload}")


async def _press(emu: Emulator, user_id: int, data: str) -> None:
    user = emu.user(user_id)
    await user.start()
    await user.press_data(data)


def check_press(bot: BotThread, data: str) -> None:
    """A press with `data` on the home menu is answered, with no error and no refused call."""
    user_id = bot.new_user()
    before = len(bot.emu.requests)
    bot.run(_press(bot.emu, user_id, data))
    _check_clean(bot, before, f"press {data!r}")


# -- content files -------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ContentCopy:
    """A copy of the shipped content to damage one file at a time."""

    root: Path
    files: tuple[str, ...]

    def load(self) -> LoadResult:
        """Load the copy."""
        return load_content(self.root)


def copy_content(into: Path) -> ContentCopy:
    """Copy the shipped content into `into`; it must load cleanly."""
    install_features()  # the node types beyond page/menu/link (quiz), as the bot's start does
    root = into / "content"
    shutil.copytree(SHIPPED, root)
    files = tuple(sorted(str(p.relative_to(root)) for p in root.rglob("*.yaml")))
    copy = ContentCopy(root, files)
    result = copy.load()
    assert result.content is not None, [str(d) for d in result.report.errors]
    return copy


@dataclass(frozen=True, slots=True)
class Mutation:
    """How to damage one content file's text."""

    kind: str
    at: int
    length: int
    extra: str

    def apply(self, text: str) -> str:
        """The damaged text."""
        lines = text.splitlines(keepends=True) or [""]
        at = self.at % (len(text) + 1)
        if self.kind == "insert":
            return text[:at] + self.extra + text[at:]
        if self.kind == "delete":
            return text[:at] + text[at + self.length :]
        if self.kind == "replace":
            return text[:at] + self.extra + text[at + len(self.extra) :]
        if self.kind == "drop_line":
            del lines[self.at % len(lines)]
            return "".join(lines)
        if self.kind == "dup_line":
            index = self.at % len(lines)
            lines.insert(index, lines[index])
            return "".join(lines)
        if self.kind == "indent":
            index = self.at % len(lines)
            lines[index] = " " * (1 + self.length % 5) + lines[index]
            return "".join(lines)
        if self.kind == "dedent":
            index = self.at % len(lines)
            lines[index] = lines[index].lstrip(" ")
            return "".join(lines)
        if self.kind == "truncate":
            return text[:at]
        raise ValueError(self.kind)


YAML_BITS = (
    ":",
    "- ",
    "  ",
    "\t",
    "{",
    "}",
    "[",
    "]",
    "'",
    '"',
    "&a ",
    "*a",
    "!!python/object:os.system ",
    "!!binary ",
    "? ",
    "|",
    ">",
    "#",
    "\n",
    "---\n",
    "...\n",
    "~",
    "null",
    "yes",
    "0x1F",
    "1e999",
    "%YAML 1.1\n",
    "<<: *a\n",
    "\ufeff",
    "\x00",
    "\x85",
    "\u2028",
)
mutations = st.builds(
    Mutation,
    st.sampled_from(("insert", "delete", "replace", "drop_line", "dup_line", "indent", "dedent", "truncate")),
    st.integers(0, 20_000),
    st.integers(1, 200),
    st.one_of(st.sampled_from(YAML_BITS), st.text(_chars, min_size=1, max_size=20)),
)


def check_yaml(copy: ContentCopy, relative: str, changes: list[Mutation]) -> int:
    """Damage one file, load, restore: no exception, and every error names `path:line:col`. Return the errors."""
    path = copy.root / relative
    original = path.read_bytes()
    text = original.decode("utf-8")
    for change in changes:
        text = change.apply(text)
    try:
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            result = copy.load()
        except Exception as exc:
            raise PropertyFailed(f"{relative} {changes}: load_content raised {type(exc).__name__}: {exc}") from exc
    finally:
        path.write_bytes(original)
    errors = [d for d in result.report.items if d.severity is Severity.ERROR]
    unplaced = [str(d) for d in errors if not d.line or not d.col or not d.path.endswith((".yaml", ".yml"))]
    if unplaced:
        raise PropertyFailed(f"{relative} {changes}: errors without path:line:col: {unplaced}")
    if result.content is None and not errors:
        raise PropertyFailed(f"{relative} {changes}: refused without an error")
    return len(errors)


@contextlib.contextmanager
def content_copy() -> Iterator[ContentCopy]:
    """A small content copy in a temporary folder, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="fuzz-content-") as folder:
        yield copy_content(Path(folder))
