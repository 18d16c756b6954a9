"""Matching reads: the review queue, one candidate side by side, an account's history."""

from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.matching.scoring import reason_text
from accounts.models import MatchCandidate, MatchDecision, UnifiedAccount

_SIDE_BY_SIDE = (
    "left__company",
    "right__company",
    "left__unified",
    "right__unified",
)

# The fields a reviewer compares, in the order the page shows them.
COMPARED_FIELDS: tuple[tuple[str, Any], ...] = (
    ("name", _("Name")),
    ("website", _("Website")),
    ("domain", _("Domain")),
    ("duns", _("DUNS")),
    ("vat", _("VAT number")),
    ("lei", _("LEI")),
    ("country", _("Country")),
    ("city", _("City")),
    ("industry", _("Industry")),
    ("crm_id", _("CRM record id")),
)


@dataclass(frozen=True, slots=True)
class ComparedField:
    label: Any
    left: str
    right: str
    same: bool | None  # None: at least one side is empty


def match_review_queue(*, merger_id: int) -> QuerySet[MatchCandidate]:
    """Pending candidates, best first, with both records and their companies.

    Pairs that already share an account (merged by hand since) are left out.
    """
    return (
        MatchCandidate.objects.filter(merger_id=merger_id, status=MatchCandidate.Status.PENDING)
        .exclude(left__unified_id=F("right__unified_id"))
        .select_related(*_SIDE_BY_SIDE)
        .order_by("-score", "id")
    )


def match_candidate_comparison(*, candidate: MatchCandidate) -> list[ComparedField]:
    rows = []
    for field, label in COMPARED_FIELDS:
        left = str(getattr(candidate.left, field) or "")
        right = str(getattr(candidate.right, field) or "")
        same = None if not left or not right else left.casefold() == right.casefold()
        rows.append(ComparedField(label, left, right, same))
    return rows


def match_candidate_reasons(*, candidate: MatchCandidate) -> list[tuple[str, float]]:
    """Each reason in the reader's language with the points it added or took away."""
    return [(reason_text(reason), reason.get("points", 0)) for reason in candidate.reasons]


def match_decisions_of_account(*, account: UnifiedAccount) -> QuerySet[MatchDecision]:
    """Every decision that moved a record into or out of the account, newest first."""
    touching = Q(from_unified=account) | Q(to_unified=account) | Q(source__unified=account)
    return (
        MatchDecision.objects.filter(touching, merger_id=account.merger_id)
        .select_related("source__company", "decided_by", "candidate")
        .order_by("-decided_at", "-id")
    )
