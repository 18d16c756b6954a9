"""How big the benchmark data is: the full budgets' volumes, or a small smoke run."""

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class BenchSize:
    accounts: int = 100_000
    segments: int = 20
    products_per_company: int = 30
    holdings: int = 1_000_000
    teams: int = 50
    reps: int = 1_000
    opportunities: int = 200_000
    changes: int = 1_000_000
    # Past months frozen while building (None: all since Day 1, 0: none), as the dashboard
    # reads them.
    past_snapshots: int | None = None
    # Not the large program: the matching engine's and the import's own volumes.
    match_records: int = 50_000
    import_rows: int = 100_000
    # A smoke run builds the demo program smaller, with fewer timed page requests.
    demo_scale: float = 1.0
    page_runs: int = 7
    # Hot spots, as real programs have them: a few segments and reps hold most accounts
    # and deals (Zipf), and holdings per CRM record follow a power law.
    skewed: bool = False


FULL = BenchSize()
QUICK = BenchSize(
    accounts=1_000,
    segments=6,
    products_per_company=8,
    holdings=6_000,
    teams=3,
    reps=12,
    opportunities=1_500,
    changes=7_500,
    past_snapshots=2,
    match_records=1_000,
    import_rows=1_000,
    demo_scale=0.05,
    page_runs=2,
)


def size_for(*, quick: bool, **overrides: int | bool) -> BenchSize:
    return replace(QUICK if quick else FULL, **overrides)


def scaled(size: BenchSize, factor: float) -> BenchSize:
    """The same program `factor` times as large: accounts, holdings, deals and history."""
    if factor == 1:
        return size

    def times(value: int) -> int:
        return max(1, round(value * factor))

    return replace(
        size,
        accounts=times(size.accounts),
        holdings=times(size.holdings),
        opportunities=times(size.opportunities),
        changes=times(size.changes),
    )
