"""The loader and the model it builds: order, keys, fallbacks, immutability, coverage."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest

from bot.cli import main
from bot.content.coverage import coverage, format_table
from bot.content.loader import fingerprint, load_content, node_key
from bot.content.model import ROOT_ID, Content, TextState
from bot.content.types import PAGE

ROOT = Path(__file__).resolve().parents[2]
GOOD = ROOT / "tests" / "fixtures" / "good"
CONTENT = ROOT / "content"
TRANSLATIONS = ROOT / "tests" / "fixtures" / "broken" / "translations"


def _copy(tmp_path: Path, source: Path) -> Path:
    """A copy of a content tree that a test may break."""
    tree = tmp_path / "content"
    shutil.copytree(source, tree)
    return tree


def _load(directory: Path) -> Content:
    result = load_content(directory)
    assert result.content is not None, [str(d) for d in result.report.errors]
    return result.content


@pytest.fixture(scope="module")
def good() -> Content:
    return _load(GOOD)


def test_structure_and_order(good: Content) -> None:
    assert good.default_locale == "en"
    assert good.locales == ("en", "my")
    assert good.root.id == ROOT_ID
    assert good.root.children == ("topics", "about")  # the order of _menu.yaml, not alphabetical
    assert good.nodes["topics"].children == ("topics/fees", "topics/jump")
    assert good.nodes["topics/jump"].type == "link"
    assert good.nodes["topics/jump"].target == "about"
    assert good.nodes["topics/fees"].parent == "topics"
    assert [node.id for node in good.parents("topics/fees")] == ["topics", ROOT_ID]
    assert good.nodes["about"].sources[0].url == "https://example.org/source"
    assert good.nodes["topics/fees"].help == ("labour-rights",)


def test_without_order_children_are_alphabetical(tmp_path: Path) -> None:
    tree = _copy(tmp_path, GOOD)
    menu = tree / "en" / "topics" / "_menu.yaml"
    menu.write_text("title: Topics\nintro: Pick one.\n", encoding="utf-8")
    assert _load(tree).nodes["topics"].children == ("topics/fees", "topics/jump")
    menu.write_text("title: Topics\norder: [jump]\n", encoding="utf-8")
    result = load_content(tree)
    assert result.content is not None
    assert result.content.nodes["topics"].children == ("topics/jump", "topics/fees")  # unlisted ones come last
    assert [d.code for d in result.report.warnings if d.path == "en/topics/_menu.yaml"] == ["not-in-order"]


def test_rendered_text(good: Content) -> None:
    about = good.text("about", "en")
    assert about.title == "About"
    assert about.parts == ("This is a <b>test</b> page.\n\n\u2022 one\n\u2022 two",)
    assert about.state is TextState.SOURCE
    fees = good.text("topics/fees", "en")
    assert fees.parts == ('You should <i>not</i> pay <a href="https://www.ilo.org/fair-recruitment">fees</a>.',)
    assert "fees" in fees.plain
    assert fees.keywords == ("fee", "money")


def test_text_falls_back_along_the_chain(good: Content) -> None:
    assert good.chain("my") == ("my", "en")
    assert good.chain("xx") == ("en",)
    assert good.text("about", "my").locale == "my"
    assert good.text("about", "my").machine_unreviewed
    assert good.text("topics/jump", "my").locale == "en"  # no my translation: English
    assert good.text("about", "xx").locale == "en"


def test_fallback_chain_from_bot_yaml(tmp_path: Path) -> None:
    tree = _copy(tmp_path, GOOD)
    (tree / "bot.yaml").write_text("default_locale: en\nlocales: [en, my, th]\nfallbacks:\n  th: [my]\n")
    content = _load(tree)
    assert content.chain("th") == ("th", "my", "en")
    assert content.text("about", "th").locale == "my"  # th has nothing; my has about
    assert content.text("topics/jump", "th").locale == "en"


def test_keys_are_short_stable_and_indexed(good: Content) -> None:
    again = _load(GOOD)
    assert {node.id: node.key for node in good.nodes.values()} == {node.id: node.key for node in again.nodes.values()}
    assert good.version == again.version
    for node in good.nodes.values():
        assert node.key == node_key(node.id)
        assert len(node.key.encode()) <= 10
        assert good.by_key(node.key) is node
    assert node_key("topics/fees") == node_key("topics/fees") != node_key("topics/fee")
    assert good.by_key("nope") is None
    assert good.node("nope") is None


def test_a_key_override_is_used(tmp_path: Path) -> None:
    tree = _copy(tmp_path, GOOD)
    about = tree / "en" / "about.yaml"
    about.write_text(about.read_text(encoding="utf-8") + "key: about1\n", encoding="utf-8")
    content = _load(tree)
    assert content.nodes["about"].key == "about1"
    assert content.by_key("about1") is content.nodes["about"]


def test_version_changes_with_the_content(tmp_path: Path, good: Content) -> None:
    tree = _copy(tmp_path, GOOD)
    (tree / "en" / "about.yaml").write_text("title: About\nbody: Changed.\n", encoding="utf-8")
    assert _load(tree).version != good.version


def test_the_model_is_immutable(good: Content) -> None:
    node = good.nodes["about"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        node.key = "x"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        good.default_locale = "my"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        good.text("about", "en").parts = ()  # type: ignore[misc]
    for mapping in (good.nodes, good.keys, good.texts, good.texts["en"], good.chains, good.documents):
        with pytest.raises(TypeError):
            mapping["x"] = None  # type: ignore[index]
    assert isinstance(node.children, tuple)
    assert isinstance(good.nodes["topics"].children, tuple)


def test_errors_mean_no_content(tmp_path: Path) -> None:
    tree = _copy(tmp_path, GOOD)
    (tree / "en" / "about.yaml").write_text("title: About\n", encoding="utf-8")
    result = load_content(tree)
    assert result.content is None
    assert [(d.path, d.code) for d in result.report.errors] == [("en/about.yaml", "missing-field")]


def test_a_broken_default_file_is_one_error_not_one_per_translation(tmp_path: Path) -> None:
    tree = _copy(tmp_path, CONTENT)
    page = tree / "en" / "before-you-go" / "checklist.yaml"
    page.write_text("title: [never closed\n" + page.read_text(encoding="utf-8"), encoding="utf-8")
    (tree / "th" / "before-you-go" / "checklist.yaml").write_text("title: 'also broken\n", encoding="utf-8")
    result = load_content(tree)
    assert result.content is None
    assert sorted((d.path, d.line, d.code) for d in result.report.errors) == [
        ("en/before-you-go/checklist.yaml", 1, "yaml-syntax"),  # where the [ opens
        ("th/before-you-go/checklist.yaml", 1, "yaml-syntax"),  # the translation's own error is still found
    ]


def test_an_error_in_an_english_page_does_not_mark_its_translations_outdated(tmp_path: Path) -> None:
    tree = _copy(tmp_path, CONTENT)
    page = tree / "en" / "before-you-go" / "checklist.yaml"
    page.write_text(page.read_text(encoding="utf-8").replace("title:", "tittle:", 1), encoding="utf-8")
    result = load_content(tree)
    about_page = [d.code for d in result.report.items if "checklist" in d.path]
    assert "outdated-translation" not in about_page, "its fingerprint is of the broken file: no advice from it"
    assert about_page == ["unknown-key"], "a misspelt title is one error (did you mean 'title'?), not two"


def test_a_broken_translation_file_is_not_also_missing(tmp_path: Path) -> None:
    tree = _copy(tmp_path, CONTENT)
    (tree / "th" / "before-you-go" / "checklist.yaml").write_bytes("title: x\n".encode("utf-16"))
    result = load_content(tree)
    th_page = [(d.path, d.code) for d in result.report.items if d.path.startswith("th/before-you-go/checklist")]
    assert th_page == [("th/before-you-go/checklist.yaml", "not-utf8")]


def test_a_fingerprint_of_digits_may_be_written_without_quotes(tmp_path: Path) -> None:
    tree = _copy(tmp_path, GOOD)
    english = {"title": "About", "body": "Text."}
    number = 0
    while not fingerprint(english, PAGE).isdigit():  # about one fingerprint in fifty is all digits
        number += 1
        english["body"] = f"Text {number}."
    (tree / "en" / "about.yaml").write_text(f"title: About\nbody: Text {number}.\n", encoding="utf-8")
    digits = fingerprint(english, PAGE)
    (tree / "my" / "about.yaml").write_text(
        f"title: About (my)\nbody: Text.\ntranslation: {{source: {digits}}}\n", encoding="utf-8"
    )
    result = load_content(tree)
    assert not [d for d in result.report.items if d.path == "my/about.yaml"], result.report.items
    assert result.content is not None
    assert result.content.text("about", "my").state is TextState.CURRENT


def test_text_yaml_silently_changes_is_warned_about(tmp_path: Path) -> None:
    tree = _copy(tmp_path, GOOD)
    (tree / "en" / "about.yaml").write_text(
        "title: Fees #1 question\nbody:\n  Ask your employer.\n  - Ask for the policy number\n  - Keep a copy\n",
        encoding="utf-8",
    )
    result = load_content(tree)
    found = {d.code: (d.line, d.col, d.message) for d in result.report.items if d.path == "en/about.yaml"}
    assert found["comment-in-text"][:2] == (1, 8) and "title is only 'Fees'" in found["comment-in-text"][2]
    assert found["folded-text"][:2] == (3, 3) and "write `body: |`" in found["folded-text"][2]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("body: Call the hotline now #24h service", "comment-in-text"),
        ("body: Steps\n  1. call\n  2. write it down", "folded-text"),
        ('body: "Check\n  - passport\n  - contract"', "folded-text"),
        ("body: >\n  Check\n  - passport", "folded-text"),
    ],
)
def test_more_text_yaml_changes_is_warned_about(tmp_path: Path, body: str, code: str) -> None:
    tree = _copy(tmp_path, GOOD)
    (tree / "en" / "about.yaml").write_text(f"title: About\n{body}\n", encoding="utf-8")
    codes = [d.code for d in load_content(tree).report.items if d.path == "en/about.yaml"]
    assert codes == [code]


def test_text_written_as_intended_is_not_warned_about(tmp_path: Path) -> None:
    tree = _copy(tmp_path, GOOD)
    (tree / "en" / "about.yaml").write_text(
        'title: "Fees #1 question"  # a comment\nbody: |\n  Ask.\n  - one\nkeywords: [a]  # fine\n',
        encoding="utf-8",
    )
    codes = {d.code for d in load_content(tree).report.items if d.path == "en/about.yaml"}
    assert not codes & {"comment-in-text", "folded-text"}, codes
    for body in (
        'body: "First.\\n\\n- one\\n- two\\n\n  - still the same line"',  # double quotes: \\n keeps the breaks
        "body:\n  One long paragraph written\n  over two lines.",  # joining it changes nothing that shows
    ):
        (tree / "en" / "about.yaml").write_text(f"title: About\n{body}\n", encoding="utf-8")
        codes = {d.code for d in load_content(tree).report.items if d.path == "en/about.yaml"}
        assert "folded-text" not in codes, body


def test_common_slips_get_the_fix_in_the_message(tmp_path: Path) -> None:
    tree = _copy(tmp_path, GOOD)
    (tree / "media").mkdir()
    (tree / "media" / "poster.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    (tree / "en" / "about.yaml").write_text(
        "title: About\nbody: Text.\nkeywords: fee, money\nmedia: {photo: poster.png}\n", encoding="utf-8"
    )
    (tree / "en" / "topics" / "_menu.yaml").write_text("title: Topics\norder: [jump.yaml]\n", encoding="utf-8")
    messages = [d.message for d in load_content(tree).report.errors]
    assert any(m.endswith("write keywords: [fee, money]") for m in messages), messages
    assert any(m.endswith("write media/poster.png") for m in messages), messages
    assert any("write 'jump', not 'jump.yaml'" in m for m in messages), messages


def test_a_voice_note_must_be_a_voice_file(tmp_path: Path) -> None:
    tree = _copy(tmp_path, GOOD)
    (tree / "media").mkdir()
    (tree / "media" / "poster.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    (tree / "en" / "about.yaml").write_text("title: About\nbody: Text.\nmedia: {voice: media/poster.png}\n", "utf-8")
    errors = [(d.line, d.code, d.message) for d in load_content(tree).report.errors]
    assert errors == [(3, "wrong-type", "a voice must be a .ogg or .oga or .opus file, not .png")]


def test_a_folder_renamed_in_english_only_is_one_error_per_language(tmp_path: Path) -> None:
    tree = _copy(tmp_path, CONTENT)
    (tree / "en" / "before-you-go").rename(tree / "en" / "preparing")
    home = tree / "en" / "_menu.yaml"
    home.write_text(home.read_text(encoding="utf-8").replace("before-you-go", "preparing"), encoding="utf-8")
    extra = [d for d in load_content(tree).report.errors if d.code == "extra-translation"]
    assert sorted(d.path for d in extra) == sorted(f"{locale}/before-you-go" for locale in ("id", "fil", "th", "my",
        "km", "vi", "ne", "bn", "fa_AF"))  # fmt: skip
    assert "there is no folder before-you-go/ in the default locale 'en'" in extra[0].message


def test_editor_litter_is_neither_loaded_nor_warned_about(tmp_path: Path) -> None:
    tree = _copy(tmp_path, GOOD)
    for litter in ("about.yaml~", "#about.yaml#", "4913", "about.yaml.bak", "about.yaml.orig", ".about.yaml.swp"):
        (tree / "en" / litter).write_text("title: [broken\n", encoding="utf-8")
    (tree / "en" / "notes.txt").write_text("staff notes\n", encoding="utf-8")
    found = [
        (d.path, d.code)
        for d in load_content(tree).report.items
        if d.path.startswith("en/") and d.code != "missing-translation"
    ]
    assert found == [("en/notes.txt", "ignored-file")], "a stray file is still pointed out"


def test_the_cause_in_english_is_listed_before_what_it_causes_in_translations(tmp_path: Path) -> None:
    tree = _copy(tmp_path, CONTENT)
    (tree / "en" / "before-you-go" / "fees.yaml").unlink()  # deleted in English only
    errors = load_content(tree).report.errors
    assert errors[0].path == "en/before-you-go/_menu.yaml" and errors[0].code == "dangling-reference"
    assert {d.path.split("/")[0] for d in errors[1:]} >= {"bn", "th"}, "then the translations left behind"


def test_an_untranslated_page_is_one_line_naming_the_languages(tmp_path: Path) -> None:
    tree = _copy(tmp_path, CONTENT)
    (tree / "en" / "before-you-go" / "new-page.yaml").write_text("title: New\nbody: Text.\n", encoding="utf-8")
    missing = [d for d in load_content(tree).report.items if d.code == "missing-translation"]
    assert [(d.path, d.message) for d in missing] == [
        (
            "en/before-you-go/new-page.yaml",
            "not translated into id, fil, th, my, km, vi, ne, bn, fa_AF yet; people there see the fallback text",
        )
    ]


def test_coverage_rows() -> None:
    content = _load(TRANSLATIONS)
    en, my = coverage(content)
    assert (en.locale, en.total, en.translated, en.missing, en.outdated) == ("en", 5, 5, 0, 0)
    # current + _menu are current; outdated and unmarked are outdated; missing is missing
    assert (my.translated, my.missing, my.outdated, my.machine_unreviewed) == (2, 1, 2, 1)
    assert my.percent(my.translated) == 40.0
    table = format_table((en, my))
    assert table.splitlines()[3].split()[:3] == ["my", "2", "40.0"]


def test_coverage_in_check_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--format", "json", "--coverage", str(TRANSLATIONS)]) == 0
    rows = json.loads(capsys.readouterr().out)["coverage"]
    assert [(row["locale"], row["missing"]) for row in rows] == [("en", 0), ("my", 1)]
