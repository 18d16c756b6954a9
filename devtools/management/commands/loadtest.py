"""`manage.py loadtest`: many clients at once against the production stack, then a ledger check.

Creates a fresh PostgreSQL database, migrates it and seeds the demo program,
starts gunicorn and a Celery worker (DEBUG off, as deployed) and runs locust
headless for a bounded time: reps log and move opportunities through the API,
leaders open the dashboard, pipeline and quota pages, executives export the
scorecard. Afterwards it checks the database against the writes the clients
were told succeeded, prints throughput, latency and errors, and writes them to
bench-results/load.json. It exits non-zero on any failed request and on any
lost, duplicated or inconsistent write.
"""

import json
import os
import secrets
import tempfile
import time
from argparse import SUPPRESS, ArgumentParser
from datetime import datetime
from pathlib import Path
from typing import Any

import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from devtools.demo.seed import demo_merger
from devtools.loadtest import processes
from devtools.loadtest.checks import ledger_read, loadtest_check
from devtools.loadtest.prepare import loadtest_plan
from devtools.loadtest.stats import locust_stats

PASSWORD = "load-test-password"
DRAIN_SECONDS = 60


class Command(BaseCommand):
    help = _(
        "Load-test gunicorn, a Celery worker and PostgreSQL with simulated reps, leaders and "
        "executives, then check that no write was lost or duplicated."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--users", type=int, default=20, help=_("Simulated users."))
        parser.add_argument("--spawn-rate", type=int, default=5, help=_("Users started per s."))
        parser.add_argument("--seconds", type=int, default=60, help=_("Length of the run."))
        parser.add_argument("--scale", type=float, default=0.02, help=_("Demo program size."))
        parser.add_argument("--web-workers", type=int, default=2, help=_("gunicorn workers."))
        parser.add_argument(
            "--server",
            default="postgres://postgres@127.0.0.1:5432",
            help=_("PostgreSQL server, without a database name."),
        )
        # Named after this process, so that runs side by side on one server keep apart.
        parser.add_argument(
            "--database",
            default=f"crosssell_load_{os.getpid()}",
            help=_("Created afresh, dropped afterwards."),
        )
        parser.add_argument(
            "--broker",
            default="redis://127.0.0.1:6379/2",
            help=_("Redis for the worker; the run uses a queue of its own there."),
        )
        parser.add_argument(
            "--output", type=Path, default=settings.BASE_DIR / "bench-results" / "load.json"
        )
        parser.add_argument(
            "--keep-database", action="store_true", help=_("Keep the database afterwards.")
        )
        # The steps that run inside the load-test database's settings.
        parser.add_argument("--step", choices=["prepare", "check"], help=SUPPRESS)
        parser.add_argument("--work", type=Path, help=SUPPRESS)
        parser.add_argument("--started", help=SUPPRESS)

    def handle(self, *args, **options) -> None:
        if options["step"] == "prepare":
            return self._prepare(options)
        if options["step"] == "check":
            return self._check(options)
        report = self._run(options)
        self._show(report)
        options["output"].parent.mkdir(parents=True, exist_ok=True)
        options["output"].write_text(json.dumps(report, indent=2) + "\n")
        self.stdout.write(_("Written to %(path)s.") % {"path": options["output"]})
        if not report["ok"]:
            raise CommandError(_("The load test failed: see the errors and problems above."))

    # Steps run in the load-test database's settings

    def _prepare(self, options: dict) -> None:
        merger = demo_merger()
        plan = loadtest_plan(merger=merger, clients=options["users"], password=PASSWORD)
        (options["work"] / "plan.json").write_text(json.dumps(plan))

    def _check(self, options: dict) -> None:
        started = datetime.fromisoformat(options["started"])
        ledger = ledger_read(options["work"] / "ledger.jsonl")
        result = loadtest_check(ledger=ledger, started=started)
        (options["work"] / "check.json").write_text(json.dumps(result))

    # The run

    def _run(self, options: dict) -> dict[str, Any]:
        work = Path(tempfile.mkdtemp(prefix="loadtest-"))
        database_url = f"{options['server']}/{options['database']}"
        env = _environment(options, database_url, work)
        web = worker = None
        begun = time.monotonic()
        self.stdout.write(
            _("Preparing %(db)s in %(work)s") % {"db": options["database"], "work": work}
        )
        processes.database_recreate(server=options["server"], name=options["database"])
        try:
            processes.manage(["migrate", "--noinput", "--verbosity", "0"], env)
            if processes.static_files_stale():
                processes.manage(["collectstatic", "--noinput", "--verbosity", "0"], env)
            processes.manage(["seed_demo", "--scale", str(options["scale"])], env)
            prepare = ["--step", "prepare", "--work", str(work), "--users", str(options["users"])]
            processes.manage(["loadtest", *prepare], env)
            port = processes.free_port()
            worker = processes.worker_start(env=env, log=work / "worker.log")
            web = processes.gunicorn_start(
                env=env, port=port, workers=options["web_workers"], log=work / "gunicorn.log"
            )
            processes.wait_until_ready(port=port, worker_log=work / "worker.log")
            self.stdout.write(
                _("Database seeded and servers up in %(seconds).0f s; running locust.")
                % {"seconds": time.monotonic() - begun}
            )
            started = timezone.now()
            clock = time.monotonic()
            exit_code = processes.locust_run(
                env={
                    **env,
                    "LOADTEST_PLAN": str(work / "plan.json"),
                    "LOADTEST_LEDGER": str(work / "ledger.jsonl"),
                },
                host=f"http://127.0.0.1:{port}",
                users=options["users"],
                spawn_rate=options["spawn_rate"],
                seconds=options["seconds"],
                stats=work / "locust.json",
            )
            seconds = time.monotonic() - clock
            processes.stop(web)
            _drain_exports(database_url)
        finally:
            processes.stop(web)
            processes.stop(worker)
            processes.queue_delete(broker=options["broker"], queue=env["CELERY_QUEUE"])
        processes.manage(
            ["loadtest", "--step", "check", "--work", str(work), "--started", started.isoformat()],
            env,
        )
        if not options["keep_database"]:
            processes.database_drop(server=options["server"], name=options["database"])
        return _report(options, work, seconds, exit_code)

    def _show(self, report: dict[str, Any]) -> None:
        total, writes = report["total"], report["writes"]
        self.stdout.write("")
        header = (
            f"{'endpoint group':<34} {'requests':>9} {'failures':>9} {'p50 ms':>8} {'p95 ms':>8}"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for name, figures in sorted(report["groups"].items()):
            self.stdout.write(_row(name, figures))
        self.stdout.write(_row(_("all requests"), total))
        self.stdout.write("")
        self.stdout.write(
            _(
                "%(users)d users for %(seconds)d s: %(rps).1f requests/s, %(errors)d errors; "
                "%(created)d opportunities logged, %(updated)d moved on, %(conflicts)d stale "
                "versions refused and retried, %(exports)d exports."
            )
            % {
                "users": report["users"],
                "seconds": report["seconds"],
                "rps": total["requests_per_second"],
                "errors": report["errors"],
                **{key: writes[key] for key in ("created", "updated", "conflicts", "exports")},
            }
        )
        for problem in writes["problems"]:
            self.stdout.write(self.style.ERROR(problem))
        if report["ok"]:
            self.stdout.write(
                self.style.SUCCESS(_("No errors; every confirmed write is in the database once."))
            )


def _environment(options: dict, database_url: str, work: Path) -> dict[str, str]:
    """The production settings, on the load-test database, broker and media folder."""
    return {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        "CONN_MAX_AGE": "60",
        "CELERY_BROKER_URL": options["broker"],
        "CELERY_RESULT_BACKEND": options["broker"],
        "CELERY_QUEUE": options["database"],
        "MEDIA_ROOT": str(work / "media"),
        "DEMO_PASSWORD": PASSWORD,
        "LOG_LEVEL": "WARNING",
    }


def _drain_exports(database_url: str) -> None:
    """Lets the worker finish the exports asked for in the last seconds of the run."""
    url = database_url.replace("postgres://", "postgresql://", 1)
    deadline = time.monotonic() + DRAIN_SECONDS
    with psycopg.connect(url, autocommit=True) as conn:
        while time.monotonic() < deadline:
            [(waiting,)] = conn.execute(
                "SELECT count(*) FROM scorecards_exportjob WHERE status IN ('queued', 'running')"
            ).fetchall()
            if not waiting:
                return
            time.sleep(0.5)


def _report(options: dict, work: Path, seconds: float, exit_code: int) -> dict[str, Any]:
    stats = locust_stats(path=work / "locust.json", seconds=seconds)
    writes = json.loads((work / "check.json").read_text())
    errors = stats["total"]["failures"]
    return {
        "when": timezone.now().isoformat(timespec="seconds"),
        "users": options["users"],
        "seconds": options["seconds"],
        "web_workers": options["web_workers"],
        "scale": options["scale"],
        "total": stats["total"],
        "groups": stats["groups"],
        "errors": errors,
        "locust_exit_code": exit_code,
        "writes": writes,
        "ok": errors == 0 and exit_code == 0 and not writes["problems"],
    }


def _row(name: str, figures: dict[str, Any]) -> str:
    return (
        f"{name:<34} {figures['requests']:>9} {figures['failures']:>9} "
        f"{figures['p50_ms']:>8.0f} {figures['p95_ms']:>8.0f}"
    )
