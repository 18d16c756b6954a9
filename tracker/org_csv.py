"""Reading the sales organisation from files: a teams file and a reps file. Pure.

Teams: one row per team, with the team it reports to, its region and its
leader (an e-mail address; a new person is invited with the sales-leader
role). Reps: one row per seller, with their e-mail, names, team, legacy
company, motion, start date and typical core deal. An HR or CRM user export
usually has these columns; "Full Name" is split into first and last name.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, BinaryIO

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from accounts.imports.parsing import (
    ParseError,
    as_text,
    infer_day_first,
    is_blank,
    parse_date,
    parse_non_negative,
)
from tracker.setup_csv import Sheet, read_sheet

TEAM_ALIASES: dict[str, tuple[str, ...]] = {
    "team": ("team", "team name", "name", "sales team"),
    "reports_to": ("reports_to", "reports to", "parent", "parent team", "parent team name"),
    "region": ("region", "territory"),
    "leader": ("leader", "leader email", "leader e-mail", "manager", "manager email"),
    "leader_first_name": ("leader_first_name", "leader first name"),
    "leader_last_name": ("leader_last_name", "leader last name"),
}
REP_ALIASES: dict[str, tuple[str, ...]] = {
    "email": ("email", "e-mail", "email address", "work email"),
    "username": ("username", "user name", "login"),
    "first_name": ("first_name", "first name", "given name"),
    "last_name": ("last_name", "last name", "surname", "family name"),
    "full_name": ("full_name", "full name", "name", "rep", "rep name"),
    "team": ("team", "team name", "sales team"),
    "company": ("company", "legacy company", "legacy_company", "organisation", "organization"),
    "motion": ("motion", "selling motion", "rep type", "type"),
    "start_date": ("start_date", "start date", "started", "hire date", "start"),
    "typical_core_deal": (
        "typical_core_deal",
        "typical core deal",
        "core deal size",
        "average deal size",
        "typical deal size",
    ),
}
MOTIONS = {
    "farmer": "farmer",
    "account manager": "farmer",
    "account management": "farmer",
    "hunter": "hunter",
    "new business": "hunter",
    "specialist": "specialist",
    "product specialist": "specialist",
    "overlay": "specialist",
}
MAX_NAME = 120
MAX_PERSON_NAME = 150


@dataclass(frozen=True)
class TeamLine:
    row: int
    name: str
    reports_to: str
    region: str
    leader: str
    leader_first_name: str
    leader_last_name: str


@dataclass(frozen=True)
class RepLine:
    row: int
    email: str
    username: str
    first_name: str
    last_name: str
    team: str
    company_id: int
    motion: str
    start_date: dt.date
    typical_core_deal: Decimal


def _text(sheet: Sheet, cells: list[Any], column: str) -> str:
    return " ".join(as_text(sheet.cell(cells, column)).split())


def _valid_email(text: str) -> bool:
    try:
        validate_email(text)
    except ValidationError:
        return False
    return True


def read_teams(*, data: BinaryIO, name: str) -> tuple[Sheet, list[TeamLine]]:
    sheet = read_sheet(
        data=data, name=name, aliases=TEAM_ALIASES, required=("team",), what=_("teams")
    )
    lines: list[TeamLine] = []
    if not sheet.ok:
        return sheet, lines
    seen: dict[str, int] = {}
    for number, cells in sheet.rows:
        before = len(sheet.errors)
        team = _text(sheet, cells, "team")
        if not team:
            sheet.fail(number, "team", _("Name the team."))
        elif len(team) > MAX_NAME:
            sheet.fail(
                number, "team", _("Keep the name under %(max)d characters.") % {"max": MAX_NAME}
            )
        elif (first := seen.setdefault(team.lower(), number)) != number:
            sheet.fail(
                number, "team", _("Row %(first)d names this team already.") % {"first": first}
            )
        reports_to = _text(sheet, cells, "reports_to")
        if reports_to and reports_to.lower() == team.lower():
            sheet.fail(number, "reports_to", _("A team cannot report to itself."))
        leader = _text(sheet, cells, "leader")
        if leader and "@" in leader and not _valid_email(leader):
            sheet.fail(
                number,
                "leader",
                _("'%(value)s' is not an e-mail address.") % {"value": leader[:80]},
            )
        if len(sheet.errors) == before:
            lines.append(
                TeamLine(
                    number,
                    team,
                    reports_to,
                    _text(sheet, cells, "region")[:60],
                    leader,
                    _text(sheet, cells, "leader_first_name")[:MAX_PERSON_NAME],
                    _text(sheet, cells, "leader_last_name")[:MAX_PERSON_NAME],
                )
            )
    return sheet, lines


def _names(sheet: Sheet, cells: list[Any]) -> tuple[str, str]:
    first, last = _text(sheet, cells, "first_name"), _text(sheet, cells, "last_name")
    if not (first or last):
        full = _text(sheet, cells, "full_name")
        first, _space, last = full.rpartition(" ") if " " in full else (full, "", "")
    return first[:MAX_PERSON_NAME], last[:MAX_PERSON_NAME]


def read_reps(
    *, data: BinaryIO, name: str, companies: Mapping[str, int], today: dt.date
) -> tuple[Sheet, list[RepLine]]:
    """`companies` maps a lower-cased company name, short name or role to its id."""
    sheet = read_sheet(
        data=data,
        name=name,
        aliases=REP_ALIASES,
        required=("email", "company"),
        what=_("reps"),
    )
    lines: list[RepLine] = []
    if not sheet.ok:
        return sheet, lines
    day_first = infer_day_first(sheet.cell(cells, "start_date") for _n, cells in sheet.rows)
    seen: dict[str, int] = {}
    for number, cells in sheet.rows:
        line = _rep_line(sheet, number, cells, companies, today, day_first, seen)
        if line is not None:
            lines.append(line)
    return sheet, lines


def _rep_line(sheet, number, cells, companies, today, day_first, seen) -> RepLine | None:
    before = len(sheet.errors)
    email = _text(sheet, cells, "email")
    if not email:
        sheet.fail(number, "email", _("Give the rep's e-mail address."))
    elif not _valid_email(email):
        sheet.fail(
            number, "email", _("'%(value)s' is not an e-mail address.") % {"value": email[:80]}
        )
    elif (first := seen.setdefault(email.lower(), number)) != number:
        sheet.fail(number, "email", _("Row %(first)d has this rep already.") % {"first": first})
    company_text = _text(sheet, cells, "company")
    company_id = companies.get(company_text.lower())
    if company_id is None:
        sheet.fail(
            number,
            "company",
            _(
                "No legacy company '%(company)s' in this program "
                "(its name, short name, or acquirer/acquired)."
            )
            % {"company": company_text[:80]},
        )
    motion_text = _text(sheet, cells, "motion").lower()
    motion = MOTIONS.get(motion_text, "farmer" if not motion_text else "")
    if not motion:
        sheet.fail(
            number,
            "motion",
            _("'%(value)s' is not a motion: farmer, hunter or specialist.")
            % {"value": motion_text[:40]},
        )
    start = today
    raw_start = sheet.cell(cells, "start_date")
    if not is_blank(raw_start):
        try:
            start = parse_date(raw_start, day_first=day_first is not False)
        except ParseError as error:
            sheet.fail(number, "start_date", error.message)
    deal = Decimal("0")
    raw_deal = sheet.cell(cells, "typical_core_deal")
    if not is_blank(raw_deal):
        try:
            deal = parse_non_negative(raw_deal)
        except ParseError as error:
            sheet.fail(number, "typical_core_deal", error.message)
    username = _text(sheet, cells, "username")
    if len(username) > MAX_PERSON_NAME:
        sheet.fail(number, "username", _("Keep the username under 150 characters."))
    if len(sheet.errors) > before:
        return None
    first_name, last_name = _names(sheet, cells)
    return RepLine(
        number,
        email,
        username,
        first_name,
        last_name,
        _text(sheet, cells, "team"),
        company_id,
        motion,
        start,
        deal,
    )
