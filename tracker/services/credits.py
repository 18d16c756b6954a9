"""Revenue crediting of a deal: splits that share it, overlay credit on top.

Without splits the owner is credited with 100% of a won deal. Splits hand
shares to specialists or introducers and must add up to exactly 100%; overlay
credit is extra (a specialist team credited beside the seller) and does not
reduce anyone's share. Realized synergy counts each deal once, whatever the
credit: credit decides whose quota a win counts against, not how much was won.

The sum of the splits is a database guarantee too: on PostgreSQL a deferred
constraint trigger (migration 0004) checks it at commit. SQLite has no
deferred triggers, so there this service's validation is the only guard.
"""

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import RecordChange
from accounts.services.history import history_record
from core.access import Action, User, allowed
from core.signals import program_data_announce
from tracker.models import CreditSplit, Opportunity, Rep

HUNDRED = Decimal("100")
CENT = Decimal("0.01")

type CreditLine = tuple[Rep, Any, str]


def credit_splits_set(
    *,
    actor: User,
    opportunity: Opportunity,
    splits: Sequence[CreditLine],
    overlays: Sequence[CreditLine] = (),
) -> list[CreditSplit]:
    """Replaces all credit of the opportunity; no splits means the owner gets 100%."""
    if not allowed(actor, Action.CHANGE, "credit", opportunity):
        raise PermissionDenied(_("You may not change the credit of this opportunity."))
    rows = [
        *_rows(opportunity, splits, CreditSplit.Kind.SPLIT, "splits"),
        *_rows(opportunity, overlays, CreditSplit.Kind.OVERLAY, "overlays"),
    ]
    with transaction.atomic():
        # Two editors of the same deal's credit take turns; the later one replaces all.
        Opportunity.objects.select_for_update().filter(pk=opportunity.pk).values("pk").first()
        before = list(
            CreditSplit.objects.filter(opportunity=opportunity)
            .select_related("rep__user")
            .order_by("kind", "-percent", "pk")
        )
        old, new = credit_summary(before), credit_summary(rows)
        if old == new:
            return before
        CreditSplit.objects.filter(opportunity=opportunity).delete()
        created = CreditSplit.objects.bulk_create(rows)
        history_record(
            actor=actor,
            instance=opportunity,
            action=RecordChange.Action.CHANGED,
            before={"credit": old},
            after={"credit": new},
        )
    program_data_announce(CreditSplit, opportunity.merger_id)
    return created


def _rows(
    opportunity: Opportunity, lines: Sequence[CreditLine], kind: str, field: str
) -> list[CreditSplit]:
    problems = credit_problems(merger_id=opportunity.merger_id, lines=lines, kind=kind)
    if problems:
        raise ValidationError({field: problems})
    return [
        CreditSplit(
            opportunity=opportunity,
            rep=rep,
            kind=kind,
            percent=_percent(percent),
            role_note=(note or "").strip()[:120],
        )
        for rep, percent, note in lines
    ]


def credit_problems(*, merger_id: int, lines: Sequence[CreditLine], kind: str) -> list[str]:
    """What is wrong with one kind of credit lines; empty when they may be saved."""
    problems: list[str] = []
    seen: set[int] = set()
    total = Decimal("0")
    for rep, raw, _note in lines:
        percent = _percent(raw)
        if rep.merger_id != merger_id:
            problems.append(_("%(rep)s is not a rep of this program.") % {"rep": rep})
        if rep.pk in seen:
            problems.append(_("%(rep)s is listed twice.") % {"rep": rep})
        seen.add(rep.pk)
        if percent is None:
            problems.append(_("%(rep)s: enter a percentage.") % {"rep": rep})
        elif not Decimal("0") < percent <= HUNDRED:
            problems.append(
                _("%(rep)s: a share is more than 0%% and at most 100%%.") % {"rep": rep}
            )
        elif percent != percent.quantize(CENT):
            problems.append(_("%(rep)s: use at most two decimals.") % {"rep": rep})
        else:
            total += percent
    if kind == CreditSplit.Kind.SPLIT and lines and not problems and total != HUNDRED:
        problems.append(
            _("Splits add up to %(total)s%%; they must add up to exactly 100%%.")
            % {"total": f"{total.normalize():f}"}
        )
    return problems


def _percent(value: Any) -> Decimal | None:
    try:
        percent = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return percent if percent.is_finite() else None


def credit_summary(rows: Sequence[CreditSplit]) -> str:
    """How the history shows a deal's credit: 'owner 100%' or the splits, then overlay."""
    splits = [row for row in rows if row.kind == CreditSplit.Kind.SPLIT]
    overlays = [row for row in rows if row.kind == CreditSplit.Kind.OVERLAY]
    text = "; ".join(_line(row) for row in _ordered(splits)) if splits else _("owner 100%")
    if overlays:
        text += " | " + _("overlay") + ": " + "; ".join(_line(row) for row in _ordered(overlays))
    return text


def _ordered(rows: list[CreditSplit]) -> list[CreditSplit]:
    return sorted(rows, key=lambda row: (-row.percent, row.rep_id))


def _line(row: CreditSplit) -> str:
    note = f" ({row.role_note})" if row.role_note else ""
    return f"{row.rep} {row.percent.normalize():f}%{note}"
