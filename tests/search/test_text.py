"""Text normalisation and segmentation: what search and emergency words see of a message."""

from __future__ import annotations

import pytest

from bot.search.text import Segments, ngrams, normalize, segment


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Passport, visa & FEES!", Segments(("passport", "visa", "fees"), ())),
        ("Straße — Äpfel", Segments(("strasse", "apfel"), ())),  # case folding, Latin accents removed
        ("pass\u200bport\u00ad", Segments(("passport",), ())),  # invisible characters dropped
        ("đi làm", Segments(("di", "lam"), ())),  # Vietnamese đ is typed as d
        (
            "\u0645\u064a\u200c\u062e\u0648\u0627\u0647\u0645 \u0643\u0627\u0631",
            Segments(("\u0645\u06cc", "\u062e\u0648\u0627\u0647\u0645", "\u06a9\u0627\u0631"), ()),
        ),  # ZWNJ splits a word; Arabic yeh and kaf become Persian
        ("หนังสือเดินทาง OK", Segments(("ok",), ("หนังสือเดินทาง",))),
        ("ฯลฯ ไปๆมาๆ", Segments((), ("ล", "ไป", "มา"))),  # Thai punctuation and repetition marks split runs
        ("ပတ်စပို့၊ အလုပ်။", Segments((), ("ပတ်စပို့", "အလုပ်"))),  # Burmese sentence marks split runs
        ("លិខិតឆ្លងដែន។ passport", Segments(("passport",), ("លិខិតឆ្លងដែន",))),
        ("visaหนังสือ2024", Segments(("visa", "2024"), ("หนังสือ",))),  # a word and a run glued together
        ("「パスポート」", Segments((), ("パスポート",))),
        ("", Segments((), ())),
    ],
)
def test_segment(text: str, expected: Segments) -> None:
    assert segment(normalize(text)) == expected


def test_ngrams_of_runs() -> None:
    assert ngrams("กขคง", (2, 3)) == ["กข", "ขค", "คง", "กขค", "ขคง"]
    assert ngrams("ก", (2, 3)) == ["ก"]
    assert ngrams("กข", (3,)) == ["กข"]
