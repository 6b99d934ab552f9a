"""`check` on the offer signs and words: what campaign staff get wrong is reported at its file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.content.loader import load_content
from bot.content.model import Content
from bot.offers.model import SIGNS, WORDS, OfferSigns, SignKind
from tests.botfixtures import SHIPPED_CONTENT


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(SHIPPED_CONTENT, target)
    return target


def _codes(tree: Path) -> list[tuple[str, str]]:
    report = load_content(tree).report
    return [(d.path, d.code) for d in report.errors]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_shipped_signs_are_complete(shipped: Content) -> None:
    signs = shipped.documents[SIGNS]
    assert isinstance(signs, OfferSigns)
    assert {sign.kind for sign in signs.signs} == set(SignKind)
    assert all(sign.sources for sign in signs.signs), "every sign has a source"
    words = shipped.documents[WORDS]
    assert {"en", "id", "fil", "th", "my", "km", "vi", "ne", "bn", "fa-af"} <= set(words)
    assert all(sign.id in words["en"].signs for sign in signs.signs)


def test_a_weight_out_of_range_and_a_missing_page(tree: Path) -> None:
    _edit(
        tree / "offer-signs.yaml",
        "  - id: fees\n    kind: words\n    weight: 3",
        "  - id: fees\n    kind: words\n    weight: 11",
    )
    _edit(tree / "offer-signs.yaml", "licence: before-you-go/recruiters", "licence: before-you-go/nowhere")
    codes = _codes(tree)
    assert ("offer-signs.yaml", "wrong-type") in codes
    assert ("offer-signs.yaml", "dangling-reference") in codes


def test_a_sign_without_a_source(tree: Path) -> None:
    path = tree / "offer-signs.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  - id: control")
    end = text.index("  - id: compound-place")
    path.write_text(
        text[:start] + "  - id: control\n    kind: words\n    weight: 3\n    sources: []\n" + text[end:], "utf-8"
    )
    assert ("offer-signs.yaml", "missing-source") in _codes(tree)


def test_words_for_an_unknown_sign_and_a_long_explanation(tree: Path) -> None:
    path = tree / "offer-words" / "id.yaml"
    _edit(path, "signs:\n", "signs:\n  no-such-sign:\n    title: X\n    explain: Y\n")
    _edit(
        path, 'explain: "Tawaran asli memberi kontrak', 'explain: "' + "panjang " * 30 + "Tawaran asli memberi kontrak"
    )
    codes = _codes(tree)
    assert ("offer-words/id.yaml", "dangling-reference") in codes
    assert ("offer-words/id.yaml", "wrong-type") in codes


def test_the_english_words_are_required(tree: Path) -> None:
    (tree / "offer-words" / "en.yaml").unlink()
    assert ("offer-words/en.yaml", "missing-file") in _codes(tree)


def test_content_without_the_check_is_fine(tmp_path: Path) -> None:
    root = tmp_path / "content"
    (root / "en").mkdir(parents=True)
    (root / "bot.yaml").write_text("default_locale: en\nlocales: [en]\n")
    (root / "en" / "_menu.yaml").write_text("title: Home\n")
    result = load_content(root)
    assert result.content is not None, [str(d) for d in result.report.errors]
    assert not [d for d in result.report.items if "offer" in d.path]


def test_the_licence_page_should_be_the_one_with_the_countries_checks(tree: Path) -> None:
    _edit(tree / "offer-signs.yaml", "licence: before-you-go/recruiters", "licence: before-you-go/fees")
    report = load_content(tree).report
    assert ("offer-signs.yaml", "licence-page-differs") in [(d.path, d.code) for d in report.warnings]
