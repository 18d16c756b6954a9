"""The risk screen: customers not worth cross-selling to.

About one in five cross-buyers is unprofitable and they account for most
customer losses; the more they cross-buy, the more is lost. Four profiles are
flagged from the CRM signals, and each account gets a recommendation:

- revenue reversers (credits and returns eat the revenue), or two or more
  profiles at once: don't sell;
- service demanders, promotion maximizers or spending limiters alone: upsell
  only, since a bigger version of what they have adds revenue without adding a
  new line to support, discount or split the same wallet across;
- none: sell.

Pure: plain signals and thresholds in, flags and a recommendation out.
"""

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from django.utils.translation import gettext_lazy

from accounts.percent import percent_of
from accounts.risk_text import FLAG_LABELS, FlagParts, detail_text, reason_text, stored_reason

ZERO = Decimal("0")

# A spending limiter has already bought across the range (at least this many
# products) while its total spend falls by a real margin (at least this much a
# year): a fixed wallet that is shrinking, where cross-buying only moves money
# around. A dip of a few percent is noise in a year's revenue, not a profile.
SPENDING_LIMITER_MIN_PRODUCTS = 2
SPENDING_LIMITER_GROWTH_PCT = Decimal("-10")


class Recommendation(StrEnum):
    # Same values as UnifiedAccount.Recommendation.
    SELL = "sell"
    UPSELL_ONLY = "upsell_only"
    DONT_SELL = "dont_sell"


class Profile(StrEnum):
    SERVICE_DEMANDER = "service_demander"
    REVENUE_REVERSER = "revenue_reverser"
    PROMOTION_MAXIMIZER = "promotion_maximizer"
    SPENDING_LIMITER = "spending_limiter"


PROFILE_LABELS = {
    Profile.SERVICE_DEMANDER: gettext_lazy("Service demanders"),
    Profile.REVENUE_REVERSER: gettext_lazy("Revenue reversers"),
    Profile.PROMOTION_MAXIMIZER: gettext_lazy("Promotion maximizers"),
    Profile.SPENDING_LIMITER: gettext_lazy("Spending limiters"),
}


@dataclass(frozen=True)
class RiskThresholds:
    """Defaults mirror RiskPolicy's; a program's own policy replaces them."""

    service_demand_growth_pct: Decimal = Decimal("50")
    service_demand_min_tickets: int = 24
    revenue_reversal_pct: Decimal = Decimal("15")
    promotion_discount_pct: Decimal = Decimal("30")
    spending_limit_growth_pct: Decimal = SPENDING_LIMITER_GROWTH_PCT
    spending_limit_min_products: int = SPENDING_LIMITER_MIN_PRODUCTS


@dataclass(frozen=True)
class RiskSignals:
    """One unified account's signals over the last 12 months, summed over its CRM records."""

    revenue_current: Decimal = ZERO
    revenue_prior: Decimal = ZERO
    support_tickets: int = 0
    support_tickets_prior: int = 0
    credits_returns: Decimal = ZERO
    average_discount_pct: Decimal = ZERO
    products_held: int = 0


@dataclass(frozen=True)
class RiskFlag:
    profile: Profile
    # Which detail sentence (accounts.risk_text.DETAILS) and its figures, as text.
    detail_key: str
    figures: dict[str, str]

    @property
    def label(self) -> str:
        return str(FLAG_LABELS[self.profile])

    @property
    def detail(self) -> str:
        return detail_text(self.detail_key, self.figures)

    @property
    def parts(self) -> FlagParts:
        return (self.profile.value, self.detail_key, self.figures)


@dataclass(frozen=True)
class RiskAssessment:
    flags: tuple[RiskFlag, ...]
    recommendation: Recommendation
    # Which reason (accounts.risk_text.REASONS): written in the reader's language.
    reason_key: str

    @property
    def reason(self) -> str:
        return reason_text(self.reason_key, [flag.parts for flag in self.flags])

    @property
    def stored_reason(self) -> str:
        """The reason as the account keeps it: its parts, untranslated."""
        return stored_reason(self.reason_key, [flag.parts for flag in self.flags])


def _pct(numerator: Decimal, denominator: Decimal) -> Decimal:
    return (numerator * 100 / denominator).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def _service_demander(s: RiskSignals, t: RiskThresholds) -> RiskFlag | None:
    if s.support_tickets < t.service_demand_min_tickets:
        return None
    if s.support_tickets_prior > 0:
        growth = _pct(
            Decimal(s.support_tickets - s.support_tickets_prior), Decimal(s.support_tickets_prior)
        )
        if growth <= t.service_demand_growth_pct:
            return None
        return RiskFlag(
            Profile.SERVICE_DEMANDER,
            "tickets_up",
            {"pct": str(growth), "n": str(s.support_tickets)},
        )
    return RiskFlag(Profile.SERVICE_DEMANDER, "tickets_new", {"n": str(s.support_tickets)})


def _revenue_reverser(s: RiskSignals, t: RiskThresholds) -> RiskFlag | None:
    if s.credits_returns <= 0:
        return None
    if s.revenue_current > 0:
        share = _pct(s.credits_returns, s.revenue_current)
        if share <= t.revenue_reversal_pct:
            return None
        return RiskFlag(Profile.REVENUE_REVERSER, "credits_share", {"pct": str(share)})
    return RiskFlag(Profile.REVENUE_REVERSER, "credits_no_revenue", {})


def _promotion_maximizer(s: RiskSignals, t: RiskThresholds) -> RiskFlag | None:
    if s.average_discount_pct <= t.promotion_discount_pct:
        return None
    discount = s.average_discount_pct.quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    return RiskFlag(Profile.PROMOTION_MAXIMIZER, "discount", {"pct": str(discount)})


def _spending_limiter(s: RiskSignals, t: RiskThresholds) -> RiskFlag | None:
    if s.products_held < t.spending_limit_min_products or s.revenue_prior <= 0:
        return None
    growth = _pct(s.revenue_current - s.revenue_prior, s.revenue_prior)
    if growth > t.spending_limit_growth_pct:
        return None
    return RiskFlag(
        Profile.SPENDING_LIMITER, "wallet", {"n": str(s.products_held), "pct": str(-growth)}
    )


_CHECKS = (_revenue_reverser, _service_demander, _promotion_maximizer, _spending_limiter)


def risk_flags(signals: RiskSignals, thresholds: RiskThresholds) -> tuple[RiskFlag, ...]:
    found = (check(signals, thresholds) for check in _CHECKS)
    return tuple(flag for flag in found if flag is not None)


def recommendation_of(profiles: set[Profile]) -> Recommendation:
    """Revenue reversers or several profiles: don't sell; one softer profile: upsell only."""
    if Profile.REVENUE_REVERSER in profiles or len(profiles) >= 2:
        return Recommendation.DONT_SELL
    return Recommendation.UPSELL_ONLY if profiles else Recommendation.SELL


def recommend(flags: tuple[RiskFlag, ...]) -> tuple[Recommendation, str]:
    """The recommendation and which reason explains it (accounts.risk_text.REASONS)."""
    profiles = {flag.profile for flag in flags}
    if Profile.REVENUE_REVERSER in profiles:
        return Recommendation.DONT_SELL, "reverser"
    if len(profiles) >= 2:
        return Recommendation.DONT_SELL, "several"
    if Profile.SPENDING_LIMITER in profiles:
        return Recommendation.UPSELL_ONLY, "wallet"
    if profiles:
        return Recommendation.UPSELL_ONLY, "one"
    return Recommendation.SELL, "none"


def risk_assessment(signals: RiskSignals, thresholds: RiskThresholds) -> RiskAssessment:
    flags = risk_flags(signals, thresholds)
    recommendation, reason_key = recommend(flags)
    return RiskAssessment(flags=flags, recommendation=recommendation, reason_key=reason_key)


@dataclass(frozen=True)
class ScreenCounts:
    """How many accounts the screen flags, per profile and per recommendation.

    A profile's count is every account it flags, alone or with others, so
    that each threshold can be judged by what it catches on its own.
    """

    accounts: int
    profiles: dict[Profile, int]
    recommendations: dict[Recommendation, int]

    def profile_share(self, profile: Profile) -> Decimal:
        return _share(self.profiles.get(profile, 0), self.accounts)

    def recommendation_share(self, recommendation: Recommendation) -> Decimal:
        return _share(self.recommendations.get(recommendation, 0), self.accounts)


def _share(count: int, total: int) -> Decimal:
    return percent_of(count, total) or ZERO


# Each profile's bit in an account's stored set of profiles (UnifiedAccount.risk_profiles).
PROFILE_BITS = {profile: 1 << n for n, profile in enumerate(Profile)}
ALL_PROFILES_MASK = sum(PROFILE_BITS.values())


def profiles_mask(profiles: Iterable[Profile]) -> int:
    return sum(PROFILE_BITS[profile] for profile in set(profiles))


def profiles_of_mask(mask: int) -> set[Profile]:
    return {profile for profile, bit in PROFILE_BITS.items() if mask & bit}


def screen_counts_of_masks(groups: Iterable[tuple[int, int]]) -> ScreenCounts:
    """The counts of `screen_counts_each` from stored profile sets: (mask, accounts) pairs."""
    accounts = 0
    profiles: Counter[Profile] = Counter()
    recommendations: Counter[Recommendation] = Counter()
    for mask, count in groups:
        flagged = profiles_of_mask(mask)
        accounts += count
        for profile in flagged:
            profiles[profile] += count
        recommendations[recommendation_of(flagged)] += count
    return ScreenCounts(
        accounts=accounts,
        profiles={profile: profiles[profile] for profile in Profile},
        recommendations={r: recommendations[r] for r in Recommendation},
    )


def screen_counts_each(
    signals: Iterable[RiskSignals], thresholds: Sequence[RiskThresholds]
) -> list[ScreenCounts]:
    """What each set of thresholds would flag among these accounts' signals, in one pass."""
    accounts = 0
    profiles: list[Counter[Profile]] = [Counter() for _ in thresholds]
    recommendations: list[Counter[Recommendation]] = [Counter() for _ in thresholds]
    for one in signals:
        accounts += 1
        for n, each in enumerate(thresholds):
            flagged = {flag.profile for flag in risk_flags(one, each)}
            profiles[n].update(flagged)
            recommendations[n][recommendation_of(flagged)] += 1
    return [
        ScreenCounts(
            accounts=accounts,
            profiles={profile: found[profile] for profile in Profile},
            recommendations={r: recommended[r] for r in Recommendation},
        )
        for found, recommended in zip(profiles, recommendations, strict=True)
    ]
