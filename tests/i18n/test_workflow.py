"""The Babel workflow in docs/translating.md keeps every key of the English catalog in every catalog.

The commands are read from the document and run, as written, on a copy of `locales/`: when someone changes
the documented workflow to one that loses keys (as `pybabel extract` + `pybabel update` did: keys built in
code such as `ui.t(f"command.{name}")` are invisible to extraction, so `update` commented them out with `#~`
in every catalog, English included), this test fails.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

from bot.config import PROJECT_ROOT

DOC = PROJECT_ROOT / "docs" / "translating.md"
NEW_KEY = ("test.workflow_key", "A new text with {thing}")
NEW_LOCALE = "lo"  # the documented `pybabel init -l km` is run for a language the project does not have


def workflow_commands() -> list[list[str]]:
    """The commands of the first sh block under '## The Babel workflow', as argument lists."""
    section = DOC.read_text(encoding="utf-8").split("## The Babel workflow", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "docs/translating.md lost the sh block of the Babel workflow"
    commands = [shlex.split(line) for line in block.group(1).splitlines() if line.strip() and not line.startswith("#")]
    assert commands, "no commands in the Babel workflow block"
    return commands


def runnable(command: list[str]) -> list[str]:
    program, *args = command
    if program == "pybabel":
        if args[:1] == ["init"]:
            args = [
                NEW_LOCALE if previous == "-l" else arg for previous, arg in zip(["", *args[:-1]], args, strict=True)
            ]
        return [sys.executable, "-m", "babel.messages.frontend", *args]
    assert program == "python", f"the workflow runs {program!r}; teach this test how to run it"
    return [sys.executable, *args]


def entries(path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """The active entries (key: text) and the commented-out (#~) ones of a catalog."""
    with path.open("rb") as handle:
        catalog = read_po(handle)
    active = {str(m.id): str(m.string) for m in catalog if m.id and not m.fuzzy}
    return active, {str(k): str(m.string) for k, m in catalog.obsolete.items()}


def test_the_documented_workflow_keeps_every_key(tmp_path: Path) -> None:
    locales = tmp_path / "locales"
    shutil.copytree(PROJECT_ROOT / "locales", locales, ignore=shutil.ignore_patterns("*.pot", "*.mo"))
    english = locales / "en" / "LC_MESSAGES" / "messages.po"
    with english.open("a", encoding="utf-8") as handle:
        handle.write(f'\nmsgid "{NEW_KEY[0]}"\nmsgstr "{NEW_KEY[1]}"\n')
    before = {path.parent.parent.name: entries(path)[0] for path in locales.glob("*/LC_MESSAGES/messages.po")}
    env = {**os.environ, "LOCALES_DIR": str(locales), "PYTHONPATH": str(PROJECT_ROOT)}
    for command in workflow_commands():
        done = subprocess.run(runnable(command), cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"{shlex.join(command)} failed:\n{done.stdout}\n{done.stderr}"

    keys = set(before["en"])
    assert NEW_KEY[0] in keys and len(keys) > 70
    after = {path.parent.parent.name: entries(path) for path in locales.glob("*/LC_MESSAGES/messages.po")}
    assert set(after) == {*before, NEW_LOCALE}
    assert after["en"][0] == before["en"], "the workflow changed the English catalog"
    for locale, (active, obsolete) in sorted(after.items()):
        assert not obsolete, f"{locale}: the workflow commented out {sorted(obsolete)}"
        assert set(active) == keys, f"{locale}: lost {sorted(keys - set(active))}, gained {sorted(set(active) - keys)}"
        translated = {key: text for key, text in before.get(locale, {}).items() if text}
        assert {key: active[key] for key in translated} == translated, f"{locale}: a translation changed"
        if locale != "en":
            assert active[NEW_KEY[0]] == "", f"{locale}: the new key should wait for its translation"


def test_the_template_comes_from_the_english_catalog() -> None:
    """Extraction misses the keys built in code; the template must be written from the English catalog."""
    commands = workflow_commands()
    assert ["python", "-m", "bot.catalogs", "template"] in commands
    assert not [c for c in commands if c[:2] == ["pybabel", "extract"]]
