"""The quiz end to end through the emulator: every path, Back, Start over, tampering, a changed quiz, analytics."""

from __future__ import annotations

import dataclasses
import itertools
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.analytics.events import Event
from bot.bootstrap import load_live
from bot.callbacks import GetHelp, Quiz, decode
from bot.emulator import SimulatedUser
from bot.helplines.model import encode_purposes
from bot.quiz.codec import Mode, QuizState, decode_state, encode_state
from bot.quiz.model import AnswerKind, QuizStructure, QuizText
from tests.botfixtures import SHIPPED_LOCALES, Harness, running_bot
from tests.helplines.flow import asks_country

GOOD = Path(__file__).resolve().parents[1] / "fixtures" / "quiz" / "good"
YES_NO = ("Yes", "No", "Not sure")
PLACES = ("At the agency office", "In a café", "Only in chats")
WHY = {
    "fees": "Workers should not pay recruitment fees.",
    "visa": "A tourist visa leaves you without protection.",
    "place": "Real agencies work from their registered office.",
}
BAND_TITLES = {"low": "Few warning signs", "medium": "Some warning signs", "high": "Many warning signs"}


@pytest.fixture
async def quiz_bot(tmp_path: Path) -> AsyncIterator[Harness]:
    """The bot on a copy of the fixture quiz tree (tests may change it and reload)."""
    tree = tmp_path / "content"
    shutil.copytree(GOOD, tree)
    async with running_bot(tmp_path, content_dir=tree) as running:
        yield running


def _structure(harness: Harness) -> QuizStructure:
    structure = harness.services.live.current.content.nodes["check"].extra
    assert isinstance(structure, QuizStructure)
    return structure


def _button(user: SimulatedUser, label: str) -> dict[str, Any]:
    for row in (user.last_message.reply_markup or {})["inline_keyboard"]:
        for button in row:
            if button["text"] == label:
                return dict(button)
    raise AssertionError(f"no button {label!r} in {user.last_message.buttons}")


def _text(user: SimulatedUser) -> str:
    return user.last_message.text or ""


def _labels(user: SimulatedUser) -> list[str]:
    return [label for row in user.last_message.buttons for label in row]


async def _open(harness: Harness, user: SimulatedUser) -> None:
    key = harness.services.live.current.content.nodes["check"].key
    await user.start(f"n-{key}")


async def test_every_path_through_the_quiz_shows_the_right_band_and_flags(
    quiz_bot: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorded: list[tuple[Event, str, str]] = []
    analytics = quiz_bot.services.analytics
    assert analytics is not None
    monkeypatch.setattr(
        analytics, "record", lambda event, *, node="", detail="", **_: recorded.append((event, node, detail))
    )
    structure = _structure(quiz_bot)
    user = quiz_bot.user(9001, "Path", "en")
    await _open(quiz_bot, user)
    message_id = user.last_message.message_id
    assert "Question 1 of 3" in _text(user)
    assert "Three questions. Nothing you answer is saved." in _text(user)
    paths = list(itertools.product(range(3), repeat=3))
    for path in paths:
        recorded.clear()
        await user.press(YES_NO[path[0]], message_id=message_id)
        assert "Question 2 of 3" in _text(user) and "Is the visa a work visa?" in _text(user)
        await user.press(YES_NO[path[1]], message_id=message_id)
        assert "Question 3 of 3" in _text(user)
        await user.press(PLACES[path[2]], message_id=message_id)
        shown = user.last_message
        assert shown.message_id == message_id, "the quiz edits one message"
        band = structure.band(structure.score(path))
        assert f"Your result: {BAND_TITLES[band.id]}" in (shown.text or ""), path
        flagged = {q.id for q in structure.flags(path)}
        for question_id, why in WHY.items():
            assert (why in (shown.text or "")) is (question_id in flagged), (path, question_id)
        if not flagged:
            assert "None of your answers is a common warning sign." in (shown.text or "")
        decoded = decode(_button(user, "🆘 Get help")["callback_data"])
        assert decoded is not None and decoded[1] == GetHelp(encode_purposes(band.help), new=True)
        assert recorded == [
            (Event.QUIZ_STARTED, "check", ""),
            (Event.QUIZ_FINISHED, "check", band.id),
        ], "only started, finished and the band are counted"
        await user.press("↺ Start over", message_id=message_id)
        assert "Question 1 of 3" in _text(user)
    assert len(user.bot_messages) == 1
    quiz_bot.emu.assert_clean()


async def test_back_returns_to_the_previous_question_and_keeps_earlier_answers(quiz_bot: Harness) -> None:
    user = quiz_bot.user(9002, "Back", "en")
    await _open(quiz_bot, user)
    await user.press("Yes")
    await user.press("No")
    assert "Question 3 of 3" in _text(user)
    await user.press("◀ Back")
    assert "Question 2 of 3" in _text(user)
    state = decode_state(*_quiz_fields(_button(user, "Not sure")))
    assert state is not None and state.answers == (0, 2)  # Yes kept; the new answer replaces No
    await user.press("Not sure")
    await user.press("◀ Back")
    await user.press("◀ Back")
    assert "Question 1 of 3" in _text(user)
    assert "↺ Start over" not in _labels(user)
    await user.press("No")
    await user.press("Yes")
    await user.press("At the agency office")
    assert "Your result: Few warning signs" in _text(user)
    await user.press("◀ Back")  # from the result back to the last question
    assert "Question 3 of 3" in _text(user)
    quiz_bot.emu.assert_clean()


def _quiz_fields(button: dict[str, Any]) -> tuple[str, str]:
    decoded = decode(button["callback_data"])
    assert decoded is not None and isinstance(decoded[1], Quiz)
    return decoded[1].key, decoded[1].state


def _forge(harness: Harness, user: SimulatedUser, label: str, data: str) -> None:
    message = user.last_message
    keyboard = {"inline_keyboard": [[{"text": label, "callback_data": data}]]}
    harness.emu.world.chats[user.id][message.message_id] = dataclasses.replace(message, reply_markup=keyboard)


def _flip(text: str, index: int) -> str:
    char = text[index]
    return text[:index] + ("B" if char != "B" else "C") + text[index + 1 :]


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda key, state: (key, _flip(state, 5)), id="flipped-answer"),
        pytest.param(lambda key, state: (key, _flip(state, len(state) - 1)), id="flipped-check"),
        pytest.param(lambda key, state: (key, state[:-3] + state[-2:]), id="wrong-length"),
        pytest.param(lambda key, state: (key, "z" + state[1:]), id="unknown-format"),
        pytest.param(lambda key, state: ("nosuchkey", state), id="unknown-quiz"),
        pytest.param(lambda key, state: (key, "a" + "!" * 8), id="bad-characters"),
    ],
)
async def test_tampered_buttons_answer_kindly_with_home(quiz_bot: Harness, tamper: Any) -> None:
    user = quiz_bot.user(9003, "Tamper", "en")
    await _open(quiz_bot, user)
    await user.press("Yes")
    button = _button(user, "Not sure")
    prefix = button["callback_data"].rsplit("|", 2)[0]
    key, state = tamper(*_quiz_fields(button))
    _forge(quiz_bot, user, "forged", f"{prefix}|{key}|{state}")
    await user.press("forged")
    assert user.callback_answers[-1].text == "That button is out of date. Here is the main menu."
    assert "Fixture home" in _text(user)
    quiz_bot.emu.assert_clean()


async def test_more_answers_than_questions_is_stale(quiz_bot: Harness) -> None:
    user = quiz_bot.user(9004, "Long", "en")
    await _open(quiz_bot, user)
    node = quiz_bot.services.live.current.content.nodes["check"]
    too_many = encode_state(node.key, QuizState(Mode.ANSWER, _structure(quiz_bot).version, (0, 0, 0, 0)))
    wrong_choice = encode_state(node.key, QuizState(Mode.ANSWER, _structure(quiz_bot).version, (3,)))
    for state in (too_many, wrong_choice):
        _forge(quiz_bot, user, "forged", f"m1|en||q|{node.key}|{state}")
        await user.press("forged")
        assert user.callback_answers[-1].text == "That button is out of date. Here is the main menu."
    quiz_bot.emu.assert_clean()


async def test_a_button_from_before_the_quiz_changed_restarts_it_kindly(quiz_bot: Harness) -> None:
    user = quiz_bot.user(9005, "Old", "en")
    await _open(quiz_bot, user)
    await user.press("Yes")
    tree = quiz_bot.services.settings.content_dir
    path = tree / "en" / "check.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("    if_yes: 3\n", "    if_yes: 2\n", 1), encoding="utf-8")
    live, result = load_live(tree, SHIPPED_LOCALES)
    assert live is not None, result.report.errors
    quiz_bot.services.live.replace(live)
    await user.press("No")
    assert user.callback_answers[-1].text == "This check was updated, so it starts again from the first question."
    assert "Question 1 of 3" in _text(user)
    quiz_bot.emu.assert_clean()


async def test_the_quiz_opens_from_the_home_menu_and_back_goes_home(quiz_bot: Harness) -> None:
    user = quiz_bot.user(9006, "Menu", "th")
    await user.start()
    await user.press("ตรวจข้อเสนองาน")
    assert "เขาขอให้คุณ" in _text(user)
    labels = _labels(user)
    ui = quiz_bot.services.live.current.ui("th")
    assert [ui.t("button.yes"), ui.t("button.no"), ui.t("button.not_sure")] == labels[:3]
    await user.press(ui.t("button.yes"))
    await user.press(ui.t("button.no"))
    assert _labels(user)[:3] == ["ที่สำนักงานบริษัท", "ที่ร้านกาแฟ", "ในแชทเท่านั้น"]
    await user.press("ในแชทเท่านั้น")
    assert "สัญญาณเตือนมาก" in _text(user)
    await user.press(ui.t("button.home"))
    assert "หน้าแรกทดสอบ" in _text(user)
    quiz_bot.emu.assert_clean()


async def test_the_shipped_quiz_runs_in_every_locale(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as harness:
        content = harness.services.live.current.content
        node = content.nodes["job-offer-check"]
        structure = node.extra
        assert isinstance(structure, QuizStructure)
        for number, locale in enumerate(content.locales):
            ui = harness.services.live.current.ui(locale)
            user = harness.user(9100 + number, "Run", locale.replace("_", "-"))
            await user.start(f"n-{node.key}")
            texts = content.text(node.id, locale).extra
            assert isinstance(texts, QuizText)
            chosen: list[int] = []
            for index, question in enumerate(structure.questions):
                counter = ui.t("quiz.counter", current=index + 1, total=len(structure.questions))
                assert counter in _text(user), locale
                if question.kind is AnswerKind.YES_NO:
                    chosen.append(0)
                    await user.press(ui.t("button.yes"))
                else:
                    chosen.append(question.choices - 1)
                    await user.press(texts.questions[question.id].choices[-1])
            band = structure.band(structure.score(chosen))
            assert band.id == "high"
            assert texts.bands[band.id].title in _text(user), locale
            result = user.last_message
            await user.press(ui.t("button.get_help"))
            kept = user.message(result.message_id)
            assert kept is not None and texts.bands[band.id].title in (kept.text or ""), "the result stays"
            assert user.last_message.message_id != result.message_id, "help comes as a new message"
            assert asks_country(ui, user.last_message.text or ""), locale
        harness.emu.assert_clean()
