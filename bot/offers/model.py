"""The job-offer check as frozen data: the signs (language-neutral) and each locale's words and explanations."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

SIGNS = "offer-signs"  # content/offer-signs.yaml: the signs, weights, sources, bands, currencies, destinations
WORDS = "offer-words"  # content/offer-words/<locale>.yaml: each locale's words and explanations


class SignKind(StrEnum):
    """How a sign is found in an advert."""

    WORDS = "words"  # one of its words or phrases is in the advert
    PAY = "pay"  # a pay figure far above the usual pay where the job is
    DESTINATION = "destination"  # a place where scam compounds are reported is named
    MISSING = "missing"  # a fact a genuine offer states is absent: none of its words is in the advert


class Band(StrEnum):
    """The result: how many warning signs were found. There is no "safe" band."""

    MANY = "many"
    SOME = "some"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Source:
    """Where the facts behind a sign come from."""

    title: str
    url: str = ""


@dataclass(frozen=True, slots=True)
class Sign:
    """One warning sign: its id, how it is found, how much it counts, and its source."""

    id: str
    kind: SignKind
    weight: int
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class Currency:
    """A currency as adverts write it, and a rough rate to compare pay figures in US dollars."""

    code: str
    per_usd: float  # units of this currency for one US dollar (rough, only to compare with the thresholds)
    names: tuple[str, ...]  # normalised: "$", "usd", "baht", "บาท", "rp" ...


@dataclass(frozen=True, slots=True)
class Multiplier:
    """A word that multiplies the number next to it: k, ribu, juta, หมื่น, သိန်း; some imply a currency."""

    name: str  # normalised
    value: float
    currency: str = ""  # သိန်း (a lakh) is a lakh of kyat


@dataclass(frozen=True, slots=True)
class Destination:
    """A country adverts name: the monthly pay (in US dollars) above which an offer there is suspicious."""

    country: str  # ISO 3166 alpha-2
    high_pay_usd: int
    compounds: bool  # scam compounds are reported there: naming it is a sign
    currency: str = ""  # the currency of a bare figure ("15k") in an advert naming only this country


@dataclass(frozen=True, slots=True)
class OfferSigns:
    """content/offer-signs.yaml: everything about the signs that does not depend on the language."""

    signs: tuple[Sign, ...]
    many: int  # a score from here up: many warning signs
    some: int  # from here up (below `many`): some warning signs
    default_high_pay_usd: int  # when the advert names no known destination
    currencies: Mapping[str, Currency]
    multipliers: tuple[Multiplier, ...]
    destinations: Mapping[str, Destination]
    licence_page: str  # node id: how to check a recruiter's licence
    self_check: str  # node id: the full self-check quiz
    version: str  # changes whenever the list of signs changes; carried in the details button

    def band(self, score: int) -> Band:
        """The band of a score."""
        if score >= self.many:
            return Band.MANY
        if score >= self.some:
            return Band.SOME
        return Band.NONE

    def by_id(self, sign_id: str) -> Sign | None:
        """The sign with this id."""
        return next((sign for sign in self.signs if sign.id == sign_id), None)


@dataclass(frozen=True, slots=True)
class Phrase:
    """A word or phrase normalised for matching: a token sequence, or (for scripts without spaces) a substring."""

    text: str  # as written in the content
    words: tuple[str, ...]  # tokens; a token ending in "*" matches any word starting with it
    joined: str  # for Thai, Burmese, Khmer ...: the phrase without spaces, matched inside the squeezed text


@dataclass(frozen=True, slots=True)
class SignText:
    """A sign in one locale: its short title, what it means (Telegram HTML), and its words."""

    title: str
    explain: str
    phrases: tuple[Phrase, ...]


@dataclass(frozen=True, slots=True)
class LocaleWords:
    """content/offer-words/<locale>.yaml."""

    locale: str
    signs: Mapping[str, SignText]
    destinations: Mapping[str, tuple[Phrase, ...]]  # country -> its names in this language
    negations: tuple[Phrase, ...]  # "no", "without", "tanpa": a sign's words right after one do not count
    machine: bool  # machine-translated and not reviewed
