"""What the risk screen, the Day-1 install base and the rules of thumb say about a sale."""

from django.utils.translation import gettext as _

from accounts.models import Direction, Kind, UnifiedAccount
from core.access import Role, User, has_role
from tracker.models import Opportunity
from tracker.selectors.directions import direction_for
from tracker.selectors.opportunities import opportunity_warnings_for
from tracker.services.opportunities.errors import Problems, WarningsNotConfirmed

DONT_SELL = UnifiedAccount.Recommendation.DONT_SELL
UPSELL_ONLY = UnifiedAccount.Recommendation.UPSELL_ONLY


def risk_override(
    *, actor: User, account: UnifiedAccount, kind: str, reason: str
) -> tuple[str, Problems]:
    """(the override reason to record, problems) for selling `kind` to this account.

    Both are empty unless the risk screen says "don't sell", or "upsell only"
    and this is a cross-sell: then a rep is refused and told whom to ask, and a
    leader must say why they override.
    """
    restricted = account.recommendation == DONT_SELL or (
        account.recommendation == UPSELL_ONLY and kind == Kind.CROSS_SELL
    )
    if not restricted:
        return "", {}
    dont_sell = account.recommendation == DONT_SELL
    if not has_role(actor, Role.LEADER, Role.OPS):
        return "", _refusal(account, dont_sell=dont_sell)
    reason = reason.strip()
    if not reason:
        if dont_sell:
            message = _(
                "The risk screen says not to sell to this account. Give the reason for "
                "overriding it; it is recorded with your name."
            )
        else:
            message = _(
                "The risk screen says upsell only for this account. Give the reason for "
                "logging a cross-sell anyway; it is recorded with your name."
            )
        return "", {"risk_override_reason": [message]}
    return reason[:500], {}


def _refusal(account: UnifiedAccount, *, dont_sell: bool) -> Problems:
    if dont_sell:
        message = _(
            "The risk screen says not to sell to %(account)s. Ask your sales leader: only "
            "a leader can log an opportunity here, with a reason for overriding the screen."
        ) % {"account": account.name}
        return {"account": [message]}
    message = _(
        "The risk screen says upsell only for %(account)s: cross-buying would only move its "
        "money around. Log an upsell, or ask your sales leader: only a leader can log a "
        "cross-sell here, with a reason for overriding the screen."
    ) % {"account": account.name}
    return {"kind": [message]}


def derive_direction(opportunity: Opportunity, *, asked: str | None) -> Problems:
    """Sets the direction the Day-1 install base gives; a different one asked for is a
    problem, never a choice: it decides whether the deal counts as synergy."""
    if opportunity.account.merger_id != opportunity.product.company.merger_id:
        return {}  # _program_problems names the field from another program
    opportunity.direction = direction_for(account=opportunity.account, product=opportunity.product)
    if not asked or asked == opportunity.direction:
        return {}
    message = _(
        "The direction of this sale is “%(direction)s”: it follows from whether "
        "%(company)s had %(account)s as a customer on Day 1, as the install base says."
    ) % {
        "direction": Direction(opportunity.direction).label,
        "company": opportunity.product.company.name,
        "account": opportunity.account.name,
    }
    return {"direction": [message]}


def require_no_warnings(opportunity: Opportunity) -> None:
    """Refuses with the rules of thumb that warn about this opportunity, if any."""
    warnings = opportunity_warnings_for(opportunity=opportunity)
    if warnings:
        raise WarningsNotConfirmed(warnings)
