"""Writes of a program's risk policy: the thresholds of the risk screen."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import Merger, RiskPolicy
from accounts.services.history import history_kept
from accounts.signals import analysis_outdated
from core.access import User

# What sales ops may set on the policy page or through the API.
POLICY_FIELDS = (
    "service_demand_growth_pct",
    "service_demand_min_tickets",
    "revenue_reversal_pct",
    "promotion_discount_pct",
    "spending_limit_growth_pct",
    "spending_limit_min_products",
    "strong_connection_min",
)


@transaction.atomic
def risk_policy_update(*, actor: User, merger: Merger, **fields: Any) -> RiskPolicy:
    """Sets the program's risk thresholds; every account is screened again once this commits.

    The analysis refresh recomputes the recommendations, the whitespace that
    shows them and tells scores the data changed.
    """
    unknown = set(fields) - set(POLICY_FIELDS)
    if unknown:
        raise ValueError(f"not a risk threshold: {sorted(unknown)}")
    policy = RiskPolicy.objects.select_for_update().filter(merger=merger).first()
    policy = policy or RiskPolicy(merger=merger)
    with history_kept(actor=actor, instance=policy):
        for name, value in fields.items():
            setattr(policy, name, value)
        policy.updated_by = actor if actor.is_authenticated else None
        policy.updated_at = timezone.now()
        policy.full_clean(exclude=["merger"])
        policy.save()
    analysis_outdated.send(sender=Merger, merger_id=merger.pk)
    return policy
