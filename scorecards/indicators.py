"""The default six-C indicators: what each measures, its thresholds and its source.

Thresholds are the four values at which an indicator reaches a score of 2, 3, 4
and 5 (a value below the first scores 1). They are defaults drawn from the
domain brief and common sales-ops practice; a program overrides any of them in
its ScoringPolicy.thresholds by indicator code.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from scorecards.models import SixC

PERCENT = "%"
RATIO = "x"
YEARS = "years"
COUNT = ""
YES_NO = "yes/no"


@dataclass(frozen=True)
class Indicator:
    code: str
    c: str
    label: str
    unit: str
    thresholds: tuple[float, float, float, float]
    source: str
    higher_is_better: bool = True
    # Shown when this indicator is the weakest of its C: "{value}" is filled in.
    weak_sentence: str = ""


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "whitespace_a_to_b",
        SixC.COMPLEMENTARITY,
        _("Whitespace, acquirer's products to acquired's customers, % of segment revenue"),
        PERCENT,
        (5, 10, 20, 40),
        _("Whitespace candidates and install base"),
        weak_sentence=_("whitespace for the acquirer's products is only {value}% of revenue"),
    ),
    Indicator(
        "whitespace_b_to_a",
        SixC.COMPLEMENTARITY,
        _("Whitespace, acquired's products to acquirer's customers, % of segment revenue"),
        PERCENT,
        (5, 10, 20, 40),
        _("Whitespace candidates and install base"),
        weak_sentence=_(
            "whitespace for the acquired company's products is only {value}% of revenue"
        ),
    ),
    Indicator(
        "accounts_with_candidate",
        SixC.COMPLEMENTARITY,
        _("Accounts with at least one mapped candidate"),
        PERCENT,
        (10, 20, 35, 50),
        _("Whitespace candidates"),
        weak_sentence=_("only {value}% of accounts have a mapped cross-sell candidate"),
    ),
    Indicator(
        "validated_pairs",
        SixC.COMPLEMENTARITY,
        _("Mapped product pairs validated with customers"),
        PERCENT,
        (10, 25, 50, 75),
        _("Product map"),
        weak_sentence=_("only {value}% of product pairs were validated with real customers"),
    ),
    Indicator(
        "newly_reachable",
        SixC.COMPLEMENTARITY,
        _("Accounts newly reachable (customers of one side only)"),
        PERCENT,
        (10, 20, 35, 50),
        _("Account matching and install base"),
        weak_sentence=_("only {value}% of accounts are customers of one side only"),
    ),
    Indicator(
        "strong_relationships",
        SixC.CONNECTION,
        _("Accounts with strong relationships"),
        PERCENT,
        (10, 20, 35, 50),
        _("Connection signals"),
        weak_sentence=_("only {value}% of accounts have a strong relationship"),
    ),
    Indicator(
        "decision_maker_known",
        SixC.CONNECTION,
        _("Accounts whose decision maker is known"),
        PERCENT,
        (20, 35, 50, 70),
        _("CRM accounts"),
        weak_sentence=_("the decision maker is known at only {value}% of accounts"),
    ),
    Indicator(
        "relationship_tenure",
        SixC.CONNECTION,
        _("Median relationship tenure"),
        YEARS,
        (1, 2, 4, 6),
        _("CRM accounts"),
        weak_sentence=_("the median relationship is only {value} years old"),
    ),
    Indicator(
        "revenue_growth",
        SixC.CONNECTION,
        _("Legacy revenue growth"),
        PERCENT,
        (-5, 0, 5, 10),
        _("CRM accounts"),
        weak_sentence=_("legacy revenue changed by {value}% last year"),
    ),
    Indicator(
        "cross_sell_quota_share",
        SixC.CAPACITY,
        _("Cross-sell share of total quota"),
        PERCENT,
        (2, 5, 10, 15),
        _("Quotas"),
        weak_sentence=_("cross-sell is only {value}% of total quota"),
    ),
    Indicator(
        "reps_with_cross_sell_quota",
        SixC.CAPACITY,
        _("Reps carrying a cross-sell quota"),
        PERCENT,
        (25, 50, 75, 90),
        _("Quotas"),
        weak_sentence=_("only {value}% of reps carry a cross-sell quota"),
    ),
    Indicator(
        "pipeline_coverage",
        SixC.CAPACITY,
        _("Open pipeline per rep against quota"),
        RATIO,
        (0.5, 1, 2, 3),
        _("Opportunities and quotas"),
        weak_sentence=_("open pipeline covers only {value}x the remaining cross-sell quota"),
    ),
    Indicator(
        "stale_share",
        SixC.CAPACITY,
        _("Stale share of open opportunities"),
        PERCENT,
        (50, 35, 20, 10),
        _("Opportunities"),
        higher_is_better=False,
        weak_sentence=_("{value}% of open opportunities are stale"),
    ),
    Indicator(
        "reps_certified",
        SixC.CAPABILITY,
        _("Reps certified on the products they are asked to cross-sell"),
        PERCENT,
        (20, 40, 60, 80),
        _("Certifications and opportunities"),
        weak_sentence=_(
            "only {value}% of reps are certified on the products they are asked to sell"
        ),
    ),
    Indicator(
        "win_rate_vs_core",
        SixC.CAPABILITY,
        _("Cross-sell win rate against core win rate"),
        RATIO,
        (0.5, 0.75, 1, 1.25),
        _("Closed opportunities"),
        weak_sentence=_("the cross-sell win rate is only {value}x the core win rate"),
    ),
    Indicator(
        "cycle_vs_expected",
        SixC.CAPABILITY,
        _("Cross-sell cycle length against the product's expected cycle"),
        RATIO,
        (2, 1.5, 1.2, 1),
        _("Won opportunities and products"),
        higher_is_better=False,
        weak_sentence=_("cross-sell deals take {value}x the product's expected cycle"),
    ),
    Indicator(
        "cross_sell_variable_share",
        SixC.COMPENSATION,
        _("Cross-sell share of variable pay"),
        PERCENT,
        (1, 5, 10, 20),
        _("Comp plans"),
        weak_sentence=_("cross-sell is only {value}% of variable pay"),
    ),
    Indicator(
        "spif_materiality",
        SixC.COMPENSATION,
        _("SPIF on a typical deal, % of a month's variable pay"),
        PERCENT,
        (1, 2.5, 5, 10),
        _("Comp plans and products"),
        weak_sentence=_("the SPIF on a typical deal is {value}% of a month's variable pay"),
    ),
    Indicator(
        "deal_size_vs_core",
        SixC.COMPENSATION,
        _("Cross-sell deal size against typical core deal size"),
        RATIO,
        (0.1, 0.25, 0.5, 0.75),
        _("Won opportunities and reps"),
        weak_sentence=_("a cross-sell deal is only {value}x a typical core deal"),
    ),
    Indicator(
        "leaders_aligned",
        SixC.COMPENSATION,
        _("Leaders' plans aligned with reps'"),
        YES_NO,
        (0.25, 0.5, 0.75, 1),
        _("Comp plans"),
        weak_sentence=_("leaders are not paid on cross-sell like their reps"),
    ),
    Indicator(
        "leader_assigned",
        SixC.COMMITMENT,
        _("Accountable cross-sell leader assigned"),
        YES_NO,
        (0.25, 0.5, 0.75, 1),
        _("Program"),
        weak_sentence=_("no accountable cross-sell leader is assigned"),
    ),
    Indicator(
        "targets_cascaded",
        SixC.COMMITMENT,
        _("Reps with a cross-sell target this month"),
        PERCENT,
        (25, 50, 75, 95),
        _("Quotas and synergy targets"),
        weak_sentence=_("targets reach only {value}% of reps"),
    ),
    Indicator(
        "reviews_held",
        SixC.COMMITMENT,
        _("Monthly reviews held in the last three months"),
        COUNT,
        (0.5, 1, 2, 3),
        _("Program reviews"),
        weak_sentence=_("only {value} monthly reviews were held in the last three months"),
    ),
    Indicator(
        "synergy_progress",
        SixC.COMMITMENT,
        _("Realized synergy against target to date"),
        PERCENT,
        (50, 70, 85, 100),
        _("Won opportunities and synergy targets"),
        weak_sentence=_("realized synergy is only {value}% of target to date"),
    ),
)

BY_CODE: dict[str, Indicator] = {indicator.code: indicator for indicator in INDICATORS}
