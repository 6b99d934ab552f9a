"""Talk to a person and anonymous reports: the person's side (/talk, /endchat, consent, the relay, the report
questions) and the desk's (replies in a topic, /close, /page, /card, /note, the bot removed or demoted).

What people and staff write is copied by Telegram (copyMessage), held in memory only for an unfinished report,
and never stored or logged.
"""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.constants import ChatMemberStatus
from telegram.error import BadRequest, Forbidden

from bot.callbacks import Action, Handoff, Header
from bot.context import BotContext
from bot.handlers import common
from bot.handlers.helplines import EMERGENCY_PURPOSES, send_help
from bot.handoff import desk
from bot.handoff.screens import consent_screen, notice, plain, report_question
from bot.handoff.state import ReportDraft
from bot.helplines.screens import country_names, help_screen
from bot.screens import node_screen
from bot.services import Live
from bot.storage.cases import Case
from bot.storage.user_settings import UserSettings

log = logging.getLogger(__name__)

ANSWER_MAX = 1000  # characters kept of each report answer (the report must fit one message)
REPORT_STEPS = ("what", "country", "who", "shots", "follow")
FOLLOW_UP_KEYS = {True: "desk.follow_up_yes", False: "desk.follow_up_no"}


def _configured(context: BotContext) -> bool:
    return context.services.settings.handoff_chat_id is not None


# -- the person's side -------------------------------------------------------------------------------------------


async def talk_command(update: Update, context: BotContext) -> None:
    """/talk: the consent screen (or, with a case open, how to go on)."""
    message = update.effective_message
    assert message is not None
    live = context.services.live.current
    who = await common.who(update, context, live)
    ui = live.ui(who.header.locale)
    if not _configured(context):
        await common.reply(message, notice(live.content, ui, who.header, "handoff.off"))
        return
    if await desk.cases(context.services).open_for(who.key) is not None:
        await common.reply(message, notice(live.content, ui, who.header, "handoff.already_open"))
        return
    retention = context.services.settings.handoff_retention_days
    await common.reply(message, consent_screen(ui, who.header, desk.hours(live), retention))


async def endchat_command(update: Update, context: BotContext) -> None:
    """/endchat: end the conversation with the desk (or drop an unfinished report)."""
    message = update.effective_message
    assert message is not None
    live = context.services.live.current
    who = await common.who(update, context, live)
    ui = live.ui(who.header.locale)
    dropped = context.services.handoff.drafts.pop(who.key, None) is not None
    case = await desk.cases(context.services).open_for(who.key) if _configured(context) else None
    if case is not None:
        await desk.close_case(context.bot, context.services, live, case, "user")
    elif dropped:
        await common.reply(message, notice(live.content, ui, who.header, "handoff.cancelled"))
    else:
        await common.reply(message, notice(live.content, ui, who.header, "handoff.not_open"))


async def handoff_press(update: Update, context: BotContext, live: Live, header: Header, act: Action) -> None:
    """Every Talk-to-a-person and report button."""
    assert isinstance(act, Handoff) and update.callback_query is not None
    query = update.callback_query
    await query.answer()
    services = context.services
    ui = live.ui(header.locale)
    key = common.press_key(update, context)
    if not _configured(context):
        await common.edit(query, notice(live.content, ui, header, "handoff.off"))
        return
    chat = update.effective_chat
    if act.op == "t":
        await common.edit(query, consent_screen(ui, header, desk.hours(live), services.settings.handoff_retention_days))
    elif act.op == "y" and chat is not None:
        settings = await services.storage.get_user(key) or UserSettings()
        case = await desk.open_chat(context.bot, services, live, key, chat.id, header.locale, settings.country)
        if case is None:
            await _unavailable(context, live, header, chat.id, settings)
            return
        await common.edit(
            query, notice(live.content, ui, header, "handoff.opened", organisation=desk.organisation(live))
        )
    elif act.op == "n":
        services.handoff.drafts.pop(key, None)
        await common.edit(query, notice(live.content, ui, header, "handoff.cancelled"))
    elif act.op == "r":
        services.handoff.drafts[key] = ReportDraft()
        await common.edit(query, report_question(ui, header, "what"))
    elif act.op in ("s", "d"):
        draft = services.handoff.draft(key)
        if draft is None:
            await common.edit(query, notice(live.content, ui, header, "handoff.cancelled"))
            return
        draft.step = _next_step(draft.step)
        await common.edit(query, report_question(ui, header, draft.step))
    elif act.op in ("fy", "fn") and chat is not None:
        draft = services.handoff.drafts.pop(key, None)
        if draft is None:
            await common.edit(query, notice(live.content, ui, header, "handoff.cancelled"))
            return
        await _send_report(context, live, header, key, chat.id, draft, follow_up=act.op == "fy")
        if query.message is not None:
            await common.edit(query, notice(live.content, ui, header, "report.thanks"))


def _next_step(step: str) -> str:
    index = REPORT_STEPS.index(step) if step in REPORT_STEPS else 0
    return REPORT_STEPS[min(index + 1, len(REPORT_STEPS) - 1)]


async def _unavailable(context: BotContext, live: Live, header: Header, chat_id: int, settings: UserSettings) -> None:
    """Never silence: the desk cannot be reached, so say so and show the helplines."""
    ui = live.ui(header.locale)
    await context.bot.send_message(chat_id, plain(ui, "handoff.unavailable"))
    await _help_card(context, live, header, chat_id, settings)


async def _help_card(context: BotContext, live: Live, header: Header, chat_id: int, settings: UserSettings) -> None:
    from bot.handlers.helplines import card_or_question

    screen, _ = card_or_question(context, live, header, settings, EMERGENCY_PURPOSES)
    await context.bot.send_message(chat_id, screen.text, reply_markup=screen.keyboard)


async def intercept(update: Update, context: BotContext, live: Live, who: common.Who, emergency: bool) -> bool:
    """Free text (or a photo, a voice note) while a report is being answered or a case is open: it goes to the
    desk instead of search. Emergency words still bring the help card first. True when handled here."""
    message = update.effective_message
    if message is None or not _configured(context):
        return False
    services = context.services
    draft = services.handoff.draft(who.key)
    if draft is not None:
        if emergency:
            await send_help(update, context, message, who, EMERGENCY_PURPOSES)
        await _answer_report(context, live, who.header, draft, message)
        return True
    case = await desk.cases(services).open_for(who.key)
    if case is None:
        return False
    if emergency:
        await send_help(update, context, message, who, EMERGENCY_PURPOSES)
    await _relay(update, context, live, who, case, message)
    await desk.maybe_sweep(context.bot, services, live)
    return True


async def _relay(
    update: Update, context: BotContext, live: Live, who: common.Who, case: Case, message: Message
) -> None:
    services = context.services
    ui = live.ui(who.header.locale)
    if not services.handoff.allow(who.key, services.settings.handoff_rate_limit):
        await message.reply_text(plain(ui, "handoff.slow_down"))
        return
    if not await desk.relay_to_desk(context.bot, services, live, case, message):
        await _unavailable(context, live, who.header, message.chat_id, who.settings)
        return
    if not desk.is_open_now(live) and services.handoff.should_tell_closed(case.case_no):
        hours = desk.hours(live)
        described = hours.describe(who.header.locale) if hours is not None else ""
        await message.reply_text(plain(ui, "handoff.out_of_hours", hours=described))
        await _help_card(context, live, who.header, message.chat_id, who.settings)


async def _answer_report(context: BotContext, live: Live, header: Header, draft: ReportDraft, message: Message) -> None:
    """Keep the answer to the current question (in memory) and ask the next one."""
    ui = live.ui(header.locale)
    answer = (message.text or message.caption or "").strip()[:ANSWER_MAX]
    if message.photo:
        draft.shots.append(message.message_id)
    if draft.step == "shots":
        if not message.photo:
            await common.reply(message, report_question(ui, header, "shots"))
        return
    if draft.step == "follow":
        await common.reply(message, report_question(ui, header, "follow"))
        return
    if answer:
        setattr(draft, draft.step, answer)
        draft.step = _next_step(draft.step)
    await common.reply(message, report_question(ui, header, draft.step))


async def _send_report(
    context: BotContext, live: Live, header: Header, key: str, chat_id: int, draft: ReportDraft, *, follow_up: bool
) -> None:
    """One message to a new topic, with no identity; the screenshots copied after it; the person told what next."""
    services = context.services
    store = desk.cases(services)
    settings = await services.storage.get_user(key) or UserSettings()
    case = await store.open_case(
        key,
        "report",
        chat_id if follow_up else None,
        header.locale,
        settings.country,
        status="open" if follow_up else "closed",
    )
    dui = desk.desk_ui(live)
    none = dui.t("desk.not_given")
    text = dui.t(
        "desk.report",
        case=desk.case_label(case),
        language=header.locale,
        what=draft.what or none,
        country=draft.country or none,
        who=draft.who or none,
        shots=len(draft.shots),
        follow_up=dui.t(FOLLOW_UP_KEYS[follow_up]),
    )
    opened = await desk.open_topic(context.bot, services, live, case, desk.escape(text))
    ui = live.ui(header.locale)
    if opened is None:
        await _unavailable(context, live, header, chat_id, settings)
        return
    desk_id = services.settings.handoff_chat_id
    assert desk_id is not None and opened.thread_id is not None
    for shot in draft.shots:
        try:
            await context.bot.copy_message(desk_id, chat_id, shot, message_thread_id=opened.thread_id)
        except BadRequest as error:  # the person deleted it meanwhile
            log.info("handoff: a screenshot could not be copied: %s", type(error).__name__)
    if not follow_up:
        desk_ui_text = dui.t("desk.no_follow_up")
        await desk.say_in_topic(context.bot, services, opened, desk.escape(desk_ui_text))
        await context.bot.close_forum_topic(desk_id, opened.thread_id)
    message_key = "report.sent_follow_up" if follow_up else "report.sent"
    await context.bot.send_message(chat_id, plain(ui, message_key, organisation=desk.organisation(live)))


# -- the desk's side -------------------------------------------------------------------------------------------


def _is_staff(context: BotContext, message: Message) -> bool:
    """Listed desk admins, or (when none are listed) every member who writes in the desk group."""
    user = message.from_user
    if user is None or user.is_bot:
        return False
    admins = context.services.settings.handoff_admin_ids
    return not admins or user.id in admins


async def _staff_case(update: Update, context: BotContext) -> tuple[Message, Live, Case | None] | None:
    """The staff message, the live content and the case of its topic; None when it is not for the bot."""
    message = update.effective_message
    if message is None or message.message_thread_id is None or not message.is_topic_message:
        return None
    live = context.services.live.current
    if not _is_staff(context, message):
        await message.reply_text(desk.escape(desk.desk_ui(live).t("desk.not_staff")))
        return None
    case = await desk.cases(context.services).by_thread(message.message_thread_id)
    return message, live, case


async def staff_message(update: Update, context: BotContext) -> None:
    """A reply in a case's topic: copied to the person while the case is open."""
    found = await _staff_case(update, context)
    if found is None:
        return
    message, live, case = found
    if case is None:
        return  # a topic the desk opened for itself
    dui = desk.desk_ui(live)
    if not case.is_open or case.chat_id is None:
        key = "desk.no_follow_up" if case.kind == "report" and case.opened_at == case.closed_at else "desk.not_sent"
        await message.reply_text(desk.escape(dui.t(key)))
        return
    await desk.relay_to_person(context.bot, context.services, live, case, message)
    await desk.maybe_sweep(context.bot, context.services, live)


async def staff_command(update: Update, context: BotContext) -> None:
    """/close, /page <id>, /card <country>, /note <text> in a case's topic."""
    found = await _staff_case(update, context)
    if found is None:
        return
    message, live, case = found
    dui = desk.desk_ui(live)
    command = (message.text or "").split(maxsplit=1)[0].lstrip("/").split("@", 1)[0].lower()
    argument = " ".join(context.args or [])
    if command == "note":
        await message.reply_text(desk.escape(dui.t("desk.note_kept")))
        return
    if case is None or not case.is_open or case.chat_id is None:
        await message.reply_text(desk.escape(dui.t("desk.not_sent")))
        return
    services = context.services
    if command == "close":
        await desk.close_case(context.bot, services, live, case, "staff")
        return
    header = Header(case.locale)
    ui = live.ui(case.locale)
    if command == "page":
        node = live.content.nodes.get(argument.strip())
        if node is None:
            await message.reply_text(desk.escape(dui.t("desk.page_unknown", id=argument.strip())))
            return
        screen = node_screen(live.content, ui, header, node)
        await context.bot.send_message(case.chat_id, screen.text, reply_markup=screen.keyboard)
        title = live.content.text(node.id, live.content.default_locale).title
        await message.reply_text(desk.escape(dui.t("desk.sent", what=title)))
    elif command == "card":
        country = argument.strip().upper()
        if country not in country_names(case.locale):
            await message.reply_text(desk.escape(dui.t("desk.card_unknown", country=argument.strip())))
            return
        show_low = services.settings.show_low_confidence_helplines
        screen, _ = help_screen(live.content, ui, header, country, None, EMERGENCY_PURPOSES, show_low=show_low)
        await context.bot.send_message(case.chat_id, screen.text, reply_markup=screen.keyboard)
        await message.reply_text(desk.escape(dui.t("desk.sent", what=country)))
    await desk.cases(services).touch(case.case_no)


async def desk_membership(update: Update, context: BotContext) -> None:
    """The bot added, demoted or removed at the desk: detected at once, logged and reported to the admins."""
    changed = update.my_chat_member
    services = context.services
    if changed is None or changed.chat.id != services.settings.handoff_chat_id:
        return
    live = services.live.current
    member = changed.new_chat_member
    can_manage = getattr(member, "can_manage_topics", False)
    if member.status == ChatMemberStatus.ADMINISTRATOR and can_manage:
        desk.desk_reachable(services)
        return
    reasons: dict[str, str] = {
        ChatMemberStatus.BANNED: "bot was kicked from the supergroup chat",
        ChatMemberStatus.LEFT: "bot is not a member of the supergroup chat",
    }
    reason = reasons.get(member.status, "the bot may no longer manage topics")
    error = (
        Forbidden(reason) if member.status in (ChatMemberStatus.BANNED, ChatMemberStatus.LEFT) else BadRequest(reason)
    )
    await desk.desk_unavailable(context.bot, services, live, error)
