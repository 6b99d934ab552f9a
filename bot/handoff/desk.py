"""The relay between a person's private chat and their topic at the NGO desk: open, copy both ways, close, sweep.

Messages are copied with copyMessage (no "forwarded from", so staff never see the sender), never stored and never
logged. The desk is spoken to in HANDOFF_LANGUAGE (the content's default language when unset); the person in theirs.
"""

from __future__ import annotations

import html
import logging
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Literal

from telegram import Bot, Message
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.handoff.model import NAME, DeskHours
from bot.storage.cases import Case, CaseStore
from bot.storage.desk_health import DeskHealthStore
from bot.storage.drafts import DraftStore

if TYPE_CHECKING:
    from bot.i18n import UI
    from bot.services import Live, Services

log = logging.getLogger(__name__)

RATE_WINDOW = timedelta(minutes=10)  # HANDOFF_RATE_LIMIT counts the messages relayed in this window
OUT_OF_HOURS_REMINDER = timedelta(hours=6)  # a person writing out of hours is told again after six hours
DRAFT_TTL = timedelta(hours=1)  # an unfinished report is dropped an hour after it was started
TOPIC_GONE = "message thread not found"  # Telegram's words for a send into a deleted topic
# Telegram's words when the message itself cannot be copied (a kind it does not copy, such as a quiz poll, or one
# the person deleted before it was copied): the desk is fine, the person is asked to send it another way.
NOT_COPYABLE = ("message can't be copied", "message to copy not found", "message_id_invalid")
_UNKNOWN_LANGUAGES_LOGGED: set[str] = set()
Relayed = Literal["sent", "not_copyable", "desk_unavailable"]
CLOSE_REASONS = ("user", "staff", "idle", "forget", "blocked")


def cases(services: Services) -> CaseStore:
    """The case table of the bot's database."""
    return CaseStore(services.storage.engine)


def drafts(services: Services) -> DraftStore:
    """The unfinished reports of the bot's database."""
    return DraftStore(services.storage.engine)


def drafts_since(now: datetime | None = None) -> datetime:
    """Reports started before this have expired."""
    return (now or datetime.now(UTC)) - DRAFT_TTL


def hours(live: Live) -> DeskHours | None:
    """The desk's hours from the content (None: always open)."""
    found = live.content.documents.get(NAME)
    return found if isinstance(found, DeskHours) else None


def organisation(live: Live, locale: str = "") -> str:
    """Who reads the messages, as the content names them in `locale` (along its fallback chain)."""
    desk = hours(live)
    if desk is None:
        return ""
    return desk.name(live.content.chain(locale)) if locale else desk.organisation


def is_open_now(live: Live, now: datetime | None = None) -> bool:
    """True when the desk is within its hours (or has none)."""
    desk = hours(live)
    return desk is None or desk.is_open(now or datetime.now(UTC))


def desk_locale(services: Services, live: Live) -> str:
    """The desk's language: HANDOFF_LANGUAGE when the content has it, else the content's default locale (said once
    in the log)."""
    chosen = services.settings.handoff_language
    if chosen is None or chosen in live.content.locales:
        return chosen or live.content.default_locale
    if chosen not in _UNKNOWN_LANGUAGES_LOGGED:
        _UNKNOWN_LANGUAGES_LOGGED.add(chosen)
        log.warning(
            "HANDOFF_LANGUAGE=%s is not a language of the content (%s); the desk is spoken to in %s",
            chosen,
            ", ".join(live.content.locales),
            live.content.default_locale,
        )
    return live.content.default_locale


def desk_ui(services: Services, live: Live) -> UI:
    """The bot's words at the desk, in the desk's language."""
    return live.ui(desk_locale(services, live))


async def allow_relay(services: Services, case: Case) -> bool:
    """Count one message relayed on the case; False past HANDOFF_RATE_LIMIT in ten minutes (on any replica)."""
    relayed = await cases(services).count_relayed(case.case_no, RATE_WINDOW)
    return relayed <= services.settings.handoff_rate_limit


async def tell_closed(services: Services, case: Case) -> bool:
    """True at most once per six hours per case: the person is told the desk is closed."""
    return await cases(services).mark_told_closed(case.case_no, OUT_OF_HOURS_REMINDER)


def case_label(case: Case) -> str:
    """The case number as staff see it."""
    return f"{case.case_no:04d}"


def topic_name(services: Services, live: Live, case: Case) -> str:
    """ "Case 0007 · my · TH": the case number, language and country; never a name, a username or an id."""
    key = "desk.topic_case"
    if case.kind == "report":
        key = "desk.topic_report"
    label = desk_ui(services, live).t(key, case=case_label(case))
    return " · ".join(part for part in (label, case.locale, case.country or "") if part)[:128]


def escape(text: str) -> str:
    """Text for an HTML message."""
    return html.escape(text, quote=False)


async def desk_unavailable(bot: Bot, services: Services, live: Live, error: TelegramError) -> None:
    """The desk cannot be reached: log it (Telegram's words, no personal data) and tell the admins, once per outage
    whichever replica meets it first."""
    reason = error.message.removeprefix("Forbidden: ")
    state = services.handoff
    desk = services.settings.handoff_chat_id
    if state.desk_down == reason or desk is None:
        return  # this process knows already: no write, no message
    state.desk_down = reason
    log.warning("handoff desk unavailable: %s: %s", type(error).__name__, reason)
    if not await DeskHealthStore(services.storage.engine).mark_down(desk, reason):
        return  # another replica told the admins
    text = escape(desk_ui(services, live).t("desk.unavailable_admin", reason=reason))
    for admin in sorted(services.settings.admin_ids):
        try:
            await bot.send_message(admin, text)
        except TelegramError as exc:
            log.warning("handoff: an admin could not be told the desk is unavailable: %s", type(exc).__name__)


async def desk_reachable(services: Services, *, certain: bool = False) -> None:
    """A call to the desk succeeded. Recorded for every replica when this process had seen it down, or when
    `certain` (a new topic opened, the bot made an administrator again), so a later outage is reported afresh; an
    ordinary relay costs no write."""
    desk = services.settings.handoff_chat_id
    if desk is None or (services.handoff.desk_down is None and not certain):
        return
    services.handoff.desk_down = None
    if await DeskHealthStore(services.storage.engine).mark_up(desk):
        log.info("handoff desk reachable again")


async def open_topic(bot: Bot, services: Services, live: Live, case: Case, intro: str) -> Case | None:
    """Create the case's topic and post `intro` (HTML) in it; None (case closed) when the desk is unreachable."""
    desk = services.settings.handoff_chat_id
    assert desk is not None
    store = cases(services)
    try:
        topic = await bot.create_forum_topic(desk, topic_name(services, live, case))
        await bot.send_message(desk, intro, message_thread_id=topic.message_thread_id)
    except (Forbidden, BadRequest) as error:
        await store.close(case.case_no)
        await desk_unavailable(bot, services, live, error)
        return None
    await desk_reachable(services, certain=True)
    await store.set_thread(case.case_no, topic.message_thread_id)
    return replace(case, thread_id=topic.message_thread_id)


async def open_chat(
    bot: Bot, services: Services, live: Live, key: str, chat_id: int, locale: str, country: str | None
) -> Case | None:
    """The user's open conversation, or a new case with its topic; None when the desk cannot be reached."""
    store = cases(services)
    existing = await store.open_for(key)
    if existing is not None:
        return existing
    case = await store.open_case(key, "chat", chat_id, locale, country)
    ui = desk_ui(services, live)
    intro = ui.t("desk.new_case", case=case_label(case), language=locale, country=country or "?")
    return await open_topic(bot, services, live, case, escape(intro))


async def relay_to_desk(
    bot: Bot, services: Services, live: Live, case: Case, message: Message, *, new_topic_allowed: bool = True
) -> Relayed:
    """Copy the person's message into their topic (into a new one if staff deleted it): "sent", "not_copyable" (a
    kind of message Telegram does not copy, or one deleted meanwhile: the desk is fine) or "desk_unavailable"."""
    desk = services.settings.handoff_chat_id
    if desk is None or case.thread_id is None:
        return "desk_unavailable"
    try:
        await bot.copy_message(desk, message.chat_id, message.message_id, message_thread_id=case.thread_id)
    except BadRequest as error:
        reason = error.message.lower()
        if any(words in reason for words in NOT_COPYABLE):
            log.info("handoff: a message could not be copied to the desk: %s", error.message)
            return "not_copyable"
        if TOPIC_GONE not in reason or not new_topic_allowed:
            await desk_unavailable(bot, services, live, error)
            return "desk_unavailable"
        moved = await replace_topic(bot, services, live, case)
        if moved is None:
            return "desk_unavailable"
        return await relay_to_desk(bot, services, live, moved, message, new_topic_allowed=False)
    except Forbidden as error:
        await desk_unavailable(bot, services, live, error)
        return "desk_unavailable"
    await desk_reachable(services)
    await cases(services).touch(case.case_no)
    return "sent"


async def replace_topic(bot: Bot, services: Services, live: Live, case: Case) -> Case | None:
    """Staff deleted the topic of an open case (Telegram tells the bot nothing): close that case without a word to
    the person, and go on in a new case and topic that names the old case number; None when the desk is away."""
    store = cases(services)
    if await store.close(case.case_no) is None:
        return None  # closed meanwhile (by the person, staff or the sweep): nothing to continue
    log.info("handoff: a case's topic was deleted at the desk; the conversation goes on in a new topic")
    new = await store.open_case(case.user_key, case.kind, case.chat_id, case.locale, case.country)
    ui = desk_ui(services, live)
    intro = ui.t("desk.new_case", case=case_label(new), language=new.locale, country=new.country or "?")
    intro += "\n\n" + ui.t("desk.topic_deleted", case=case_label(case))
    return await open_topic(bot, services, live, new, escape(intro))


async def relay_to_person(bot: Bot, services: Services, live: Live, case: Case, message: Message) -> bool:
    """Copy a staff message to the person; a person who blocked the bot closes the case."""
    if case.chat_id is None:
        return False
    try:
        await bot.copy_message(case.chat_id, message.chat_id, message.message_id)
    except Forbidden:
        await close_case(bot, services, live, case, "blocked")
        return False
    await cases(services).touch(case.case_no)
    return True


async def say_in_topic(bot: Bot, services: Services, case: Case, text: str) -> None:
    """Post a line of the bot's (HTML) in the case's topic; an unreachable desk is only logged here."""
    desk = services.settings.handoff_chat_id
    if desk is None or case.thread_id is None:
        return
    try:
        await bot.send_message(desk, text, message_thread_id=case.thread_id)
    except (Forbidden, BadRequest) as error:
        log.warning("handoff: could not write in a desk topic: %s", type(error).__name__)


async def close_case(bot: Bot, services: Services, live: Live, case: Case, reason: str) -> bool:
    """Close a case: tell the person (in their language) and the desk, and close the topic; False if not open."""
    assert reason in CLOSE_REASONS
    closed = await cases(services).close(case.case_no)
    if closed is None:
        return False
    person = {"user": "handoff.ended_by_user", "staff": "handoff.ended_by_staff", "idle": "handoff.ended_idle"}
    if closed.chat_id is not None and reason in person:
        ui = live.ui(closed.locale)
        try:
            await bot.send_message(closed.chat_id, ui.direction(escape(ui.t(person[reason]))))
        except TelegramError as error:
            log.info("handoff: the person could not be told the case closed: %s", type(error).__name__)
    desk_text = {
        "user": "desk.ended_by_user",
        "staff": "desk.closed",
        "idle": "desk.closed_idle",
        "forget": "desk.forgotten",
        "blocked": "desk.blocked",
    }[reason]
    hours_idle = f"{services.settings.handoff_idle_hours:g}"
    await say_in_topic(bot, services, closed, escape(desk_ui(services, live).t(desk_text, hours=hours_idle)))
    desk = services.settings.handoff_chat_id
    if desk is not None and closed.thread_id is not None:
        try:
            await bot.close_forum_topic(desk, closed.thread_id)
        except (Forbidden, BadRequest) as error:
            log.info("handoff: the topic could not be closed: %s", type(error).__name__)
    return True


async def forget(bot: Bot, services: Services, live: Live, key: str) -> None:
    """/forget: drop an unfinished report and close the user's open cases (the desk is told) before their rows are
    deleted."""
    services.handoff.forget(key)
    await drafts(services).drop(key)
    for case in await cases(services).open_cases_of(key):
        await close_case(bot, services, live, case, "forget")


async def sweep(bot: Bot, services: Services, live: Live, now: datetime | None = None) -> None:
    """Close idle cases, delete closed ones past the retention period and unfinished reports past their hour."""
    settings = services.settings
    now = now or datetime.now(UTC)
    store = cases(services)
    for case in await store.idle(now - timedelta(hours=settings.handoff_idle_hours)):
        await close_case(bot, services, live, case, "idle")
    removed = await store.purge(now - timedelta(days=settings.handoff_retention_days))
    if removed:
        log.info("handoff: %d closed case(s) past the retention period deleted", removed)
    expired = await drafts(services).purge(drafts_since(now))
    if expired:
        log.info("handoff: %d unfinished report(s) dropped after an hour", expired)
