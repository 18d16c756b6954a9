"""A reduced benchmark for CI: no page's query count may grow with the data.

Two generated programs with hot spots (a few segments and reps holding most
accounts and deals, power-law holdings), the second twice the first; every page
the benchmark times is requested on both with every cache off, as the same
persona, and must run the same number of statements.
"""

import pytest
from django.utils import timezone

from devtools.bench.large import large_merger_build, large_merger_delete
from devtools.bench.pages import page_queries
from devtools.bench.sizes import BenchSize, scaled
from devtools.bench.suite_pages import PAGES, PageSpec, Program, large_program, page_url

SMALL = BenchSize(
    accounts=200,
    segments=5,
    products_per_company=6,
    holdings=700,
    teams=3,
    reps=10,
    opportunities=300,
    changes=900,
    # Only the last ended month closed, for the pages of a closed month; the others read
    # the live month: their own queries, not a snapshot's, are what must not grow.
    past_snapshots=1,
    skewed=True,
)


@pytest.fixture(scope="module")
def programs(django_db_setup, django_db_blocker) -> tuple[Program, Program]:
    today = timezone.localdate()
    with django_db_blocker.unblock():
        built = []
        sizes = (SMALL, scaled(SMALL, 2))
        for size in sizes:
            merger = large_merger_build(size=size, today=today).merger
            built.append(large_program(merger=merger, size=size))
        yield built[0], built[1]
        for program, size in zip(built, sizes, strict=True):
            large_merger_delete(merger=program.merger, size=size)


@pytest.mark.django_db
@pytest.mark.parametrize("spec", PAGES, ids=lambda spec: spec.name)
def test_the_page_runs_as_many_queries_on_twice_the_data(programs, spec: PageSpec):
    counts = []
    for program in programs:
        queries, status = page_queries(
            username=program.personas[spec.persona], url=page_url(spec, program.merger)
        )
        assert status == 200, f"{spec.name}: HTTP {status}"
        counts.append(queries)
    small, double = counts
    assert small == double, f"{spec.name}: {small} queries on the small program, {double} on 2x"
