"""The program's setup checklist: each step's state, read from the data itself.

Nothing is ticked by hand: a step is done when its data is there (both
companies' accounts imported, no match waiting, stages that can win and
lose...), so the checklist never disagrees with the program. A fixed number
of queries, cheap ones on the large tables (existence, or counts on indexed
columns), whatever the program's size.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Count
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import (
    Holding,
    LegacyCompany,
    MatchCandidate,
    Merger,
    Product,
    ProductMapping,
    ProgramMembership,
    Segment,
    SourceAccount,
    UnifiedAccount,
)
from tracker.models import CompPlan, CoreWinRate, Quota, Rep, Stage, SynergyTarget, Team


class State(StrEnum):
    DONE = "done"
    STARTED = "started"
    TODO = "todo"


@dataclass(frozen=True)
class Step:
    key: str
    title: Promise
    state: State
    detail: str
    url_name: str
    action: Promise
    optional: bool = False


@dataclass(frozen=True)
class Checklist:
    steps: list[Step]

    @property
    def required(self) -> list[Step]:
        return [step for step in self.steps if not step.optional]

    @property
    def done_count(self) -> int:
        return sum(step.state == State.DONE for step in self.required)

    @property
    def complete(self) -> bool:
        return self.done_count == len(self.required)

    @property
    def nearly_complete(self) -> bool:
        """One step left: a program at work often has a few new matches waiting."""
        return self.done_count >= len(self.required) - 1

    @property
    def next_step(self) -> Step | None:
        return next((step for step in self.required if step.state != State.DONE), None)


def _state(done: bool, started: bool) -> State:
    return State.DONE if done else State.STARTED if started else State.TODO


def _company_step(companies: list[LegacyCompany]) -> Step:
    roles = [company.role for company in companies]
    done = LegacyCompany.Role.ACQUIRER in roles and LegacyCompany.Role.ACQUIRED in roles
    names = ", ".join(company.name for company in companies)
    return Step(
        "program",
        gettext_lazy("Program and legacy companies"),
        _state(done, bool(companies)),
        names or _("No legacy company yet."),
        "accounts:program_settings",
        gettext_lazy("Program settings"),
    )


def _per_company(companies: list[LegacyCompany], counts: dict[int, int], none: str) -> str:
    return " · ".join(
        f"{company.short_name}: {counts[company.pk]:,}"
        if counts.get(company.pk)
        else f"{company.short_name}: {none}"
        for company in companies
    )


def _accounts_step(companies: list[LegacyCompany], records: dict[int, int]) -> Step:
    with_records = [company for company in companies if records.get(company.pk)]
    return Step(
        "accounts",
        gettext_lazy("Import each company's accounts"),
        _state(bool(companies) and len(with_records) == len(companies), bool(with_records)),
        _per_company(companies, records, _("none yet")) or _("Add the companies first."),
        "accounts:imports",
        gettext_lazy("Import CRM data"),
    )


def _matching_step(merger: Merger, companies: list, records: dict[int, int]) -> Step:
    imported = sum(1 for company in companies if records.get(company.pk))
    pending = MatchCandidate.objects.filter(
        merger=merger, status=MatchCandidate.Status.PENDING
    ).count()
    accounts = UnifiedAccount.objects.filter(merger=merger).exists()
    if imported < 2:
        detail = _("Matching runs once two companies' accounts are in.")
    elif pending:
        detail = ngettext(
            "%(count)d pair waits for a decision.", "%(count)d pairs wait for a decision.", pending
        ) % {"count": pending}
    else:
        detail = _("Every record is matched or known to be a customer of one company only.")
    return Step(
        "matching",
        gettext_lazy("Match the accounts"),
        _state(imported >= 2 and accounts and not pending, accounts),
        detail,
        "accounts:match_review",
        gettext_lazy("Review matches"),
    )


def _products_step(merger: Merger, companies: list[LegacyCompany]) -> Step:
    products = dict(
        Product.objects.filter(company__merger=merger)
        .order_by()
        .values_list("company_id")
        .annotate(n=Count("id"))
    )
    holders = {
        company.pk
        for company in companies
        if Holding.objects.filter(account__company=company).exists()
    }
    with_both = [c for c in companies if products.get(c.pk) and c.pk in holders]
    detail = " · ".join(
        _("%(company)s: %(products)s products, %(base)s")
        % {
            "company": company.short_name,
            "products": f"{products.get(company.pk, 0):,}",
            "base": _("install base in") if company.pk in holders else _("no install base"),
        }
        for company in companies
    )
    return Step(
        "products",
        gettext_lazy("Import products and install base"),
        _state(bool(companies) and len(with_both) == len(companies), bool(products or holders)),
        detail or _("Add the companies first."),
        "accounts:imports",
        gettext_lazy("Import CRM data"),
    )


def _count_step(key, title, count: int, detail: str, url_name: str, action, **extra) -> Step:
    return Step(key, title, _state(count > 0, False), detail, url_name, action, **extra)


def setup_checklist(*, merger: Merger) -> Checklist:
    companies = list(LegacyCompany.objects.filter(merger=merger).order_by("-role", "name"))
    records = dict(
        SourceAccount.objects.filter(company__merger=merger)
        .order_by()
        .values_list("company_id")
        .annotate(n=Count("id"))
    )
    mappings = ProductMapping.objects.filter(merger=merger).count()
    segments = Segment.objects.filter(merger=merger).count()
    in_segment = UnifiedAccount.objects.filter(merger=merger, segment__isnull=False).exists()
    members = ProgramMembership.objects.filter(merger=merger).count()
    teams = Team.objects.filter(merger=merger).count()
    reps = Rep.objects.filter(merger=merger, is_active=True).count()
    outcomes = set(Stage.objects.filter(merger=merger).values_list("outcome", flat=True))
    target_months = SynergyTarget.objects.filter(merger=merger).values("month").distinct().count()
    this_month = timezone.localdate().replace(day=1)
    quotas = Quota.objects.filter(rep__merger=merger, period_start__gte=this_month).count()
    core_win_rates = CoreWinRate.objects.filter(merger=merger).count()
    comp_plans = CompPlan.objects.filter(merger=merger).count()
    steps = [
        _company_step(companies),
        _accounts_step(companies, records),
        _matching_step(merger, companies, records),
        _products_step(merger, companies),
        _count_step(
            "product_map",
            gettext_lazy("Map products"),
            mappings,
            ngettext(
                "%(count)d product pair: owners of one are candidates for the other.",
                "%(count)d product pairs: owners of one are candidates for the other.",
                mappings,
            )
            % {"count": mappings},
            "accounts:product_map",
            gettext_lazy("Product map"),
        ),
        Step(
            "segments",
            gettext_lazy("Define segments"),
            _state(segments > 0 and in_segment, segments > 0),
            ngettext("%(count)d segment", "%(count)d segments", segments) % {"count": segments}
            + (
                " · " + _("accounts assigned")
                if in_segment
                else " · " + _("no account in one yet")
            ),
            "accounts:segments",
            gettext_lazy("Segments"),
        ),
        Step(
            "people",
            gettext_lazy("Invite people, build teams and reps"),
            _state(teams > 0 and reps > 0, members > 1 or teams > 0),
            _("%(members)d members · %(teams)d teams · %(reps)d reps")
            % {"members": members, "teams": teams, "reps": reps},
            "tracker:people",
            gettext_lazy("People"),
        ),
        Step(
            "stages",
            gettext_lazy("Sales stages"),
            _state(
                {Stage.Outcome.OPEN, Stage.Outcome.WON, Stage.Outcome.LOST} <= outcomes,
                bool(outcomes),
            ),
            _("Open, won and lost stages are there.")
            if len(outcomes) == 3
            else _("Deals need open stages, a won stage and a lost stage."),
            "tracker:stages",
            gettext_lazy("Stages"),
        ),
        _count_step(
            "targets",
            gettext_lazy("Set the synergy targets"),
            target_months,
            ngettext(
                "Targets for %(count)d month.", "Targets for %(count)d months.", target_months
            )
            % {"count": target_months},
            "tracker:targets",
            gettext_lazy("Targets"),
        ),
        _count_step(
            "quotas",
            gettext_lazy("Set quotas"),
            quotas,
            ngettext(
                "%(count)d quota from this month on.",
                "%(count)d quotas from this month on.",
                quotas,
            )
            % {"count": quotas},
            "tracker:quotas",
            gettext_lazy("Quotas"),
        ),
        _count_step(
            "core_win_rates",
            gettext_lazy("Core win rates"),
            core_win_rates,
            _("The companies' own win rates, to compare cross-sell with."),
            "tracker:core_win_rates",
            gettext_lazy("Core win rates"),
            optional=True,
        ),
        _count_step(
            "comp_plans",
            gettext_lazy("Comp plans"),
            comp_plans,
            _("How cross-sell wins are paid."),
            "tracker:compensation",
            gettext_lazy("Compensation"),
            optional=True,
        ),
    ]
    return Checklist(steps=steps)
