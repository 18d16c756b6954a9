"""What the simulated clients need from the seeded program: who signs in, and what to write.

Every rep client gets account/product pairs of its own that have no open
opportunity yet, so that all its creations are valid and no two clients log
the same pair; API tokens are made here because the token endpoint is
throttled against password guessing.
"""

import itertools
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.models import Merger, Product, UnifiedAccount
from core.access import GROUP_NAMES, Role
from tracker.models import Opportunity, Rep, Stage

PAIRS_PER_CLIENT = 150


def loadtest_plan(*, merger: Merger, clients: int, password: str) -> dict[str, Any]:
    """Sign-ins, ids and a disjoint share of fresh pairs for up to `clients` rep clients."""
    reps = list(
        Rep.objects.filter(merger=merger, is_active=True, user__isnull=False)
        .select_related("user")
        .order_by("pk")
    )
    stages = list(
        Stage.objects.filter(merger=merger, outcome=Stage.Outcome.OPEN)
        .order_by("order")
        .values_list("pk", flat=True)
    )
    pairs = _fresh_pairs(merger)
    return {
        "merger": merger.pk,
        "month": timezone.localdate().strftime("%Y-%m"),
        "stages": stages,
        "reps": [
            {
                "username": rep.user.username,
                "token": _token(rep.user),
                "pairs": pairs[n * PAIRS_PER_CLIENT : (n + 1) * PAIRS_PER_CLIENT],
            }
            # Two clients per rep sign-in: like a rep on a laptop and a phone, they move
            # the same opportunities on and now and then meet a stale version.
            for n, rep in enumerate(reps[n // 2 % len(reps)] for n in range(clients))
        ],
        "leaders": [
            {"username": user.username, "password": password}
            for user in _members(merger, Role.LEADER)
        ],
        "executives": [{"token": _token(user)} for user in _members(merger, Role.EXECUTIVE)],
    }


def _members(merger: Merger, role: Role) -> list:
    return list(
        get_user_model()
        .objects.filter(memberships__merger=merger, groups__name=GROUP_NAMES[role])
        .order_by("pk")
    )


def _token(user) -> str:
    return Token.objects.get_or_create(user=user)[0].key


def _fresh_pairs(merger: Merger) -> list[list]:
    """[account, product] with no open opportunity, on accounts a rep may cross-sell to."""
    accounts = list(
        UnifiedAccount.objects.filter(merger=merger)
        # Reps log cross-sells: the risk screen refuses them on "don't sell" and
        # "upsell only" accounts without a leader's override.
        .filter(recommendation=UnifiedAccount.Recommendation.SELL)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    products = list(
        Product.objects.filter(company__merger=merger, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    taken = set(
        Opportunity.objects.filter(merger=merger, outcome=Stage.Outcome.OPEN).values_list(
            "account_id", "product_id"
        )
    )
    return [
        [account, product]
        for account, product in itertools.product(accounts, products)
        if (account, product) not in taken
    ]
