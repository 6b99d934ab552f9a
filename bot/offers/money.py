"""Pay figures in an advert: "25,000 baht", "Rp 15 juta", "$1,500", "15k", "လစာ သိန်း ၁၅".

Works on normalised text (case-folded, NFKC: full-width digits are ASCII); Thai, Burmese, Khmer and other
Unicode digits are read as digits. A figure counts only with a currency, written next to it or implied by its
multiplier (a lakh, သိန်း, is of kyat), or, for a bare "15k", by the only destination the advert names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from bot.offers.model import Currency, Multiplier

# Digits with separators: 25,000  15.000.000  1,500.00  1.5 (`_number` tells thousands from decimals).
_NUMBER = re.compile(r"(?<![\d.,])\d+(?:[.,]\d+)*")
_LOOK = 24  # characters looked at either side of a number for its currency and multiplier


@dataclass(frozen=True, slots=True)
class Amount:
    """A figure found in the text: its value in its currency and in US dollars, and where it is."""

    value: float
    currency: str
    usd: float
    start: int
    end: int


def _number(text: str) -> float | None:
    """The value of a number as adverts write it: "25,000" and "15.000.000" are thousands, "1.5" is one and a half."""
    if "," in text and "." in text:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        text = text.replace(thousands, "").replace(decimal, ".")
    elif "," in text or "." in text:
        mark = "," if "," in text else "."
        groups = text.split(mark)
        if len(groups) > 2 or (len(groups) == 2 and len(groups[1]) == 3):
            text = "".join(groups)  # thousands separators
        else:
            text = text.replace(",", ".")
    digits = "".join(str(int(char)) if char.isdigit() else char for char in text)  # Thai, Burmese ... digits
    try:
        return float(digits)
    except ValueError:
        return None


def _latin(char: str) -> bool:
    return char.isalpha() and char.isascii()


def _after(text: str, names: Iterable[str]) -> tuple[str, int] | None:
    """The first of `names` that `text` starts with (after spaces), whole words for Latin names; (name, length used)."""
    stripped = text.lstrip(" \u00a0")
    skipped = len(text) - len(stripped)
    for name in names:
        if stripped.startswith(name):
            end = len(name)
            if _latin(name[-1]) and end < len(stripped) and _latin(stripped[end]):
                continue
            return name, skipped + end
    return None


def _before(text: str, names: Iterable[str]) -> tuple[str, int] | None:
    """The first of `names` that `text` ends with (before spaces); (name, length used)."""
    stripped = text.rstrip(" \u00a0")
    skipped = len(text) - len(stripped)
    for name in names:
        if stripped.endswith(name):
            start = len(stripped) - len(name)
            if _latin(name[0]) and start > 0 and _latin(stripped[start - 1]):
                continue
            return name, skipped + len(name)
    return None


@dataclass(frozen=True, slots=True)
class MoneyReader:
    """Finds pay figures, built once per content load from the currencies and multipliers of offer-signs.yaml."""

    currencies: Mapping[str, Currency]
    multipliers: Mapping[str, Multiplier]
    currency_names: tuple[str, ...]  # longest first
    currency_of: Mapping[str, str]  # name -> code
    multiplier_names: tuple[str, ...]  # longest first

    @classmethod
    def build(cls, currencies: Mapping[str, Currency], multipliers: Sequence[Multiplier]) -> MoneyReader:
        """Index the names of the currencies and multipliers."""
        currency_of = {name: currency.code for currency in currencies.values() for name in currency.names}
        by_name = {multiplier.name: multiplier for multiplier in multipliers}
        return cls(
            currencies,
            by_name,
            tuple(sorted(currency_of, key=len, reverse=True)),
            currency_of,
            tuple(sorted(by_name, key=len, reverse=True)),
        )

    def amounts(self, text: str, bare_currency: str = "") -> list[Amount]:
        """Every pay figure of normalised `text` that has a currency; `bare_currency` for a bare "15k"."""
        found: list[Amount] = []
        for match in _NUMBER.finditer(text):
            value = _number(match.group())
            if value is None or value <= 0:
                continue
            start, end = match.start(), match.end()
            currency = ""
            multiplier = 1.0
            after = text[end : end + _LOOK]
            got = _after(after, self.multiplier_names)
            if got is not None:
                unit = self.multipliers[got[0]]
                multiplier, currency = unit.value, unit.currency
                end += got[1]
                after = text[end : end + _LOOK]
            else:
                ahead = _before(text[max(0, start - _LOOK) : start], self.multiplier_names)
                if ahead is not None and not _latin(ahead[0][0]):  # သိန်း ၁၅: the lakh before the number
                    unit = self.multipliers[ahead[0]]
                    multiplier, currency = unit.value, unit.currency
                    start -= ahead[1]
            named = _after(after, self.currency_names)
            if named is not None:
                currency = self.currency_of[named[0]]
                end += named[1]
            else:
                ahead = _before(text[max(0, start - _LOOK) : start], self.currency_names)
                if ahead is not None:
                    currency = self.currency_of[ahead[0]]
                    start -= ahead[1]
            if not currency and multiplier > 1 and bare_currency:
                currency = bare_currency
            rate = self.currencies.get(currency)
            if rate is None:
                continue
            amount = value * multiplier
            found.append(Amount(amount, currency, amount / rate.per_usd, start, end))
        return found
