"""Finding the warning signs in an advert, with the advert's own words that triggered each one.

The advert is normalised the way search and emergency words normalise text (Zawgyi repaired, case folded,
accents and invisible characters dropped, Thai, Burmese and Khmer matched without spaces), keeping for every
normalised character where it came from, so a sign quotes the advert as written. The words of every locale
are looked for whatever the reader's language: an Indonesian advert forwarded by someone reading in English
is still checked. The text is only read here, in memory; nothing of it is kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from bot.content.model import Content
from bot.offers.model import SIGNS, WORDS, Band, LocaleWords, OfferSigns, Phrase, Sign, SignKind
from bot.offers.money import Amount, MoneyReader
from bot.search.text import normalize, segment, spans, to_unicode

QUOTE_MAX = 40  # characters of the advert quoted for one sign


@dataclass(frozen=True, slots=True)
class Hit:
    """A sign found in an advert, with the advert's words that triggered it (shortened)."""

    sign: Sign
    quote: str


@dataclass(frozen=True, slots=True)
class Finding:
    """What the check found: the signs in the order of the content, the facts missing, the score and band."""

    hits: tuple[Hit, ...]
    missing: tuple[Sign, ...]
    score: int
    band: Band
    countries: tuple[str, ...] = ()  # destinations the advert names, first named first
    top_pay_usd: float = 0.0  # the highest pay figure read, in US dollars (0: none)

    @property
    def fired(self) -> tuple[Sign, ...]:
        """Every sign that counted: those found, then the missing facts."""
        return (*(hit.sign for hit in self.hits), *self.missing)


def make_phrase(text: str) -> Phrase | None:
    """Normalise one word or phrase of the content; None when nothing matchable is left."""
    star = text.rstrip().endswith("*")
    normalized = normalize(text.rstrip().rstrip("*") if star else text)
    segments = segment(normalized)
    if segments.runs:
        return Phrase(text, (), "".join(normalized.split()))
    if not segments.words:
        return None
    words = segments.words
    if star:
        words = (*words[:-1], words[-1] + "*")
    return Phrase(text, words, "")


@dataclass(frozen=True, slots=True)
class _Advert:
    """An advert normalised for matching, remembering where each normalised character came from."""

    original: str
    norm: str
    origin: tuple[int, ...]  # index in `original` of each character of `norm`
    words: tuple[tuple[str, int, int], ...]  # word tokens (not runs of spaceless scripts) and their spans in `norm`
    squeezed: str  # `norm` without spaces
    squeezed_at: tuple[int, ...]  # index in `norm` of each character of `squeezed`
    at: Mapping[str, tuple[int, ...]]  # word token -> its indexes in `words`

    @classmethod
    def read(cls, text: str) -> _Advert:
        original = to_unicode(text)
        chars: list[str] = []
        origin: list[int] = []
        for index, char in enumerate(original):
            for out in normalize(char, zawgyi=False):
                chars.append(out)
                origin.append(index)
        norm = "".join(chars)
        words = tuple((token, start, end) for token, start, end, run in spans(norm) if not run)
        squeezed_at = tuple(i for i, char in enumerate(norm) if not char.isspace())
        at: dict[str, list[int]] = {}
        for index, (token, _, _) in enumerate(words):
            at.setdefault(token, []).append(index)
        positions = {token: tuple(found) for token, found in at.items()}
        return cls(original, norm, tuple(origin), words, "".join(norm[i] for i in squeezed_at), squeezed_at, positions)

    def find(self, phrase: Phrase, negations: tuple[Phrase, ...] = ()) -> tuple[int, int] | None:
        """Where the phrase first is in `norm` (start, end) and not just after a negation ("no fees"), or None."""
        if phrase.joined:
            at = self.squeezed.find(phrase.joined)
            while at >= 0:
                before = self.squeezed[max(0, at - 12) : at]
                if not any(neg.joined and before.endswith(neg.joined) for neg in negations) and not self._negated_at(
                    self.squeezed_at[at], negations
                ):
                    return self.squeezed_at[at], self.squeezed_at[at + len(phrase.joined) - 1] + 1
                at = self.squeezed.find(phrase.joined, at + 1)
            return None
        wanted = phrase.words
        size = len(wanted)
        first = wanted[0]
        starts: Iterable[int] = range(len(self.words) - size + 1) if first.endswith("*") else self.at.get(first, ())
        for i in starts:
            if i + size <= len(self.words) and all(_same(self.words[i + j][0], wanted[j]) for j in range(size)):
                if self._negated(i, negations):
                    continue
                return self.words[i][1], self.words[i + size - 1][2]
        return None

    def _negated(self, index: int, negations: tuple[Phrase, ...]) -> bool:
        """True when the word tokens just before token `index` are a negation ("no", "tanpa", "zero")."""
        for neg in negations:
            size = len(neg.words)
            if size and index >= size and all(self.words[index - size + j][0] == neg.words[j] for j in range(size)):
                return True
        return False

    def _negated_at(self, position: int, negations: tuple[Phrase, ...]) -> bool:
        """For a match inside a run of Thai, Burmese ...: a negation word token right before it ("no วีซ่า")."""
        index = next((i for i, (_, start, _) in enumerate(self.words) if start >= position), len(self.words))
        return index > 0 and self.words[index - 1][2] >= position - 2 and self._negated(index, negations)

    def quote(self, start: int, end: int) -> str:
        """The advert's own words for the span [start, end) of `norm`, shortened to QUOTE_MAX characters."""
        if not self.origin or start >= end:
            return ""
        text = " ".join(self.original[self.origin[start] : self.origin[end - 1] + 1].split())
        return text if len(text) <= QUOTE_MAX else text[: QUOTE_MAX - 1].rstrip() + "\u2026"


def _same(token: str, wanted: str) -> bool:
    return token.startswith(wanted[:-1]) if wanted.endswith("*") else token == wanted


@dataclass(frozen=True, slots=True)
class Matcher:
    """The signs with every locale's words, ready to check adverts; built once per content load."""

    signs: OfferSigns
    words: Mapping[str, LocaleWords]
    money: MoneyReader
    negations: tuple[Phrase, ...]  # every locale's: a sign's words right after one of these do not count
    by_sign: Mapping[str, tuple[Phrase, ...]]  # sign id -> every locale's words
    places: tuple[tuple[str, tuple[Phrase, ...]], ...]  # (country, its names in one locale), every locale

    @classmethod
    def build(cls, signs: OfferSigns, words: Mapping[str, LocaleWords]) -> Matcher:
        """Combine the shared signs and the locales' words."""
        negations = tuple(phrase for entry in words.values() for phrase in entry.negations)
        by_sign = {
            sign.id: tuple(
                p for entry in words.values() if sign.id in entry.signs for p in entry.signs[sign.id].phrases
            )
            for sign in signs.signs
        }
        places = tuple((country, names) for entry in words.values() for country, names in entry.destinations.items())
        money = MoneyReader.build(signs.currencies, signs.multipliers)
        return cls(signs, words, money, negations, MappingProxyType(by_sign), places)

    def _earliest(self, advert: _Advert, phrases: Sequence[Phrase], negate: bool = False) -> tuple[int, int] | None:
        best: tuple[int, int] | None = None
        negations = self.negations if negate else ()
        for phrase in phrases:
            span = advert.find(phrase, negations)
            if span is not None and (best is None or span[0] < best[0]):
                best = span
        return best

    def phrases(self, sign_id: str) -> list[Phrase]:
        """Every locale's words of a sign."""
        return list(self.by_sign.get(sign_id, ()))

    def check(self, text: str) -> Finding:
        """The warning signs in an advert, the facts it leaves out, and the band."""
        advert = _Advert.read(text)
        places: list[tuple[int, int, str]] = []  # (start, end, country)
        for country, names in self.places:
            span = self._earliest(advert, names)
            if span is not None:
                places.append((span[0], span[1], country))
        places.sort()
        countries = tuple(dict.fromkeys(country for _, _, country in places))
        hits: list[Hit] = []
        missing: list[Sign] = []
        top = self._top_pay(advert, countries)
        for sign in self.signs.signs:
            if sign.kind is SignKind.WORDS:
                span = self._earliest(advert, self.by_sign[sign.id], negate=True)
                if span is not None:
                    hits.append(Hit(sign, advert.quote(*span)))
            elif sign.kind is SignKind.MISSING:
                if self._earliest(advert, self.by_sign[sign.id]) is None:
                    missing.append(sign)
            elif sign.kind is SignKind.DESTINATION:
                risky = [(start, end) for start, end, country in places if self._compounds(country)]
                if risky:
                    hits.append(Hit(sign, advert.quote(*risky[0])))
            elif sign.kind is SignKind.PAY and top is not None and top.usd >= self._threshold(countries, top.currency):
                hits.append(Hit(sign, advert.quote(top.start, top.end)))
        score = sum(hit.sign.weight for hit in hits) + sum(sign.weight for sign in missing)
        return Finding(
            tuple(hits), tuple(missing), score, self.signs.band(score), countries, top.usd if top is not None else 0.0
        )

    def _compounds(self, country: str) -> bool:
        destination = self.signs.destinations.get(country)
        return destination is not None and destination.compounds

    def _threshold(self, countries: tuple[str, ...], currency: str) -> float:
        """The pay above which a figure is far above usual: that of the named destination paying in the figure's
        currency (the lowest when several do), else the highest of those named (an office address in Manila must
        not make Taiwanese pay look high), else the default."""
        named = [self.signs.destinations[c] for c in countries if c in self.signs.destinations]
        paying = [d.high_pay_usd for d in named if d.currency == currency]
        if paying:
            return min(paying)
        if named:
            return max(d.high_pay_usd for d in named)
        return self.signs.default_high_pay_usd

    def _top_pay(self, advert: _Advert, countries: tuple[str, ...]) -> Amount | None:
        currencies = {self.signs.destinations[c].currency for c in countries if c in self.signs.destinations}
        currencies.discard("")
        bare = next(iter(currencies)) if len(currencies) == 1 else ""
        amounts = self.money.amounts(advert.norm, bare)
        return max(amounts, key=lambda amount: amount.usd) if amounts else None


_built: list[tuple[object, Matcher | None]] = []  # the last content set and its matcher


def matcher_for(content: Content) -> Matcher | None:
    """The matcher of a content set (built once per load), or None when the content has no offer signs."""
    if _built and _built[0][0] is content:
        return _built[0][1]
    signs, words = content.documents.get(SIGNS), content.documents.get(WORDS)
    matcher = Matcher.build(signs, words) if isinstance(signs, OfferSigns) and isinstance(words, Mapping) else None
    _built[:] = [(content, matcher)]
    return matcher
