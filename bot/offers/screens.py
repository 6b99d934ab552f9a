"""The job-offer check in chat: the request for an advert, the offer to check one, the answer and its details."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from urllib.parse import urlsplit

from bot import keyboards
from bot.callbacks import GetHelp, Handoff, Header, Offer, Open
from bot.content.model import Content, Node
from bot.i18n import UI
from bot.offers.document import words_of
from bot.offers.match import Finding, Matcher
from bot.offers.model import Band, LocaleWords, OfferSigns, Sign, SignText
from bot.screens import Screen

DETAILS_MAX = 3800  # visible characters: the details are one message (Telegram allows 4096 after parsing)
_TAGS = re.compile(r"<[^>]+>")
SHOWN = 3  # signs shown with what they mean on the answer; the rest are counted, and all are under Details
PURPOSES = {Band.MANY: ("trafficking", "migrant-worker-complaints"), Band.SOME: ("migrant-worker-complaints",)}


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def sign_text(matcher: Matcher, content: Content, locale: str, sign: Sign) -> SignText | None:
    """A sign's title and explanation in the reader's language, else along its fallback chain."""
    for candidate in content.chain(locale):
        words: LocaleWords | None = words_of(matcher.words, candidate)
        if words is not None and sign.id in words.signs:
            return words.signs[sign.id]
    return None


def mask_of(signs: OfferSigns, fired: Sequence[Sign]) -> str:
    """The fired signs as a base-36 bit mask (bit i: the i-th sign of the content)."""
    ids = {sign.id for sign in fired}
    value = sum(1 << index for index, sign in enumerate(signs.signs) if sign.id in ids)
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        value, rest = divmod(value, 36)
        out = digits[rest] + out
        if not value:
            return out


def signs_of_mask(signs: OfferSigns, mask: str) -> tuple[Sign, ...]:
    """The signs a mask names (bits past the list are ignored)."""
    value = int(mask, 36)
    return tuple(sign for index, sign in enumerate(signs.signs) if value >> index & 1)


def _home(content: Content, ui: UI, header: Header) -> keyboards.Row:
    return [keyboards.button(ui.t("button.home"), header, Open(content.root.key))]


def ask_screen(content: Content, ui: UI, header: Header, node: Node | None) -> Screen:
    """Forward or paste the advert here (the menu entry and /check), with the full self-check as another way."""
    body: list[str] = []
    if node is not None:
        text = content.text(node.id, header.locale)
        body.append(f"<b>{_esc(text.title)}</b>")
        body.extend(text.parts[:1])
    else:
        body.append(_esc(ui.t("offer.ask")))
    rows: list[keyboards.Row] = []
    signs = content.documents.get("offer-signs")
    quiz = content.nodes.get(signs.self_check) if isinstance(signs, OfferSigns) else None
    if quiz is not None:
        rows.append([keyboards.button(ui.t("button.self_check"), header, Open(quiz.key))])
    rows.extend(keyboards.footer(content, ui, header, node))
    return Screen(ui.direction("\n\n".join(body)), keyboards.markup(rows))


def prompt_screen(content: Content, ui: UI, header: Header, pages: Sequence[str]) -> Screen:
    """ "Is this a job offer?" with one button to check it (sent as a reply to the advert), and the pages found."""
    rows: list[keyboards.Row] = [[keyboards.button(ui.t("button.check_offer"), header, Offer("c"))]]
    rows.extend([keyboards.open_node(content, content.nodes[node_id], header)] for node_id in pages[:3])
    rows.append(_home(content, ui, header))
    return Screen(ui.direction(_esc(ui.t("offer.prompt"))), keyboards.markup(rows))


def answer_screen(
    content: Content, ui: UI, header: Header, matcher: Matcher, finding: Finding, *, desk: bool, numbers: str = ""
) -> Screen:
    """The band, the signs found with the advert's words and what they mean, the facts missing, and what next;
    `numbers`, the numbers to call (bot.helplines.calls), right below a verdict that says to call."""
    signs = matcher.signs
    band = finding.band
    lines = [
        f"<b>{_esc(ui.t('offer.heading'))}: {_esc(ui.t(f'offer.band.{band.value}'))}</b>",
        _esc(ui.t(f"offer.guidance.{band.value}")),
    ]
    if numbers:
        lines.append(numbers)
    ranked = sorted(finding.hits, key=lambda hit: -hit.sign.weight)  # stable: content order among equals
    if ranked:
        found = [f"<b>{_esc(ui.t('offer.found'))}</b>"]
        for hit in ranked[:SHOWN]:
            text = sign_text(matcher, content, header.locale, hit.sign)
            if text is None:
                continue
            label = ui.t("offer.sign", title=text.title, quote=hit.quote)
            found.append(f"\u2022 <b>{_esc(label)}</b>\n{text.explain}")
        if len(ranked) > SHOWN:
            found.append(_esc(ui.t("offer.more", count=len(ranked) - SHOWN)))
        lines.append("\n".join(found))
    if finding.missing:
        titles = [t.title for s in finding.missing if (t := sign_text(matcher, content, header.locale, s))]
        lines.append(f"<b>{_esc(ui.t('offer.missing'))}</b> " + _esc(" \u00b7 ".join(titles)))
    lines.append(f"<i>{_esc(ui.t('offer.not_saved'))}</i>")
    rows: list[keyboards.Row] = []
    top: keyboards.Row = []
    if finding.fired:
        top.append(
            keyboards.button(
                ui.t("button.offer_details"), header, Offer("d", signs.version, mask_of(signs, finding.fired))
            )
        )
    # The licence page and the self-check open below the answer, which stays on screen to be read again.
    if signs.licence_page in content.nodes:
        top.append(keyboards.button(ui.t("button.check_licence"), header, Offer("l")))
    rows.append(top)
    if signs.self_check in content.nodes:
        rows.append([keyboards.button(ui.t("button.self_check"), header, Offer("s"))])
    if desk:
        rows.append([keyboards.button(ui.t("button.talk"), header, Handoff("t"))])
    rows.append([keyboards.button(ui.t("button.get_help"), header, GetHelp(_purposes(band), new=True))])
    rows.append(_home(content, ui, header))
    return Screen(ui.direction("\n\n".join(lines)), keyboards.markup(rows))


def _visible(markup: str) -> int:
    """How long Telegram counts a message: its text after the tags are parsed (link addresses do not count)."""
    return len(html.unescape(_TAGS.sub("", markup)))


def _purposes(band: Band) -> str:
    from bot.helplines.model import encode_purposes

    return encode_purposes(PURPOSES.get(band, ()))


def details_screen(content: Content, ui: UI, header: Header, matcher: Matcher, fired: Sequence[Sign]) -> Screen:
    """Every sign found with what it means and its sources; Back checks the advert again (it is still in the chat)."""
    body = ""
    for with_sources in (True, False):  # sources go first when everything would not fit one message
        lines = [f"<b>{_esc(ui.t('offer.details'))}</b>"]
        for sign in fired:
            text = sign_text(matcher, content, header.locale, sign)
            if text is None:
                continue
            line = f"\u2022 <b>{_esc(text.title)}</b>: {text.explain}"
            if with_sources and sign.sources:
                sources = ", ".join(_link(source.title, source.url) for source in sign.sources)
                line += f"\n<i>{_esc(ui.t('offer.sources'))}</i> {sources}"
            lines.append(line)
        body = "\n\n".join(lines)
        if _visible(body) <= DETAILS_MAX:
            break
    rows = [
        [keyboards.button(ui.t("button.back"), header, Offer("b"))],
        _home(content, ui, header),
    ]
    return Screen(ui.direction(body), keyboards.markup(rows))


def _link(title: str, url: str) -> str:
    """A source as a short link labelled with its site (the title when it has no address)."""
    if not url:
        return _esc(title if len(title) <= 40 else title[:39] + "\u2026")
    site = urlsplit(url).netloc.removeprefix("www.")
    return f'<a href="{html.escape(url)}">{_esc(site)}</a>'


def notice(content: Content, ui: UI, header: Header, key: str, **values: object) -> Screen:
    """A short message of the check (the advert gone, the signs changed) with the way on."""
    rows = [_home(content, ui, header)]
    return Screen(ui.direction(_esc(ui.t(key, **values))), keyboards.markup(rows))


def first_offer_node(content: Content) -> Node | None:
    """The menu entry of the check (the first node of type offer-check), if the content has one."""
    return next((node for node in content.nodes.values() if node.type == "offer-check"), None)
