"""The licence checks as the reader sees them: under the "check a recruiter" page for their country, and one
screen per country for another.

The reader's country is the origin country of their language in likely-countries.yaml (Filipino: the
Philippines). The default language (English) is spoken by people of every origin, so its readers, and readers of a
language whose origins have no check, choose their country from a row of buttons.
"""

from __future__ import annotations

import html

from bot import keyboards
from bot.callbacks import Header, Licence, Open
from bot.content.localized import pick
from bot.content.model import Content, Node
from bot.helplines.screens import clear_button, country_name, flag
from bot.i18n import UI
from bot.licences.document import NAME
from bot.licences.model import LicenceCheck, LicenceChecks
from bot.screens import Addition, Screen

BUTTONS_PER_ROW = 2


def checks_of(content: Content) -> LicenceChecks:
    """The content's licence checks (none when licence-checks.yaml is absent)."""
    found = content.documents.get(NAME)
    return found if isinstance(found, LicenceChecks) else LicenceChecks()


def reader_countries(content: Content, locale: str) -> tuple[str, ...]:
    """The checks to show a reader of `locale` at once: their language's origin countries that have one."""
    from bot.helplines.likely import NAME as LIKELY_NAME
    from bot.helplines.likely import LikelyCountries

    likely = content.documents.get(LIKELY_NAME)
    if locale == content.default_locale or not isinstance(likely, LikelyCountries):
        return ()
    checks = checks_of(content)
    return tuple(code for code in likely.origins.get(locale, ()) if checks.of(code) is not None)


def _address(value: str) -> str:
    shown = html.escape(value, quote=False)
    if value.startswith("https://"):
        return f'🌐 <a href="{html.escape(value)}">{shown}</a>'
    return f"✉️ {shown}" if "@" in value else f"📞 {shown}"


def check_block(content: Content, ui: UI, locale: str, check: LicenceCheck) -> str:
    """One country's check: who licenses agencies, then where to look (with its source when only seen in news),
    or to ask them; and the country's own note."""
    chain = content.chain(locale)
    checks = checks_of(content)
    heading = ui.t("licence.heading", country=country_name(check.country, locale))
    lines = [f"<b>{flag(check.country)} {html.escape(heading, quote=False)}</b>"]
    lines.append("🏛 " + html.escape(pick(check.authority, chain), quote=False))
    if check.lookup:
        lines.append(html.escape(pick(checks.texts.get("lookup", {}), chain), quote=False))
        lines.extend(_address(value) for value in check.lookup)
        if check.confidence == "M":
            seen = ui.t("licence.seen_in", source=check.source_title, date=check.source_date)
            lines.append(f"<i>{html.escape(seen, quote=False)}</i>")
    else:
        lines.append(html.escape(pick(checks.texts.get("ask", {}), chain), quote=False))
    if check.note:
        lines.append(html.escape(pick(check.note, chain), quote=False))
    return "\n".join(lines)


def _country_rows(content: Content, header: Header) -> list[keyboards.Row]:
    buttons = [
        keyboards.button(f"{flag(code)} {country_name(code, header.locale)}", header, Licence(code))
        for code in checks_of(content).countries()
    ]
    return [buttons[i : i + BUTTONS_PER_ROW] for i in range(0, len(buttons), BUTTONS_PER_ROW)]


def page_licences(content: Content, ui: UI, header: Header, node: Node, part: int, parts: int) -> Addition | None:
    """Under the last part of the page the checks name: the reader's country's check, or the choice of country."""
    checks = checks_of(content)
    if node.id != checks.page or part != parts - 1 or not checks.checks:
        return None
    mine = [check for code in reader_countries(content, header.locale) if (check := checks.of(code)) is not None]
    if mine:
        below = "\n\n".join(check_block(content, ui, header.locale, check) for check in mine)
        row = [keyboards.button(ui.t("licence.other_country"), header, Licence(""))]
        return Addition(below=below, rows=(row,))
    choose = f"<b>{html.escape(ui.t('licence.choose'), quote=False)}</b>"
    return Addition(below=choose, rows=tuple(_country_rows(content, header)))


def _footer(content: Content, ui: UI, header: Header) -> list[keyboards.Row]:
    rows: list[keyboards.Row] = []
    page = content.nodes.get(checks_of(content).page)
    if page is not None:
        rows.append([keyboards.button(ui.t("licence.back"), header, Open(page.key))])
    rows.append([clear_button(ui, header), keyboards.button(ui.t("button.home"), header, Open(content.root.key))])
    return rows


def country_screen(content: Content, ui: UI, header: Header, check: LicenceCheck) -> Screen:
    """One country's check, with a way to another country and back to the page."""
    rows = [[keyboards.button(ui.t("licence.other_country"), header, Licence(""))], *_footer(content, ui, header)]
    return Screen(ui.direction(check_block(content, ui, header.locale, check)), keyboards.markup(rows))


def countries_screen(content: Content, ui: UI, header: Header) -> Screen:
    """Which country? Every country with a check, origins first."""
    rows = [*_country_rows(content, header), *_footer(content, ui, header)]
    return Screen(ui.direction(html.escape(ui.t("licence.pick"), quote=False)), keyboards.markup(rows))
