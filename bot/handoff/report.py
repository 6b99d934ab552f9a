"""The anonymous report: each answer noted (its message id in the database, its text in memory only), and the
finished report sent to the desk as one message in its own topic, with no identity.

When the process that sends the report does not hold an answer's text (it was given before a restart, or to another
replica), the report says so and that answer is copied from the person's chat into the topic after it, so nothing
the person wrote is lost and no text is ever stored.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from telegram import Bot, Message
from telegram.error import BadRequest, Forbidden

from bot.handoff import desk
from bot.storage.cases import Case
from bot.storage.drafts import ANSWERED, MAX_SHOTS, Draft

if TYPE_CHECKING:
    from bot.services import Live, Services

log = logging.getLogger(__name__)

ANSWER_MAX = 1000  # characters of each answer written into the report (it must fit one message); longer ones are
# also copied whole after it
FOLLOW_UP_KEYS = {True: "desk.follow_up_yes", False: "desk.follow_up_no"}


async def note_answer(services: Services, draft: Draft, message: Message) -> Draft:
    """Take the person's message as the answer to the current question (a photo is kept as a screenshot too);
    the draft as saved. The last two steps are answered with buttons: a text there changes nothing."""
    shots = draft.shots
    if message.photo and len(shots) < MAX_SHOTS:
        shots = (*shots, message.message_id)
    updated = replace(draft, shots=shots)
    answer = (message.text or message.caption or "").strip()
    if draft.step in ANSWERED and answer:
        services.handoff.remember(draft.user_key, message.message_id, answer)
        updated = updated.answered(message.message_id)
    if updated != draft:
        await desk.drafts(services).save(updated)
    return updated


@dataclass(frozen=True, slots=True)
class Composed:
    """The report's text for the desk and the person's messages to copy after it, in order."""

    text: str
    copies: tuple[int, ...]


def compose(services: Services, live: Live, case: Case, draft: Draft, *, follow_up: bool) -> Composed:
    """The report in the desk's language: each answer's text when this process holds it, else a pointer to the copy
    that follows; then the screenshots."""
    dui = desk.desk_ui(services, live)
    answers: dict[str, str] = {}
    copies: list[int] = []
    for step in ANSWERED:
        message_id = draft.answer_id(step)
        held = None if message_id is None else services.handoff.answer(draft.user_key, message_id)
        if message_id is None:
            answers[step] = dui.t("desk.not_given")
        elif held is not None and len(held) <= ANSWER_MAX:
            answers[step] = held
        elif held is not None:  # too long for one message: the start here, the whole message copied after it
            answers[step] = f"{held[:ANSWER_MAX]}… {dui.t('desk.answer_copied')}"
            if message_id not in draft.shots:  # a captioned screenshot is copied with the screenshots
                copies.append(message_id)
        else:
            answers[step] = dui.t("desk.answer_copied")
            if message_id not in draft.shots:  # a captioned screenshot is copied with the screenshots
                copies.append(message_id)
    text = dui.t(
        "desk.report",
        case=desk.case_label(case),
        language=case.locale,
        what=answers["what"],
        country=answers["country"],
        who=answers["who"],
        shots=len(draft.shots),
        follow_up=dui.t(FOLLOW_UP_KEYS[follow_up]),
    )
    return Composed(desk.escape(text), (*copies, *draft.shots))


async def send(
    bot: Bot,
    services: Services,
    live: Live,
    draft: Draft,
    where: tuple[int, str, str | None],
    *,
    follow_up: bool,
) -> Case | None:
    """Open the report's case and topic, post the report and copy what follows it; close it at once without
    permission for follow-up questions. `where` is the person's chat id, language and country (if known).
    None when the desk cannot be reached."""
    chat_id, locale, country = where
    store = desk.cases(services)
    case = await store.open_case(
        draft.user_key,
        "report",
        chat_id if follow_up else None,
        locale,
        country,
        status="open" if follow_up else "closed",
    )
    composed = compose(services, live, case, draft, follow_up=follow_up)
    opened = await desk.open_topic(bot, services, live, case, composed.text)
    if opened is None:
        return None
    services.handoff.forget(draft.user_key)
    desk_id = services.settings.handoff_chat_id
    assert desk_id is not None and opened.thread_id is not None
    for message_id in composed.copies:
        try:
            await bot.copy_message(desk_id, chat_id, message_id, message_thread_id=opened.thread_id)
        except BadRequest as error:  # the person deleted it meanwhile
            log.info("handoff: a report message could not be copied: %s", type(error).__name__)
    if not follow_up:
        await desk.say_in_topic(bot, services, opened, desk.escape(desk.desk_ui(services, live).t("desk.no_follow_up")))
        try:
            await bot.close_forum_topic(desk_id, opened.thread_id)
        except (Forbidden, BadRequest) as error:
            log.info("handoff: the report's topic could not be closed: %s", type(error).__name__)
    return opened
