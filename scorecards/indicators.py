"""The default six-C indicators: what each measures, its thresholds and its source.

Thresholds are the four values at which an indicator reaches a score of 2, 3, 4
and 5 (a value below the first scores 1). They are defaults drawn from the
domain brief and common sales-ops practice; a program overrides any of them in
its ScoringPolicy.thresholds by indicator code.

An indicator without data is "not measured" and does not count; `needs` says
which data would measure it. A program-wide indicator has one value for every
segment because what it measures (an accountable leader, the monthly reviews)
exists once per program; every other indicator is measured per segment.
"""

from dataclasses import dataclass, field
from functools import partial

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from scorecards.models import SixC

PERCENT = "%"
RATIO = "x"
YEARS = "years"
COUNT = ""
YES_NO = "yes/no"


@dataclass(frozen=True)
class Indicator:
    code: str
    # Keyword-only: the table below names each C once, above its indicators.
    c: str = field(kw_only=True)
    label: str
    unit: str
    thresholds: tuple[float, float, float, float]
    source: str
    higher_is_better: bool = True
    # Shown when this indicator is the weakest of its C: "{value}" is filled in, and a
    # counted sentence (ngettext_lazy, numbered by "count") takes its plural form from it.
    weak_sentence: str = ""
    # What data would measure it, shown while it is not measured.
    needs: str = ""
    program_wide: bool = False


_complementarity = partial(Indicator, c=SixC.COMPLEMENTARITY)
_connection = partial(Indicator, c=SixC.CONNECTION)
_capacity = partial(Indicator, c=SixC.CAPACITY)
_capability = partial(Indicator, c=SixC.CAPABILITY)
_compensation = partial(Indicator, c=SixC.COMPENSATION)
_commitment = partial(Indicator, c=SixC.COMMITMENT)

# A per cent sign in these texts is literal; `xgettext:no-python-format` keeps the
# translation catalogues from reading it as a placeholder.
INDICATORS: tuple[Indicator, ...] = (
    _complementarity(
        "whitespace_a_to_b",
        # xgettext:no-python-format
        _("Whitespace, acquirer's products to acquired's customers, % of segment revenue"),
        PERCENT,
        (5, 10, 20, 40),
        _("Whitespace candidates and install base"),
        # xgettext:no-python-format
        weak_sentence=_("whitespace for the acquirer's products is only {value}% of revenue"),
        needs=_("map product pairs and import both companies' install bases"),
    ),
    _complementarity(
        "whitespace_b_to_a",
        # xgettext:no-python-format
        _("Whitespace, acquired's products to acquirer's customers, % of segment revenue"),
        PERCENT,
        (5, 10, 20, 40),
        _("Whitespace candidates and install base"),
        weak_sentence=_(
            # xgettext:no-python-format
            "whitespace for the acquired company's products is only {value}% of revenue"
        ),
        needs=_("map product pairs and import both companies' install bases"),
    ),
    _complementarity(
        "accounts_with_candidate",
        _("Accounts with at least one mapped candidate"),
        PERCENT,
        (10, 20, 35, 50),
        _("Whitespace candidates"),
        # xgettext:no-python-format
        weak_sentence=_("only {value}% of accounts have a mapped cross-sell candidate"),
        needs=_("map product pairs and import both companies' install bases"),
    ),
    _complementarity(
        "validated_pairs",
        _("Whitespace candidates resting on product pairs validated with customers"),
        PERCENT,
        (10, 25, 50, 75),
        _("Product map and whitespace candidates"),
        weak_sentence=_(
            # xgettext:no-python-format
            "only {value}% of the segment's candidates rest on product pairs validated with "
            "real customers"
        ),
        needs=_("map product pairs that reach the segment's accounts"),
    ),
    _complementarity(
        "newly_reachable",
        _("Accounts newly reachable (customers of one side only)"),
        PERCENT,
        (10, 20, 35, 50),
        _("Account matching and install base"),
        # xgettext:no-python-format
        weak_sentence=_("only {value}% of accounts are customers of one side only"),
        needs=_("import both companies' CRM accounts with their segments"),
    ),
    _connection(
        "strong_relationships",
        _("Accounts with strong relationships"),
        PERCENT,
        (10, 20, 35, 50),
        _("Connection signals"),
        # xgettext:no-python-format
        weak_sentence=_("only {value}% of accounts have a strong relationship"),
        needs=_("import CRM accounts with their relationship data"),
    ),
    _connection(
        "decision_maker_known",
        _("Accounts whose decision maker is known"),
        PERCENT,
        (20, 35, 50, 70),
        _("CRM accounts"),
        # xgettext:no-python-format
        weak_sentence=_("the decision maker is known at only {value}% of accounts"),
        needs=_("import CRM accounts with their relationship data"),
    ),
    _connection(
        "relationship_tenure",
        _("Median relationship tenure"),
        YEARS,
        (1, 2, 4, 6),
        _("CRM accounts"),
        weak_sentence=ngettext_lazy(
            "the median relationship is only {value} year old",
            "the median relationship is only {value} years old",
            "count",
        ),
        needs=_("import CRM accounts with the date each relationship began"),
    ),
    _connection(
        "revenue_growth",
        _("Legacy revenue growth"),
        PERCENT,
        (-5, 0, 5, 10),
        _("CRM accounts"),
        weak_sentence=_("legacy revenue changed by {value}% last year"),
        needs=_("import CRM accounts with current and prior-year revenue"),
    ),
    _capacity(
        "cross_sell_quota_share",
        _("Cross-sell share of total quota"),
        PERCENT,
        (2, 5, 10, 15),
        _("Quotas"),
        # xgettext:no-python-format
        weak_sentence=_("cross-sell is only {value}% of total quota"),
        needs=_("set quotas for the reps who sell in the segment"),
    ),
    _capacity(
        "reps_with_cross_sell_quota",
        _("Reps carrying a cross-sell quota"),
        PERCENT,
        (25, 50, 75, 90),
        _("Quotas"),
        # xgettext:no-python-format
        weak_sentence=_("only {value}% of reps carry a cross-sell quota"),
        needs=_("log opportunities and set the reps' quotas"),
    ),
    # A month-end reading, frozen with the month's scores: not the dashboard's pipeline
    # coverage (deals due from today on, none once the month has ended), so its words
    # never call it that. The code stays: stored values are keyed by it.
    _capacity(
        "pipeline_coverage",
        _(
            "Open pipeline expected by the month's end, overdue included, "
            "against the cross-sell quota still to win"
        ),
        RATIO,
        (0.5, 1, 2, 3),
        _("Opportunities, quotas and credited wins"),
        weak_sentence=_(
            "open pipeline expected by the month's end is only {value}x "
            "the cross-sell quota still to win"
        ),
        needs=_("log opportunities and set cross-sell quotas"),
    ),
    _capacity(
        "stale_share",
        _("Stale share of open opportunities"),
        PERCENT,
        (50, 35, 20, 10),
        _("Opportunities"),
        higher_is_better=False,
        # xgettext:no-python-format
        weak_sentence=_("{value}% of open opportunities are stale"),
        needs=_("log opportunities"),
    ),
    _capability(
        "reps_certified",
        _("Reps certified on the products they are asked to cross-sell"),
        PERCENT,
        (20, 40, 60, 80),
        _("Certifications and opportunities"),
        weak_sentence=_(
            # xgettext:no-python-format
            "only {value}% of reps are certified on the products they are asked to sell"
        ),
        needs=_("log opportunities"),
    ),
    _capability(
        "win_rate_vs_core",
        _("Cross-sell win rate against the sellers' core win rate, last 12 months"),
        RATIO,
        (0.5, 0.75, 1, 1.25),
        _("Closed opportunities and core win rates"),
        weak_sentence=_("the cross-sell win rate is only {value}x the core win rate"),
        needs=_("import core win rates and close cross-sell deals"),
    ),
    _capability(
        "cycle_vs_expected",
        _("Cross-sell cycle length against the product's expected cycle"),
        RATIO,
        (2, 1.5, 1.2, 1),
        _("Won opportunities and products"),
        higher_is_better=False,
        weak_sentence=_("cross-sell deals take {value}x the product's expected cycle"),
        needs=_("win cross-sell deals"),
    ),
    _compensation(
        "cross_sell_variable_share",
        _("Cross-sell share of variable pay"),
        PERCENT,
        (1, 5, 10, 20),
        _("Comp plans"),
        # xgettext:no-python-format
        weak_sentence=_("cross-sell is only {value}% of variable pay"),
        needs=_("set comp plans for the reps who sell in the segment"),
    ),
    _compensation(
        "spif_materiality",
        # xgettext:no-python-format
        _("SPIF on a typical deal, % of a month's variable pay"),
        PERCENT,
        (1, 2.5, 5, 10),
        _("Comp plans and products"),
        # xgettext:no-python-format
        weak_sentence=_("the SPIF on a typical deal is {value}% of a month's variable pay"),
        needs=_("set comp plans for the reps who sell in the segment"),
    ),
    _compensation(
        "deal_size_vs_core",
        _("Cross-sell deal size against typical core deal size"),
        RATIO,
        (0.1, 0.25, 0.5, 0.75),
        _("Won opportunities and reps"),
        weak_sentence=_("a cross-sell deal is only {value}x a typical core deal"),
        needs=_("win cross-sell deals and enter the reps' typical core deal size"),
    ),
    _compensation(
        "leaders_aligned",
        _("Leaders' plans aligned with reps'"),
        YES_NO,
        (0.25, 0.5, 0.75, 1),
        _("Comp plans"),
        weak_sentence=_("leaders are not paid on cross-sell like their reps"),
        needs=_("set comp plans for reps and for their leaders"),
    ),
    _commitment(
        "leader_assigned",
        _("Accountable cross-sell leader assigned"),
        YES_NO,
        (0.25, 0.5, 0.75, 1),
        _("Program"),
        weak_sentence=_("no accountable cross-sell leader is assigned"),
        needs=_("name the accountable cross-sell leader"),
        program_wide=True,
    ),
    _commitment(
        "targets_cascaded",
        _("Segment's cross-sell target this month carried by its reps' quotas"),
        PERCENT,
        (25, 50, 75, 95),
        _("Quotas and synergy targets"),
        # xgettext:no-python-format
        weak_sentence=_("reps' cross-sell quotas carry only {value}% of the segment's target"),
        needs=_("enter the segment's synergy targets and set the reps' cross-sell quotas"),
    ),
    _commitment(
        "reviews_held",
        _("Monthly reviews held in the last three months"),
        COUNT,
        (0.5, 1, 2, 3),
        _("Program reviews"),
        weak_sentence=ngettext_lazy(
            "only {value} monthly review was held in the last three months",
            "only {value} monthly reviews were held in the last three months",
            "count",
        ),
        needs=_("record the monthly program reviews"),
        program_wide=True,
    ),
    _commitment(
        "synergy_progress",
        _("Realized synergy against the segment's cross-sell target to date"),
        PERCENT,
        (50, 70, 85, 100),
        _("Won cross-company opportunities and synergy targets"),
        # xgettext:no-python-format
        weak_sentence=_("realized synergy is only {value}% of target to date"),
        needs=_("enter cross-sell synergy targets for the segment"),
    ),
)

BY_CODE: dict[str, Indicator] = {indicator.code: indicator for indicator in INDICATORS}
