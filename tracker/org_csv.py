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
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from accounts.imports.parsing import (
    as_text,
    infer_day_first,
    parse_date,
    parse_non_negative,
)
from tracker.setup_csv import Row, Sheet, read_sheet, sheet_lines

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


def _text(row: Row, column: str) -> str:
    return " ".join(as_text(row.cell(column)).split())


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
    return sheet, sheet_lines(sheet, _team_line)


def _team_line(row: Row) -> TeamLine:
    team = _text(row, "team")
    if not team:
        row.fail("team", _("Name the team."))
    elif len(team) > MAX_NAME:
        row.fail("team", _("Keep the name under %(max)d characters.") % {"max": MAX_NAME})
    else:
        row.repeats(team.lower(), "team", _("Row %(first)d names this team already."))
    reports_to = _text(row, "reports_to")
    if reports_to and reports_to.lower() == team.lower():
        row.fail("reports_to", _("A team cannot report to itself."))
    leader = _text(row, "leader")
    if leader and "@" in leader and not _valid_email(leader):
        row.fail("leader", _("'%(value)s' is not an e-mail address.") % {"value": leader[:80]})
    return TeamLine(
        row.number,
        team,
        reports_to,
        _text(row, "region")[:60],
        leader,
        _text(row, "leader_first_name")[:MAX_PERSON_NAME],
        _text(row, "leader_last_name")[:MAX_PERSON_NAME],
    )


def _names(row: Row) -> tuple[str, str]:
    first, last = _text(row, "first_name"), _text(row, "last_name")
    if not (first or last):
        full = _text(row, "full_name")
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
    day_first = infer_day_first(sheet.column("start_date")) is not False
    return sheet, sheet_lines(sheet, lambda row: _rep_line(row, companies, today, day_first))


def _rep_line(
    row: Row, companies: Mapping[str, int], today: dt.date, day_first: bool
) -> RepLine | None:
    email = _text(row, "email")
    if not email:
        row.fail("email", _("Give the rep's e-mail address."))
    elif not _valid_email(email):
        row.fail("email", _("'%(value)s' is not an e-mail address.") % {"value": email[:80]})
    else:
        row.repeats(email.lower(), "email", _("Row %(first)d has this rep already."))
    company_text = _text(row, "company")
    company_id = companies.get(company_text.lower())
    if company_id is None:
        row.fail(
            "company",
            _(
                "No legacy company '%(company)s' in this program "
                "(its name, short name, or acquirer/acquired)."
            )
            % {"company": company_text[:80]},
        )
    motion_text = _text(row, "motion").lower()
    motion = MOTIONS.get(motion_text, "farmer" if not motion_text else "")
    if not motion:
        row.fail(
            "motion",
            _("'%(value)s' is not a motion: farmer, hunter or specialist.")
            % {"value": motion_text[:40]},
        )
    start = row.parse(
        "start_date", lambda cell: parse_date(cell, day_first=day_first), blank=today
    )
    deal = row.parse("typical_core_deal", parse_non_negative, blank=Decimal("0"))
    username = _text(row, "username")
    if len(username) > MAX_PERSON_NAME:
        row.fail("username", _("Keep the username under 150 characters."))
    if company_id is None or start is None or deal is None:
        return None
    first_name, last_name = _names(row)
    return RepLine(
        row.number,
        email,
        username,
        first_name,
        last_name,
        _text(row, "team"),
        company_id,
        motion,
        start,
        deal,
    )
