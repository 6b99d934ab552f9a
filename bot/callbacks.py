"""The button-data codec: a prefixed, versioned, length-checked encoding of what a press means.

`m1|<locale>|<campaign>|<tag>|<field>|...` — everything a press needs travels in the button, so any
replica answers any press from the loaded content alone (no session state, no database read).
Telegram allows 1-64 bytes; `encode` refuses anything longer, `decode` returns None for anything
it does not understand (old versions, tampering), and the handler answers kindly.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar, TypeVar

PREFIX = "m1"
SEP = "|"
MAX_BYTES = 64
FIELD_RE = re.compile(r"^[A-Za-z0-9_.~-]*$")


class CallbackTooLong(ValueError):
    """Encoded data would not fit Telegram's 64 bytes."""


@dataclass(frozen=True, slots=True)
class Header:
    """Who is pressing, as far as rendering needs: the language and the campaign (a code, never a person)."""

    locale: str
    campaign: str = ""


class Action:
    """A decoded button press. Subclasses are frozen dataclasses registered with `@action`."""

    TAG: ClassVar[str]

    def fields(self) -> tuple[str, ...]:
        """The action's fields as text, in order."""
        raise NotImplementedError

    @classmethod
    def parse(cls, fields: list[str]) -> Action | None:
        """Rebuild the action from its fields, or None when they are invalid."""
        raise NotImplementedError


A = TypeVar("A", bound=type[Action])
ACTIONS: dict[str, type[Action]] = {}


def action(cls: A) -> A:
    """Register an Action subclass under its TAG."""
    if cls.TAG in ACTIONS:
        raise ValueError(f"duplicate callback tag {cls.TAG!r}")
    ACTIONS[cls.TAG] = cls
    return cls


def _int(text: str, upper: int = 10_000) -> int | None:
    return int(text) if text.isdigit() and len(text) <= 5 and int(text) < upper else None


@dataclass(frozen=True, slots=True)
class _NodePage(Action):
    """A node and which screenful of it: the fields Open and InEnglish share."""

    key: str
    page: int = 0

    def fields(self) -> tuple[str, ...]:
        return (self.key, str(self.page))

    @classmethod
    def parse(cls, fields: list[str]) -> Action | None:
        if len(fields) != 2 or not fields[0]:
            return None
        page = _int(fields[1])
        return None if page is None else cls(fields[0], page)


@action
@dataclass(frozen=True, slots=True)
class Open(_NodePage):
    """Show a node: a menu page (`page` = which screenful of buttons) or a page part."""

    TAG: ClassVar[str] = "n"


@action
@dataclass(frozen=True, slots=True)
class ShowSources(Action):
    """Show the sources of a node."""

    TAG: ClassVar[str] = "s"
    key: str

    def fields(self) -> tuple[str, ...]:
        return (self.key,)

    @classmethod
    def parse(cls, fields: list[str]) -> Action | None:
        return cls(fields[0]) if len(fields) == 1 and fields[0] else None


@action
@dataclass(frozen=True, slots=True)
class ChooseLanguage(Action):
    """Show the language menu, or (with a locale) switch to it."""

    TAG: ClassVar[str] = "l"
    locale: str = ""

    def fields(self) -> tuple[str, ...]:
        return (self.locale,)

    @classmethod
    def parse(cls, fields: list[str]) -> Action | None:
        return cls(fields[0]) if len(fields) == 1 else None


@action
@dataclass(frozen=True, slots=True)
class Forget(Action):
    """Answer the /forget confirmation."""

    TAG: ClassVar[str] = "f"
    confirmed: bool

    def fields(self) -> tuple[str, ...]:
        return ("y" if self.confirmed else "n",)

    @classmethod
    def parse(cls, fields: list[str]) -> Action | None:
        return cls(fields[0] == "y") if fields in (["y"], ["n"]) else None


_PURPOSES_RE = re.compile(r"^[a-z]{0,6}$")
_COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
ROLES = ("c", "h")  # the country the user is in now / the user's home country


@action
@dataclass(frozen=True, slots=True)
class GetHelp(Action):
    """Show the helplines of the user's country (or ask it); `purposes` are one letter each, best first. `new`:
    as a new message, leaving the pressed one (a quiz result) in place."""

    TAG: ClassVar[str] = "h"
    purposes: str = ""
    new: bool = False

    def fields(self) -> tuple[str, ...]:
        return (self.purposes, "n") if self.new else (self.purposes,)

    @classmethod
    def parse(cls, fields: list[str]) -> Action | None:
        if not fields or len(fields) > 2 or not _PURPOSES_RE.match(fields[0]):
            return None
        if len(fields) == 2 and fields[1] != "n":
            return None
        return cls(fields[0], len(fields) == 2)


@action
@dataclass(frozen=True, slots=True)
class PickCountry(Action):
    """Show one page of the country list, for the current (`c`) or the home (`h`) country."""

    TAG: ClassVar[str] = "hc"
    role: str
    page: int = 0
    purposes: str = ""

    def fields(self) -> tuple[str, ...]:
        return (self.role, str(self.page), self.purposes)

    @classmethod
    def parse(cls, fields: list[str]) -> Action | None:
        if len(fields) != 3 or fields[0] not in ROLES or not _PURPOSES_RE.match(fields[2]):
            return None
        page = _int(fields[1], 100)
        return None if page is None else cls(fields[0], page, fields[2])


@action
@dataclass(frozen=True, slots=True)
class SetCountry(Action):
    """Remember the current or home country (an empty home country means "skip"), then show the helplines."""

    TAG: ClassVar[str] = "hs"
    role: str
    country: str
    purposes: str = ""

    def fields(self) -> tuple[str, ...]:
        return (self.role, self.country, self.purposes)

    @classmethod
    def parse(cls, fields: list[str]) -> Action | None:
        if len(fields) != 3 or fields[0] not in ROLES or not _PURPOSES_RE.match(fields[2]):
            return None
        role, country = fields[0], fields[1]
        if not (_COUNTRY_RE.match(country) or (role == "h" and country == "")):
            return None
        return cls(role, country, fields[2])


@action
@dataclass(frozen=True, slots=True)
class AskLocation(Action):
    """Offer the one-time "send my location" keyboard, to find the user's country from where they are."""

    TAG: ClassVar[str] = "hl"
    purposes: str = ""

    def fields(self) -> tuple[str, ...]:
        return (self.purposes,)

    @classmethod
    def parse(cls, fields: list[str]) -> Action | None:
        return cls(fields[0]) if len(fields) == 1 and _PURPOSES_RE.match(fields[0]) else None


@action
@dataclass(frozen=True, slots=True)
class ClearChat(Action):
    """Delete the conversation from the chat, as far as Telegram allows."""

    TAG: ClassVar[str] = "x"

    def fields(self) -> tuple[str, ...]:
        return ()

    @classmethod
    def parse(cls, fields: list[str]) -> Action | None:
        return cls() if not fields else None


_ENTRY_KEY_RE = re.compile(r"^[0-9a-f]{6}$")


@action
@dataclass(frozen=True, slots=True)
class NumberFailed(Action):
    """ "This number did not work" under a help card: ask which (`entry` empty), or report the number whose key is
    `entry` (a short hash of its directory entry, see bot.helplines.failed) and show the next one."""

    TAG: ClassVar[str] = "hf"
    country: str
    entry: str = ""
    purposes: str = ""

    def fields(self) -> tuple[str, ...]:
        return (self.country, self.entry, self.purposes)

    @classmethod
    def parse(cls, fields: list[str]) -> Action | None:
        if len(fields) != 3 or not _COUNTRY_RE.match(fields[0]) or not _PURPOSES_RE.match(fields[2]):
            return None
        if fields[1] and not _ENTRY_KEY_RE.match(fields[1]):
            return None
        return cls(fields[0], fields[1], fields[2])


@action
@dataclass(frozen=True, slots=True)
class Licence(Action):
    """Where to check a recruiter's licence: the country's check, or (no country) the list of countries."""

    TAG: ClassVar[str] = "lc"
    country: str = ""

    def fields(self) -> tuple[str, ...]:
        return (self.country,)

    @classmethod
    def parse(cls, fields: list[str]) -> Action | None:
        if len(fields) != 1 or not (fields[0] == "" or _COUNTRY_RE.match(fields[0])):
            return None
        return cls(fields[0])


_QUIZ_STATE_RE = re.compile(r"^[a-z][A-Za-z0-9_-]{5,40}$")


@action
@dataclass(frozen=True, slots=True)
class Quiz(Action):
    """A quiz step: the quiz node's key and its answers so far, packed by bot.quiz.codec (checked there)."""

    TAG: ClassVar[str] = "q"
    key: str
    state: str

    def fields(self) -> tuple[str, ...]:
        return (self.key, self.state)

    @classmethod
    def parse(cls, fields: list[str]) -> Action | None:
        if len(fields) != 2 or not fields[0] or not _QUIZ_STATE_RE.match(fields[1]):
            return None
        return cls(fields[0], fields[1])


_TOPIC_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,23}$")


@action
@dataclass(frozen=True, slots=True)
class Subscription(Action):
    """Follow-ups: subscribe (`y`), leave from the list (`n`) or under a broadcast (`s`), start or stop from a
    page's button (`p`); no topic: the list."""

    TAG: ClassVar[str] = "t"
    topic: str = ""
    op: str = ""

    def fields(self) -> tuple[str, ...]:
        return (self.topic, self.op)

    @classmethod
    def parse(cls, fields: list[str]) -> Action | None:
        if len(fields) != 2:
            return None
        topic, op = fields
        if topic == "" and op == "":
            return cls()
        return cls(topic, op) if _TOPIC_RE.match(topic) and op in ("y", "n", "s", "p") else None


HANDOFF_OPS = ("t", "y", "n", "e", "r", "s", "d", "fy", "fn")


@action
@dataclass(frozen=True, slots=True)
class Handoff(Action):
    """Talk to a person and reports: consent (`t`), start (`y`), cancel (`n`), end (`e`), report (`r`), skip a
    question (`s`), screenshots done (`d`), follow-up questions allowed (`fy`) or not (`fn`)."""

    TAG: ClassVar[str] = "d"
    op: str

    def fields(self) -> tuple[str, ...]:
        return (self.op,)

    @classmethod
    def parse(cls, fields: list[str]) -> Action | None:
        return cls(fields[0]) if len(fields) == 1 and fields[0] in HANDOFF_OPS else None


_OFFER_RE = re.compile(r"^[0-9a-f]{3}$")
_MASK_RE = re.compile(r"^[0-9a-z]{1,9}$")
OFFER_OPS = ("c", "b", "d", "l", "s")


@action
@dataclass(frozen=True, slots=True)
class Offer(Action):
    """The job-offer check: check the advert the pressed message replies to (`c`; `b`: again, back from the
    details), show what the signs found mean (`d`, with the signs' `version` and a base-36 bit `mask` of them), or
    open the licence page (`l`) or the self-check (`s`) below the answer; the advert never travels in a button."""

    TAG: ClassVar[str] = "o"
    op: str
    version: str = ""
    mask: str = ""

    def fields(self) -> tuple[str, ...]:
        return (self.op, self.version, self.mask)

    @classmethod
    def parse(cls, fields: list[str]) -> Action | None:
        if len(fields) != 3 or fields[0] not in OFFER_OPS:
            return None
        op, version, mask = fields
        if op == "d" and not (_OFFER_RE.match(version) and _MASK_RE.match(mask)):
            return None
        return cls(op, version, mask)


@action
@dataclass(frozen=True, slots=True)
class InEnglish(_NodePage):
    """Show a page in the default language (English) in place of a machine translation not yet reviewed."""

    TAG: ClassVar[str] = "g"


def encode(header: Header, act: Action) -> str:
    """The callback_data for a press; raises CallbackTooLong or ValueError for unusable fields."""
    parts = (PREFIX, header.locale, header.campaign, act.TAG, *act.fields())
    for part in parts:
        if SEP in part or not FIELD_RE.match(part):
            raise ValueError(f"callback field {part!r} has characters the codec does not allow")
    data = SEP.join(parts)
    if len(data.encode()) > MAX_BYTES:
        raise CallbackTooLong(f"callback data is {len(data.encode())} bytes; Telegram allows {MAX_BYTES}")
    return data


def decode(data: str | None) -> tuple[Header, Action] | None:
    """The header and action of callback_data, or None when it is not ours or not valid."""
    if not data or len(data.encode()) > MAX_BYTES:
        return None
    parts = data.split(SEP)
    if len(parts) < 4 or parts[0] != PREFIX or not all(FIELD_RE.match(part) for part in parts):
        return None
    cls = ACTIONS.get(parts[3])
    act = cls.parse(parts[4:]) if cls else None
    if act is None or not parts[1]:
        return None
    return Header(parts[1], parts[2]), act


Encoder = Callable[[Action], str]
