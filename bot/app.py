"""The one place that builds the Application and registers every handler."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from babel import Locale
from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest

from bot.background import BackgroundApplication
from bot.broadcasts.scheduler import Scheduler
from bot.callbacks import (
    Action,
    AskLocation,
    ChooseLanguage,
    ClearChat,
    Forget,
    GetHelp,
    Handoff,
    InEnglish,
    Licence,
    NumberFailed,
    Offer,
    Open,
    PickCountry,
    Quiz,
    SetCountry,
    ShowSources,
    Subscription,
)
from bot.context import BotContext
from bot.features import install as install_features
from bot.handlers import (
    admin,
    clear,
    errors,
    handoff,
    helplines,
    language,
    licences,
    membership,
    navigation,
    offers,
    privacy,
    quiz,
    start,
    stats,
    subscriptions,
    text,
)
from bot.handlers import broadcast as broadcast_admin
from bot.handoff.sweeper import Sweeper
from bot.limiter import ReplyFirstLimiter
from bot.outgoing import OutgoingObserver
from bot.services import BotData, Live, Services

BotApplication = Application[Any, BotContext, Any, Any, BotData, Any]

# Public commands, in menu order; each has a `command.<name>` UI string.
COMMANDS = (
    "start",
    "helpline",
    "check",
    "talk",
    "endchat",
    "help",
    "language",
    "subscriptions",
    "stop",
    "clear",
    "privacy",
    "forget",
)
DESK_COMMANDS = frozenset({"talk", "endchat"})  # in the menu only when the NGO desk is set up (HANDOFF_CHAT_ID)
# Telegram's setMyCommands takes two-letter ISO 639-1 codes only.
COMMAND_LANGUAGE_ALIASES = {"fil": "tl"}


def callback_routes() -> dict[type[Action], navigation.ActionHandler]:
    """Which handler answers which kind of button press."""
    return {
        Open: navigation.open_node,
        ShowSources: navigation.show_sources,
        ChooseLanguage: language.choose_language,
        Forget: privacy.forget_answer,
        GetHelp: helplines.get_help,
        PickCountry: helplines.pick_country,
        SetCountry: helplines.set_country,
        AskLocation: helplines.ask_location,
        ClearChat: clear.clear_press,
        Quiz: quiz.quiz_step,
        Subscription: subscriptions.subscription_press,
        Handoff: handoff.handoff_press,
        InEnglish: navigation.show_in_english,
        NumberFailed: helplines.number_failed,
        Licence: licences.licence_press,
        Offer: offers.offer_press,
    }


def build_application(
    services: Services,
    *,
    token: str,
    base_url: str | None = None,
    rate_limit: bool = True,
    concurrent_updates: int = 32,
    with_updater: bool = True,
    request: BaseRequest | None = None,
) -> BotApplication:
    """Build the bot. `base_url` is a Bot API server root (self-hosted, or the emulator)."""
    install_features()
    builder = (
        ApplicationBuilder()
        .token(token)
        .context_types(ContextTypes(context=BotContext, bot_data=BotData))
        .defaults(Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)))
        .concurrent_updates(concurrent_updates)
        .post_init(set_commands)
        # While started: scheduled broadcasts are sent, and the desk's idle cases and old rows are swept.
        .application_class(BackgroundApplication, kwargs={"jobs": (Scheduler, Sweeper)})
    )
    if request is None:
        builder = builder.connection_pool_size(max(8, concurrent_updates * 2))
    if base_url:
        root = base_url.rstrip("/")
        builder = builder.base_url(f"{root}/bot").base_file_url(f"{root}/file/bot")
    # Every Bot API call passes the observer, which notes sent messages for "Clear this chat" and hands the
    # limiting, when on, to the replies-first limiter: broadcasts stay under BROADCAST_RATE, replies go first.
    limiter = ReplyFirstLimiter(services.settings.broadcast_rate) if rate_limit else None
    builder = builder.rate_limiter(OutgoingObserver(_note_sent(services), limiter))
    if not with_updater:
        builder = builder.updater(None)
    if request is not None:  # benchmarks answer the bot's calls in process
        builder = builder.request(request)
    application: BotApplication = builder.build()
    application.bot_data.services = services
    register_handlers(application)
    return application


def _note_sent(services: Services) -> Callable[[int, int], None]:
    def note(chat_id: int, message_id: int) -> None:
        if services.trail is not None:
            services.trail.note(chat_id, message_id)

    return note


def register_handlers(application: BotApplication) -> None:
    """Register every handler; order matters within group 0: commands, then buttons, then other text."""
    private = filters.ChatType.PRIVATE
    # Group -1 runs before the others for every update: it notes the user's message ids for "Clear this chat".
    application.add_handler(TypeHandler(Update, clear.note_incoming), group=-1)
    application.add_handler(CommandHandler("start", start.start, filters=private))
    application.add_handler(CommandHandler("help", start.help_command, filters=private))
    application.add_handler(CommandHandler("language", language.language_command, filters=private))
    application.add_handler(CommandHandler("privacy", privacy.privacy_command, filters=private))
    application.add_handler(CommandHandler("forget", privacy.forget_command, filters=private))
    application.add_handler(CommandHandler("helpline", helplines.helpline_command, filters=private))
    application.add_handler(CommandHandler("check", offers.check_command, filters=private))
    application.add_handler(CommandHandler("clear", clear.clear_command, filters=private))
    application.add_handler(
        CommandHandler(("subscribe", "subscriptions"), subscriptions.subscriptions_command, filters=private)
    )
    application.add_handler(CommandHandler("stop", subscriptions.stop_command, filters=private))
    application.add_handler(CommandHandler("broadcast", broadcast_admin.broadcast_command, filters=private))
    application.add_handler(CommandHandler("talk", handoff.talk_command, filters=private))
    application.add_handler(CommandHandler("endchat", handoff.endchat_command, filters=private))
    register_desk_handlers(application)
    # The bot's own membership: a person blocking it; the desk checked at once; a group being set up told its id.
    application.add_handler(ChatMemberHandler(membership.my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER))
    application.add_handler(MessageHandler(private & filters.LOCATION, helplines.shared_location))
    # Admin commands check the sender themselves and answer everyone else like an unknown command.
    application.add_handler(CommandHandler("reload", admin.reload_command, filters=private))
    application.add_handler(CommandHandler("stats", stats.stats_command, filters=private))
    # Every press goes to one router, so malformed or stale data is always answered.
    application.add_handler(CallbackQueryHandler(navigation.make_router(callback_routes())))
    # Unknown commands (admin commands for non-admins look the same), then any other message.
    application.add_handler(MessageHandler(private & filters.COMMAND, text.unknown_command))
    application.add_handler(MessageHandler(private & ~filters.COMMAND, text.free_text))
    application.add_error_handler(errors.on_error)


def register_desk_handlers(application: BotApplication) -> None:
    """The NGO desk (HANDOFF_CHAT_ID): staff commands and replies in its topics."""
    services = application.bot_data.services
    desk_id = services.settings.handoff_chat_id if services is not None else None
    if desk_id is None:
        return
    desk = filters.Chat(desk_id)
    staff = ("close", "page", "card", "note")
    application.add_handler(CommandHandler(staff, handoff.staff_command, filters=desk))
    application.add_handler(MessageHandler(desk & ~filters.COMMAND & ~filters.StatusUpdate.ALL, handoff.staff_message))


def command_language(locale: str) -> str | None:
    """The setMyCommands language code of a content locale, or None when Telegram has none for it."""
    language = Locale.parse(locale).language
    language = COMMAND_LANGUAGE_ALIASES.get(language, language)
    return language if len(language) == 2 else None


async def set_commands(application: BotApplication) -> None:
    """Register the command menu in every content language Telegram can tell apart."""
    services = application.bot_data.services
    assert services is not None
    live: Live = services.live.current
    content = live.content
    desk = services.settings.handoff_chat_id is not None
    names = [name for name in COMMANDS if desk or name not in DESK_COMMANDS]
    done: set[str] = set()
    for locale in content.locales:
        ui = live.ui(locale)
        commands = [BotCommand(name, ui.t(f"command.{name}")) for name in names]
        if locale == content.default_locale:
            await application.bot.set_my_commands(commands)
        code = command_language(locale)
        if code is not None and code not in done:
            done.add(code)
            await application.bot.set_my_commands(commands, language_code=code)
