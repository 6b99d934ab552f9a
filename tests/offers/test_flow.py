"""Is this offer real? Forwarding or pasting an advert through the emulator, in the reader's language."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import pytest

from bot.analytics.events import Event
from bot.callbacks import Offer, decode
from bot.emulator import SimulatedUser
from bot.i18n import UI
from bot.runtime import protect_logs
from tests.botfixtures import Harness, running_bot
from tests.offers.test_match import BURMESE_SCAM, GENUINE, INDONESIAN_SCAM, THAI_SCAM
from tests.privacy.test_nothing_personal_kept import (
    EMULATOR_LOGGERS,
    leaks,
    production_logging_at_debug,
    table_leaks,
)


def _ui(harness: Harness, locale: str) -> UI:
    return harness.services.live.current.ui(locale)


async def _check(user: SimulatedUser, ui: UI) -> str:
    """Press the one-tap check under the latest offer to check; the answer replaces the offer."""
    await user.press(ui.t("button.check_offer"))
    return user.last_message.text or ""


async def test_a_forwarded_indonesian_scam_advert(harness: Harness) -> None:
    ui = _ui(harness, "id")
    user = harness.user(8101, "Dewi", "id")
    await user.forward(INDONESIAN_SCAM, origin="channel", title="Loker Luar Negeri")
    offer = user.last_message
    assert offer.text == ui.t("offer.prompt")
    assert offer.reply_to == user.messages[0].message_id, "the offer replies to the advert"
    answer = await _check(user, ui)
    assert user.last_message.message_id == offer.message_id, "the answer replaces the offer"
    assert ui.t("offer.band.many") in answer
    assert "“Kamboja”" in answer and "“Rp 15 juta”" in answer, "the advert's own words are quoted"
    assert "Tempat markas penipuan" in answer, "the sign in Indonesian"
    assert ui.t("offer.missing") in answer and "Tidak ada nomor izin" in answer
    assert not re.search(r"\b(safe|aman)\b", answer, re.IGNORECASE), "the answer never says 'safe'"
    buttons = [label for row in user.last_message.buttons for label in row]
    assert ui.t("button.check_licence") in buttons and ui.t("button.self_check") in buttons
    assert ui.t("button.talk") not in buttons, "no desk is configured here"
    harness.emu.assert_clean()


async def test_a_forwarded_thai_advert_from_a_person(harness: Harness) -> None:
    ui = _ui(harness, "th")
    user = harness.user(8102, "Nok", "th")
    await user.forward(THAI_SCAM, origin="hidden_user", title="HR Admin")
    answer = await _check(user, ui)
    assert ui.t("offer.band.many") in answer
    assert "“กัมพูชา”" in answer and "“35,000 บาท”" in answer
    harness.emu.assert_clean()


async def test_a_pasted_burmese_advert(harness: Harness) -> None:
    ui = _ui(harness, "my")
    user = harness.user(8103, "Min", "my")
    await user.send(BURMESE_SCAM)  # pasted, not forwarded: long enough, and signs are found in it
    answer = await _check(user, ui)
    assert ui.t("offer.band.many") in answer
    assert "“မြဝတီ”" in answer
    harness.emu.assert_clean()


async def test_a_genuine_job_order_gets_no_high_band(harness: Harness) -> None:
    ui = _ui(harness, "en")
    user = harness.user(8104, "Ana", "en")
    await user.forward(GENUINE)
    answer = await _check(user, ui)
    assert ui.t("offer.band.none") in answer
    assert ui.t("offer.band.many") not in answer and ui.t("offer.band.some") not in answer
    assert "still check the licence" in answer, "never 'safe'"
    harness.emu.assert_clean()


async def test_an_emergency_word_inside_an_advert_brings_the_emergency_answer_first(harness: Harness) -> None:
    ui = _ui(harness, "en")
    user = harness.user(8105, "Rey", "en")
    await user.forward("I am trapped. " + THAI_SCAM)
    first = user.bot_messages[0].text or ""
    assert ui.t("helpline.first.heading") in first and "191" in first, "the emergency answer, numbers first"
    assert all(ui.t("button.check_offer") not in row for message in user.bot_messages for row in message.buttons)
    harness.emu.assert_clean()


async def test_details_then_back(harness: Harness) -> None:
    ui = _ui(harness, "en")
    user = harness.user(8106, "Lin", "en")
    await user.forward(INDONESIAN_SCAM)
    await _check(user, ui)
    await user.press(ui.t("button.offer_details"))
    details = user.last_message
    assert ui.t("offer.details") in (details.text or "")
    assert "scamsnow.com" in details.html, "each sign with its sources"
    await user.press(ui.t("button.back"))
    assert ui.t("offer.band.many") in (user.last_message.text or "")
    harness.emu.assert_clean()


async def test_a_deleted_advert_cannot_be_checked(harness: Harness) -> None:
    ui = _ui(harness, "en")
    user = harness.user(8107, "Joy", "en")
    await user.forward(INDONESIAN_SCAM)
    advert = user.messages[0]
    del harness.emu.world.chats[user.id][advert.message_id]  # the person deleted it (or cleared the chat)
    await user.press(ui.t("button.check_offer"))
    assert user.last_message.text == ui.t("offer.gone")
    harness.emu.assert_clean()


async def test_a_short_question_is_a_search_not_an_advert(harness: Harness) -> None:
    ui = _ui(harness, "en")
    user = harness.user(8108, "Sam", "en")
    await user.send("how much are recruitment fees")
    assert all(ui.t("button.check_offer") not in row for row in user.last_message.buttons)
    harness.emu.assert_clean()


async def test_check_command_and_menu_entry_ask_for_the_advert(harness: Harness) -> None:
    ui = _ui(harness, "en")
    user = harness.user(8109, "Kim", "en")
    await user.send("/check")
    assert "Forward it to me" in (user.last_message.text or "")
    await user.send("/start")
    await user.press("Is this offer real? Check an advert")
    assert "Forward it to me" in (user.last_message.text or "")
    assert ui.t("button.self_check") in [label for row in user.last_message.buttons for label in row]
    registry = harness.emu.world.commands
    assert {"command": "check", "description": ui.t("command.check")} in registry.get(None, None)
    assert {"command": "check", "description": _ui(harness, "th").t("command.check")} in registry.get(None, "th")
    harness.emu.assert_clean()


async def test_a_forged_details_button_is_answered_kindly(harness: Harness) -> None:
    user = harness.user(8110, "Tam", "en")
    await user.send("/check")
    await user.press_data("m1|en||o|d|zzz|1")  # not a version: not a valid details press
    assert user.last_message.buttons, "answered with a way on"
    assert decode("m1|en||o|d|abc|1") is not None and decode("m1|en||o|x||") is None
    harness.emu.assert_clean()


async def test_a_desk_adds_talk_to_a_person(tmp_path: Path) -> None:
    async with running_bot(tmp_path, handoff_chat_id=-100123) as harness:
        harness.emu.group(-100123, "NGO desk")
        ui = _ui(harness, "en")
        user = harness.user(8111, "Ana", "en")
        await user.forward(INDONESIAN_SCAM)
        await _check(user, ui)
        assert ui.t("button.talk") in [label for row in user.last_message.buttons for label in row]


async def test_analytics_count_only_the_band_and_the_signs(harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    analytics = harness.services.analytics
    assert analytics is not None
    recorded: list[tuple[str, str]] = []
    original = analytics.record

    def spy(event: Event, **fields: Any) -> None:
        recorded.append((event.value, fields.get("detail", "")))
        original(event, **fields)

    monkeypatch.setattr(analytics, "record", spy)
    ui = _ui(harness, "en")
    user = harness.user(8112, "Ana", "en")
    await user.forward(INDONESIAN_SCAM)
    await _check(user, ui)
    await user.press(ui.t("button.offer_details"))
    await user.press(ui.t("button.back"))  # checked again on the way back: not counted twice
    checked = [detail for event, detail in recorded if event == Event.OFFER_CHECKED]
    signs = {detail for event, detail in recorded if event == Event.OFFER_SIGN}
    assert checked == ["many"]
    assert {"compound-place", "high-pay", "no-licence"} <= signs
    assert all(len(detail) <= 24 and " " not in detail for _, detail in recorded), "codes only"


async def test_the_advert_is_in_no_table_and_no_log_line(
    tmp_path: Path, db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    needles = ["Lowongan CS online", "Rp 15 juta", "0812xxxx", "ฟรีตั๋วเครื่องบิน", "Kamboja"]
    with production_logging_at_debug():
        caplog.set_level(logging.DEBUG)
        async with running_bot(tmp_path, db_url=db_url) as harness:
            protect_logs(harness.services.settings)
            ui = _ui(harness, "id")
            user = harness.user(8113, "Dewi", "id")
            await user.forward(INDONESIAN_SCAM)
            await _check(user, ui)
            await user.press(ui.t("button.offer_details"))
            thai = harness.user(8114, "Nok", "th")
            await thai.send(THAI_SCAM)
            await _check(thai, _ui(harness, "th"))
            assert harness.services.analytics is not None
            await harness.services.analytics.flush()
            stored = await table_leaks(harness, needles)
    assert stored == [], f"the advert in the database: {stored}"
    records = [r for r in caplog.records if not r.name.startswith(EMULATOR_LOGGERS)]
    assert len(records) > 20, "log lines at DEBUG were captured (the libraries', the bot's if it wrote any)"
    logged = []
    for record in records:
        line = record.getMessage() + (record.exc_text or "") + repr(getattr(record, "args", ""))
        logged += [f"{record.name}: {word!r}" for word in leaks(line, needles)]
    assert logged == [], f"the advert in log lines: {logged}"


def test_the_offer_button_carries_no_advert() -> None:
    assert Offer("c").fields() == ("c", "", "")


async def test_the_next_steps_open_below_the_answer_which_stays(harness: Harness) -> None:
    ui = _ui(harness, "en")
    user = harness.user(8115, "Ana", "en")
    await user.forward(INDONESIAN_SCAM)
    await _check(user, ui)
    answer = user.last_message
    for label, expected in (
        (ui.t("button.check_licence"), "Check a recruiter's licence"),
        (ui.t("button.self_check"), "Is this job offer safe? Check it"),
    ):
        before = len(user.bot_messages)
        await user.press(label, message_id=answer.message_id)
        assert len(user.bot_messages) == before + 1, f"{label} opens a new message"
        assert expected in (user.last_message.text or "")
        still = user.message(answer.message_id)
        assert still is not None and ui.t("offer.band.many") in (still.text or ""), "the answer stays"
    before = len(user.bot_messages)
    await user.press(ui.t("button.get_help"), message_id=answer.message_id)
    assert len(user.bot_messages) == before + 1
    harness.emu.assert_clean()


async def test_a_forwarded_greeting_is_not_offered_the_check(harness: Harness) -> None:
    ui = _ui(harness, "en")
    user = harness.user(8116, "Ana", "en")
    await user.forward("ok thanks", origin="user", title="Friend")
    assert all(ui.t("button.check_offer") not in row for row in user.last_message.buttons)
    harness.emu.assert_clean()


async def test_check_the_licence_shows_the_readers_own_country(harness: Harness) -> None:
    ui = _ui(harness, "id")
    user = harness.user(8117, "Dewi", "id")
    await user.forward(INDONESIAN_SCAM)
    await _check(user, ui)
    await user.press(ui.t("button.check_licence"))
    shown = user.last_message.text or ""
    assert ui.t("licence.heading", country="Indonesia") in shown, "the licence check of an Indonesian reader's country"
    assert "SISKOP2MI" in shown
    harness.emu.assert_clean()
