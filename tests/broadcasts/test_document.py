"""topics.yaml and broadcasts/*.yaml are checked like every other content file."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.broadcasts.model import broadcasts_of, topics_of
from bot.config import PROJECT_ROOT
from bot.content.loader import load_content

TOPICS = """\
before-you-leave:
  title: {en: Before I leave, my: မထွက်ခွာမီ}
"""
GOOD = """\
topic: before-you-leave
button: fees
send_at: 2027-01-10 09:00
expires: 2027-02-01
text:
  en: |
    **Keep copies** of your documents.
  my: |
    **မိတ္တူ** ကူးထားပါ။
"""


def write(root: Path, broadcasts: dict[str, str], topics: str = TOPICS) -> Path:
    """A two-locale content folder with one page, topics and the given broadcasts."""
    (root / "en").mkdir(parents=True)
    (root / "my").mkdir()
    (root / "bot.yaml").write_text("default_locale: en\nlocales: [en, my]\n")
    (root / "en" / "_menu.yaml").write_text("title: Home\norder: [fees]\n")
    (root / "en" / "fees.yaml").write_text("title: Fees\nbody: Do not pay.\n")
    (root / "my" / "_menu.yaml").write_text("title: ပင်မ\n")
    (root / "my" / "fees.yaml").write_text("title: အခကြေးငွေ\nbody: မပေးပါနှင့်။\n")
    (root / "topics.yaml").write_text(topics)
    (root / "broadcasts").mkdir()
    for name, text in broadcasts.items():
        (root / "broadcasts" / f"{name}.yaml").write_text(text)
    return root


def codes(root: Path) -> list[tuple[str, str, int]]:
    """(code, file, line) of every diagnostic."""
    return [(d.code, d.path, d.line) for d in load_content(root).report.ordered]


def test_a_good_broadcast_loads_rendered(tmp_path: Path) -> None:
    """Texts are rendered to Telegram HTML, dates are UTC, and the folder is not taken for a locale."""
    result = load_content(write(tmp_path, {"keep-copies": GOOD}))
    assert result.content is not None, result.report.ordered
    assert [d.code for d in result.report.ordered if d.code != "translation-unmarked"] == []
    broadcast = broadcasts_of(result.content)["keep-copies"]
    assert broadcast.texts["en"] == "<b>Keep copies</b> of your documents."
    assert broadcast.text(("fa_AF", "en")) == ("en", "<b>Keep copies</b> of your documents.")
    assert broadcast.send_at == datetime(2027, 1, 10, 9, 0, tzinfo=UTC)
    assert broadcast.button == "fees" and broadcast.topic == "before-you-leave"
    assert topics_of(result.content).get("before-you-leave") is not None


def test_broken_broadcasts_are_reported_at_their_line(tmp_path: Path) -> None:
    """Unknown topic, dangling button, markup, unknown locale, bad date, unknown key, missing English."""
    broken = {
        "a": "topic: nope\ntext:\n  en: Hi\n",
        "b": "topic: before-you-leave\nbutton: gone\ntext:\n  en: |\n    **open\n",
        "c": "topic: before-you-leave\nsend_at: tomorrow\ncolour: red\ntext:\n  my: ဟယ်လို\n  xx: hi\n",
        "d": "topic: before-you-leave\ntext:\n  en: |\n    " + "word " * 600 + "\n\n    " + "word " * 600 + "\n",
    }
    found = codes(write(tmp_path, broken))
    assert ("dangling-reference", "broadcasts/a.yaml", 1) in found
    assert ("missing-translation", "broadcasts/a.yaml", 3) in found
    assert ("dangling-reference", "broadcasts/b.yaml", 2) in found
    assert ("markup", "broadcasts/b.yaml", 5) in found
    assert ("bad-date", "broadcasts/c.yaml", 2) in found
    assert ("unknown-key", "broadcasts/c.yaml", 3) in found
    assert ("unknown-locale", "broadcasts/c.yaml", 5) in found
    assert ("missing-field", "broadcasts/c.yaml", 5) in found
    assert ("too-long", "broadcasts/d.yaml", 3) in found


def test_topics_are_checked(tmp_path: Path) -> None:
    """A bad id, a long title and a missing English title are errors; a missing translation is a warning."""
    topics = "Bad_Id:\n  title: {en: x}\nlong:\n  title: {en: " + "x" * 70 + "}\nonly-my:\n  title: {my: x}\n"
    found = codes(write(tmp_path, {}, topics))
    assert ("bad-id", "topics.yaml", 1) in found
    assert ("too-long", "topics.yaml", 4) in found
    assert ("missing-field", "topics.yaml", 6) in found
    assert ("missing-translation", "topics.yaml", 4) in found


def test_the_shipped_example_is_translated_everywhere() -> None:
    """The shipped broadcast and topics speak every enabled language."""
    result = load_content(PROJECT_ROOT / "content")
    assert result.content is not None
    broadcast = broadcasts_of(result.content)["keep-copies"]
    assert set(broadcast.texts) == set(result.content.locales)
    for topic in topics_of(result.content).items:
        assert set(topic.titles) == set(result.content.locales)
