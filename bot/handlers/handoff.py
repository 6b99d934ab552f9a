"""Talk to a person and anonymous reports: the person's side (/talk, /endchat, consent, the relay, the report
questions) and the desk's (replies in a topic, /close, /page, /card, /note, the bot removed or demoted).

What people and staff write is copied by Telegram (copyMessage), held in memory only for an unfinished report,
and never stored or logged. Which step a report is on, and which message answers which question, is in the database,
so any replica (or the process after a restart) goes on with it.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from telegram import Message, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.callbacks import Action, Handoff, Header
from bot.context import BotContext
from bot.handlers import common
from bot.handlers.calls import numbers_if_asked, page_screen
from bot.handlers.helplines import EMERGENCY_PURPOSES, send_help
from bot.handoff import desk, report
from bot.handoff.screens import consent_screen, plain, report_question
from bot.helplines.screens import country_names, help_screen
from bot.screens import notice_screen
from bot.services import Live
from bot.storage.cases import Case
from bot.storage.drafts import Draft, next_step
from bot.storage.user_settings import UserSettings

log = logging.getLogger(__name__)


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
        await common.reply(message, notice_screen(live.content, ui, who.header, "handoff.off"))
        return
    if await desk.cases(context.services).open_for(who.key) is not None:
        await common.reply(message, notice_screen(live.content, ui, who.header, "handoff.already_open"))
        return
    retention = context.services.settings.handoff_retention_days
    english = live.ui(live.content.default_locale).t("handoff.consent")
    country = who.settings.country
    numbers = await numbers_if_asked(update, context, live, who.header, english, country=country, known=True)
    await common.reply(message, consent_screen(ui, who.header, desk.hours(live), retention, numbers))


async def endchat_command(update: Update, context: BotContext) -> None:
    """/endchat: end the conversation with the desk (or drop an unfinished report)."""
    message = update.effective_message
    assert message is not None
    live = context.services.live.current
    who = await common.who(update, context, live)
    ui = live.ui(who.header.locale)
    context.services.handoff.forget(who.key)
    dropped = await desk.drafts(context.services).drop(who.key)
    case = await desk.cases(context.services).open_for(who.key) if _configured(context) else None
    if case is not None:
        await desk.close_case(context.bot, context.services, live, case, "user")
    elif dropped:
        await common.reply(message, notice_screen(live.content, ui, who.header, "handoff.cancelled"))
    else:
        await common.reply(message, notice_screen(live.content, ui, who.header, "handoff.not_open"))


async def handoff_press(update: Update, context: BotContext, live: Live, header: Header, act: Action) -> None:
    """Every Talk-to-a-person and report button."""
    assert isinstance(act, Handoff) and update.callback_query is not None
    query = update.callback_query
    await query.answer()
    services = context.services
    ui = live.ui(header.locale)
    key = common.press_key(update, context)
    if not _configured(context):
        await common.edit(query, notice_screen(live.content, ui, header, "handoff.off"))
        return
    chat = update.effective_chat
    if act.op == "t":
        english = live.ui(live.content.default_locale).t("handoff.consent")
        numbers = await numbers_if_asked(update, context, live, header, english)
        retention = services.settings.handoff_retention_days
        await common.edit(query, consent_screen(ui, header, desk.hours(live), retention, numbers))
    elif act.op == "y" and chat is not None:
        settings = await services.storage.get_user(key) or UserSettings()
        case = await desk.open_chat(context.bot, services, live, key, chat.id, header.locale, settings.country)
        if case is None:
            await _unavailable(context, live, header, chat.id, settings)
            return
        await common.edit(
            query,
            notice_screen(
                live.content, ui, header, "handoff.opened", organisation=desk.organisation(live, header.locale)
            ),
        )
    elif act.op == "n":
        services.handoff.forget(key)
        await desk.drafts(services).drop(key)
        await common.edit(query, notice_screen(live.content, ui, header, "handoff.cancelled"))
    elif act.op == "r":
        services.handoff.forget(key)
        await desk.drafts(services).start(key)
        await common.edit(query, report_question(ui, header, "what"))
    elif act.op in ("s", "d"):
        draft = await desk.drafts(services).get(key, desk.drafts_since())
        if draft is None:
            await common.edit(query, notice_screen(live.content, ui, header, "handoff.cancelled"))
            return
        draft = replace(draft, step=next_step(draft.step))
        await desk.drafts(services).save(draft)
        await common.edit(query, report_question(ui, header, draft.step))
    elif act.op in ("fy", "fn") and chat is not None:
        claimed = await desk.drafts(services).claim(key, desk.drafts_since())
        if claimed is None:  # sent already (a second press), cancelled, or expired
            await common.edit(query, notice_screen(live.content, ui, header, "handoff.cancelled"))
            return
        if await _send_report(context, live, header, chat.id, claimed, follow_up=act.op == "fy"):
            await desk.drafts(services).drop(key)
            if query.message is not None:
                await common.edit(query, notice_screen(live.content, ui, header, "report.thanks"))
        else:  # the desk cannot be reached: the person was told; the report waits for another press
            await desk.drafts(services).save(replace(claimed, step="follow"))


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
    draft, case = await desk.drafts(services).where_is(who.key, desk.drafts_since())
    if draft is not None:
        if emergency:
            await send_help(update, context, message, who, EMERGENCY_PURPOSES)
        draft = await report.note_answer(services, draft, message)
        if not (message.photo and draft.step == "shots"):  # screenshots come in bursts: no question after each
            await common.reply(message, report_question(live.ui(who.header.locale), who.header, draft.step))
        return True
    if case is None:
        return False
    if emergency:
        await send_help(update, context, message, who, EMERGENCY_PURPOSES)
    await _relay(update, context, live, who, case, message)
    return True


async def _relay(
    update: Update, context: BotContext, live: Live, who: common.Who, case: Case, message: Message
) -> bool:
    """Relay one message of the person's to the desk, or tell them why not (never silence); True when relayed."""
    services = context.services
    ui = live.ui(who.header.locale)
    if not await desk.allow_relay(services, case):
        await message.reply_text(plain(ui, "handoff.slow_down"))
        return False
    relayed = await desk.relay_to_desk(context.bot, services, live, case, message)
    if relayed == "not_copyable":
        await message.reply_text(plain(ui, "handoff.not_copied"))
        return False
    if relayed == "desk_unavailable":
        await _unavailable(context, live, who.header, message.chat_id, who.settings)
        return False
    if not desk.is_open_now(live) and await desk.tell_closed(services, case):
        hours = desk.hours(live)
        described = hours.describe(who.header.locale, ui.digits) if hours is not None else ""
        await message.reply_text(plain(ui, "handoff.out_of_hours", hours=described))
        await _help_card(context, live, who.header, message.chat_id, who.settings)
    return True


async def relay_location(update: Update, context: BotContext, live: Live, who: common.Who) -> None:
    """A location shared while a case is open is also meant for the caseworker: copied into the topic, and the
    person told. (Its country's helplines follow as for anyone; the location then leaves the chat.)"""
    message = update.effective_message
    if message is None or not _configured(context):
        return
    _, case = await desk.drafts(context.services).where_is(who.key, desk.drafts_since())
    if case is not None and await _relay(update, context, live, who, case, message):
        await message.chat.send_message(plain(live.ui(who.header.locale), "handoff.location_sent"))


async def _send_report(
    context: BotContext, live: Live, header: Header, chat_id: int, draft: Draft, *, follow_up: bool
) -> bool:
    """Send the report to the desk with no identity and tell the person what happens next (never silence);
    False when the desk cannot be reached."""
    services = context.services
    settings = await services.storage.get_user(draft.user_key) or UserSettings()
    where = (chat_id, header.locale, settings.country)
    sent = await report.send(context.bot, services, live, draft, where, follow_up=follow_up)
    if sent is None:
        await _unavailable(context, live, header, chat_id, settings)
        return False
    message_key = "report.sent_follow_up" if follow_up else "report.sent"
    ui = live.ui(header.locale)
    await context.bot.send_message(chat_id, plain(ui, message_key, organisation=desk.organisation(live, header.locale)))
    return True


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
        await message.reply_text(desk.escape(desk.desk_ui(context.services, live).t("desk.not_staff")))
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
    dui = desk.desk_ui(context.services, live)
    if not case.is_open or case.chat_id is None:
        key = "desk.no_follow_up" if case.kind == "report" and case.opened_at == case.closed_at else "desk.not_sent"
        await message.reply_text(desk.escape(dui.t(key)))
        return
    await desk.relay_to_person(context.bot, context.services, live, case, message)


async def staff_command(update: Update, context: BotContext) -> None:
    """/close, /page <id>, /card <country>, /note <text> in a case's topic."""
    found = await _staff_case(update, context)
    if found is None:
        return
    message, live, case = found
    dui = desk.desk_ui(context.services, live)
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
        # A page that says to call carries the numbers of the person's country (known from the case), as it does
        # when they open it themselves.
        screen = await page_screen(update, context, live, header, node, country=case.country, known=True)
        await context.bot.send_message(case.chat_id, screen.text, reply_markup=screen.keyboard)
        title = live.content.text(node.id, desk.desk_locale(services, live)).title
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


async def group_membership(update: Update, context: BotContext) -> None:
    """The bot's membership in a group changed: at the desk, the change is checked at once (`desk_membership`);
    in another group, one of the bot's admins adding it is told the group's id, to set up a desk without asking a
    third-party bot for it; anyone else adding the bot to a group is ignored."""
    changed = update.my_chat_member
    if changed is None:
        return
    services = context.services
    if changed.chat.id == services.settings.handoff_chat_id:
        await desk_membership(update, context)
        return
    joined = changed.new_chat_member.status in (ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR)
    by = changed.from_user
    if changed.chat.type not in (ChatType.GROUP, ChatType.SUPERGROUP) or not joined:
        return
    if by is None or by.id not in services.settings.admin_ids:
        return
    text = desk.desk_ui(services, services.live.current).t("desk.setup", id=changed.chat.id)
    try:
        await context.bot.send_message(changed.chat.id, desk.escape(text))
    except TelegramError as error:
        log.info("handoff: the group's id could not be posted in it: %s", type(error).__name__)


async def person_blocked(context: BotContext, key: str) -> None:
    """A person blocked the bot: their open case is closed at once (the desk is told), not at staff's next reply."""
    if not _configured(context):
        return
    live = context.services.live.current
    for case in await desk.cases(context.services).open_cases_of(key):
        await desk.close_case(context.bot, context.services, live, case, "blocked")


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
        await desk.desk_reachable(services, certain=True)
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
