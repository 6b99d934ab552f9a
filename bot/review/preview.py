"""Review in the preview (`python -m bot preview --review bn`): a reviewer walks the bot as a reader does, with the
English beside each message and button and, per text, "looks right" or "edit".

The page is the emulator's chat page at /review with review.js added (the chat page itself is unchanged). For each
message the bot sends, the page asks /review/api/match which texts of the language it shows; a verdict goes to
/review/api/verdict, which applies it through `bot.review.importing.apply_verdicts` (the code path of the
spreadsheet import), reloads the content and opens the same screen again, so the message shows the edit.
"""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.callbacks import Header, Open, encode
from bot.content import markup
from bot.content.loader import load_content
from bot.review.export import status
from bot.review.importing import ImportError_, Verdict, apply_verdicts
from bot.review.state import read_state
from bot.review.texts import Text, collect
from bot.watch import signature

if TYPE_CHECKING:
    from bot.emulator import Emulator

STATIC = Path(__file__).with_name("static")
_SPACE = re.compile(r"\s+")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
MIN_PIECE = 4  # characters of a template's fixed text worth matching on


def _flat(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def shown_as(text: Text) -> list[str]:
    """What a reader sees of a text, as pieces to find in a message (all must be there, in plain text)."""
    if text.kind == "list":
        return []  # keywords and emergency words are typed by readers, never shown
    if text.kind == "ui":
        pieces = [_flat(piece) for piece in _PLACEHOLDER.split(text.translation.replace("{{", "{").replace("}}", "}"))]
        return [piece for piece in pieces if len(piece) >= MIN_PIECE] or ([] if "{" in text.translation else [""])
    try:
        plain = markup.plain_text(markup.render_blocks(text.translation))
    except markup.MarkupError:
        plain = text.translation
    return [_flat(plain)]


@dataclass(slots=True)
class ReviewDesk:
    """The review routes of one preview: one language, the files of one content folder and catalogs."""

    emulator: Emulator
    content_dir: Path
    locales_dir: Path
    locale: str
    reviewer: str = ""
    reload: Callable[[], Awaitable[None]] | None = None
    _cache: tuple[Any, list[Text], dict[str, Any]] | None = field(default=None, repr=False)
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False)

    def texts(self) -> tuple[list[Text], dict[str, Any]]:
        """The language's texts and sign-offs as the files are now (computed again after any file changed)."""
        now = signature((self.content_dir, self.locales_dir))
        if self._cache is None or self._cache[0] != now:
            content = load_content(self.content_dir).content
            texts = collect(content, self.locales_dir, self.locale) if content is not None else []
            self._cache = (now, texts, read_state(self.content_dir, self.locale))
        return self._cache[1], self._cache[2]

    def match(self, message: str, buttons: list[str]) -> list[dict[str, Any]]:
        """The texts a message shows (in its text or as a button label), in the order of the export."""
        flat = _flat(message)
        labels = {_flat(label) for label in buttons}
        texts, state = self.texts()
        found = []
        for text in texts:
            pieces = shown_as(text)
            if not pieces:
                continue
            if pieces == [""]:
                pieces = [_flat(text.translation)]
            whole = pieces[0] if len(pieces) == 1 else None
            in_text = all(piece and piece in flat for piece in pieces)
            as_button = whole is not None and any(whole and whole in label for label in labels)
            if in_text or as_button:
                found.append(self.view(text, state))
        return found

    def view(self, text: Text, state: dict[str, Any]) -> dict[str, Any]:
        """What the page shows of one text."""
        return {
            "id": text.id,
            "where": text.where,
            "english": text.english,
            "translation": text.translation,
            "status": status(text, state).label,
            "reviewed": status(text, state).reviewed,
            "english_hash": text.english_hash,
            "translation_hash": text.translation_hash,
            "node": text.node,
            "multiline": "\n" in text.translation or text.kind == "markup",
        }

    async def verdict(self, body: dict[str, Any]) -> dict[str, Any]:
        """Apply one verdict (ok or changed), reload the content and show the screen again."""
        reviewer = " ".join(str(body.get("reviewer") or self.reviewer).split())
        if not reviewer:
            return {"ok": False, "refused": ["write your name or initials first (Reviewer, at the top)"]}
        verdict = Verdict(
            id=str(body["id"]),
            verdict=str(body.get("verdict", "ok")),
            corrected=str(body.get("corrected") or ""),
            english_hash=str(body.get("english_hash", "")),
            translation_hash=str(body.get("translation_hash", "")),
        )
        async with self._lock:  # one write at a time: two verdicts on one file must not race
            try:
                outcome = await asyncio.to_thread(
                    apply_verdicts,
                    self.content_dir,
                    self.locales_dir,
                    self.locale,
                    [verdict],
                    reviewer,
                    datetime.now(UTC).date(),
                )
            except ImportError_ as exc:
                return {"ok": False, "refused": [str(exc)]}
            self._cache = None
            if outcome.files and self.reload is not None:
                await self.reload()
        refused = [why for _, why in outcome.refused]
        if outcome.changed:
            await self.reopen(body)
        return {"ok": not refused, "approved": outcome.approved, "changed": outcome.changed, "refused": refused}

    async def reopen(self, body: dict[str, Any]) -> None:
        """Press "open this screen" on the reviewed message, so it shows the text as it now is."""
        from bot.emulator.user import publish_press

        node_id, user_id, message_id = body.get("node"), body.get("user_id"), body.get("message_id")
        content = load_content(self.content_dir).content
        if content is None or not isinstance(node_id, str) or node_id not in content.nodes:
            return
        if not isinstance(user_id, int) or not isinstance(message_id, int):
            return
        message = self.emulator.world.message(user_id, message_id)
        if message is None:
            return
        data = encode(Header(self.locale), Open(content.nodes[node_id].key))
        await publish_press(self.emulator, user_id, message, data)


def add_review_routes(app: web.Application, desk: ReviewDesk) -> None:
    """/review (the chat page with the review tools), its script and style, and its JSON API."""
    from bot.emulator.emulator import STATIC_DIR

    async def page(request: web.Request) -> web.StreamResponse:
        chat = (STATIC_DIR / "chat.html").read_text(encoding="utf-8")
        meta = (
            f'<meta name="review-locale" content="{html.escape(desk.locale)}">'
            f'<meta name="review-reviewer" content="{html.escape(desk.reviewer)}">'
            '<link rel="stylesheet" href="/review/static/review.css">'
        )
        chat = chat.replace("</head>", meta + "\n</head>", 1)
        chat = chat.replace("</body>", '<script src="/review/static/review.js"></script>\n</body>', 1)
        return web.Response(text=chat, content_type="text/html")

    async def match(request: web.Request) -> web.StreamResponse:
        body = await request.json()
        buttons = [str(label) for label in body.get("buttons", [])]
        texts = await asyncio.to_thread(desk.match, str(body.get("text", "")), buttons)
        return web.json_response({"texts": texts})

    async def verdict(request: web.Request) -> web.StreamResponse:
        return web.json_response(await desk.verdict(await request.json()))

    app.router.add_get("/review", page)
    app.router.add_post("/review/api/match", match)
    app.router.add_post("/review/api/verdict", verdict)
    app.router.add_static("/review/static/", STATIC)


def open_review(emulator: Emulator, content_dir: Path, locales_dir: Path, locale: str, reviewer: str) -> ReviewDesk:
    """The review desk of `locale`, its routes added to the emulator's (before it starts serving); StartupError
    when `locale` is not one of the content's translated languages."""
    from bot.bootstrap import StartupError
    from bot.content.diagnostics import Report
    from bot.content.loader import load_bot_settings

    settings = load_bot_settings(content_dir, Report())
    if settings is not None and (locale not in settings.locales or locale == settings.default_locale):
        others = ", ".join(code for code in settings.locales if code != settings.default_locale)
        raise StartupError(f"--review {locale}: not a translated language of this content (one of {others})")
    desk = ReviewDesk(emulator, content_dir, locales_dir, locale, reviewer)
    add_review_routes(emulator.app, desk)
    return desk
