"""`manage.py bench`: the performance budgets, measured and reported with numbers.

`make bench` runs it on its own SQLite database (bench-results/bench.sqlite3)
unless DATABASE_URL says otherwise. The large program is built once and reused
by later runs; the demo program is seeded beside it. Missed budgets are marked
in the report; the command still exits with 0.
"""

import argparse
import os
import platform
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import replace
from io import StringIO
from pathlib import Path

import django
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Holding, Merger, SourceAccount, UnifiedAccount, WhitespaceCell
from accounts.selectors.history import changes_of
from devtools.bench import suite, suite_matching, suite_pages
from devtools.bench.first_viewer import first_viewer
from devtools.bench.large import large_merger_ensure
from devtools.bench.large_org import People
from devtools.bench.results import Measure, Run, load_average, run_write, text_table
from devtools.bench.sizes import BenchSize, scaled, size_for
from devtools.demo.plan import DEFAULT_SEED, demo_plan
from devtools.demo.seed import demo_merger
from tracker.models import Opportunity, Rep, Team

BENCHMARKS = (
    "matching",
    "imports",
    "pages",
    "snapshot",
    "scores",
    "exports",
    "dashboard",
    "reconcile",
    # Last: it changes the large program's data (an import, refreshes).
    "first_viewer",
)
NEEDS_PROGRAMS = set(BENCHMARKS) - {"matching", "imports"}
DEFAULT_OUTPUT = settings.BASE_DIR / "bench-results"


def _only(value: str) -> list[str]:
    chosen = [name.strip() for name in value.split(",") if name.strip()]
    unknown = sorted(set(chosen) - set(BENCHMARKS))
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(
            _("Choose from %(names)s.") % {"names": ", ".join(BENCHMARKS)}
        )
    return [name for name in BENCHMARKS if name in chosen]


class Command(BaseCommand):
    help = _(
        "Measure the program against its performance budgets on a large generated program "
        "and the demo program; print a table and write bench-results/results.json and .md."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--only",
            type=_only,
            default=list(BENCHMARKS),
            help=_("Comma-separated benchmarks: %(names)s.") % {"names": ",".join(BENCHMARKS)},
        )
        parser.add_argument(
            "--quick", action="store_true", help=_("Small volumes: a smoke run of every step.")
        )
        parser.add_argument(
            "--rebuild",
            action="store_true",
            help=_("Build the large and the demo program again instead of reusing them."),
        )
        parser.add_argument(
            "--skewed",
            action="store_true",
            help=_(
                "A large program with hot spots: a few segments and reps hold most accounts "
                "and deals, and holdings per record follow a power law."
            ),
        )
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help=_("The large program this many times its size (2: 200,000 accounts)."),
        )
        parser.add_argument(
            "--runs", type=int, default=None, help=_("Timed requests per page (median).")
        )
        parser.add_argument(
            "--output",
            type=Path,
            default=DEFAULT_OUTPUT,
            help=_("Directory of results.json and results.md."),
        )

    def handle(self, *args, **options) -> None:
        self._refuse_main_database()
        self._migrate()
        # As in production: no query log filling up, templates without debug information.
        with override_settings(DEBUG=False):
            self._run(options)

    def _run(self, options) -> None:
        size = size_for(quick=options["quick"], skewed=options["skewed"])
        if options["runs"]:
            size = replace(size, page_runs=max(1, options["runs"]))
        size = scaled(size, options["scale"])
        only = options["only"]
        today = timezone.localdate()
        run = Run(environment=self._environment(options, only))
        started = time.perf_counter()
        if "matching" in only:
            self._step(run, "matching", lambda: suite_matching.matching(size=size))
        if "imports" in only:
            # On PostgreSQL, as on a new installation: a fresh database without statistics.
            fresh = connection.vendor == "postgresql" and not options["quick"]
            self._step(run, "imports", lambda: suite.imports(size=size, fresh=fresh))
        if NEEDS_PROGRAMS & set(only):
            large, demo = self._programs(run, size, today, options["rebuild"])
            self._program_steps(run, only, size, today, large, demo)
        run.environment["load average after"] = _loadavg_text()
        run.environment["total seconds"] = round(time.perf_counter() - started, 1)
        self.stdout.write("")
        self.stdout.write(text_table(run))
        json_path, md_path = run_write(run, options["output"])
        style = self.style.WARNING if run.misses else self.style.SUCCESS
        judged = len([m for m in run.measures if m.passed is not None])
        self.stdout.write("")
        missed = _("%(misses)d of %(total)d budgets missed.")
        self.stdout.write(style(missed % {"misses": len(run.misses), "total": judged}))
        self.stdout.write(_("Written: %(json)s, %(md)s") % {"json": json_path, "md": md_path})

    def _program_steps(self, run, only, size: BenchSize, today, large, demo) -> None:
        merger = large.merger
        steps: dict[str, Callable[[], list[Measure]]] = {
            "snapshot": lambda: suite.snapshot(merger=merger, today=today),
            "scores": lambda: suite.scores(merger=merger, today=today),
            "exports": lambda: suite.exports(merger=merger, today=today),
            "reconcile": lambda: suite.reconcile(
                programs=[merger, *([demo] if demo is not None else [])]
            ),
            "first_viewer": lambda: first_viewer(
                merger=merger, username=People.of(size).executive
            ),
        }
        programs = [suite_pages.large_program(merger=merger, size=size)]
        if demo is not None:
            programs.append(suite_pages.demo_program(merger=demo))
        for name in ("pages", "dashboard"):
            steps[name] = lambda name=name: suite_pages.pages(
                bench=name, programs=programs, runs=size.page_runs
            )
        for name in BENCHMARKS:
            if name in only and name in steps:
                self._step(run, name, steps[name])

    def _step(self, run: Run, name: str, measure: Callable[[], list[Measure]]) -> None:
        self.stdout.write(_("Running %(name)s ...") % {"name": name})
        started = time.perf_counter()
        try:
            measures = measure()
        except Exception as error:  # one broken benchmark must not hide the others' numbers
            traceback.print_exc(file=sys.stderr)
            measures = [
                Measure(name, name, "", None, "", 0, note=f"{type(error).__name__}: {error}"[:200])
            ]
        run.add(measures)
        self.stdout.write(f"  {time.perf_counter() - started:.1f} s")

    def _programs(self, run: Run, size: BenchSize, today, rebuild: bool):
        self.stdout.write(_("Preparing the large program ..."))
        large = large_merger_ensure(size=size, today=today, rebuild=rebuild)
        if large.built:
            run.environment["large program built in (s)"] = large.seconds
        else:
            run.environment["large program"] = _("reused (use --rebuild to build it again)")
        self.stdout.write(_("Preparing the demo program ..."))
        demo = self._demo(size, today, rebuild)
        run.data[f"large program: {large.merger.name}"] = _counts(large.merger)
        if demo is not None:
            run.data[f"demo program: {demo.name}"] = _counts(demo)
        return large, demo

    def _demo(self, size: BenchSize, today, rebuild: bool) -> Merger | None:
        try:
            plan = demo_plan(seed=DEFAULT_SEED, scale=size.demo_scale, today=today)
        except ValueError:
            return None
        merger = demo_merger()
        # A demo of another scale (say, from a quick run) is seeded again at this one.
        same_scale = (
            merger is not None
            and Opportunity.objects.filter(merger=merger).count() == plan.opportunities
        )
        if same_scale and not rebuild:
            return merger
        reset = ["--reset"] if merger is not None else []
        call_command("seed_demo", f"--scale={size.demo_scale}", *reset, stdout=StringIO())
        return demo_merger()

    def _refuse_main_database(self) -> None:
        name = str(connection.settings_dict.get("NAME") or "")
        if is_main_database(vendor=connection.vendor, name=name, base_dir=settings.BASE_DIR):
            raise CommandError(
                _(
                    "The benchmark writes a program of a million rows; it does not run on "
                    "%(db)s. Use `make bench` (its own database) or set DATABASE_URL."
                )
                % {"db": name}
            )

    def _migrate(self) -> None:
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stdout.write(_("Migrating the benchmark database ..."))
            call_command("migrate", interactive=False, verbosity=0)

    def _environment(self, options, only: list[str]) -> dict:
        return {
            "date": timezone.now().isoformat(timespec="seconds"),
            "benchmarks": ", ".join(only),
            "volumes": ("quick (smoke run)" if options["quick"] else "full")
            + (f", x{options['scale']:g}" if options["scale"] != 1 else "")
            + (", skewed" if options["skewed"] else ", uniform"),
            "cpus": _cpus(),
            "load average before": _loadavg_text(),
            "database": f"{connection.vendor} {connection.settings_dict.get('NAME')}",
            "python": platform.python_version(),
            "django": django.get_version(),
            "DEBUG": False,
        }


def is_main_database(*, vendor: str, name: str, base_dir: Path) -> bool:
    """Whether the database is the developer's own SQLite file, which the demo lives in."""
    return vendor == "sqlite" and Path(name).resolve() == (base_dir / "db.sqlite3").resolve()


def _counts(merger: Merger) -> dict[str, int]:
    opportunities = Opportunity.objects.filter(merger=merger)
    return {
        "unified accounts": UnifiedAccount.objects.filter(merger=merger).count(),
        "CRM records": SourceAccount.objects.filter(company__merger=merger).count(),
        "holdings": Holding.objects.filter(account__company__merger=merger).count(),
        "whitespace cells": WhitespaceCell.objects.filter(merger=merger).count(),
        "segments": merger.segments.count(),
        "teams": Team.objects.filter(merger=merger).count(),
        "reps": Rep.objects.filter(merger=merger).count(),
        "opportunities": opportunities.count(),
        "history rows": changes_of(Opportunity).filter(merger=merger).count(),
    }


def _cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def _loadavg_text() -> str:
    """1, 5 and 15 minute load averages, running/total tasks and the last pid (Linux)."""
    try:
        return Path("/proc/loadavg").read_text().strip()
    except OSError:
        load = load_average()
        return "" if load is None else f"{load:.2f}"
