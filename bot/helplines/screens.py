"""The helpline screens: the country question (paginated, in the user's language) and the help card."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton, get_timezone_location
from telegram import InlineKeyboardButton, KeyboardButton, ReplyKeyboardMarkup

from bot import keyboards
from bot.callbacks import AskLocation, ClearChat, GetHelp, Header, NumberFailed, Open, PickCountry, SetCountry
from bot.cautions.model import About
from bot.cautions.render import card_cautions
from bot.content.model import Content, Purpose
from bot.helplines.likely import NAME as LIKELY_NAME
from bot.helplines.likely import LikelyCountries
from bot.helplines.model import (
    Confidence,
    Contact,
    ContactKind,
    Directory,
    EmergencyKind,
    EmergencyNumber,
    Helpline,
    PartialDate,
    Reach,
    decode_purposes,
)
from bot.i18n import UI
from bot.numbers import hours_range, localize_digits, phone, with_icon
from bot.screenfit import CHAT_HEIGHT, estimate_height, keyboard_height
from bot.screens import Screen

COUNTRY_PAGE_SIZE = 20  # two per row
FIRST_ANSWER_COUNTRIES = 4  # countries in the first emergency answer: it must fit one phone screen
FIRST_ANSWER_BUDGET = 900  # characters of that answer, a generous screenful on a small phone
MESSAGE_BUDGET = 3800  # characters; Telegram allows 4096 and the card must never be cut
NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "ZZ", "QO", "XA", "XB"})


def _babel(locale: str) -> Locale:
    try:
        return Locale.parse(locale)
    except (UnknownLocaleError, ValueError):
        return Locale("en")


@cache
def country_names(locale: str) -> Mapping[str, str]:
    """ISO alpha-2 code -> the country's name in `locale` (Babel's territory names)."""
    names = _babel(locale).territories
    english: Mapping[str, str] = Locale("en").territories
    return {
        code: str(names.get(code, english[code]))
        for code in english
        if isinstance(code, str) and len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES
    }


def country_name(code: str, locale: str) -> str:
    """One country's name in `locale`, or its code when Babel has none."""
    return country_names(locale).get(code, code)


@cache
def ordered_countries(locale: str, first: tuple[str, ...]) -> tuple[str, ...]:
    """Countries with helplines first, then every other country, each group by name."""
    names = country_names(locale)
    top = sorted((c for c in first if c in names), key=lambda c: names[c].casefold())
    rest = sorted((c for c in names if c not in set(first)), key=lambda c: names[c].casefold())
    return (*top, *rest)


def directory_of(content: Content) -> Directory:
    """The helpline directory of the content (an empty one when helplines.yaml is absent)."""
    found = content.documents.get("helplines")
    return found if isinstance(found, Directory) else Directory.build((), {})


def country_screen(
    content: Content,
    ui: UI,
    header: Header,
    role: str,
    page: int,
    purposes: str,
    *,
    show_low: bool = False,
    intro: str = "",
) -> Screen:
    """One page of the country list: where the user is now (`c`) or where they come from (`h`, skippable)."""
    directory = directory_of(content)
    codes = ordered_countries(header.locale, directory.countries(show_low))
    pages = max(1, -(-len(codes) // COUNTRY_PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    chunk = codes[page * COUNTRY_PAGE_SIZE : (page + 1) * COUNTRY_PAGE_SIZE]
    buttons = [
        keyboards.button(country_name(code, header.locale), header, SetCountry(role, code, purposes)) for code in chunk
    ]
    rows: list[keyboards.Row] = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    nav: keyboards.Row = []
    if page > 0:
        nav.append(keyboards.button(ui.t("button.previous"), header, PickCountry(role, page - 1, purposes)))
    if page + 1 < pages:
        nav.append(keyboards.button(ui.t("button.next"), header, PickCountry(role, page + 1, purposes)))
    rows.append(nav)
    if role == "c":
        rows.append([keyboards.button(ui.t("location.use"), header, AskLocation(purposes))])
    if role == "h":
        rows.append([keyboards.button(ui.t("button.skip"), header, SetCountry("h", "", purposes))])
    rows.append([keyboards.button(ui.t("button.home"), header, Open(content.root.key))])
    question = ui.t("helpline.ask_country") if role == "c" else ui.t("helpline.ask_home_country")
    lines = [html.escape(text, quote=False) for text in (intro, question) if text]
    if pages > 1:
        lines.append(f"<i>{html.escape(ui.t('menu.page_counter', current=page + 1, total=pages), quote=False)}</i>")
    return Screen(ui.direction("\n\n".join(lines)), keyboards.markup(rows))


def _localized(texts: Mapping[str, str], content: Content, locale: str) -> str:
    for candidate in content.chain(locale):
        if candidate in texts:
            return texts[candidate]
    return next(iter(texts.values()), "")


def format_verified(when: PartialDate, locale: str) -> str:
    """A verification date as precise as it was recorded, in the user's language."""
    babel_locale = _babel(locale)
    if when.month is None:
        return str(when.year)
    if when.day is None:
        return format_skeleton("yMMMM", when.earliest, locale=babel_locale)
    return format_date(when.earliest, format="long", locale=babel_locale)


def _contact_line(contact: Contact, content: Content, ui: UI, locale: str) -> str:
    shown = html.escape(contact.display, quote=False)
    if contact.kind is ContactKind.URL:
        line = f'🌐 <a href="{html.escape(contact.value)}">{shown}</a>'
    elif contact.kind is ContactKind.EMAIL:
        line = f"✉️ {shown}"
    elif contact.kind is ContactKind.WHATSAPP:
        line = with_icon("💬", html.escape(ui.t("helpline.whatsapp", number=phone(contact.display)), quote=False))
    else:
        line = with_icon("📞", phone(contact.display))
    label = _localized(contact.label, content, locale) if contact.label else ""
    if not label and contact.reach is not Reach.ANYWHERE:
        label = ui.t(f"helpline.reach.{contact.reach.value}")
    return f"{line} ({html.escape(label, quote=False)})" if label else line


def _hours(entry: Helpline, ui: UI, locale: str) -> str:
    hours, _, days = entry.hours.partition(" ")
    parts: list[str] = []
    if hours == "24/7":
        parts.append(ui.t("helpline.hours_always"))
    elif hours:
        zone = get_timezone_location(entry.timezone, locale=_babel(locale)) if entry.timezone else ""
        parts.append(hours_range(hours, ui.digits) + (f" ({zone})" if zone else ""))
    if days == "weekdays":
        parts.insert(0, ui.t("helpline.weekdays"))
    elif days == "saturday-thursday":
        parts.insert(0, ui.t("helpline.saturday_thursday"))
    return ui.t("helpline.hours", hours=", ".join(parts)) if parts else ""


def helpline_card(entry: Helpline, content: Content, ui: UI, locale: str) -> str:
    """One helpline as Telegram HTML: name, what it is for, how to reach it, hours, languages, last check."""
    babel_locale = _babel(locale)
    lines = [f"<b>{html.escape(_localized(entry.name, content, locale), quote=False)}</b>"]
    description = _localized(entry.description, content, locale) if entry.description else ""
    if description:
        lines.append(html.escape(description, quote=False))
    lines.extend(_contact_line(contact, content, ui, locale) for contact in entry.contacts)
    hours = _hours(entry, ui, locale)
    if hours:
        lines.append(html.escape(hours, quote=False))
    if entry.languages:
        names = ", ".join(babel_locale.languages.get(code, code) for code in entry.languages)
        lines.append(html.escape(ui.t("helpline.languages", languages=names), quote=False))
    checked = localize_digits(format_verified(entry.verified_on, locale), ui.digits)  # Babel writes 0-9
    verified = ui.t("helpline.verified", date=checked)
    if entry.confidence is Confidence.LOW:
        verified += " · " + ui.t("helpline.low_confidence")
    lines.append(f"<i>{html.escape(verified, quote=False)}</i>")
    return "\n".join(lines)


def help_screen(
    content: Content,
    ui: UI,
    header: Header,
    country: str,
    home: str | None,
    purposes: str,
    *,
    show_low: bool = False,
) -> tuple[Screen, int]:
    """The help card of a country (and the home country's lines for citizens abroad); with the lines shown."""
    directory = directory_of(content)
    wanted: Sequence[Purpose] = decode_purposes(purposes)
    locale = header.locale
    name = country_name(country, locale)
    parts = [f"<b>{html.escape(ui.t('helpline.heading', country=name), quote=False)}</b>"]
    parts.extend(card_cautions(content, locale, (country,), home, About.POLICE))  # before any police line
    emergency = directory.emergency.get(country)
    if emergency is not None:
        parts.append(html.escape(ui.t("emergency.intro"), quote=False))
        parts.append("\n".join(emergency_lines(emergency, content, ui, locale)))
    local = directory.in_country(country, wanted, show_low=show_low)
    if not local and not home:  # no line here yet: the line of the reader's likely home country for its citizens
        home = _likely_home(content, directory, locale, country, wanted, show_low)
    abroad = directory.for_nationals_abroad(home, wanted, show_low=show_low) if home and home != country else ()
    abroad = tuple(entry for entry in abroad if entry not in local)
    warned = card_cautions(content, locale, (country,), home, About.EMBASSY)  # shown before the embassy reminder
    budget = MESSAGE_BUDGET - sum(len(part) for part in (*parts, *warned)) - 400
    cards, budget = _fit([helpline_card(entry, content, ui, locale) for entry in local], budget)
    shown = len(cards)
    if not local:  # the emergency number is above, the embassy below: said once each
        cards.append(html.escape(ui.t("helpline.none_yet", country=name), quote=False))
    if abroad and home:
        heading = ui.t("helpline.abroad_heading", country=country_name(home, locale))
        section, budget = _fit([helpline_card(entry, content, ui, locale) for entry in abroad], budget)
        shown += len(section)
        if section:
            cards.append("\n\n".join([f"<b>{html.escape(heading, quote=False)}</b>", *section]))
    parts.extend(cards)
    parts.extend(warned)
    parts.append(html.escape(ui.t("helpline.embassy"), quote=False))
    home_label = "helpline.set_home_country" if home else "helpline.also_home_lines"
    rows: list[keyboards.Row] = [
        [keyboards.button(ui.t("helpline.change_country"), header, PickCountry("c", 0, purposes))],
        [keyboards.button(ui.t(home_label), header, PickCountry("h", 0, purposes))],
        [clear_button(ui, header), keyboards.button(ui.t("button.home"), header, Open(content.root.key))],
    ]
    if emergency is not None or shown:  # "this number did not work": counted per line, shows the next one
        rows.insert(0, [keyboards.button(ui.t("helpline.failed.button"), header, NumberFailed(country, "", purposes))])
    return Screen(ui.direction("\n\n".join(parts)), keyboards.markup(rows)), shown


def _likely_home(
    content: Content, directory: Directory, locale: str, country: str, wanted: Sequence[Purpose], show_low: bool
) -> str | None:
    """The first home country of the reader's language (likely-countries.yaml) with a line for its citizens abroad."""
    candidates, origins = likely_countries(content, locale)
    for code in candidates:
        if code in origins and code != country and directory.for_nationals_abroad(code, wanted, show_low=show_low):
            return code
    return None


def emergency_lines(emergency: EmergencyNumber, content: Content, ui: UI, locale: str) -> list[str]:
    """The emergency slot of a help card: the number (or the police line standing in for it, said so) and any
    further numbers with what they are for."""
    where = _localized(emergency.label, content, locale) if emergency.label else ""
    if emergency.kind is EmergencyKind.POLICE:
        text = ui.t("helpline.police_instead", number=phone(emergency.number))
        lines = [with_icon("🚓", "<b>" + html.escape(text, quote=False) + "</b>")]
        note = ui.t("helpline.no_emergency_number", country=country_name(emergency.country, locale))
        lines.append(f"<i>{html.escape(note, quote=False)}</i>")
        return lines
    text = ui.t("helpline.emergency", number=phone(emergency.number))
    line = with_icon("🚨", "<b>" + html.escape(text, quote=False) + "</b>")
    lines = [f"{line} ({html.escape(where, quote=False)})" if where else line]
    for other in emergency.also:
        label = _localized(other.label, content, locale)
        shown = with_icon("🚨", f"<b>{phone(other.number)}</b>")
        lines.append(f"{shown} ({html.escape(label, quote=False)})")
    return lines


def emergency_short(emergency: EmergencyNumber) -> str:
    """The emergency slot in the first answer: the numbers alone (🚓 marks a police line standing in for it)."""
    mark = "🚓" if emergency.kind is EmergencyKind.POLICE else "🚨"
    numbers = [emergency.number, *(other.number for other in emergency.also)]
    return with_icon(mark, " / ".join(f"<b>{phone(number)}</b>" for number in numbers))


def refresh_button(ui: UI, header: Header, purposes: str) -> keyboards.Row:
    """A Get help row for screens outside the menus (search results, notices)."""
    return [keyboards.button(ui.t("button.get_help"), header, GetHelp(purposes))]


def _fit(cards: list[str], budget: int) -> tuple[list[str], int]:
    """The leading cards that fit in `budget` characters (in order, none skipped), and the budget left."""
    kept: list[str] = []
    for card in cards:
        if len(card) > budget:
            break
        kept.append(card)
        budget -= len(card) + 2
    return kept, budget


def clear_button(ui: UI, header: Header) -> InlineKeyboardButton:
    """The "Clear this chat" button, for someone whose phone may be checked."""
    return keyboards.button(ui.t("clear.button"), header, ClearChat())


def flag(country: str) -> str:
    """The flag emoji of an ISO alpha-2 code (regional indicator letters)."""
    return "".join(chr(0x1F1E6 + ord(letter) - ord("A")) for letter in country)


def likely_countries(content: Content, locale: str) -> tuple[tuple[str, ...], frozenset[str]]:
    """The countries the content names as likely for speakers of `locale`, best guess first, and which of them
    are their home countries."""
    found = content.documents.get(LIKELY_NAME)
    if not isinstance(found, LikelyCountries):
        return (), frozenset()
    chain = content.chain(locale)
    return found.for_locale(chain), found.origins_for(chain)


def _dialable(entry: Helpline, *, abroad: bool) -> Contact | None:
    """The first phone number of a line that can be dialled from inside the country (or from abroad)."""
    for contact in entry.contacts:
        if contact.kind is ContactKind.PHONE or (contact.kind is ContactKind.SHORT_CODE and not abroad):
            usable = (Reach.ANYWHERE, Reach.FROM_ABROAD) if abroad else (Reach.ANYWHERE, Reach.IN_COUNTRY)
            if contact.reach in usable:
                return contact
    return None


def _top_line(
    entries: Sequence[Helpline], wanted: Sequence[Purpose], ui: UI, *, abroad: bool = False, labelled: bool = True
) -> str:
    """The best line's number and what it is for, as "📞 number (for)" (without "(for)" unless `labelled`); empty
    when none can be dialled."""
    for entry in entries:
        contact = _dialable(entry, abroad=abroad)
        if contact is None:
            continue
        purpose = next((p for p in entry.purposes if p in wanted), entry.purposes[0] if entry.purposes else None)
        label = ui.t(f"helpline.for.{purpose.value}") if purpose is not None and labelled else ""
        shown = with_icon("📞", phone(contact.display))
        return f"{shown} ({html.escape(label, quote=False)})" if label else shown
    return ""


def country_numbers(
    directory: Directory,
    country: str,
    wanted: Sequence[Purpose],
    ui: UI,
    locale: str,
    *,
    show_low: bool = False,
    labelled: bool = True,
) -> str:
    """One line of a country's numbers: "🇲🇾 <b>Malaysia</b>: 🚨 999 · 📞 number (what for)", its emergency
    number (or the police line standing in for it) and its best line; empty when it has neither."""
    emergency = directory.emergency.get(country)
    parts = [emergency_short(emergency)] if emergency is not None else []
    standing_in = emergency.line_id if emergency is not None else ""  # a police line already in the slot
    lines_here = [h for h in directory.in_country(country, wanted, show_low=show_low) if h.id != standing_in]
    top = _top_line(lines_here, wanted, ui, labelled=labelled)
    if not parts and not top:
        return ""
    name = html.escape(country_name(country, locale), quote=False)
    return f"{flag(country)} <b>{name}</b>: " + " · ".join([*parts, top] if top else parts)


def first_help_screen(
    content: Content, ui: UI, header: Header, purposes: str, *, show_low: bool = False
) -> Screen | None:
    """The first answer to someone in trouble whose country is unknown: numbers at once, then the question.

    For the likely countries of the user's language (content, best guess first): the emergency number and the
    top trafficking or migrant-worker line; for their home countries also the line that serves citizens abroad.
    None when the content lists no country with anything to show (the country question is asked instead).
    """
    directory = directory_of(content)
    wanted: Sequence[Purpose] = decode_purposes(purposes) or (Purpose.TRAFFICKING, Purpose.EMERGENCY)
    locale = header.locale
    candidates, origins = likely_countries(content, locale)
    lines: list[str] = []
    bare_lines: list[str] = []  # the same without what each line is for, when the screen is short of room
    shown: list[str] = []
    # Room is kept for the home countries: their line for citizens abroad helps wherever the person is.
    going = [code for code in candidates if code not in origins and _has_help(directory, code, show_low)]
    home = [code for code in candidates if code in origins and _has_help(directory, code, show_low)]
    home = home[: max(0, FIRST_ANSWER_COUNTRIES - 1)]
    # A caution about the police lines of these countries comes first, so it takes its room from the lines.
    room = FIRST_ANSWER_BUDGET - len("\n".join(card_cautions(content, locale, (*going, *home), None, About.POLICE)))
    for country in (*going[: FIRST_ANSWER_COUNTRIES - len(home)], *home):
        line = country_numbers(directory, country, wanted, ui, locale, show_low=show_low)
        if not line:
            continue
        bare = country_numbers(directory, country, wanted, ui, locale, show_low=show_low, labelled=False)
        if country in origins:
            serving = directory.for_nationals_abroad(country, wanted, show_low=show_low)
            abroad = _top_line(serving, wanted, ui, abroad=True)
            if abroad:
                line += "\n" + html.escape(ui.t("helpline.first.from_abroad"), quote=False) + " " + abroad
                bare_abroad = _top_line(serving, wanted, ui, abroad=True, labelled=False)
                bare += "\n" + html.escape(ui.t("helpline.first.from_abroad"), quote=False) + " " + bare_abroad
        if sum(map(len, lines)) + len(line) > room:
            break
        lines.append(line)
        bare_lines.append(bare)
        shown.append(country)
        if len(shown) >= FIRST_ANSWER_COUNTRIES:
            break
    if not shown:
        return None
    heading = f"<b>{html.escape(ui.t('helpline.first.heading'), quote=False)}</b>"
    intro = html.escape(ui.t("helpline.first.intro"), quote=False)
    ask, short_ask = (
        html.escape(ui.t(key), quote=False) for key in ("helpline.first.ask_country", "helpline.ask_country")
    )
    # One phone screen (bot.screenfit): the roomy layout when it fits, else tighter ones, the last with fewer countries.
    # With fewer countries, the home country's line for citizens abroad stays and the last destinations go.
    home_at = [i for i, code in enumerate(shown) if code in origins]
    going_at = [i for i, code in enumerate(shown) if code not in origins]
    for count in range(len(shown), 0, -1):
        kept_home = home_at[: count - 1] if going_at else home_at[:count]
        kept = sorted(going_at[: count - len(kept_home)] + kept_home)
        countries = [shown[i] for i in kept]
        full, bare = "\n".join(lines[i] for i in kept), "\n".join(bare_lines[i] for i in kept)
        cautions = card_cautions(content, locale, countries, None, About.POLICE)
        layouts = (
            [heading, intro, *cautions, full, ask],
            [heading + "\n" + intro, *cautions, full, short_ask],
            [heading + "\n" + intro, *cautions, bare, short_ask],
            [heading, *cautions, bare, short_ask],
        )
        rows = _first_rows(content, ui, header, purposes, countries)
        space = CHAT_HEIGHT - keyboard_height([*rows, ()])  # (): the desk row with_desk may add
        text = next((t for t in ("\n\n".join(layout) for layout in layouts) if estimate_height(t) <= space), "")
        if text:
            break
    else:
        text = "\n\n".join([heading, *cautions, bare_lines[0]])
    return Screen(ui.direction(text), keyboards.markup(rows))


def _first_rows(content: Content, ui: UI, header: Header, purposes: str, shown: Sequence[str]) -> list[keyboards.Row]:
    """The buttons of the first answer: the countries shown, another country, the location, clear and home."""
    locale = header.locale
    buttons = [keyboards.button(country_name(code, locale), header, SetCountry("c", code, purposes)) for code in shown]
    rows: list[keyboards.Row] = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append(
        [
            keyboards.button(ui.t("helpline.other_country"), header, PickCountry("c", 0, purposes)),
            keyboards.button(ui.t("location.use"), header, AskLocation(purposes)),
        ]
    )
    rows.append([clear_button(ui, header), keyboards.button(ui.t("button.home"), header, Open(content.root.key))])
    return rows


def _has_help(directory: Directory, country: str, show_low: bool) -> bool:
    return country in directory.emergency or bool(directory.in_country(country, show_low=show_low))


def location_prompt(ui: UI) -> tuple[str, ReplyKeyboardMarkup]:
    """The one-time keyboard that asks Telegram to send the user's location (and a way out)."""
    keyboard = ReplyKeyboardMarkup(
        [[KeyboardButton(ui.t("location.send"), request_location=True)], [KeyboardButton(ui.t("location.cancel"))]],
        resize_keyboard=True,
        one_time_keyboard=True,
    )
    return ui.direction(html.escape(ui.t("location.prompt"), quote=False)), keyboard


def with_row(screen: Screen, row: keyboards.Row) -> Screen:
    """The screen with `row` added above its last row (Clear this chat and Home stay at the bottom)."""
    rows = [list(existing) for existing in screen.keyboard.inline_keyboard]
    rows.insert(max(0, len(rows) - 1), row)
    return Screen(screen.text, keyboards.markup(rows), screen.media)
