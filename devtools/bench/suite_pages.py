"""The page benchmarks: each page of the product requested as each persona, on the large
program and on the demo, cold against the budgets of the issues."""

from dataclasses import dataclass

from django.db.models import Count
from django.urls import reverse

from accounts.models import Merger, ProductFamily, Segment
from devtools.bench.large_org import People
from devtools.bench.pages import PageTiming, page_time
from devtools.bench.results import Measure, Rule, load_average
from devtools.bench.sizes import BenchSize
from devtools.demo import org as demo_org
from tracker.models import MonthlySnapshot, Team

PAGE_BUDGET_MS = 300.0
WHITESPACE_BUDGET_MS = 500.0
LARGE_DASHBOARD_BUDGET_MS = 1000.0
DASHBOARD_SQL_RATIO = 1.5


@dataclass(frozen=True)
class PageSpec:
    name: str
    url_name: str
    persona: str  # rep, leader, executive or ops
    # Cold (every cache off), on any program: the budgets of the issues.
    budget_ms: float = PAGE_BUDGET_MS
    # Narrowed to the heaviest segment or product family a user can pick.
    by_segment: bool = False
    by_family: bool = False
    # The page's time at most this many times the time of the SQL it runs.
    sql_ratio: float | None = None
    # Of the latest closed month: "path" takes it as an argument, "query" as ?month=.
    closed_month: str = ""
    bench: str = "pages"


PAGES: tuple[PageSpec, ...] = (
    PageSpec("Home", "accounts:home", "executive"),
    PageSpec("Accounts", "accounts:account_list", "executive"),
    PageSpec("Overlap", "accounts:overlap", "executive"),
    PageSpec("Whitespace heatmap", "accounts:whitespace", "executive", WHITESPACE_BUDGET_MS),
    PageSpec(
        "Whitespace of one segment",
        "accounts:whitespace",
        "executive",
        WHITESPACE_BUDGET_MS,
        by_segment=True,
    ),
    PageSpec(
        "Whitespace of one product family, by potential",
        "accounts:whitespace",
        "executive",
        WHITESPACE_BUDGET_MS,
        by_family=True,
    ),
    PageSpec("Product map", "accounts:product_map", "executive"),
    PageSpec("Segments", "accounts:segments", "executive"),
    PageSpec("Risk screen", "accounts:risk_policy", "executive"),
    PageSpec("Imports", "accounts:imports", "ops"),
    PageSpec("Match review", "accounts:match_review", "ops"),
    PageSpec("My opportunities (rep)", "tracker:pipeline", "rep"),
    PageSpec("Team pipeline (leader)", "tracker:pipeline", "leader"),
    PageSpec("Program pipeline (executive)", "tracker:pipeline", "executive"),
    PageSpec("Supervision (leader)", "tracker:supervision", "leader"),
    PageSpec("Wins", "tracker:wins", "executive"),
    PageSpec("Wins of the last closed month", "tracker:wins", "executive", closed_month="query"),
    PageSpec(
        "Open deals at the last closed month's end",
        "tracker:pipeline_frozen",
        "executive",
        closed_month="path",
    ),
    PageSpec("Quotas (leader)", "tracker:quotas", "leader"),
    PageSpec("Reps", "tracker:reps", "executive"),
    PageSpec("Targets", "tracker:targets", "executive"),
    PageSpec("Core win rates", "tracker:core_win_rates", "executive"),
    PageSpec("Compensation", "tracker:compensation", "executive"),
    PageSpec("Six-C scorecard", "scorecards:scorecard", "executive"),
    PageSpec("Restatements", "scorecards:restatements", "executive"),
    PageSpec(
        "Restatements of the last closed month",
        "scorecards:restatements",
        "executive",
        closed_month="query",
    ),
    PageSpec("My dashboard (rep)", "scorecards:my_dashboard", "rep", LARGE_DASHBOARD_BUDGET_MS),
    PageSpec(
        "Program dashboard",
        "scorecards:dashboard",
        "executive",
        LARGE_DASHBOARD_BUDGET_MS,
        sql_ratio=DASHBOARD_SQL_RATIO,
        bench="dashboard",
    ),
)


@dataclass(frozen=True)
class Program:
    """A program to request pages of, and who signs in for each persona."""

    label: str  # "large" or "demo"
    merger: Merger
    personas: dict[str, str]


def large_program(*, merger: Merger, size: BenchSize) -> Program:
    people = People.of(size)
    # The first team below a region: a first-line leader, as in the demo.
    first_line = Team.objects.filter(merger=merger, parent__isnull=False).order_by("pk").first()
    leader = first_line.leader.username if first_line else people.leader(0)
    return Program(
        "large",
        merger,
        {"rep": people.rep(0), "leader": leader, "executive": people.executive, "ops": people.ops},
    )


def demo_program(*, merger: Merger) -> Program:
    personas = ("rep", "leader", "executive", "ops")
    return Program("demo", merger, {p: getattr(demo_org, p.upper()).username for p in personas})


def pages(*, bench: str, programs: list[Program], runs: int) -> list[Measure]:
    measures = []
    for spec in (s for s in PAGES if s.bench == bench):
        timings: dict[str, PageTiming] = {}
        for program in programs:
            timing = page_time(
                username=program.personas[spec.persona],
                url=page_url(spec, program.merger),
                runs=runs,
            )
            timings[program.label] = timing
            measures += page_measures(bench, spec, program.label, timing, load=load_average())
        measures.append(_same_queries(bench, spec, timings))
    return measures


def page_measures(
    bench: str, spec: PageSpec, data: str, timing: PageTiming, *, load: float | None
) -> list[Measure]:
    """Cold against the budget, warm, and the page beside its SQL."""
    cold = Measure(
        bench,
        f"{spec.name}, cold",
        data,
        timing.median_ms,
        "ms",
        spec.budget_ms,
        queries=timing.queries,
        load=load,
        note=timing.error
        or (
            f"every cache off; first request {timing.first_ms:.0f} ms, cpu {timing.cpu_ms:.0f} ms"
        ),
    )
    if timing.error:
        return [cold]
    return [
        cold,
        Measure(
            bench,
            f"{spec.name}, warm",
            data,
            timing.warm_ms,
            "ms",
            rule=Rule.INFO,
            load=load,
            note="the configured cache on and filled",
        ),
        Measure(
            bench,
            f"{spec.name}, page / its SQL",
            data,
            timing.sql_ratio,
            "x",
            spec.sql_ratio,
            rule=Rule.AT_MOST if spec.sql_ratio and data == "large" else Rule.INFO,
            load=load,
            note=f"SQL {timing.sql_ms:.0f} ms: the cold request's reads re-run on the driver",
        ),
    ]


def _same_queries(bench: str, spec: PageSpec, timings: dict[str, PageTiming]) -> Measure:
    """The large program's page runs no more statements than the demo's: a count that
    grows with the data would be more. It can be fewer where the large program has
    nothing for a section (no pair waits for review there, so that list is not read);
    tests/devtools/test_bench_query_growth holds the count equal on one generator's
    program and twice it."""
    large, demo = timings.get("large"), timings.get("demo")
    counts = f"large {large.queries if large else '-'}, demo {demo.queries if demo else '-'}"
    return Measure(
        bench,
        f"{spec.name}: no more queries on large than on demo",
        "large vs demo",
        large.queries if large else None,
        "queries",
        demo.queries if demo else None,
        rule=Rule.AT_MOST,
        note=counts,
    )


def page_url(spec: PageSpec, merger: Merger) -> str:
    """The page's address, narrowed to the heaviest segment (most accounts) or product
    family (most whitespace candidates, sorted by potential: every account's sum over
    the family's products is needed before the first row) a user can pick."""
    if spec.closed_month:
        return _closed_month_url(spec, merger)
    url = reverse(spec.url_name)
    if spec.by_family:
        family = _heaviest(
            ProductFamily.objects.filter(company__merger=merger), "products__whitespace"
        )
        return f"{url}?product_family={family}&sort=value" if family else url
    if spec.by_segment:
        segment = _heaviest(Segment.objects.filter(merger=merger), "accounts")
        return f"{url}?segment={segment}" if segment else url
    return url


def _closed_month_url(spec: PageSpec, merger: Merger) -> str:
    month = MonthlySnapshot.objects.filter(merger=merger).order_by("-month").first()
    code = f"{month.month:%Y-%m}" if month else "none"
    if spec.closed_month == "path":
        return reverse(spec.url_name, args=[code])
    return f"{reverse(spec.url_name)}?month={code}"


def _heaviest(choices, counted: str) -> int | None:
    """The id of the choice with the most `counted` rows (the lowest id of a tie)."""
    return (
        choices.annotate(size=Count(counted))
        .order_by("-size", "pk")
        .values_list("pk", flat=True)
        .first()
    )
