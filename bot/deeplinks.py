"""Deep-link payloads (`t.me/<bot>?start=<payload>`): choose a language, a landing node, a campaign.

A payload is at most 64 characters of A-Z a-z 0-9 _ -. Forms, all optional and combinable:
- a bare campaign code from campaigns.yaml (`mm-poster-7`): its locale and landing node apply;
- tokens joined by `_`: `c-<campaign>`, `l-<locale>` (with `-` for `_`, as in `l-fa-AF`), `n-<node key>`;
- a bare locale code (`my`, `fa-AF`);
- the id of a top-level menu, an audience's own track (`frontline`), alone or as a token (`frontline_l-th`).
Anything malformed or unknown is ignored piece by piece: the user gets the normal start, never an error.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.content.model import Content

PAYLOAD_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@dataclass(frozen=True, slots=True)
class Landing:
    """Where a campaign sends people and in which language."""

    campaign: str
    locale: str | None
    node_id: str | None


@dataclass(frozen=True, slots=True)
class StartRequest:
    """What a /start payload asked for, already checked against the content."""

    locale: str | None = None
    node_id: str | None = None
    campaign: str | None = None


CampaignLookup = Callable[[Content, str], Landing | None]


def no_campaigns(content: Content, code: str) -> Landing | None:
    """The campaign lookup when no campaigns are configured."""
    return None


def _locale(content: Content, value: str) -> str | None:
    wanted = value.replace("-", "_").lower()
    return next((locale for locale in content.locales if locale.lower() == wanted), None)


def _track(content: Content, value: str) -> str | None:
    """The id of a top-level menu named by `value` (an audience's track), or None."""
    node = content.nodes.get(value)
    return value if node is not None and node.is_menu and node.parent == content.root.id else None


def parse_payload(payload: str | None, content: Content, campaigns: CampaignLookup = no_campaigns) -> StartRequest:
    """Read a /start payload; never raises, unknown parts are dropped."""
    if not payload or not PAYLOAD_RE.match(payload):
        return StartRequest()
    landing = campaigns(content, payload)
    if landing is not None:
        return StartRequest(landing.locale, landing.node_id, landing.campaign)
    bare_locale = _locale(content, payload)
    if bare_locale is not None:
        return StartRequest(locale=bare_locale)
    track = _track(content, payload)
    if track is not None:
        return StartRequest(node_id=track)
    locale = node_id = campaign = None
    for token in payload.split("_"):
        kind, _, value = token.partition("-")
        if kind not in {"l", "n", "c"} and _track(content, token) is not None:
            node_id = node_id or token
            continue
        if not value:
            continue
        if kind == "l":
            locale = _locale(content, value) or locale
        elif kind == "n":
            node = content.by_key(value)
            node_id = node.id if node is not None else node_id
        elif kind == "c":
            found = campaigns(content, value)
            if found is not None:
                campaign = found.campaign
                locale = locale or found.locale
                node_id = node_id or found.node_id
    return StartRequest(locale, node_id, campaign)
