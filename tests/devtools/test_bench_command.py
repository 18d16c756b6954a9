"""`manage.py bench` keeps working: a smoke run on small volumes, never judged on its timings."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from devtools.bench.results import Measure, Rule, Run, markdown
from devtools.bench.suite import PAGES
from devtools.management.commands.bench import BENCHMARKS, is_main_database


def test_a_quick_run_reports_every_benchmark_on_the_large_and_the_demo_program(db, tmp_path):
    out = StringIO()
    call_command("bench", "--quick", "--runs=1", f"--output={tmp_path}", stdout=out)

    results = json.loads((tmp_path / "results.json").read_text())
    measured = {r["bench"] for r in results["results"] if r["value"] is not None}
    assert measured == set(BENCHMARKS)
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
