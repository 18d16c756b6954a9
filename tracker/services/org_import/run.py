"""Reading both files, checking them together and applying them in one transaction."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Merger
from core.access import Action, User, allowed
from core.programs import merger_ids_for
from tracker.org_csv import RepLine, TeamLine, read_reps, read_teams
from tracker.services.core_win_rates import company_keys
from tracker.services.org_import.applying import org_apply
from tracker.services.org_import.checks import rep_errors, team_errors
from tracker.services.org_import.planning import OrgPlan, org_plan
from tracker.services.org_import.world import org_world
from tracker.setup_csv import RowError


@dataclass
class OrgImportResult:
    files: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    plan: OrgPlan = field(default_factory=OrgPlan)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def _check(actor: User, merger: Merger) -> None:
    granted = all(allowed(actor, Action.CREATE, resource) for resource in ("team", "rep", "user"))
    if merger.pk not in merger_ids_for(actor) or not granted:
        raise PermissionDenied(_("Only sales ops imports the sales organisation."))


def org_import(
    *,
    actor: User,
    merger: Merger,
    teams_file: BinaryIO | None = None,
    reps_file: BinaryIO | None = None,
    dry_run: bool = False,
    today: dt.date | None = None,
) -> OrgImportResult:
    _check(actor, merger)
    result = OrgImportResult(dry_run=dry_run)
    teams: list[TeamLine] = []
    reps: list[RepLine] = []
    sheets = []
    if teams_file is not None:
        sheet, teams = read_teams(data=teams_file, name=_name(teams_file, "teams.csv"))
        sheets.append(sheet)
    if reps_file is not None:
        sheet, reps = read_reps(
            data=reps_file,
            name=_name(reps_file, "reps.csv"),
            companies=company_keys(merger=merger),
            today=today or timezone.localdate(),
        )
        sheets.append(sheet)
    result.files = [sheet.name for sheet in sheets]
    for sheet in sheets:
        result.errors += [RowError(sheet.name, 0, "", message) for message in sheet.file_errors]
        result.errors += sheet.errors
    if not result.ok:
        return result
    teams_name = result.files[0] if teams_file is not None else ""
    reps_name = result.files[-1] if reps_file is not None else ""
    with transaction.atomic():
        world = org_world(merger, teams, reps)
        result.errors = team_errors(teams_name, teams, reps, world) + rep_errors(
            reps_name, teams, reps, world
        )
        if not result.ok:
            return result
        result.plan = org_plan(teams, reps, world)
        if not dry_run:
            org_apply(actor, merger, teams, reps, world)
    return result


def _name(file: Any, default: str) -> str:
    return getattr(file, "name", "") or default
