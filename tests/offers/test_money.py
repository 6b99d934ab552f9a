"""Pay figures as adverts write them, read into their currency and US dollars."""

from __future__ import annotations

import pytest

from bot.offers.match import Matcher
from bot.search.text import normalize


def _amounts(matcher: Matcher, text: str, bare: str = "") -> list[tuple[float, str]]:
    return [(amount.value, amount.currency) for amount in matcher.money.amounts(normalize(text), bare)]


@pytest.mark.parametrize(
    ("text", "value", "currency"),
    [
        ("salary 25,000 baht a month", 25_000, "THB"),
        ("เงินเดือน 25,000 บาท", 25_000, "THB"),
        ("gaji Rp 15 juta per bulan", 15_000_000, "IDR"),
        ("gaji Rp15.000.000", 15_000_000, "IDR"),
        ("gaji 15jt rupiah", 15_000_000, "IDR"),
        ("pay $1,500 monthly", 1_500, "USD"),
        ("USD 1.200", 1_200, "USD"),
        ("1,500.50 USDT", 1_500.5, "USD"),
        ("RM 6,000", 6_000, "MYR"),
        ("NT$28,590", 28_590, "TWD"),
        ("₱50,000 a month", 50_000, "PHP"),
        ("$1.5k", 1_500, "USD"),
        ("လစာ သိန်း ၁၅", 1_500_000, "MMK"),
        ("๒๕,๐๐๐ บาท", 25_000, "THB"),
        ("lương 20 triệu đồng", 20_000_000, "VND"),
        ("３５，０００バーツ 35000 baht", 35_000, "THB"),
    ],
)
def test_reads_the_figure_and_its_currency(matcher: Matcher, text: str, value: float, currency: str) -> None:
    assert (value, currency) in _amounts(matcher, text)


def test_a_bare_figure_needs_a_multiplier_and_a_destination_currency(matcher: Matcher) -> None:
    assert _amounts(matcher, "salary 15k per month", "USD") == [(15_000, "USD")]
    assert _amounts(matcher, "salary 15k per month") == []  # no destination named: no currency, not read
    assert _amounts(matcher, "call 0812345678 or come on 12 May", "USD") == []  # numbers without money


def test_kilometres_are_not_thousands(matcher: Matcher) -> None:
    assert _amounts(matcher, "the office is 15 km away", "USD") == []


def test_converts_to_us_dollars(matcher: Matcher) -> None:
    (amount,) = matcher.money.amounts(normalize("25,000 baht"))
    assert 600 < amount.usd < 900
