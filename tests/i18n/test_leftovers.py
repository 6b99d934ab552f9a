"""`check` warns about English left in translations: a text identical to the English, an English UI word in a
language not written in Latin letters (the Burmese clear-chat note said "Delete")."""

from __future__ import annotations

from pathlib import Path

from bot.catalogs import ENGLISH_WORD, SAME_AS_ENGLISH, read_catalogs

HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'


def _write(root: Path, locale: str, entries: dict[str, str]) -> None:
    folder = root / locale / "LC_MESSAGES"
    folder.mkdir(parents=True)
    body = "".join(f'msgid "{key}"\nmsgstr "{text}"\n\n' for key, text in entries.items())
    (folder / "messages.po").write_text(HEADER + body, encoding="utf-8")


def test_leftover_english_is_a_warning_that_names_the_line(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "en",
        {
            "clear.done": "Chat cleared: press and hold it, then Delete, to delete the whole chat.",
            "button.home": "🏠 Home",
            "helpline.whatsapp": "WhatsApp: {number}",
            "desk.setup": "Turn on Topics",
        },
    )
    _write(
        tmp_path,
        "my",
        {
            "clear.done": "ချက်ကို ရှင်းပြီးပါပြီ (ဖိထားပြီး Delete ကို နှိပ်ပါ)",
            "button.home": "🏠 Home",
            "helpline.whatsapp": "WhatsApp: {number}",
            "desk.setup": "Topics ကို ဖွင့်ပါ",
        },
    )
    _write(tmp_path, "bn", {"clear.done": "চ্যাট মুছে ফেলা হয়েছে (চেপে ধরে রাখুন, তারপর মুছুন/Delete)"})
    problems = read_catalogs(tmp_path, ["en", "my", "bn"], "en").problems
    found = {(p.path.split("/")[-3], p.line, p.code) for p in problems if p.code in (ENGLISH_WORD, SAME_AS_ENGLISH)}
    assert ("my", 6, ENGLISH_WORD) in found, found  # "Delete" in the Burmese note, on its msgstr line
    assert not [f for f in found if f[0] == "bn"], "the word in Bengali with Telegram's label after a slash is fine"
    assert len(found) == 1, "a staff text (desk.*) may keep English; a name alone (WhatsApp) is no leftover"
    keys = {p.message.split(":")[0] for p in problems if p.code == SAME_AS_ENGLISH}
    assert keys == set(), "one-word texts (a name, 🏠 Home) may equal the English"
