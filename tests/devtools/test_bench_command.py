"""`manage.py bench` keeps working: a smoke run on small volumes, never judged on its timings.

The figures the benchmarks report are checked where they are computed: matching on the
synthetic CRMs in tests/accounts/test_matching.py, on real names in
tests/accounts/test_matching_names.py, on the demo's CRMs in tests/devtools/test_demo_matching.py.
Here the command runs every benchmark end to end on the smallest program it builds.
"""

import csv
import json
from dataclasses import replace
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from devtools.bench import realnames
from devtools.bench.results import Measure, Rule, Run, markdown
from devtools.bench.sizes import QUICK
from devtools.bench.suite_pages import PAGES
from devtools.management.commands import bench
from devtools.management.commands.bench import BENCHMARKS, is_main_database

# Smaller still than --quick: a few hundred accounts and deals, the smallest demo.
SMOKE = replace(
    QUICK,
    accounts=200,
    segments=3,
    products_per_company=4,
    holdings=600,
    teams=2,
    reps=4,
    opportunities=150,
    changes=500,
    past_snapshots=1,
    match_records=200,
    import_rows=100,
    demo_scale=0.02,
    page_runs=1,
)
REAL_NAME_PAIRS = 20


@pytest.fixture
def smoke_volumes(monkeypatch, tmp_path):
    """The quick run at SMOKE volumes, each real-name set cut to a few companies."""
    monkeypatch.setattr(bench, "size_for", lambda **kwargs: SMOKE)
    whole_set = realnames.real_name_set
    folder = tmp_path / "realnames"
    folder.mkdir()

    def few_companies(name: str, *args, **kwargs) -> realnames.RealNameSet:
        real = whole_set(name, *args, **kwargs)
        truth = frozenset(sorted(real.truth)[:REAL_NAME_PAIRS])
        index = _rows_cut(real.index, "Account ID", {a for a, _ in truth}, folder / name)
        registry = _rows_cut(real.registry, "Record ID", {r for _, r in truth}, folder / name)
        return replace(real, index=index, registry=registry, truth=truth)

    monkeypatch.setattr(realnames, "real_name_set", few_companies)


def _rows_cut(path: Path, key: str, kept: set[str], folder: Path) -> Path:
    """The export with the rows of `kept` and a few others, which match nothing."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = [row for number, row in enumerate(reader) if row[key] in kept or number < 5]
        fields = reader.fieldnames
    folder.mkdir(exist_ok=True)
    cut = folder / path.name
    with cut.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return cut


def test_a_quick_run_reports_every_benchmark_on_the_large_and_the_demo_program(
    db, tmp_path, smoke_volumes
):
    out = StringIO()
    call_command("bench", "--quick", "--runs=1", f"--output={tmp_path}", stdout=out)

    results = json.loads((tmp_path / "results.json").read_text())
    measured = {r["bench"] for r in results["results"] if r["value"] is not None}
    assert measured == set(BENCHMARKS)
    matching = [r["name"] for r in results["results"] if r["bench"] == "matching"]
    for name in realnames.SETS:
        assert any(n.endswith(f", real names ({name})") for n in matching), name
    assert any(n.endswith(", demo CRMs") for n in matching)
    pages = [r for r in results["results"] if r["bench"] in ("pages", "dashboard")]
    assert {r["data"] for r in pages} == {"large", "demo", "large vs demo"}
    cold = [r for r in pages if r["name"].endswith(", cold")]
    assert cold and all(r["queries"] for r in cold)
    # Every page: cold against a budget, warm, and the page beside its SQL, in the same run.
    for suffix in (", cold", ", warm", ", page / its SQL"):
        assert {r["name"].removesuffix(suffix) for r in pages if r["name"].endswith(suffix)} == {
            spec.name for spec in PAGES
        }
    assert all(r["target"] for r in cold)
    first = [r for r in results["results"] if r["bench"] == "first_viewer"]
    assert any(r["name"].startswith("Program dashboard, first viewer after") for r in first)
    assert "load average before" in results["environment"]
    assert "| Benchmark |" in (tmp_path / "results.md").read_text()
    assert "Target" in out.getvalue()


def test_only_runs_the_benchmarks_asked_for(db, tmp_path):
    # The imports: the quickest benchmark (matching also matches the demo's and the real-name
    # sets, which the quick run above and tests/accounts/test_matching_names.py already do).
    call_command("bench", "--quick", "--only=imports", f"--output={tmp_path}", stdout=StringIO())
    results = json.loads((tmp_path / "results.json").read_text())
    assert {r["bench"] for r in results["results"]} == {"imports"}


def test_an_unknown_benchmark_is_refused(db, tmp_path):
    with pytest.raises(CommandError):
        call_command("bench", "--only=everything", f"--output={tmp_path}", stdout=StringIO())


def test_the_developers_own_database_is_not_a_benchmark_database(tmp_path):
    assert is_main_database(vendor="sqlite", name=str(tmp_path / "db.sqlite3"), base_dir=tmp_path)
    bench_db = tmp_path / "bench-results" / "bench.sqlite3"
    assert not is_main_database(vendor="sqlite", name=str(bench_db), base_dir=tmp_path)
    assert not is_main_database(vendor="postgresql", name="cross_sell", base_dir=Path("/srv"))


def test_a_missed_budget_is_marked_not_raised():
    run = Run()
    run.add(
        [
            Measure("pages", "Slow page", "large", 450.0, "ms", 300.0),
            Measure("pages", "Fast page", "demo", 120.0, "ms", 300.0),
            Measure("pages", "Queries", "large vs demo", 14, "queries", 14, rule=Rule.EQUAL),
            Measure("pages", "Queries", "large vs demo", 15, "queries", 14, rule=Rule.EQUAL),
            Measure("matching", "Recall", "labelled", 98.5, "%", rule=Rule.INFO),
        ]
    )
    assert [m.verdict for m in run.measures] == ["MISS", "pass", "pass", "MISS", ""]
    assert "Targets missed: 2" in markdown(run)
